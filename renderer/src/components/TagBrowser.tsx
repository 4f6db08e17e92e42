import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { ancestorsOf, countWords, type TagNode } from '../lib/library-view';
import { ChevronIcon, MoreIcon } from './icons';

type Props = {
  tree: readonly TagNode[] | null;
  /** The tag the list is filtered by. */
  active: string | null;
  open: boolean;
  onToggleOpen: () => void;
  onFilter: (tag: string | null) => void;
  onRename: (node: TagNode) => void;
  onDelete: (node: TagNode) => void;
  /** Opens the export dialog for the tag (and those below it). */
  onExport: (tag: string) => void;
};

type Menu = { node: TagNode; x: number; y: number; opener: HTMLElement | null };

/**
 * The library's tags as a tree (`place/Syria` under `place`), each with its
 * count: its own, and the sum of the tags below it. A click filters the
 * list by the tag and everything below it; the ⋯ button (or a right-click)
 * opens Rename… and Delete…. Collapsed branches keep a library of thousands
 * of tags short; the branch holding the active tag opens by itself.
 */
export function TagBrowser({ tree, active, open, onToggleOpen, onFilter, onRename, onDelete, onExport }: Props) {
  const bodyId = useId();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [menu, setMenu] = useState<Menu | null>(null);

  useEffect(() => {
    if (!active) return;
    const need = ancestorsOf(active);
    setExpanded((s) => (need.every((t) => s.has(t)) ? s : new Set([...s, ...need])));
  }, [active]);

  const toggle = (tag: string) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(tag)) next.delete(tag);
      else next.add(tag);
      return next;
    });

  const count = useMemo(() => {
    let n = 0;
    const walk = (list: readonly TagNode[]) => {
      for (const node of list) {
        if (node.own.articles + node.own.clippings > 0) n++;
        walk(node.children);
      }
    };
    walk(tree ?? []);
    return n;
  }, [tree]);

  const openMenu = (node: TagNode, x: number, y: number, opener: HTMLElement | null) => setMenu({ node, x, y, opener });

  const renderNodes = (nodes: readonly TagNode[], depth: number) => (
    <ul className="tag-tree" role={depth === 0 ? undefined : 'group'}>
      {nodes.map((node) => {
        const own = node.own.articles + node.own.clippings;
        const below = node.total.articles + node.total.clippings - own;
        const isOpen = expanded.has(node.tag);
        const belowCounts = { articles: node.total.articles - node.own.articles, clippings: node.total.clippings - node.own.clippings };
        const title =
          node.children.length > 0
            ? `${node.tag}: ${own ? `${countWords(node.own)} of its own` : 'not used on its own'}; ${countWords(belowCounts)} with the tags below it`
            : `${node.tag}: ${countWords(node.own)}`;
        return (
          <li key={node.tag}>
            <div
              className={`tag-row${active === node.tag ? ' is-active' : ''}${menu?.node.tag === node.tag ? ' has-menu' : ''}`}
              data-testid="tag"
              data-tag={node.tag}
              style={{ paddingLeft: 4 + depth * 14 }}
              onContextMenu={(e) => {
                e.preventDefault();
                openMenu(node, e.clientX, e.clientY, e.currentTarget.querySelector<HTMLElement>('.tag-menu-btn'));
              }}
            >
              {node.children.length > 0 ? (
                <button
                  type="button"
                  className={`tag-twisty${isOpen ? ' is-open' : ''}`}
                  aria-expanded={isOpen}
                  aria-label={`${isOpen ? 'Hide' : 'Show'} the tags below ${node.tag}`}
                  title={`${isOpen ? 'Hide' : 'Show'} the tags below “${node.tag}”`}
                  onClick={() => toggle(node.tag)}
                >
                  <ChevronIcon />
                </button>
              ) : (
                <span className="tag-twisty" aria-hidden="true" />
              )}
              <button
                type="button"
                className="tag-name"
                aria-pressed={active === node.tag}
                title={`${title}. ${active === node.tag ? 'Click to show every article' : 'Click to show its articles'}`}
                onClick={() => onFilter(active === node.tag ? null : node.tag)}
              >
                <span className="tag-label">{node.name}</span>
                {(own > 0 || below === 0) && (
                  <span className="tag-count" data-testid="tag-count">
                    {own}
                  </span>
                )}
                {below > 0 && (
                  <span className="tag-below" data-testid="tag-below">
                    +{below}
                  </span>
                )}
              </button>
              <button
                type="button"
                className="icon-btn tag-menu-btn"
                aria-label={`Actions for tag ${node.tag}`}
                title={`Export, rename or delete “${node.tag}”`}
                aria-haspopup="menu"
                aria-expanded={menu?.node.tag === node.tag}
                onClick={(e) => {
                  const r = e.currentTarget.getBoundingClientRect();
                  openMenu(node, r.left, r.bottom + 2, e.currentTarget);
                }}
              >
                <MoreIcon />
              </button>
            </div>
            {isOpen && node.children.length > 0 && renderNodes(node.children, depth + 1)}
          </li>
        );
      })}
    </ul>
  );

  return (
    <section className={`tags-browser${open ? ' is-open' : ''}`} aria-label="Tags" data-testid="tags-browser">
      <h2 className="tags-head">
        <button type="button" className="tags-toggle" aria-expanded={open} aria-controls={bodyId} title={open ? 'Hide the tags' : 'Show the tags'} onClick={onToggleOpen}>
          <span className={`tag-twisty${open ? ' is-open' : ''}`} aria-hidden="true">
            <ChevronIcon />
          </span>
          Tags
          {tree && <span className="tags-total">{count}</span>}
        </button>
      </h2>
      {open && (
        <div className="tags-body" id={bodyId}>
          {tree === null ? (
            <p className="tags-empty">Reading the tags…</p>
          ) : tree.length === 0 ? (
            <p className="tags-empty">No tags yet. Tag an article or a clipping; “/” makes a hierarchy (place/Syria).</p>
          ) : (
            renderNodes(tree, 0)
          )}
        </div>
      )}
      {menu && (
        <TagMenu
          menu={menu}
          onClose={() => setMenu(null)}
          items={[
            { label: active === menu.node.tag ? 'Show every article' : 'Show its articles', run: () => onFilter(active === menu.node.tag ? null : menu.node.tag) },
            { label: 'Export…', run: () => onExport(menu.node.tag) },
            { label: 'Rename…', run: () => onRename(menu.node) },
            { label: 'Delete…', run: () => onDelete(menu.node), danger: true },
          ]}
        />
      )}
    </section>
  );
}

type Item = { label: string; run: () => void; danger?: boolean };

/** A small menu at a point: arrows move, Enter runs, Esc or a click elsewhere closes it and focus goes back to its button. */
function TagMenu({ menu, items, onClose }: { menu: Menu; items: Item[]; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const close = (refocus: boolean) => {
    onClose();
    if (refocus) menu.opener?.focus({ preventScroll: true });
  };
  const closeRef = useRef(close);
  closeRef.current = close;

  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      // Before the app's own Esc (which would clear the active clipping).
      e.preventDefault();
      e.stopPropagation();
      closeRef.current(true);
    };
    const onDown = (e: MouseEvent) => {
      if (!(e.target instanceof Node && ref.current?.contains(e.target))) closeRef.current(false);
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('mousedown', onDown, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('mousedown', onDown, true);
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      buttons[(at + (e.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length]?.focus();
    } else if (e.key === 'Tab') {
      close(false);
    }
  };

  // Kept inside the window: a right-click near the bottom opens it upwards.
  const left = Math.min(menu.x, window.innerWidth - 190);
  const top = Math.min(menu.y, window.innerHeight - 24 - items.length * 32);
  return (
    <div ref={ref} className="menu" role="menu" aria-label={`Tag ${menu.node.tag}`} data-testid="tag-menu" style={{ left, top }} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={`menu-item${item.danger ? ' is-danger' : ''}`}
          onClick={() => {
            // Focus goes back to the ⋯ button first, so that a dialog the item opens returns it there.
            close(true);
            item.run();
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}

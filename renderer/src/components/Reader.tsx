import { Fragment, memo, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ArticleDetail, Block, Clipping, TagSuggestion } from '../../../electron/library/model';
import { blockStarts, bucketByBlock, isOrphan, segmentBlock } from '../lib/segments';
import { rangeToOffsets, type TextSelection } from '../lib/selection';
import { formatDate, placeOf, plural, reanchoredNote } from '../lib/format';
import { labelOf, type LabelIndex } from '../lib/labels';
import { notePlain } from '../lib/markdown';
import { shortQuote } from '../lib/history';
import { SelectionToolbar } from './SelectionToolbar';
import { LabelSwatch } from './Labels';
import { TagEditor } from './TagEditor';
import { ArchiveIcon, AttachIcon, CheckIcon, EditIcon, PlusIcon, TagIcon } from './icons';

/** A selection in the reader, with where it sits on the page (relative to the reader canvas). */
export type PendingSelection = TextSelection & { top: number; bottom: number; centerX: number; width: number; nearTop: boolean };

type Props = {
  detail: ArticleDetail;
  labels: LabelIndex;
  fontSize: number;
  activeId: string | null;
  flashId: string | null;
  pending: PendingSelection | null;
  currentLabel: string;
  /** The selection's label picker (highlighted option) while open. */
  picker: number | null;
  /** The orphan being re-attached, if any: the next selection is its new place. */
  reattaching: Clipping | null;
  /** Tags offered from the people, places and organisations the article names. */
  suggestions: readonly TagSuggestion[];
  onSelection: (selection: PendingSelection | null) => void;
  onHighlight: (label: string, focus: 'note' | 'tags' | null) => void;
  onOpenPicker: () => void;
  onEditLabels: () => void;
  onAttach: () => void;
  onCancelAttach: () => void;
  onMarkClick: (clippingId: string) => void;
  onAddTag: (tag: string) => void;
  onRemoveTag: (tag: string) => void;
  onEditText: () => void;
  /** u: read ⇄ unread. */
  onToggleRead: () => void;
  /** e: archive ⇄ back in the list. */
  onToggleArchive: () => void;
};

/** Where several clippings overlap, a click lists them all here. */
type Stack = { ids: string[]; top: number; left: number };

export function Reader(props: Props) {
  const { detail, onSelection } = props;
  const canvasRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const textRef = useRef(detail.text);
  textRef.current = detail.text;
  const pendingRef = useRef(props.pending);
  pendingRef.current = props.pending;
  const [stack, setStack] = useState<Stack | null>(null);
  const [allSuggestions, setAllSuggestions] = useState(false);

  // Follow the selection. While the mouse button is down the selection is
  // still being dragged, so wait for mouseup; keyboard selections (and
  // programmatic ones) arrive through selectionchange and keyup.
  useEffect(() => {
    let pointerDown = false;
    const keyOf = (s: PendingSelection | null) => (s ? `${s.start}:${s.end}:${Math.round(s.top)}:${Math.round(s.centerX)}` : '');
    const report = (next: PendingSelection | null) => {
      // selectionchange fires on every caret move: only a real change re-renders.
      if (keyOf(next) !== keyOf(pendingRef.current)) onSelection(next);
    };
    const update = () => {
      const selection = window.getSelection();
      const body = bodyRef.current;
      const canvas = canvasRef.current;
      if (!selection || selection.rangeCount === 0 || selection.isCollapsed || !body || !canvas) return report(null);
      const range = selection.getRangeAt(0);
      if (!range.intersectsNode(body)) return report(null);
      const offsets = rangeToOffsets(body, range, textRef.current);
      if (!offsets) return report(null);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 || r.height > 0);
      const first = rects[0] ?? range.getBoundingClientRect();
      const box = range.getBoundingClientRect();
      const host = canvas.getBoundingClientRect();
      const scroller = canvas.parentElement?.getBoundingClientRect();
      report({
        ...offsets,
        top: box.top - host.top,
        bottom: box.bottom - host.top,
        // Centre the toolbar on the first line of the selection, where the reader's eye starts.
        centerX: (rects.length > 1 ? first.left + first.width / 2 : box.left + box.width / 2) - host.left,
        width: host.width,
        nearTop: box.top - (scroller?.top ?? 0) < 64,
      });
    };
    const onDown = (e: MouseEvent) => {
      if (e.button === 0 && !(e.target instanceof Element && e.target.closest('[data-testid="selection-toolbar"]'))) pointerDown = true;
    };
    const onUp = () => {
      pointerDown = false;
      update();
    };
    const onChange = () => {
      if (!pointerDown) update();
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('mouseup', onUp);
    document.addEventListener('keyup', update);
    document.addEventListener('selectionchange', onChange);
    window.addEventListener('resize', update);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('mouseup', onUp);
      document.removeEventListener('keyup', update);
      document.removeEventListener('selectionchange', onChange);
      window.removeEventListener('resize', update);
    };
  }, [onSelection]);

  // A new article starts at its top with no selection.
  useEffect(() => {
    canvasRef.current?.parentElement?.scrollTo({ top: 0 });
    setStack(null);
    setAllSuggestions(false);
  }, [detail.article.id]);

  // The overlap popover closes with Esc (before the app's own Esc handling) or a click elsewhere.
  useEffect(() => {
    if (!stack) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      setStack(null);
    };
    const onDown = (e: MouseEvent) => {
      if (!(e.target instanceof Element && e.target.closest('[data-testid="mark-popover"]'))) setStack(null);
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('mousedown', onDown, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('mousedown', onDown, true);
    };
  }, [stack]);

  // The blocks are rendered by a memoised component each; only blocks whose
  // clippings (or active/flashing clipping) changed render again.
  const starts = useMemo(() => blockStarts(detail.blocks), [detail.blocks]);
  const shown = useMemo(() => detail.clippings.filter((c) => !isOrphan(c, detail.text)), [detail.clippings, detail.text]);
  const buckets = useStableBuckets(detail.blocks, starts, shown);
  const byId = useMemo(() => new Map(detail.clippings.map((c) => [c.id, c])), [detail.clippings]);

  const { article } = detail;
  const place = placeOf(article.dateline);
  const meta = [article.source, place, formatDate(article.published)].filter(Boolean) as string[];
  const minutes = Math.max(1, Math.round(article.wordCount / 230));
  const have = new Set(article.tags.map((t) => t.toLocaleLowerCase()));
  const offered = props.suggestions.filter((s) => !have.has(s.tag.toLocaleLowerCase()));
  const suggested = allSuggestions ? offered : offered.slice(0, SUGGESTIONS_SHOWN);

  const body = renderBlocks(detail, starts, buckets, props.labels, props.activeId, props.flashId);

  return (
    <div className={`reader-canvas${props.reattaching ? ' is-reattaching' : ''}`} ref={canvasRef}>
      {props.reattaching && (
        <div className="reattach-banner" data-testid="reattach-banner" role="status">
          <AttachIcon />
          <p>
            <strong>Re-attaching</strong> {shortQuote(props.reattaching.target.quote.exact, 80)}: select its words in the article, then{' '}
            <em>Attach here</em>.
          </p>
          <button type="button" className="btn btn-small" title="Stop re-attaching (Esc)" aria-keyshortcuts="Escape" onClick={props.onCancelAttach}>
            Cancel
          </button>
        </div>
      )}
      <article
        data-testid="reader"
        className="reader"
        lang={article.language ?? undefined}
        dir={article.dir ?? undefined}
        style={{ fontSize: props.fontSize }}
      >
        <header className="reader-head">
          <div className="reader-actions">
            <button
              type="button"
              className="btn btn-quiet btn-small"
              data-testid="toggle-read"
              title={article.readingState === 'read' ? 'Mark the article unread (U)' : 'Mark the article read (U)'}
              aria-keyshortcuts="U"
              onClick={props.onToggleRead}
            >
              <CheckIcon />
              <span>{article.readingState === 'read' ? 'Mark as unread' : 'Mark as read'}</span>
            </button>
            <button
              type="button"
              className="btn btn-quiet btn-small"
              data-testid="toggle-archive"
              title={article.readingState === 'archived' ? 'Put the article back in the list (E)' : 'Archive the article: it leaves the list, and stays under Archived (E)'}
              aria-keyshortcuts="E"
              onClick={props.onToggleArchive}
            >
              <ArchiveIcon />
              <span>{article.readingState === 'archived' ? 'Unarchive' : 'Archive'}</span>
            </button>
            <button
              type="button"
              className="btn btn-quiet btn-small"
              title="Correct the article’s text (a new version; clippings are re-attached)"
              onClick={props.onEditText}
            >
              <EditIcon />
              <span>Edit text</span>
            </button>
          </div>
          <h1 className="reader-title">{article.title}</h1>
          <p className="reader-meta">
            {meta.map((m, i) => (
              <Fragment key={i}>
                {i > 0 && (
                  <span className="meta-sep" aria-hidden="true">
                    ·
                  </span>
                )}
                <span>{m}</span>
              </Fragment>
            ))}
            <span className="meta-sep" aria-hidden="true">
              ·
            </span>
            <span title={plural(article.wordCount, 'word')}>{minutes} min read</span>
          </p>
          {article.byline && <p className="reader-byline">By {article.byline}</p>}
          <div className="reader-tags">
            <span className="reader-tags-icon" title="Article tags">
              <TagIcon />
            </span>
            <TagEditor
              tags={article.tags}
              onAdd={props.onAddTag}
              onRemove={props.onRemoveTag}
              inputLabel="Add article tag"
              placeholder="Add tag…"
              removeLabel={(t) => `Remove tag ${t}`}
              chipTestId="article-tag"
            />
          </div>
          {suggested.length > 0 && (
            <div className="reader-suggestions" role="group" aria-label="Suggested tags">
              <span className="suggestions-label">Suggested</span>
              {suggested.map((s) => (
                <button
                  key={s.tag}
                  type="button"
                  className={`chip chip-suggested kind-${s.kind}`}
                  data-testid="suggested-tag"
                  aria-label={`Add tag ${s.tag}`}
                  title={`Add the tag “${s.tag}” (${KIND[s.kind]}, named ${plural(s.count, 'time')})`}
                  onClick={() => props.onAddTag(s.tag)}
                >
                  <PlusIcon />
                  <span className="chip-text">{s.tag}</span>
                  <span className="chip-kind">{KIND[s.kind]}</span>
                </button>
              ))}
              {offered.length > suggested.length && (
                <button type="button" className="link-btn" onClick={() => setAllSuggestions(true)}>
                  {offered.length - suggested.length} more
                </button>
              )}
            </div>
          )}
        </header>
        <div
          className="reader-body"
          ref={bodyRef}
          onClick={(e) => {
            if (!window.getSelection()?.isCollapsed) return;
            const ids = clippingsAt(e.target);
            const innermost = ids[0];
            if (!innermost) return;
            props.onMarkClick(innermost);
            const canvas = canvasRef.current?.getBoundingClientRect();
            // Overlapping highlights: the innermost is chosen, and the others are listed where the click was.
            setStack(ids.length > 1 && canvas ? { ids, top: e.clientY - canvas.top + 14, left: e.clientX - canvas.left } : null);
          }}
        >
          {body}
        </div>
      </article>
      {stack && (
        <div
          className="mark-popover"
          data-testid="mark-popover"
          role="dialog"
          aria-label="Clippings here"
          style={{ top: stack.top, left: Math.max(150, Math.min(stack.left, (canvasRef.current?.clientWidth ?? 0) - 150)) }}
        >
          <p className="mark-popover-title">{stack.ids.length} clippings here</p>
          <ul>
            {stack.ids.map((id) => {
              const c = byId.get(id);
              if (!c) return null;
              const label = labelOf(props.labels, c.label);
              return (
                <li key={id}>
                  <button
                    type="button"
                    className={`mark-popover-item${id === props.activeId ? ' is-active' : ''}`}
                    data-clipping-id={id}
                    aria-pressed={id === props.activeId}
                    onClick={() => {
                      props.onMarkClick(id);
                      setStack(null);
                    }}
                  >
                    <LabelSwatch label={label} size="small" />
                    <span className="mark-popover-label">{label.name}</span>
                    <span className="mark-popover-quote">{shortQuote(c.target.quote.exact, 48)}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {props.pending && (
        <SelectionToolbar
          selection={props.pending}
          labels={props.labels.list}
          currentLabel={props.currentLabel}
          picker={props.picker}
          reattaching={props.reattaching !== null}
          onHighlight={props.onHighlight}
          onOpenPicker={props.onOpenPicker}
          onEditLabels={props.onEditLabels}
          onAttach={props.onAttach}
          onCancelAttach={props.onCancelAttach}
        />
      )}
    </div>
  );
}

/** Suggested tags shown before "n more": the most named first, as main orders them. */
const SUGGESTIONS_SHOWN = 5;

const KIND: Record<TagSuggestion['kind'], string> = { person: 'person', place: 'place', organization: 'organisation' };

/** The clippings under a click, innermost first. */
function clippingsAt(target: EventTarget | null): string[] {
  const ids: string[] = [];
  let mark = target instanceof Element ? target.closest('mark[data-clipping-id]') : null;
  while (mark) {
    const id = mark.getAttribute('data-clipping-id');
    if (id) ids.push(id);
    mark = mark.parentElement?.closest('mark[data-clipping-id]') ?? null;
  }
  return ids;
}

/**
 * bucketByBlock, keeping last render's array for a block whose clippings
 * are the same objects: a change to one clipping re-renders one block.
 */
function useStableBuckets(blocks: readonly Block[], starts: readonly number[], clippings: readonly Clipping[]): Clipping[][] {
  const previous = useRef<{ blocks: readonly Block[]; buckets: Clipping[][] } | null>(null);
  return useMemo(() => {
    const next = bucketByBlock(blocks, starts, clippings);
    const before = previous.current?.blocks === blocks ? previous.current.buckets : null;
    const buckets = before ? next.map((b, i) => (sameItems(b, before[i]) ? before[i]! : b)) : next;
    previous.current = { blocks, buckets };
    return buckets;
  }, [blocks, starts, clippings]);
}

function sameItems(a: readonly Clipping[], b: readonly Clipping[] | undefined): boolean {
  return !!b && a.length === b.length && a.every((c, i) => c === b[i]);
}

function renderBlocks(
  detail: ArticleDetail,
  starts: readonly number[],
  buckets: readonly Clipping[][],
  labels: LabelIndex,
  activeId: string | null,
  flashId: string | null,
): ReactNode[] {
  const leadIn = detail.article.dateline ?? undefined;
  const out: ReactNode[] = [];
  let list: { ordered: boolean; items: ReactNode[] } | null = null;
  const flushList = () => {
    if (!list) return;
    out.push(list.ordered ? <ol key={`list-${out.length}`}>{list.items}</ol> : <ul key={`list-${out.length}`}>{list.items}</ul>);
    list = null;
  };
  detail.blocks.forEach((block, index) => {
    const clippings = buckets[index] ?? NONE;
    // Only a block holding the active (or flashing) clipping is told about it, so the others stay memoised.
    const holds = (id: string | null) => (id !== null && clippings.some((c) => c.id === id) ? id : null);
    const element = (
      <BlockView
        key={index}
        articleId={detail.article.id}
        block={block}
        index={index}
        start={starts[index] ?? 0}
        clippings={clippings}
        labels={labels}
        activeId={holds(activeId)}
        flashId={holds(flashId)}
        leadIn={index === 0 ? leadIn : undefined}
      />
    );
    if (block.kind === 'listItem') {
      if (!list || list.ordered !== block.ordered) {
        flushList();
        list = { ordered: block.ordered, items: [] };
      }
      list.items.push(element);
      return;
    }
    flushList();
    out.push(element);
  });
  flushList();
  return out;
}

const NONE: Clipping[] = [];

type BlockProps = {
  articleId: string;
  block: Block;
  index: number;
  start: number;
  clippings: readonly Clipping[];
  labels: LabelIndex;
  activeId: string | null;
  flashId: string | null;
  leadIn: string | undefined;
};

const BlockView = memo(function BlockView({ articleId, block, index, start, clippings, labels, activeId, flashId, leadIn }: BlockProps) {
  const content = segmentBlock(start, block.text, clippings, true).map((segment) => (
    <Fragment key={segment.start}>{wrap(segment.text, segment.clippings, labels, activeId, flashId)}</Fragment>
  ));
  const attrs = { 'data-block-index': index, 'data-block-start': start } as const;
  switch (block.kind) {
    case 'listItem':
      return <li {...attrs}>{content}</li>;
    case 'paragraph':
      return (
        <p {...attrs} data-dateline={leadIn}>
          {content}
        </p>
      );
    case 'heading': {
      // The article title is the page's h1, so body headings are h2–h4: a source h1 or h2 is a
      // section (h2), h3 a subsection, and anything deeper stays h4 rather than shrinking away.
      const Tag = block.level <= 2 ? 'h2' : block.level === 3 ? 'h3' : 'h4';
      return <Tag {...attrs}>{content}</Tag>;
    }
    case 'quote':
      return <blockquote {...attrs}>{content}</blockquote>;
    case 'image': {
      // Only the library's own copy is ever loaded; an image that was not kept shows its caption.
      const src = storedImageUrl(articleId, block.src);
      if (!src && !block.text) return null;
      return (
        <figure className={src ? undefined : 'is-missing'} title={src ? undefined : 'The picture was not kept; its caption is shown'}>
          {src && <img src={src} alt={block.text} loading="lazy" />}
          {block.text && <figcaption {...attrs}>{content}</figcaption>}
        </figure>
      );
    }
  }
});

/** `./library-files/<article>/images/<name>` for a stored image; null for anything else (never a remote URL). */
export function storedImageUrl(articleId: string, src: string): string | null {
  if (!/^images\/[A-Za-z0-9_-]{1,80}\.(?:png|jpg|gif|webp|avif)$/.test(src)) return null;
  return `./library-files/${encodeURIComponent(articleId)}/${src}`;
}

/** What a mark's tooltip says: its label first (colour is never the only cue), then how it was re-attached, its note and tags. */
function markTitle(c: Clipping, labelName: string): string {
  const note = notePlain(c.note);
  return `${labelName}${reanchoredNote(c)}${note ? ` — ${note.length > 120 ? `${note.slice(0, 119)}…` : note}` : ''}${c.tags.length ? ` [${c.tags.join(', ')}]` : ''}`;
}

/** Nested marks, outermost first, so every clipping covering this run keeps its own element. */
function wrap(text: string, covering: Clipping[], labels: LabelIndex, activeId: string | null, flashId: string | null): ReactNode {
  let node: ReactNode = text;
  for (let k = covering.length - 1; k >= 0; k--) {
    const c = covering[k]!;
    const label = labelOf(labels, c.label);
    node = (
      <mark
        data-clipping-id={c.id}
        data-label={label.id}
        data-anchor={c.anchor?.state === 'reanchored' ? 'reanchored' : undefined}
        className={`hl hl-${label.color} pat-${label.pattern}${c.id === activeId ? ' is-active' : ''}${c.id === flashId ? ' is-flash' : ''}`}
        title={markTitle(c, label.name)}
      >
        {node}
      </mark>
    );
  }
  return node;
}

import { Fragment, useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { ArticleDetail, Block, Clipping, Color } from '../../../electron/library/model';
import { blockStarts, isOrphan, segmentBlock } from '../lib/segments';
import { rangeToOffsets, type TextSelection } from '../lib/selection';
import { colorName, formatDate, placeOf, plural, reanchoredNote } from '../lib/format';
import { SelectionToolbar } from './SelectionToolbar';
import { TagEditor } from './TagEditor';
import { TagIcon } from './icons';

/** A selection in the reader, with where it sits on the page (relative to the reader canvas). */
export type PendingSelection = TextSelection & { top: number; bottom: number; centerX: number; width: number; nearTop: boolean };

type Props = {
  detail: ArticleDetail;
  fontSize: number;
  activeId: string | null;
  flashId: string | null;
  pending: PendingSelection | null;
  color: Color;
  onSelection: (selection: PendingSelection | null) => void;
  onHighlight: (color: Color, focus: 'note' | 'tags' | null) => void;
  onMarkClick: (clippingId: string) => void;
  onAddTag: (tag: string) => void;
  onRemoveTag: (tag: string) => void;
};

export function Reader(props: Props) {
  const { detail, onSelection } = props;
  const canvasRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const textRef = useRef(detail.text);
  textRef.current = detail.text;
  const pendingRef = useRef(props.pending);
  pendingRef.current = props.pending;

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
  }, [detail.article.id]);

  const body = useMemo(
    () => renderBlocks(detail, props.activeId, props.flashId),
    [detail, props.activeId, props.flashId],
  );

  const { article } = detail;
  const place = placeOf(article.dateline);
  const meta = [article.source, place, formatDate(article.published)].filter(Boolean) as string[];
  const minutes = Math.max(1, Math.round(article.wordCount / 230));

  return (
    <div className="reader-canvas" ref={canvasRef}>
      <article
        data-testid="reader"
        className="reader"
        lang={article.language ?? undefined}
        dir={article.dir ?? undefined}
        style={{ fontSize: props.fontSize }}
      >
        <header className="reader-head">
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
        </header>
        <div
          className="reader-body"
          ref={bodyRef}
          onClick={(e) => {
            if (!window.getSelection()?.isCollapsed) return;
            const mark = e.target instanceof Element ? e.target.closest('mark[data-clipping-id]') : null;
            const id = mark?.getAttribute('data-clipping-id');
            if (id) props.onMarkClick(id);
          }}
        >
          {body}
        </div>
      </article>
      {props.pending && (
        <SelectionToolbar
          selection={props.pending}
          color={props.color}
          onHighlight={props.onHighlight}
        />
      )}
    </div>
  );
}

function renderBlocks(detail: ArticleDetail, activeId: string | null, flashId: string | null): ReactNode[] {
  const starts = blockStarts(detail.blocks);
  // An orphan's position says nothing about the current text: it is shown in the sidebar only.
  const clippings = detail.clippings.filter((c) => !isOrphan(c, detail.text));
  const leadIn = detail.article.dateline ?? undefined;
  const out: ReactNode[] = [];
  let list: { ordered: boolean; items: ReactNode[] } | null = null;
  const flushList = () => {
    if (!list) return;
    out.push(list.ordered ? <ol key={`list-${out.length}`}>{list.items}</ol> : <ul key={`list-${out.length}`}>{list.items}</ul>);
    list = null;
  };

  detail.blocks.forEach((block: Block, index) => {
    const start = starts[index] ?? 0;
    const content = segmentBlock(start, block.text, clippings).map((segment) => (
      <Fragment key={segment.start}>{wrap(segment.text, segment.clippings, activeId, flashId)}</Fragment>
    ));
    const attrs = { 'data-block-index': index, 'data-block-start': start } as const;
    if (block.kind === 'listItem') {
      if (!list || list.ordered !== block.ordered) {
        flushList();
        list = { ordered: block.ordered, items: [] };
      }
      list.items.push(
        <li key={index} {...attrs}>
          {content}
        </li>,
      );
      return;
    }
    flushList();
    switch (block.kind) {
      case 'paragraph':
        out.push(
          <p key={index} {...attrs} data-dateline={index === 0 && leadIn ? leadIn : undefined}>
            {content}
          </p>,
        );
        break;
      case 'heading': {
        // The article title is the page's h1, so body headings are h2–h4: a source h1 or h2 is a
        // section (h2), h3 a subsection, and anything deeper stays h4 rather than shrinking away.
        const Tag = block.level <= 2 ? 'h2' : block.level === 3 ? 'h3' : 'h4';
        out.push(
          <Tag key={index} {...attrs}>
            {content}
          </Tag>,
        );
        break;
      }
      case 'quote':
        out.push(
          <blockquote key={index} {...attrs}>
            {content}
          </blockquote>,
        );
        break;
      case 'image': {
        // Only the library's own copy is ever loaded; an image that was not kept shows its caption.
        const src = storedImageUrl(detail.article.id, block.src);
        if (!src && !block.text) break;
        out.push(
          <figure key={index} className={src ? undefined : 'is-missing'} title={src ? undefined : 'The picture was not kept; its caption is shown'}>
            {src && <img src={src} alt={block.text} loading="lazy" />}
            {block.text && <figcaption {...attrs}>{content}</figcaption>}
          </figure>,
        );
        break;
      }
    }
  });
  flushList();
  return out;
}

/** `./library-files/<article>/images/<name>` for a stored image; null for anything else (never a remote URL). */
export function storedImageUrl(articleId: string, src: string): string | null {
  if (!/^images\/[A-Za-z0-9_-]{1,80}\.(?:png|jpg|gif|webp|avif)$/.test(src)) return null;
  return `./library-files/${encodeURIComponent(articleId)}/${src}`;
}

/** Nested marks, outermost first, so every clipping covering this run keeps its own element. */
function wrap(text: string, covering: Clipping[], activeId: string | null, flashId: string | null): ReactNode {
  let node: ReactNode = text;
  for (let k = covering.length - 1; k >= 0; k--) {
    const c = covering[k]!;
    const note = c.note.trim();
    node = (
      <mark
        data-clipping-id={c.id}
        data-anchor={c.anchor?.state === 'reanchored' ? 'reanchored' : undefined}
        className={`hl hl-${c.color}${c.id === activeId ? ' is-active' : ''}${c.id === flashId ? ' is-flash' : ''}`}
        title={`${colorName(c.color)} highlight${reanchoredNote(c)}${note ? ` — ${note.length > 120 ? `${note.slice(0, 119)}…` : note}` : ''}${c.tags.length ? ` [${c.tags.join(', ')}]` : ''}`}
      >
        {node}
      </mark>
    );
  }
  return node;
}

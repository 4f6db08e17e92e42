import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { ArticleSummary } from '../../../electron/library/model';
import { MOD, formatDate, plural } from '../lib/format';
import { READING_FILTERS, SORTS, type SortKey, type ViewQuery } from '../lib/library-view';
import { useListSelection, type ListRowProps } from '../lib/use-list-selection';
import { ListOption } from './ListOption';
import { ClipIcon, CloseIcon, FeedIcon, ImportIcon, LinkIcon, SearchIcon, SortIcon, TagIcon } from './icons';

type Props = {
  /** The whole library (null while it opens). */
  articles: ArticleSummary[] | null;
  /** What the list shows: filtered and sorted (App owns the query, so that keys and bulk actions see the same list). */
  shown: readonly ArticleSummary[];
  query: ViewQuery;
  onQuery: (patch: Partial<ViewQuery>) => void;
  selected: ReadonlySet<string>;
  onSelect: (ids: ReadonlySet<string>) => void;
  currentId: string | null;
  importing: boolean;
  onOpen: (id: string) => void;
  onImport: () => void;
  onImportUrl: () => void;
  onFeeds: () => void;
  /** The tags browser, between the filter and the list. */
  tags: ReactNode;
  /** The bar of actions on the selected articles, shown above the list while some are selected. */
  bulkBar: ReactNode;
  /** Entries under the header, above the filter: search, the clippings view. */
  nav?: ReactNode;
};

const articleId = (a: ArticleSummary) => a.id;

/**
 * Row geometry, in whole pixels, mirrored in styles.css (.article-item and
 * its parts). Each row's height is predicted from its data (how many lines
 * its title takes, whether it has tags or a progress bar) so that measuring
 * it changes nothing: with 100,000 rows, every height the virtualiser has
 * to correct makes it recompute the offsets of all the rows after it.
 * Measurement still corrects the rare miss (a title that wraps earlier than
 * its width suggests).
 */
const ROW = { padding: 20, gap: 4, titleLine: 20, titleLines: 3, meta: 17, tags: 18, progress: 4, dot: 13, sidePadding: 26 } as const;
const ESTIMATED_ROW = ROW.padding + 2 * ROW.titleLine + ROW.gap + ROW.meta;

let measureContext: CanvasRenderingContext2D | null | undefined;
/** Character widths per weight: a title's width is the sum of its characters' (kerning aside), so 100,000 titles cost a few milliseconds, not 100,000 text measurements. */
const charWidths = { bold: new Map<string, number>(), normal: new Map<string, number>() };

/** The title's width on one line, in the list's font (no layout). */
function titleWidth(title: string, bold: boolean): number {
  const widths = bold ? charWidths.bold : charWidths.normal;
  let width = 0;
  for (const ch of title) {
    let w = widths.get(ch);
    if (w === undefined) {
      if (measureContext === undefined) measureContext = document.createElement('canvas').getContext('2d');
      if (!measureContext) return title.length * 8;
      const family = getComputedStyle(document.documentElement).getPropertyValue('--font-serif').trim() || 'serif';
      measureContext.font = `${bold ? 700 : 500} 15px ${family}`;
      w = measureContext.measureText(ch).width;
      widths.set(ch, w);
    }
    width += w;
  }
  return width;
}

function rowHeight(a: ArticleSummary, rowWidth: number): number {
  const unread = a.readingState === 'unread';
  const room = rowWidth - ROW.sidePadding;
  const width = titleWidth(a.title, unread) + (unread ? ROW.dot : 0);
  // One line is exact (it fits or it does not); beyond that, wrapping at word boundaries loses some room.
  const lines = width <= room ? 1 : width <= room * 1.8 ? 2 : ROW.titleLines;
  return (
    ROW.padding +
    lines * ROW.titleLine +
    ROW.gap +
    ROW.meta +
    (a.tags.length > 0 ? ROW.gap + ROW.tags : 0) +
    (a.readingState === 'reading' && (a.progress ?? 0) > 0 ? ROW.progress : 0)
  );
}

/**
 * The library's articles, virtualised: only the rows in view (and a few
 * around them) are in the DOM, so 100,000 articles scroll like 100. The list
 * is a multi-select listbox (useListSelection): a click opens an article and
 * clears the selection, Ctrl/⌘+click toggles it in the selection, Shift+click
 * selects a range; with the keyboard, the arrows move, Enter opens, Space
 * toggles, Shift+arrows extend, Ctrl+A selects every article shown and Esc
 * clears the selection.
 */
export function ArticleList(props: Props) {
  const { articles, shown, query, onQuery, selected, onSelect, currentId, onOpen } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  // The rows' width, read once the list is in the page and again when it changes (a scrollbar comes or goes).
  const [rowWidth, setRowWidth] = useState(0);
  const estimateSize = useCallback((i: number) => (rowWidth > 0 && shown[i] ? rowHeight(shown[i], rowWidth) : ESTIMATED_ROW), [shown, rowWidth]);
  const { virtualizer, indexById, rowProps, onKeyDown } = useListSelection({
    items: shown,
    idOf: articleId,
    selected,
    onSelect,
    onOpen: (a) => onOpen(a.id),
    clearOnOpenClick: true,
    currentId,
    scrollRef,
    estimateSize,
    estimatedRow: ESTIMATED_ROW,
    gap: 2,
  });
  const hasList = shown.length > 0;
  useLayoutEffect(() => {
    const list = scrollRef.current?.firstElementChild;
    if (!(list instanceof HTMLElement)) return;
    const read = () => setRowWidth(list.clientWidth);
    read();
    const observer = new ResizeObserver(read);
    observer.observe(list);
    return () => observer.disconnect();
  }, [hasList]);
  // A new width (the first one, or a resized window) changes every prediction: start measuring afresh.
  useLayoutEffect(() => {
    if (rowWidth > 0) virtualizer.measure();
  }, [rowWidth, virtualizer]);

  // The open article is brought into view when it changes (an import opens its article, say) or the list
  // first appears (the last article read, far down a long list).
  const currentIndex = currentId !== null ? (indexById.get(currentId) ?? -1) : -1;
  useEffect(() => {
    if (currentIndex >= 0) virtualizer.scrollToIndex(currentIndex, { align: 'auto' });
    // Only then, not whenever the list changes (a re-sort must not jump back to it).
  }, [currentId, hasList]);

  const total = articles?.length ?? 0;
  const text = query.text.trim();
  // Archived articles are hidden from All: the foot says so by counting what is shown.
  const narrowed = shown.length !== total;

  return (
    <nav className="library" aria-label="Articles">
      <header className="library-head">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            <ClipIcon size={16} />
          </span>
          Cuttings
        </div>
        <div className="import-group" role="group" aria-label="Import">
          <button
            type="button"
            className="btn btn-quiet"
            aria-label="Import articles from files"
            title={`Import articles from files or folders (${MOD}+O)`}
            aria-keyshortcuts="Control+O"
            aria-busy={props.importing || undefined}
            onClick={props.onImport}
          >
            <ImportIcon />
            <span>Import…</span>
          </button>
          <button
            type="button"
            className="icon-btn"
            aria-label="Import from URL"
            title={`Import a web page from its URL (${MOD}+L)`}
            aria-keyshortcuts="Control+L"
            onClick={props.onImportUrl}
          >
            <LinkIcon />
          </button>
          <button type="button" className="icon-btn" aria-label="Feeds" title="Feeds: subscribe to news sites and import their new articles" onClick={props.onFeeds}>
            <FeedIcon />
          </button>
        </div>
      </header>
      {props.nav}
      <div className="library-filter">
        <SearchIcon />
        <input
          type="search"
          aria-label="Filter articles"
          placeholder="Filter by title, source or tag"
          value={query.text}
          onChange={(e) => onQuery({ text: e.target.value })}
        />
      </div>
      {props.tags}
      <div className="library-controls">
        <div className="segmented segmented-text" role="group" aria-label="Reading state">
          {READING_FILTERS.map((f) => (
            <button
              key={f.value}
              type="button"
              title={f.title}
              aria-pressed={query.reading === f.value}
              className={query.reading === f.value ? 'is-on' : ''}
              onClick={() => onQuery({ reading: f.value })}
            >
              {f.label}
            </button>
          ))}
        </div>
      </div>
      <div className="library-view-row">
        <span className="sort-control">
          <SortIcon />
          <select
            aria-label="Sort articles"
            title={`Sort: ${SORTS.find((s) => s.value === query.sort)?.title ?? ''} (kept for this session)`}
            value={query.sort}
            onChange={(e) => onQuery({ sort: e.target.value as SortKey })}
          >
            {SORTS.map((s) => (
              <option key={s.value} value={s.value} title={s.title}>
                {s.label}
              </option>
            ))}
          </select>
        </span>
        {query.tag !== null && (
          <div className="active-filter" data-testid="tag-filter">
            <TagIcon />
            <span className="active-filter-text" title={`Articles tagged “${query.tag}” or a tag below it`}>
              {query.tag}
            </span>
            <button type="button" className="chip-remove" aria-label={`Stop filtering by ${query.tag}`} title="Show every tag’s articles" onClick={() => onQuery({ tag: null })}>
              <CloseIcon size={11} />
            </button>
          </div>
        )}
      </div>
      {props.bulkBar}
      {articles === null ? (
        <p className="library-empty">Opening the library…</p>
      ) : articles.length === 0 ? (
        <p className="library-empty">No articles yet. Use Import…, paste a link, or drop files here.</p>
      ) : shown.length === 0 ? (
        <p className="library-empty" data-testid="library-empty">
          {text ? `No article matches “${text}”.` : query.tag !== null ? `No ${READING_NAME[query.reading]}article is tagged “${query.tag}”.` : `No ${READING_NAME[query.reading]}articles.`}
        </p>
      ) : (
        <div className="article-scroller" ref={scrollRef} data-testid="article-scroller">
          <div
            role="listbox"
            aria-label="Articles"
            aria-multiselectable="true"
            className="article-list"
            style={{ height: virtualizer.getTotalSize() }}
            onKeyDown={onKeyDown}
          >
            {virtualizer.getVirtualItems().map((row) => {
              const a = shown[row.index]!;
              return (
<ArticleRow key={row.key} article={a} current={a.id === currentId} {...rowProps(row)} setSize={shown.length} />
              );
            })}
          </div>
        </div>
      )}
      {articles && articles.length > 0 && (
        <p className="library-foot">
          {total.toLocaleString()} {total === 1 ? 'article' : 'articles'}
          {narrowed && <span className="library-foot-shown"> · {shown.length.toLocaleString()} shown</span>}
        </p>
      )}
    </nav>
  );
}

const READING_NAME: Record<ViewQuery['reading'], string> = { all: '', unread: 'unread ', read: 'read ', archived: 'archived ' };

type RowProps = ListRowProps & { article: ArticleSummary; current: boolean };

/** One article. Memoised: scrolling re-renders only the rows that come into view. */
const ArticleRow = memo(function ArticleRow({ article: a, current, ...row }: RowProps) {
  const unread = a.readingState === 'unread';
  const progress = a.readingState === 'reading' && a.progress !== undefined && a.progress > 0 ? a.progress : null;
  const state = unread ? 'Unread' : a.readingState === 'archived' ? 'Archived' : a.readingState === 'read' ? 'Read' : progress !== null ? `${Math.round(progress * 100)}% read` : 'Started';
  return (
    <ListOption
      rowId={a.id}
      {...row}
      aria-current={current ? 'true' : undefined}
      data-testid="article-item"
      data-article-id={a.id}
      data-reading={a.readingState}
      className={`article-item${current ? ' is-current' : ''}${row.isSelected ? ' is-selected' : ''}${unread ? ' is-unread' : ''}${a.readingState === 'archived' ? ' is-archived' : ''}${progress !== null ? ' has-progress' : ''}`}
    >
      <span className="article-item-title">
        {unread && <span className="unread-dot" aria-hidden="true" />}
        {a.title}
      </span>
      <span className="article-item-meta">
        <span className="article-item-source">
          {[a.source, formatDate(a.published, 'short')].filter(Boolean).join(' · ') || 'Unknown source'}
          <span className="sr-only">, {state}</span>
        </span>
        <span className={`count${a.clippingCount === 0 ? ' is-zero' : ''}`} title={plural(a.clippingCount, 'clipping')}>
          <ClipIcon size={12} />
          <span data-testid="clipping-count">{a.clippingCount}</span>
          <span className="sr-only">{a.clippingCount === 1 ? ' clipping' : ' clippings'}</span>
        </span>
      </span>
      {a.tags.length > 0 && (
        <span className="article-item-tags">
          {a.tags.map((t) => (
            <span className="chip chip-small" data-testid="tag-chip" key={t}>
              {t}
            </span>
          ))}
        </span>
      )}
      {progress !== null && (
        <span className="article-item-progress" data-testid="reading-progress" title={`${Math.round(progress * 100)}% read`} aria-hidden="true">
          <span style={{ width: `${Math.max(4, progress * 100)}%` }} />
        </span>
      )}
    </ListOption>
  );
});

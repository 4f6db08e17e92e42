import { memo, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { LibraryClippingHit } from '../../../electron/library/library';
import { api, call, describeError } from '../api';
import { MOD, formatDate, plural } from '../lib/format';
import { labelOf, type LabelIndex, type LabelView } from '../lib/labels';
import {
  NO_FILTERS,
  activeFilterCount,
  appendUnique,
  countText,
  indexingText,
  plainExcerpt,
  toSearchFilters,
  withoutMarkdownMarkers,
  type FilterState,
  type SearchRequest,
} from '../lib/search';
import { exportTargets, type ExportTarget } from '../lib/exporting';
import { NO_SELECTION, useListSelection, type ListRowProps } from '../lib/use-list-selection';
import { TYPING_DELAY_MS, useIndexStatus } from '../lib/use-search';
import { LabelSwatch } from './Labels';
import { ListOption } from './ListOption';
import { SnippetText } from './Marked';
import { IndexingNotice, SearchFilterBar } from './SearchFilters';
import { CheckIcon, ClipIcon, CloseIcon, ExportIcon, QuoteIcon, SearchIcon, TagIcon } from './icons';

/** A search to show (from the palette's "All N clippings"); a new nonce applies it again. */
export type ClippingsPreset = { query: string; filters: FilterState; nonce: number };

type Props = {
  /** On screen (the view stays mounted while the reader is shown, so that it keeps its place and selection). */
  active: boolean;
  labels: LabelIndex;
  knownTags: readonly string[];
  knownSources: readonly string[];
  /** Changes when the library changed: the rows loaded are asked for again. */
  refresh: unknown;
  preset: ClippingsPreset | null;
  onOpen: (hit: LibraryClippingHit) => void;
  /** Opens the tag dialog for these clippings (the app runs it, and records it for undo). */
  onTag: (clippingIds: string[]) => void;
  /** Exports the selected clippings as Markdown, at once (a save dialog, nothing else). */
  onExport: (clippingIds: string[]) => Promise<void>;
  /** Opens the export dialog (every format): for the selected clippings, or for every clipping the search finds. */
  onExportAs: (target: ExportTarget) => void;
  /** "Add to press review…" for the selected clippings. */
  onAddToReview: (clippingIds: string[]) => void;
  onClose: () => void;
};

/** Rows per request: a few screens. */
const PAGE = 100;
/** The contract's most per request. */
const MAX_PER_CALL = 200;
/** This close to the last row loaded, the next page is asked for. */
const LOAD_AHEAD = 20;
const ESTIMATED_ROW = 112;
const clippingId = (c: LibraryClippingHit) => c.clippingId;

type Loaded = { key: string; items: LibraryClippingHit[]; total: number; indexing: boolean; approximate: boolean };

/** The first `count` hits of a request, in calls the contract allows. */
async function fetchFirst(request: SearchRequest, count: number): Promise<Omit<Loaded, 'key'>> {
  let items: LibraryClippingHit[] = [];
  for (;;) {
    const page = await call(api().search.query({ ...request, offset: items.length, limit: Math.min(MAX_PER_CALL, count - items.length) }));
    items = appendUnique(items, page.clippings, (h) => h.clippingId);
    if (items.length >= count || items.length >= page.totals.clippings || page.clippings.length === 0)
      return { items, total: Math.max(page.totals.clippings, items.length), indexing: page.indexing, approximate: page.approximate };
  }
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * Every clipping in the library, newest first, narrowed by the same filters
 * as the search palette and by an optional text search (then best match
 * first). Pages of 100 are asked for as the list scrolls, and only the rows
 * in view are in the page. Selection works as in the article list: a click
 * opens the clipping in its article, Ctrl/⌘+click and the checkbox toggle,
 * Shift+click selects a range; arrows, Space, Enter, Ctrl+A and Esc from
 * the keyboard. The bulk bar tags (undoable) or exports what is selected.
 */
export function ClippingsView(props: Props) {
  const { active, labels, refresh, onOpen } = props;
  const id = useId();
  const [text, setText] = useState('');
  const [filters, setFilters] = useState<FilterState>(NO_FILTERS);
  const [data, setData] = useState<Loaded | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [retry, setRetry] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(NO_SELECTION);
  const [exporting, setExporting] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const generation = useRef(0);
  const loadingMore = useRef(false);
  const loadedFor = useRef<{ key: string; refresh: unknown; retry: number } | null>(null);
  const dataRef = useRef(data);
  dataRef.current = data;

  const items = useMemo(() => data?.items ?? [], [data]);
  // The list's focus and selection (declared first: a new search puts the focus back on the first row).
  const { virtualizer, setFocusId, rowProps, onKeyDown } = useListSelection({
    items,
    idOf: clippingId,
    selected,
    onSelect: setSelected,
    onOpen,
    scrollRef,
    estimateSize: () => ESTIMATED_ROW,
    estimatedRow: ESTIMATED_ROW,
    gap: 8,
  });

  // A preset (the palette's "All N clippings") replaces the search and filters.
  useEffect(() => {
    if (!props.preset) return;
    setText(props.preset.query);
    setFilters({ ...props.preset.filters, hasClippings: '' });
    setSelected(NO_SELECTION);
  }, [props.preset]);

  const query = useDebounced(text, TYPING_DELAY_MS);
  const request = useMemo<SearchRequest>(() => {
    // Clippings always have one: has-clippings means nothing here.
    const f = toSearchFilters({ ...filters, hasClippings: '' });
    return { query: query.trim(), ...(f ? { filters: f } : {}), kinds: ['clipping'] };
  }, [query, filters]);
  const key = JSON.stringify(request);

  // The first page of a new search; the same rows again when the library changed (kept in place, so the list does not jump).
  useEffect(() => {
    if (!active) return;
    const last = loadedFor.current;
    const fresh = !last || last.key !== key;
    if (!fresh && last.refresh === refresh && last.retry === retry) return;
    loadedFor.current = { key, refresh, retry };
    const g = ++generation.current;
    const count = fresh ? PAGE : Math.min(Math.max(PAGE, dataRef.current?.items.length ?? 0), 2_000);
    setLoading(true);
    fetchFirst(JSON.parse(key) as SearchRequest, count).then(
      (loaded) => {
        if (g !== generation.current) return;
        setData({ key, ...loaded });
        setLoading(false);
        setError(null);
        if (fresh) {
          scrollRef.current?.scrollTo({ top: 0 });
          setFocusId(null);
        }
      },
      (e: unknown) => {
        if (g !== generation.current) return;
        loadedFor.current = null;
        setLoading(false);
        setError(describeError('Could not list the clippings', e));
      },
    );
  }, [active, key, refresh, retry]);

  const loadMore = useCallback(async () => {
    const d = dataRef.current;
    if (!d || loadingMore.current || d.items.length >= d.total) return;
    loadingMore.current = true;
    const g = generation.current;
    try {
      const page = await call(api().search.query({ ...(JSON.parse(d.key) as SearchRequest), offset: d.items.length, limit: PAGE }));
      if (g !== generation.current) return;
      setData((cur) =>
        cur && cur.key === d.key
          ? {
              ...cur,
              items: appendUnique(cur.items, page.clippings, (h) => h.clippingId),
              // A page that brings nothing ends the list, whatever the total said.
              total: page.clippings.length === 0 ? cur.items.length : page.totals.clippings,
            }
          : cur,
      );
    } catch (e) {
      if (g === generation.current) setError(describeError('Could not load more clippings', e));
    } finally {
      loadingMore.current = false;
    }
  }, []);

  const total = data?.total ?? 0;
  const status = useIndexStatus(active, Boolean(data?.indexing));
  const notice = active ? indexingText(status, Boolean(data?.indexing)) : null;

  // ---- the list ----------------------------------------------------------------------
  const rows = virtualizer.getVirtualItems();
  const lastShown = rows.length > 0 ? rows[rows.length - 1]!.index : -1;
  useEffect(() => {
    if (active && lastShown >= items.length - LOAD_AHEAD && items.length < total) void loadMore();
  }, [active, lastShown, items.length, total, loadMore]);

  // Coming to the view puts the focus in it: on the search field.
  useEffect(() => {
    if (active) inputRef.current?.focus({ preventScroll: true });
  }, [active, props.preset]);

  // What bulk actions touch: the selection, in the list's order.
  const chosen = useMemo(() => (selected.size === 0 ? [] : items.filter((c) => selected.has(c.clippingId)).map((c) => c.clippingId)), [items, selected]);
  const exportChosen = async () => {
    if (exporting || chosen.length === 0) return;
    setExporting(true);
    try {
      await props.onExport(chosen);
    } finally {
      setExporting(false);
    }
  };
  /** Every clipping the search finds (all of them when nothing narrows it), not only those loaded. */
  const exportFound = () => props.onExportAs(exportTargets.search(request.query, request.filters, ['clipping']));

  const changeFilters = (next: FilterState) => {
    setFilters(next);
    setSelected(NO_SELECTION);
  };
  const narrowed = query.trim() !== '' || activeFilterCount({ ...filters, hasClippings: '' }) > 0;
  const approximate = Boolean(data?.approximate);

  return (
    // Hidden by visibility, not display: the list keeps its scroll position while the reader is shown.
    <section className={`clippings-view${active ? '' : ' is-hidden'}`} aria-labelledby={`${id}-title`} data-testid="clippings-view" inert={!active}>
      <header className="clippings-head">
        <h2 id={`${id}-title`}>
          <ClipIcon size={16} />
          All clippings
        </h2>
        <span className="clippings-count" role="status" data-testid="clippings-count">
          {data ? (narrowed ? `${countText(total, approximate)} ${total === 1 ? 'clipping matches' : 'clippings match'}` : plural(total, 'clipping')) : ''}
        </span>
        <button
          type="button"
          className="btn btn-small"
          data-testid="clippings-export-all"
          disabled={!data || total === 0}
          title={narrowed ? 'Export every clipping this search finds' : 'Export every clipping in the library'}
          onClick={exportFound}
        >
          <ExportIcon />
          <span>{narrowed ? 'Export these…' : 'Export all…'}</span>
        </button>
        <button type="button" className="icon-btn" aria-label="Back to the reader" title="Back to the reader" onClick={props.onClose}>
          <CloseIcon />
        </button>
      </header>
      <div className="clippings-tools">
        <div className="library-filter clippings-search">
          <SearchIcon />
          <input
            ref={inputRef}
            type="search"
            aria-label="Search the clippings’ quotes and notes"
            placeholder="Search quotes and notes"
            value={text}
            maxLength={500}
            spellCheck={false}
            data-testid="clippings-search"
            onChange={(e) => {
              setText(e.target.value);
              setSelected(NO_SELECTION);
            }}
          />
        </div>
        <SearchFilterBar
          value={filters}
          onChange={changeFilters}
          labels={labels.list}
          knownTags={props.knownTags}
          knownSources={props.knownSources}
          withHasClippings={false}
          name="Clipping filters"
        />
      </div>
      {chosen.length > 0 && (
        <div className="bulk-bar clippings-bulk" role="toolbar" aria-label="Selected clippings" data-testid="clippings-bulk-bar">
          <span className="bulk-count" aria-live="polite">
            {chosen.length.toLocaleString()} selected
          </span>
          <button type="button" className="btn btn-quiet btn-small bulk-btn" title="Add a tag to the selected clippings" onClick={() => props.onTag(chosen)}>
            <TagIcon />
            <span>Tag…</span>
          </button>
          <button type="button" className="btn btn-quiet btn-small bulk-btn" title="Export the selected clippings as Markdown" disabled={exporting} onClick={() => void exportChosen()}>
            <ExportIcon />
            <span>{exporting ? 'Exporting…' : 'Export'}</span>
          </button>
          <button
            type="button"
            className="btn btn-quiet btn-small bulk-btn"
            title="Export the selected clippings in another format: HTML or PDF clip book, Web Annotations, CSV, text"
            aria-haspopup="dialog"
            data-testid="clippings-export-as"
            onClick={() => props.onExportAs(exportTargets.clippings(chosen))}
          >
            <span>Other formats…</span>
          </button>
          <button type="button" className="btn btn-quiet btn-small bulk-btn" title="Add the selected clippings to a press review" data-testid="clippings-add-review" onClick={() => props.onAddToReview(chosen)}>
            <QuoteIcon />
            <span>Add to press review…</span>
          </button>
          <button type="button" className="btn btn-quiet btn-small bulk-btn" title="Clear the selection (Esc)" aria-keyshortcuts="Escape" onClick={() => setSelected(NO_SELECTION)}>
            <CloseIcon />
            <span>Clear</span>
          </button>
        </div>
      )}
      {notice && <IndexingNotice text={notice} testId="clippings-indexing" />}
      {error && (
        <p className="search-error" role="alert" data-testid="clippings-error">
          {error}{' '}
          <button type="button" className="link-btn" onClick={() => setRetry((r) => r + 1)}>
            Try again
          </button>
        </p>
      )}
      {!data ? (
        <p className="clippings-empty">{loading ? 'Listing the clippings…' : ''}</p>
      ) : items.length === 0 ? (
        <p className="clippings-empty" data-testid="clippings-empty">
          {narrowed ? 'No clipping matches this search.' : 'No clippings yet. Select a passage in an article and pick a label to clip it.'}
        </p>
      ) : (
        <div className="clippings-scroller" ref={scrollRef} data-testid="clippings-scroller">
          <div
            role="listbox"
            aria-label="Clippings"
            aria-multiselectable="true"
            aria-describedby={`${id}-hint`}
            aria-busy={loading || undefined}
            className="clippings-list"
            style={{ height: virtualizer.getTotalSize() }}
            onKeyDown={onKeyDown}
          >
            {rows.map((row) => {
              const c = items[row.index]!;
              return (
<ClippingRow key={row.key} hit={c} label={labelOf(labels, c.label)} {...rowProps(row)} setSize={total} />
              );
            })}
          </div>
        </div>
      )}
      <p className="clippings-foot" id={`${id}-hint`} data-testid="clippings-foot">
        {data && items.length < total ? `${items.length.toLocaleString()} of ${countText(total, approximate)} loaded · ` : ''}
        Click opens a clipping in its article · {MOD}+click or Space selects · Shift+click a range · {MOD}+A all
      </p>
    </section>
  );
}

type RowProps = ListRowProps & { hit: LibraryClippingHit; label: LabelView };

/** One clipping: its label, quote, note, article and tags. Memoised: scrolling renders only the rows coming into view. */
const ClippingRow = memo(function ClippingRow({ hit: c, label, ...row }: RowProps) {
  const { index, isSelected, onClick } = row;
  const inQuote = c.field === 'quote' && c.snippet;
  const inNote = c.field === 'note' && c.snippet;
  const note = c.note.trim() ? plainExcerpt(c.note, 240) : '';
  return (
    <ListOption
      rowId={c.clippingId}
      {...row}
      data-testid="clipping-row"
      data-clipping-id={c.clippingId}
      data-article-id={c.articleId}
      data-label={c.label}
      className={`clip-row card-${label.color}${isSelected ? ' is-selected' : ''}`}
    >
      <span
        className={`clip-check${isSelected ? ' is-on' : ''}`}
        aria-hidden="true"
        data-testid="clipping-check"
        title={isSelected ? 'Take out of the selection' : 'Add to the selection'}
        onClick={(e) => {
          e.stopPropagation();
          onClick(index, e, true);
        }}
      >
        {isSelected && <CheckIcon />}
      </span>
      <span className="clip-body">
        <span className="clip-head">
          <LabelSwatch label={label} size="small" />
          <span className="clip-label" data-testid="clipping-row-label">
            {label.name}
          </span>
          <span className="clip-date" title={`Clipped ${formatDate(c.createdAt)}`}>
            {formatDate(c.createdAt, 'short')}
          </span>
        </span>
        <span className="clip-quote">{inQuote ? <SnippetText snippet={c.snippet!} /> : c.quote}</span>
        {inNote ? (
          <span className="clip-note">
            <SnippetText snippet={withoutMarkdownMarkers(c.snippet!)} />
          </span>
        ) : note ? (
          <span className="clip-note">{note}</span>
        ) : null}
        <span className="clip-foot">
          <span className="clip-article" title={c.articleTitle}>
            <span className="clip-in">in </span>
            {c.articleTitle}
          </span>
          {c.tags.length > 0 && (
            <span className="clip-tags">
              {c.tags.map((t) => (
                <span className="chip chip-small" data-testid="clipping-row-tag" key={t}>
                  {t}
                </span>
              ))}
            </span>
          )}
        </span>
      </span>
    </ListOption>
  );
});

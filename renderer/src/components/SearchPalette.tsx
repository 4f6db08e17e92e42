import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type MutableRefObject, type ReactNode } from 'react';
import type { LibraryArticleHit, LibraryClippingHit } from '../../../electron/library/library';
import { api, call, describeError } from '../api';
import { formatDate, plural } from '../lib/format';
import { labelOf, type LabelIndex } from '../lib/labels';
import {
  NO_FILTERS,
  activeFilterCount,
  appendUnique,
  countText,
  indexingText,
  paletteItems,
  plainExcerpt,
  toSearchFilters,
  withoutMarkdownMarkers,
  type FilterState,
  type PaletteItem,
  type SearchRequest,
} from '../lib/search';
import { useIndexStatus, useSearch } from '../lib/use-search';
import { LabelSwatch } from './Labels';
import { Marked, SnippetText } from './Marked';
import { IndexingNotice, SearchFilterBar } from './SearchFilters';
import { ClipIcon, ExportIcon, SearchIcon } from './icons';

/** What the palette shows again when it is opened again in the same session. */
export type PaletteMemory = { query: string; filters: FilterState; filtersOpen: boolean };
export const NEW_PALETTE: PaletteMemory = { query: '', filters: NO_FILTERS, filtersOpen: false };

/** Hits of each kind per page: a screenful and a bit. */
const PAGE = 20;

type Props = {
  labels: LabelIndex;
  knownTags: readonly string[];
  knownSources: readonly string[];
  memory: MutableRefObject<PaletteMemory>;
  /** Changes when the library changed: the same search is asked again. */
  refresh: unknown;
  onOpenArticle: (articleId: string) => void;
  onOpenClipping: (hit: LibraryClippingHit) => void;
  /** "All N clippings": the clippings view, with this search. */
  onShowAllClippings: (query: string, filters: FilterState) => void;
  /** The export dialog for everything the search finds (Ctrl+Shift+E here). */
  onExport: (request: SearchRequest) => void;
  onClose: () => void;
};

/**
 * The search palette (Ctrl+K): a modal dialog over the app. Focus stays in
 * the query field; ↑/↓ move through the results (the field points at the
 * one chosen with aria-activedescendant, the combobox pattern), Enter opens
 * it, Esc closes (through the app's key handler, as every dialog here).
 * Tab reaches the filters and stays inside the dialog.
 */
export function SearchPalette({ labels, knownTags, knownSources, memory, refresh, onOpenArticle, onOpenClipping, onShowAllClippings, onExport, onClose }: Props) {
  const [query, setQuery] = useState(memory.current.query);
  const [filters, setFilters] = useState<FilterState>(memory.current.filters);
  const [filtersOpen, setFiltersOpen] = useState(memory.current.filtersOpen || activeFilterCount(memory.current.filters) > 0);
  const [active, setActive] = useState(0);
  const [more, setMore] = useState<{ key: string; hits: LibraryArticleHit[]; loading: boolean; error: string | null } | null>(null);
  const id = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    memory.current = { query, filters, filtersOpen };
  }, [memory, query, filters, filtersOpen]);

  const request = useMemo<SearchRequest | null>(() => {
    const f = toSearchFilters(filters);
    const q = query.trim();
    // Nothing typed and nothing filtered: there is no question yet (an empty query would list the whole library).
    if (!q && !f) return null;
    return { query: q, ...(f ? { filters: f } : {}), limit: PAGE };
  }, [query, filters]);
  const { results, answered, error, pending } = useSearch(request, undefined, refresh);
  const answeredKey = answered ? JSON.stringify(answered) : null;
  const shown = request ? results : null;
  const status = useIndexStatus(true, Boolean(results?.indexing));
  const notice = indexingText(status, Boolean(shown?.indexing));

  // Extra pages of articles belong to the answer they continue.
  const extra = more && more.key === answeredKey ? more : null;
  const articles = useMemo(() => (shown ? appendUnique(shown.articles, extra?.hits ?? [], (h) => h.articleId) : []), [shown, extra]);
  const groups = useMemo(() => (shown ? paletteItems(articles, shown.clippings, shown.totals) : { articles: [], clippings: [] }), [shown, articles]);
  const items = useMemo(() => [...groups.articles, ...groups.clippings], [groups]);

  // A new answer starts at its first hit; more of the same answer keeps the place.
  useEffect(() => setActive(0), [answeredKey]);
  const current = items.length > 0 ? Math.min(active, items.length - 1) : -1;
  const optionId = (item: PaletteItem) => `${id}-${item.key}`;
  const activeItem = current >= 0 ? items[current] : undefined;
  useEffect(() => {
    if (activeItem) document.getElementById(optionId(activeItem))?.scrollIntoView({ block: 'nearest' });
    // optionId is stable for a given id.
  }, [activeItem?.key]);

  // Focus into the field (with what it holds selected, to type over), and back where it was on close.
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    inputRef.current?.focus();
    inputRef.current?.select();
    return () => {
      if (before?.isConnected) before.focus({ preventScroll: true });
    };
  }, []);

  const loadMore = async () => {
    if (!answered || !answeredKey || !shown || extra?.loading) return;
    const key = answeredKey;
    const offset = articles.length;
    setMore({ key, hits: extra?.hits ?? [], loading: true, error: null });
    try {
      const page = await call(api().search.query({ ...answered, kinds: ['article'], offset, limit: PAGE }));
      setMore((m) => (m && m.key === key ? { ...m, hits: [...m.hits, ...page.articles], loading: false } : m));
    } catch (e) {
      setMore((m) => (m && m.key === key ? { ...m, loading: false, error: describeError('Could not load more articles', e) } : m));
    }
  };

  const open = (item: PaletteItem | undefined) => {
    if (!item) return;
    if (item.kind === 'article') onOpenArticle(item.hit.articleId);
    else if (item.kind === 'clipping') onOpenClipping(item.hit);
    else if (item.kind === 'more-articles') void loadMore();
    else onShowAllClippings(query.trim(), filters);
  };

  const onInputKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (items.length === 0) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + items.length) % items.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      open(activeItem);
    } else if (e.key.toLowerCase() === 'e' && (e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey) {
      // Before the app's Ctrl+Shift+E (the whole library): here it exports what the search finds.
      e.preventDefault();
      exportFound();
    }
  };
  const exportFound = () => {
    if (answered && shown && (shown.totals.articles > 0 || shown.totals.clippings > 0)) onExport(answered);
  };

  // Tab and Shift+Tab go round inside the dialog: what is behind it is out of reach while it is open.
  const trapTab = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Tab') return;
    const focusable = [...(boxRef.current?.querySelectorAll<HTMLElement>('input, select, button, [tabindex="0"]') ?? [])].filter((el) => !el.hasAttribute('disabled') && el.offsetParent !== null);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  const filterCount = activeFilterCount(filters);
  const totals = shown?.totals;
  const approximate = Boolean(shown?.approximate);
  const waiting = request !== null && (pending || !shown);

  return (
    <div
      className="dialog-backdrop palette-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div ref={boxRef} role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} className="dialog palette" data-testid="search-palette" onKeyDown={trapTab}>
        <h2 id={`${id}-title`} className="sr-only">
          Search the library
        </h2>
        <div className="palette-query">
          <SearchIcon />
          <input
            ref={inputRef}
            className="palette-input"
            type="text"
            role="combobox"
            aria-label="Search articles and clippings"
            aria-expanded={items.length > 0}
            aria-controls={`${id}-list`}
            aria-autocomplete="list"
            aria-activedescendant={activeItem ? optionId(activeItem) : undefined}
            aria-describedby={`${id}-keys`}
            placeholder="Search titles, text, quotes and notes…"
            spellCheck={false}
            autoComplete="off"
            maxLength={500}
            value={query}
            data-testid="search-input"
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onInputKey}
          />
          {waiting && <span className="palette-spinner" aria-hidden="true" />}
          <button
            type="button"
            className={`btn btn-quiet btn-small palette-filters-btn${filterCount > 0 ? ' has-filters' : ''}`}
            aria-expanded={filtersOpen}
            aria-controls={`${id}-filters`}
            title="Narrow the search by tag, source, date, label, clippings or reading state"
            onClick={() => setFiltersOpen((o) => !o)}
          >
            Filters{filterCount > 0 && <span className="palette-filter-count">{filterCount}</span>}
          </button>
        </div>
        <div id={`${id}-filters`} className="palette-filters" hidden={!filtersOpen}>
          <SearchFilterBar value={filters} onChange={setFilters} labels={labels.list} knownTags={knownTags} knownSources={knownSources} name="Search filters" />
        </div>
        {notice && <IndexingNotice text={notice} testId="search-indexing" />}
        {(error ?? extra?.error) && (
          <p className="search-error" role="alert" data-testid="search-error">
            {error ?? extra?.error}
          </p>
        )}
        <div className="palette-results">
          {request === null ? (
            <div className="palette-empty">
              <p>Search every article’s title and text, and every clipping’s quote and note.</p>
              <p className="palette-tips">
                The start of a word is enough (<q>harb</q> finds <q>harbour</q>), and a typo or two is forgiven. Put words in quotes for a phrase. Filters alone list what they keep.
              </p>
            </div>
          ) : shown && items.length === 0 && !pending ? (
            <p className="palette-empty" data-testid="search-nothing">
              Nothing found{query.trim() ? ` for “${query.trim()}”` : ''}
              {filterCount > 0 ? ' with these filters' : ''}.
            </p>
          ) : null}
          <div
            role="listbox"
            id={`${id}-list`}
            aria-label="Results"
            aria-busy={waiting || undefined}
            className="palette-list"
            hidden={items.length === 0}
            // What the hits shown answer (tests wait on it: typing on keeps the previous hits until the next answer).
            data-query={answered?.query}
          >
            {groups.articles.length > 0 && (
              <Group id={`${id}-articles`} title="Articles" count={totals ? countText(totals.articles, approximate) : ''} testId="search-articles">
                {groups.articles.map((item, i) => (
                  <Option key={item.key} id={optionId(item)} active={i === current} onPoint={() => setActive(i)} onOpen={() => open(item)}>
                    {item.kind === 'article' ? (
                      <ArticleHitView hit={item.hit} />
                    ) : item.kind === 'more-articles' ? (
                      <span className="hit-more" data-testid="search-more-articles">
                        {extra?.loading ? 'Loading…' : `Show ${Math.min(PAGE, item.remaining)} more of ${plural(item.remaining, 'other article')}`}
                      </span>
                    ) : null}
                  </Option>
                ))}
              </Group>
            )}
            {groups.clippings.length > 0 && (
              <Group id={`${id}-clippings`} title="Clippings" count={totals ? countText(totals.clippings, approximate) : ''} testId="search-clippings">
                {groups.clippings.map((item, j) => {
                  const i = groups.articles.length + j;
                  return (
                    <Option key={item.key} id={optionId(item)} active={i === current} onPoint={() => setActive(i)} onOpen={() => open(item)}>
                      {item.kind === 'clipping' ? (
                        <ClippingHitView hit={item.hit} labels={labels} />
                      ) : item.kind === 'all-clippings' ? (
                        <span className="hit-more" data-testid="search-all-clippings">
                          <ClipIcon size={13} /> All {countText(item.total, approximate)} clippings in the clippings view
                        </span>
                      ) : null}
                    </Option>
                  );
                })}
              </Group>
            )}
          </div>
        </div>
        <footer className="palette-foot">
          <span id={`${id}-keys`} className="palette-keys">
            <span>
              <kbd>↑</kbd>
              <kbd>↓</kbd> move
            </span>
            <span>
              <kbd>Enter</kbd> open
            </span>
            <span>
              <kbd>Esc</kbd> close
            </span>
          </span>
          {totals && request && totals.articles + totals.clippings > 0 && (
            <button
              type="button"
              className="btn btn-quiet btn-small palette-export"
              data-testid="search-export"
              title="Export every article and clipping this search finds (Ctrl+Shift+E)"
              aria-keyshortcuts="Control+Shift+E"
              onClick={exportFound}
            >
              <ExportIcon />
              <span>Export…</span>
            </button>
          )}
          <span className="palette-totals" role="status" data-testid="search-totals">
            {totals && request ? `${countText(totals.articles, approximate)} ${totals.articles === 1 ? 'article' : 'articles'} · ${countText(totals.clippings, approximate)} ${totals.clippings === 1 ? 'clipping' : 'clippings'}` : ''}
          </span>
        </footer>
      </div>
    </div>
  );
}

function Group({ id, title, count, testId, children }: { id: string; title: string; count: string; testId: string; children: ReactNode }) {
  return (
    <div role="group" aria-labelledby={id} className="palette-group" data-testid={testId}>
      <div role="presentation" id={id} className="palette-group-head">
        {title}
        {count && <span className="palette-group-count">{count}</span>}
      </div>
      {children}
    </div>
  );
}

function Option({ id, active, onPoint, onOpen, children }: { id: string; active: boolean; onPoint: () => void; onOpen: () => void; children: ReactNode }) {
  return (
    <div
      id={id}
      role="option"
      aria-selected={active}
      className={`palette-option${active ? ' is-active' : ''}`}
      data-testid="search-result"
      // The field keeps the focus (and the caret): a click chooses without taking it.
      onMouseDown={(e) => e.preventDefault()}
      onMouseMove={() => {
        if (!active) onPoint();
      }}
      onClick={onOpen}
    >
      {children}
    </div>
  );
}

const STATE_WORD: Record<string, string> = { unread: 'Unread', reading: 'Started', read: 'Read', archived: 'Archived' };

function ArticleHitView({ hit }: { hit: LibraryArticleHit }) {
  const meta = [hit.source, formatDate(hit.published, 'short'), STATE_WORD[hit.readingState], hit.clippingCount > 0 ? plural(hit.clippingCount, 'clipping') : ''].filter(Boolean).join(' · ');
  return (
    <span className="hit hit-article" data-kind="article" data-article-id={hit.articleId}>
      <span className="hit-title">
        <Marked text={hit.title} ranges={hit.titleRanges} />
      </span>
      <span className="hit-meta">{meta}</span>
      {hit.snippet && hit.snippet.text && (
        <span className="hit-snippet">
          <SnippetText snippet={hit.snippet} />
        </span>
      )}
    </span>
  );
}

function ClippingHitView({ hit, labels }: { hit: LibraryClippingHit; labels: LabelIndex }) {
  const label = labelOf(labels, hit.label);
  const inNote = hit.field === 'note' && hit.snippet;
  return (
    <span className="hit hit-clipping" data-kind="clipping" data-clipping-id={hit.clippingId}>
      <span className="hit-head">
        <LabelSwatch label={label} size="small" />
        <span className="hit-label">{label.name}</span>
        <span className="hit-in">in</span>
        <span className="hit-article-title">{hit.articleTitle}</span>
      </span>
      <span className="hit-quote">{hit.field === 'quote' && hit.snippet ? <SnippetText snippet={hit.snippet} /> : hit.quote}</span>
      {inNote ? (
        <span className="hit-note" data-testid="search-note">
          <SnippetText snippet={withoutMarkdownMarkers(hit.snippet!)} />
        </span>
      ) : hit.note.trim() ? (
        <span className="hit-note">{plainExcerpt(hit.note, 160)}</span>
      ) : null}
      {hit.tags.length > 0 && (
        <span className="hit-tags">
          {hit.tags.map((t) => (
            <span className="chip chip-small" key={t}>
              {t}
            </span>
          ))}
        </span>
      )}
    </span>
  );
}

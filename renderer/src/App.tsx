import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { ImportSummary } from '../../electron/ipc/contract';
import type { MenuCommand } from '../../electron/ipc/events';
import type { ArticleAnalysis, ArticleDetail, ArticleSummary, Clipping, FeedSummary, ImportOutcome, Label, QuoteFinding, ReadingState } from '../../electron/library/model';
import type { Settings } from '../../electron/settings/settings';
import { ApiError, api, call, describeError } from './api';
import { ArticleList } from './components/ArticleList';
import { EditTextDialog } from './components/EditTextDialog';
import { DropOverlay, FeedsDialog, ImportProgress, SummaryDialog, UrlDialog, type ImportReport, type JobView } from './components/ImportDialogs';
import { LabelsDialog } from './components/Labels';
import { BulkBar, BulkTagDialog, DeleteTagDialog, RenameTagDialog } from './components/OrganiseDialogs';
import { ClippingsView, type ClippingsPreset } from './components/ClippingsView';
import { AddToReviewDialog, PressReviews, appendToReview, type ComposerHandle, type ReviewChoice } from './components/Composer';
import { ExportDialog, type ExportDone } from './components/ExportDialog';
import { LibraryNav } from './components/LibraryNav';
import { NEW_PALETTE, SearchPalette, type PaletteMemory } from './components/SearchPalette';
import { Reader, type PendingSelection } from './components/Reader';
import { Sidebar, type ClippingPatch, type Editing, type QuotesState, type SidebarActions, type SidebarTab } from './components/Sidebar';
import { TagBrowser } from './components/TagBrowser';
import { Toasts, type Toast } from './components/Toasts';
import { ViewControls } from './components/ViewControls';
import { MOD, fileName, isEditable, plural } from './lib/format';
import { History, changeSubject, describeChange, editKind, isClippingChange, shortQuote, type Change, type Entry, type LibraryChange } from './lib/history';
import { applyLibraryChange, setReadingMany, touched } from './lib/library-changes';
import { countWords, findNode, isUnder, tagTree, viewArticles, type SortKey, type TagCount, type TagNode, type ViewQuery } from './lib/library-view';
import {
  MAX_ITEM_BYTES,
  articleToOpen,
  batches,
  collectDropped,
  countOutcomes,
  isWebUrl,
  newJobId,
  takeDrop,
  toBase64,
  type DroppedFile,
} from './lib/importing';
import { indexLabels, quoteLabel } from './lib/labels';
import { sourcesOf } from './lib/search';
import { useRevealClipping } from './lib/use-reveal';
import { inReadingOrder, isOrphan } from './lib/segments';
import { offsetsToRange } from './lib/selection';
import { copyText, exportTargets, type ExportTarget } from './lib/exporting';
import { isLibraryCommand, runLibraryCommand } from './lib/library-commands';
import { useTheme } from './useTheme';

const FALLBACK_SETTINGS: Settings = { theme: 'system', fontSize: 19, windowBounds: null, libraryDir: null, lastArticleId: null };
const STATUS_MS = 6000;
const UNDO_MS = 10000;
/** Above this many outcomes (or when cancelled) the result is a summary panel, not a toast. */
const SUMMARY_PANEL_OVER = 10;
/** While reading, the position is saved at most this often (and always on leaving the article). */
const PROGRESS_SAVE_MS = 10_000;
/** This close to the bottom (px) counts as having read to the end. */
const END_SLACK = 24;

type DialogName = 'url' | 'feeds' | 'labels' | 'edit-text' | 'rename-tag' | 'delete-tag' | 'bulk-tag' | 'search' | 'tag-clippings' | 'export' | 'add-review' | null;

/** The list's sort, reading filter and whether the tags browser is open: kept for the session (a reload keeps them too). */
type SessionView = { sort: SortKey; reading: ViewQuery['reading']; tagsOpen: boolean };
const SESSION_KEY = 'cuttings.view';
function sessionView(): SessionView {
  const fallback: SessionView = { sort: 'published', reading: 'all', tagsOpen: true };
  try {
    const stored = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? '{}') as Partial<SessionView>;
    return {
      sort: ['published', 'imported', 'title', 'clippings'].includes(stored.sort as string) ? (stored.sort as SortKey) : fallback.sort,
      reading: ['all', 'unread', 'read', 'archived'].includes(stored.reading as string) ? (stored.reading as SessionView['reading']) : fallback.reading,
      tagsOpen: typeof stored.tagsOpen === 'boolean' ? stored.tagsOpen : fallback.tagsOpen,
    };
  } catch {
    return fallback;
  }
}
const NO_IDS: ReadonlySet<string> = new Set();
/** One import under way: what its progress events add up to. */
type Job = JobView & {
  /** Items finished in earlier calls of the same job (a big drop goes in several calls). */
  offset: number;
  /** Items in the whole job when the renderer knows it (a drop); else the event's total. */
  grandTotal: number | null;
  shown: boolean;
};
/** The label picker (l): for the selection, or for one clipping; `index` is the highlighted option. */
type Picker = { target: 'selection' | { id: string }; index: number };
/** What the analysis of the open article gave: its quotations (for the Quotes tab) and suggested tags. */
type AnalysisView = { key: string; quotes: QuotesState; suggestions: ArticleAnalysis['suggestions'] };

export function App() {
  const [settings, setSettings] = useState<Settings>(FALLBACK_SETTINGS);
  const [articles, setArticles] = useState<ArticleSummary[] | null>(null);
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [detail, setDetail] = useState<ArticleDetail | null>(null);
  const [detailError, setDetailError] = useState<string | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [flashId, setFlashId] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [labels, setLabels] = useState<Label[]>([]);
  const [currentLabel, setCurrentLabel] = useState('quote');
  const [picker, setPicker] = useState<Picker | null>(null);
  const [tab, setTab] = useState<SidebarTab>('clippings');
  const [analysis, setAnalysis] = useState<AnalysisView | null>(null);
  const [reattachId, setReattachId] = useState<string | null>(null);
  const [pending, setPending] = useState<PendingSelection | null>(null);
  const [exporting, setExporting] = useState(false);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [dialog, setDialog] = useState<DialogName>(null);
  const [jobViews, setJobViews] = useState<JobView[]>([]);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [feeds, setFeeds] = useState<FeedSummary[] | null>(null);
  const [refreshingFeeds, setRefreshingFeeds] = useState<ReadonlySet<string>>(new Set());
  const [dragging, setDragging] = useState(false);
  const [tags, setTags] = useState<TagCount[] | null>(null);
  const [query, setQuery] = useState<ViewQuery>(() => {
    const v = sessionView();
    return { sort: v.sort, reading: v.reading, tag: null, text: '' };
  });
  const [tagsOpen, setTagsOpen] = useState(() => sessionView().tagsOpen);
  const [selected, setSelected] = useState<ReadonlySet<string>>(NO_IDS);
  /** The tag a Rename… or Delete… dialog is about. */
  const [tagTarget, setTagTarget] = useState<TagNode | null>(null);
  const [bulkBusy, setBulkBusy] = useState(false);
  /** The middle column: the open article, every clipping in the library, or the press reviews. */
  const [view, setView] = useState<'reader' | 'clippings' | 'reviews'>('reader');
  /** What the export dialog exports; the clippings "Add to press review…" adds; the press review open in the composer. */
  const [exportTarget, setExportTarget] = useState<ExportTarget | null>(null);
  const [reviewClippings, setReviewClippings] = useState<string[]>([]);
  const [reviewId, setReviewId] = useState<string | null>(null);
  const composer = useRef<ComposerHandle | null>(null);
  const reviewsEntry = useRef<HTMLButtonElement>(null);
  const [clippingsPreset, setClippingsPreset] = useState<ClippingsPreset | null>(null);
  /** The clippings view is put in the page the first time it is shown, and stays (it keeps its place). */
  const [clippingsShown, setClippingsShown] = useState(false);
  useEffect(() => {
    if (view === 'clippings') setClippingsShown(true);
  }, [view]);
  /** The clippings the clippings view's Tag… dialog is for. */
  const [clippingTargets, setClippingTargets] = useState<string[]>([]);
  const paletteMemory = useRef<PaletteMemory>(NEW_PALETTE);
  const clippingsEntry = useRef<HTMLButtonElement>(null);

  const flushRef = useRef<(() => Promise<void>) | null>(null);
  /** Every clipping change of the session, for Ctrl+Z / Ctrl+Shift+Z. */
  const history = useRef(new History());
  /** Undo, redo and the changes they revert run one after another, in the order asked. */
  const historyQueue = useRef<Promise<void>>(Promise.resolve());
  /** The toast that offers Undo for a change (a delete), closed once it is undone. */
  const undoToasts = useRef(new Map<Entry, number>());
  /** The detail as last rendered, for callbacks that must not be re-created on every change. */
  const detailRef = useRef(detail);
  detailRef.current = detail;
  const openRequest = useRef(0);
  const toastSeq = useRef(0);
  /** Article tag changes run one after another, each on the tags main last returned. */
  const tagQueue = useRef<Promise<void>>(Promise.resolve());
  const knownTags = useRef(new Map<string, string[]>());
  /** Analyses already made, by article and text: opening an article again costs nothing. */
  const analyses = useRef(new Map<string, ArticleAnalysis>());
  /** Imports under way by job id; progress events update them here and the view at most once a frame. */
  const jobs = useRef(new Map<string, Job>());
  const jobFrame = useRef(0);

  useTheme(settings.theme);
  const labelIndex = useMemo(() => indexLabels(labels), [labels]);
  // The label `h` uses: the last one chosen, or the first when that one was removed.
  const hLabel = labelIndex.byId.has(currentLabel) ? currentLabel : (labels[0]?.id ?? currentLabel);

  // ---- the list as shown ------------------------------------------------------
  // Filtering and sorting 100,000 articles takes a moment: typing stays quick, the list follows.
  const deferredQuery = useDeferredValue(query);
  const shown = useMemo(() => viewArticles(articles ?? [], deferredQuery), [articles, deferredQuery]);
  /** The selection, as far as it is shown: a filter that hides an article takes it out of what bulk actions touch. */
  const selectedShown = useMemo(() => (selected.size === 0 ? [] : shown.filter((a) => selected.has(a.id))), [shown, selected]);
  const tree = useMemo(() => (tags ? tagTree(tags) : null), [tags]);
  const changeQuery = useCallback((patch: Partial<ViewQuery>) => setQuery((q) => ({ ...q, ...patch })), []);
  useEffect(() => {
    try {
      sessionStorage.setItem(SESSION_KEY, JSON.stringify({ sort: query.sort, reading: query.reading, tagsOpen } satisfies SessionView));
    } catch {
      // Storage refused (private mode, quota): the view is simply not kept.
    }
  }, [query.sort, query.reading, tagsOpen]);

  // ---- messages -----------------------------------------------------------
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const notify = useCallback(
    (toast: Omit<Toast, 'id'>, ms = toast.kind === 'error' ? 0 : STATUS_MS) => {
      const id = ++toastSeq.current;
      setToasts((ts) => [...ts.slice(-4), { ...toast, id }]);
      if (ms > 0) window.setTimeout(() => dismiss(id), ms);
      return id;
    },
    [dismiss],
  );
  const fail = useCallback((action: string, error: unknown) => notify({ kind: 'error', message: describeError(action, error) }), [notify]);


  // ---- loading ------------------------------------------------------------
  const refreshTags = useCallback(async () => {
    try {
      setTags(await call(api().tags.list()));
    } catch (e) {
      fail('Could not read the tags', e);
    }
  }, [fail]);

  /** The list, and the tags with it: what changes one (a clipping's tags, an import) can change the other's counts. */
  const refreshList = useCallback(async () => {
    const tagsDone = refreshTags();
    try {
      setArticles(await call(api().articles.list()));
    } catch (e) {
      fail('Could not refresh the article list', e);
    }
    await tagsDone;
  }, [fail, refreshTags]);

  /** Summaries main answered with, put in the list (and in the open article) without asking for the whole list again. */
  const putSummaries = useCallback((list: readonly ArticleSummary[]) => {
    if (list.length === 0) return;
    const byId = new Map(list.map((a) => [a.id, a]));
    setArticles((current) => current?.map((a) => byId.get(a.id) ?? a) ?? current);
    setDetail((d) => {
      const fresh = d && byId.get(d.article.id);
      return d && fresh ? { ...d, article: fresh } : d;
    });
  }, []);

  // ---- reading progress ------------------------------------------------------
  /**
   * How far the reader got in the open article (the furthest point, not the
   * current one: scrolling back up to re-read a paragraph is not un-reading),
   * and what was last saved of it.
   */
  const progressRef = useRef<{ id: string; value: number; saved: number | undefined; timer: number } | null>(null);
  const endMarked = useRef(new Set<string>());
  const readerRef = useRef<HTMLElement>(null);

  /** Saves the reading position if it moved; never for an article already read or archived (it would only cost a write). */
  const flushProgress = useCallback(() => {
    const p = progressRef.current;
    if (!p) return;
    window.clearTimeout(p.timer);
    p.timer = 0;
    const article = detailRef.current?.article.id === p.id ? detailRef.current.article : null;
    if (article && (article.readingState === 'read' || article.readingState === 'archived')) return;
    if (p.value - (p.saved ?? 0) < 0.01) return;
    p.saved = p.value;
    void call(api().articles.setReading({ id: p.id, progress: p.value })).then(
      (summary) => putSummaries([summary]),
      (e: unknown) => {
        // The article went away meanwhile: there is nothing to keep.
        if (!(e instanceof ApiError && e.code === 'not-found')) fail('Could not save the reading position', e);
      },
    );
  }, [putSummaries, fail]);

  const onReaderScroll = useCallback(
    (el: HTMLElement) => {
      const article = detailRef.current?.article;
      if (!article) return;
      const max = el.scrollHeight - el.clientHeight;
      if (max <= 0) return;
      const value = Math.min(1, Math.max(0, el.scrollTop / max));
      let p = progressRef.current;
      if (!p || p.id !== article.id) {
        if (p) flushProgress();
        p = { id: article.id, value: article.progress ?? 0, saved: article.progress, timer: 0 };
        progressRef.current = p;
      }
      p.value = Math.max(p.value, value);
      const atEnd = el.scrollTop >= max - END_SLACK;
      if (atEnd && (article.readingState === 'unread' || article.readingState === 'reading') && !endMarked.current.has(article.id)) {
        // Read to the end: read, once (a later "mark unread" is the reader's to make).
        endMarked.current.add(article.id);
        window.clearTimeout(p.timer);
        p.timer = 0;
        p.saved = 1;
        void call(api().articles.setReading({ id: article.id, readingState: 'read', progress: 1 })).then(
          (summary) => putSummaries([summary]),
          (e: unknown) => fail('Could not mark the article read', e),
        );
        return;
      }
      if (!p.timer) p.timer = window.setTimeout(flushProgress, PROGRESS_SAVE_MS);
    },
    [flushProgress, putSummaries, fail],
  );

  // Leaving the window (closing it, hiding it) is leaving the article.
  useEffect(() => {
    const onHide = () => {
      if (document.visibilityState === 'hidden') flushProgress();
    };
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('pagehide', flushProgress);
    return () => {
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', flushProgress);
    };
  }, [flushProgress]);

  const openArticle = useCallback(
    async (id: string, remember = true) => {
      await flushRef.current?.();
      flushProgress();
      const request = ++openRequest.current;
      setCurrentId(id);
      setDetailError(null);
      setEditing(null);
      setActiveId(null);
      setPicker(null);
      setReattachId(null);
      window.getSelection()?.removeAllRanges();
      try {
        const value = await call(api().articles.get(id));
        if (request !== openRequest.current) return;
        knownTags.current.set(value.article.id, value.article.tags);
        // To the top before the new text goes in: a shorter article would otherwise be scrolled to its
        // end by the browser (clamping), and that scroll would count as having read it.
        readerRef.current?.scrollTo({ top: 0 });
        setDetail(value);
        // Opened is started: a new article leaves the unread (bold) state; its position is followed from here.
        progressRef.current = { id, value: value.article.progress ?? 0, saved: value.article.progress, timer: 0 };
        if (value.article.readingState === 'unread')
          void call(api().articles.setReading({ id, readingState: 'reading' })).then(
            (summary) => putSummaries([summary]),
            (e: unknown) => fail('Could not mark the article as started', e),
          );
      } catch (e) {
        if (request !== openRequest.current) return;
        setDetail(null);
        setDetailError(describeError('Could not open the article', e));
        return;
      }
      if (remember) {
        try {
          setSettings(await call(api().settings.update({ lastArticleId: id })));
        } catch (e) {
          fail('Could not remember the last article', e);
        }
      }
    },
    [fail, flushProgress, putSummaries],
  );

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      let stored = FALLBACK_SETTINGS;
      try {
        stored = await call(api().settings.get());
        if (!cancelled) setSettings(stored);
      } catch (e) {
        fail('Could not read the settings; using defaults', e);
      }
      try {
        const list = await call(api().labels.list());
        if (!cancelled) setLabels(list);
      } catch (e) {
        fail('Could not read the labels', e);
      }
      let list: ArticleSummary[];
      try {
        // The first page at once (a large library's whole list takes a few seconds to be read), then all of it.
        const first = await call(api().articles.page(0, 100));
        if (cancelled) return;
        if (first.total > first.articles.length) setArticles(first.articles);
        list = await call(api().articles.list());
        if (cancelled) return;
        setArticles(list);
      } catch (e) {
        setArticles([]);
        fail('Could not open the library', e);
        return;
      }
      void refreshTags();
      const first = list.find((a) => a.id === stored.lastArticleId) ?? list[0];
      if (first) void openArticle(first.id, first.id !== stored.lastArticleId);
      try {
        const info = await call(api().library.info());
        if (!cancelled && info.problems.length > 0)
          notify({ kind: 'error', message: `The library at ${info.path} has ${plural(info.problems.length, 'problem')}:`, detail: info.problems });
      } catch (e) {
        fail('Could not check the library', e);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [fail, notify, openArticle, refreshTags]);

  // The open article's quotations and suggested tags, asked for once its text is on screen
  // (the analysis must never delay the reader), and remembered per text.
  const analysisKey = detail ? `${detail.article.id}:${detail.article.textHash}` : null;
  useEffect(() => {
    if (!analysisKey) return;
    const id = analysisKey.slice(0, analysisKey.indexOf(':'));
    const known = analyses.current.get(analysisKey);
    if (known) {
      setAnalysis({ key: analysisKey, quotes: { status: 'ready', quotes: known.quotes }, suggestions: known.suggestions });
      return;
    }
    let cancelled = false;
    setAnalysis({ key: analysisKey, quotes: { status: 'loading' }, suggestions: [] });
    const timer = window.setTimeout(() => {
      void call(api().articles.analyse(id)).then(
        (value) => {
          if (analyses.current.size > 50) analyses.current.clear();
          analyses.current.set(analysisKey, value);
          if (!cancelled) setAnalysis({ key: analysisKey, quotes: { status: 'ready', quotes: value.quotes }, suggestions: value.suggestions });
        },
        (e: unknown) => {
          if (!cancelled) setAnalysis({ key: analysisKey, quotes: { status: 'error', message: describeError('Could not look for quotations', e) }, suggestions: [] });
        },
      );
    }, 0);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [analysisKey]);
  const shownAnalysis = analysis && analysis.key === analysisKey ? analysis : null;

  // ---- clippings ----------------------------------------------------------
  const putClipping = useCallback((c: Clipping) => {
    setDetail((d) =>
      d && d.article.id === c.articleId
        ? { ...d, clippings: d.clippings.some((x) => x.id === c.id) ? d.clippings.map((x) => (x.id === c.id ? c : x)) : [...d.clippings, c] }
        : d,
    );
  }, []);

  const dropClipping = useCallback((id: string) => {
    setDetail((d) => (d && d.clippings.some((c) => c.id === id) ? { ...d, clippings: d.clippings.filter((c) => c.id !== id) } : d));
    setEditing((e) => (e?.id === id ? null : e));
    setActiveId((a) => (a === id ? null : a));
    setPicker((p) => (p && p.target !== 'selection' && p.target.id === id ? null : p));
  }, []);

  const scrollToClipping = useCallback((id: string, focusCard = false, gently = false) => {
    const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    const mark = document.querySelector<HTMLElement>(`[data-testid="reader"] mark[data-clipping-id="${CSS.escape(id)}"]`);
    const card = document.querySelector<HTMLElement>(`[data-testid="clipping-card"][data-clipping-id="${CSS.escape(id)}"]`);
    if (mark) scrollWithin(mark, gently ? 'nearest' : 'center', smooth);
    if (card) scrollWithin(card, 'nearest', smooth);
    if (focusCard) card?.querySelector<HTMLElement>('.card-quote')?.focus({ preventScroll: true });
    setFlashId(id);
    window.setTimeout(() => setFlashId((f) => (f === id ? null : f)), 1400);
  }, []);

  const activate = useCallback(
    (id: string, focusCard = false, gently = false) => {
      // The card is what shows a clipping: bring its tab forward first, so that it can be scrolled to.
      flushSync(() => {
        setTab('clippings');
        setActiveId(id);
      });
      scrollToClipping(id, focusCard, gently);
    },
    [scrollToClipping],
  );

  /** Runs history work one step at a time, in the order it was asked for. */
  const queued = useCallback((work: () => Promise<void>) => {
    historyQueue.current = historyQueue.current.then(work, work);
    return historyQueue.current;
  }, []);

  const record = useCallback((change: Entry) => {
    history.current.record(change);
  }, []);

  const highlight = useCallback(
    async (label: string, focus: 'note' | 'tags' | null) => {
      if (!detail || !pending) return;
      // Let go of the selection at once, so the next one can start while this one is saved.
      const { start, end, exact } = pending;
      window.getSelection()?.removeAllRanges();
      setPending(null);
      setPicker(null);
      setCurrentLabel(label);
      await flushRef.current?.();
      try {
        const created = await call(api().clippings.create({ articleId: detail.article.id, start, end, exact, label }));
        record({ kind: 'highlight', before: null, after: created });
        putClipping(created);
        setTab('clippings');
        setActiveId(created.id);
        setEditing({ id: created.id, focus, nonce: Date.now() });
        void refreshList();
      } catch (e) {
        fail('Could not save the highlight', e);
      }
    },
    [detail, pending, record, putClipping, refreshList, fail],
  );

  const saveClipping = useCallback(
    async (id: string, patch: Partial<ClippingPatch>) => {
      const before = detailRef.current?.clippings.find((c) => c.id === id) ?? null;
      try {
        const updated = await call(api().clippings.update({ id, ...patch }));
        // Saving an editor without a change is not a change to undo.
        const changed = before && (before.note !== updated.note || before.label !== updated.label || before.tags.join('\u0000') !== updated.tags.join('\u0000'));
        if (before && changed) record({ kind: editKind(before, updated), before, after: updated });
        if (before && before.tags.join('\u0000') !== updated.tags.join('\u0000')) void refreshTags();
        putClipping(updated);
        setEditing((e) => (e?.id === id ? null : e));
        if (patch.label) setCurrentLabel(patch.label);
        return true;
      } catch (e) {
        fail('Could not save the clipping', e);
        return false;
      }
    },
    [record, putClipping, refreshTags, fail],
  );

  const editClipping = useCallback(
    async (id: string, focus: 'note' | 'tags' = 'note') => {
      if (editing?.id !== id) await flushRef.current?.();
      setTab('clippings');
      setActiveId(id);
      setEditing({ id, focus, nonce: Date.now() });
    },
    [editing],
  );

  const pickLabel = useCallback(
    async (id: string, label: string) => {
      setPicker(null);
      // An open editor of this clipping saves first, so that it cannot put the old label back.
      await flushRef.current?.();
      const c = detailRef.current?.clippings.find((x) => x.id === id);
      if (c && c.label === label) return;
      await saveClipping(id, { label });
    },
    [saveClipping],
  );

  /**
   * Puts a clipping in one of its states: null deletes it, anything else is
   * restored exactly as it was (restore upserts). The view follows, and the
   * article is opened if the clipping is not in the one on screen.
   */
  const applyState = useCallback(
    async (state: Clipping | null, other: Clipping) => {
      if (state === null) {
        try {
          await call(api().clippings.delete(other.id));
        } catch (e) {
          // Already gone (deleted elsewhere): the state wanted is reached all the same.
          if (!(e instanceof ApiError && e.code === 'not-found')) throw e;
        }
        dropClipping(other.id);
      } else {
        const restored = await call(api().clippings.restore(state));
        putClipping(restored);
        if (detailRef.current?.article.id === restored.articleId) activate(restored.id);
      }
      if (detailRef.current?.article.id !== other.articleId) {
        await openArticle(other.articleId);
        if (state) setActiveId(state.id);
      }
      void refreshList();
    },
    [dropClipping, putClipping, activate, openArticle, refreshList],
  );

  /** After a tag change: the list, the tags and the open article's own tags and clippings' tags, as main now has them. */
  const refreshDetail = useCallback(async () => {
    const d = detailRef.current;
    if (!d) return;
    try {
      const value = await call(api().articles.get(d.article.id));
      knownTags.current.set(value.article.id, value.article.tags);
      setDetail((current) =>
        current && current.article.id === value.article.id && current.article.textHash === value.article.textHash
          ? { ...current, article: value.article, clippings: value.clippings }
          : current,
      );
    } catch (e) {
      fail('Could not refresh the article', e);
    }
  }, [fail]);
  const afterTagChange = useCallback(() => Promise.all([refreshList(), refreshDetail()]), [refreshList, refreshDetail]);

  /**
   * Does or takes back a library-wide change, and brings the view along:
   * the list (and tags) as main now has them, the tag filter following a
   * renamed tag, or dropped when its tag is gone.
   */
  const applyLibrary = useCallback(
    async (change: LibraryChange, direction: 'undo' | 'redo') => {
      putSummaries(await applyLibraryChange(change, direction));
      if (change.kind === 'reading') return;
      if (change.kind === 'tag-rename') {
        const [from, to] = direction === 'undo' ? [change.to, change.from] : [change.from, change.to];
        // A merge undone splits the tags again: the filter stays on the tag it merged into.
        if (!(direction === 'undo' && change.merge)) setQuery((q) => (q.tag !== null && isUnder(q.tag, from) ? { ...q, tag: to + q.tag.slice(from.length) } : q));
      } else if (change.kind === 'tag-delete' && direction === 'redo') {
        setQuery((q) => (q.tag !== null && isUnder(q.tag, change.tag) ? { ...q, tag: null } : q));
      }
      await afterTagChange();
    },
    [putSummaries, afterTagChange],
  );

  const step = useCallback(
    (direction: 'undo' | 'redo', only?: Entry) =>
      queued(async () => {
        // An open editor saves first: its change is then the latest, and the one an undo reverts.
        await flushRef.current?.();
        const h = history.current;
        const change = direction === 'undo' ? h.peekUndo() : h.peekRedo();
        if (only && change !== only && !isClippingChange(only)) {
          // A toast's Undo for a library change that is no longer the latest: it is taken back all the
          // same (its TagUndo puts back exactly what it touched), and leaves the history.
          try {
            await applyLibrary(only, direction);
          } catch (e) {
            fail(`Could not ${direction} the ${describeChange(only)}`, e);
            return;
          }
          h.drop(only);
          const toast = undoToasts.current.get(only);
          if (toast !== undefined) dismiss(toast);
          undoToasts.current.delete(only);
          notify({ kind: 'status', message: `${direction === 'undo' ? 'Undid' : 'Redid'} ${describeChange(only)}: ${changeSubject(only)}` }, 4000);
          return;
        }
        if (only && change !== only && isClippingChange(only)) {
          // A toast's Undo for a change that is no longer the latest: its state comes back as a new change.
          const target = direction === 'undo' ? only.before : only.after;
          const other = (only.before ?? only.after)!;
          const current = detailRef.current?.clippings.find((c) => c.id === other.id) ?? null;
          try {
            await applyState(target, other);
          } catch (e) {
            fail(`Could not ${direction} the ${describeChange(only)}`, e);
            return;
          }
          record({ kind: target ? 'restore' : 'delete', before: current, after: target });
          const toast = undoToasts.current.get(only);
          if (toast !== undefined) dismiss(toast);
          notify({ kind: 'status', message: `${target ? 'Restored' : 'Deleted'}: ${shortQuote(other.target.quote.exact)}` }, 4000);
          return;
        }
        if (!change) {
          notify({ kind: 'status', message: direction === 'undo' ? 'Nothing to undo.' : 'Nothing to redo.' }, 2500);
          return;
        }
        try {
          if (isClippingChange(change)) await applyState(direction === 'undo' ? change.before : change.after, (change.before ?? change.after)!);
          else await applyLibrary(change, direction);
        } catch (e) {
          h.drop(change);
          fail(`Could not ${direction} the ${describeChange(change)}`, e);
          return;
        }
        if (direction === 'undo') h.undid(change);
        else h.redid(change);
        const toast = undoToasts.current.get(change);
        if (toast !== undefined) {
          dismiss(toast);
          undoToasts.current.delete(change);
        }
        const verb = direction === 'undo' ? 'Undid' : 'Redid';
        notify(
          {
            kind: 'status',
            message: `${verb} ${describeChange(change)}: ${changeSubject(change)}`,
            action:
              direction === 'undo'
                ? { label: 'Redo', title: `Redo (${MOD}+Shift+Z)`, run: () => void step('redo', change) }
                : { label: 'Undo', title: `Undo (${MOD}+Z)`, run: () => void step('undo', change) },
          },
          4000,
        );
      }),
    [queued, applyState, applyLibrary, record, notify, dismiss, fail],
  );
  const undo = useCallback(() => step('undo'), [step]);
  const redo = useCallback(() => step('redo'), [step]);

  const deleteClipping = useCallback(
    async (id: string) => {
      try {
        const deleted = await call(api().clippings.delete(id));
        const change: Change = { kind: 'delete', before: deleted, after: null };
        record(change);
        dropClipping(id);
        const toastId = notify(
          {
            kind: 'status',
            message: `Clipping deleted: ${shortQuote(deleted.target.quote.exact)}`,
            action: { label: 'Undo', title: `Undo (${MOD}+Z)`, run: () => void step('undo', change) },
          },
          UNDO_MS,
        );
        undoToasts.current.set(change, toastId);
        void refreshList();
      } catch (e) {
        fail('Could not delete the clipping', e);
      }
    },
    [record, dropClipping, notify, step, refreshList, fail],
  );

  // ---- organising: reading state, tags across the library --------------------------------
  /** A toast telling what was done, whose Undo takes back exactly that change. */
  const offerUndo = useCallback(
    (change: Entry, message: string) => {
      const toastId = notify({ kind: 'status', message, action: { label: 'Undo', title: `Undo (${MOD}+Z)`, run: () => void step('undo', change) } }, UNDO_MS);
      undoToasts.current.set(change, toastId);
    },
    [notify, step],
  );

  /** Puts articles in a reading state as the reader asked (a button, u, e, the bulk bar): recorded, undoable. */
  const setReadingOf = useCallback(
    (targets: readonly ArticleSummary[], to: ReadingState, verb: string) =>
      queued(async () => {
        const changing = targets.filter((a) => a.readingState !== to);
        if (changing.length === 0) return;
        setBulkBusy(true);
        const { done, error } = await setReadingMany(changing.map((a) => ({ id: a.id, state: to })));
        setBulkBusy(false);
        putSummaries(done);
        if (done.length > 0) {
          const doneIds = new Set(done.map((a) => a.id));
          const change: LibraryChange = { kind: 'reading', to, articles: changing.filter((a) => doneIds.has(a.id)).map((a) => ({ id: a.id, before: a.readingState })) };
          record(change);
          const what = done.length === 1 ? `“${shortTitle(done[0]!.title)}”` : plural(done.length, 'article');
          offerUndo(change, `${verb}: ${what}.`);
        }
        if (error !== null) fail(`Could not change ${done.length > 0 ? `the other ${plural(changing.length - done.length, 'article')}` : 'the reading state'}`, error);
      }),
    [queued, putSummaries, record, offerUndo, fail],
  );

  /** u: read ⇄ unread (an archived article comes back as read). */
  const toggleRead = useCallback(
    (targets: readonly ArticleSummary[]) => {
      const allRead = targets.length > 0 && targets.every((a) => a.readingState === 'read');
      return setReadingOf(targets, allRead ? 'unread' : 'read', allRead ? 'Marked unread' : 'Marked read');
    },
    [setReadingOf],
  );

  /** e: archive, or, when every one is archived already, put them back (as read). */
  const toggleArchive = useCallback(
    async (targets: readonly ArticleSummary[]) => {
      const allArchived = targets.length > 0 && targets.every((a) => a.readingState === 'archived');
      await setReadingOf(targets, allArchived ? 'read' : 'archived', allArchived ? 'Moved out of the archive' : 'Archived');
      // Archived articles leave the list: a selection of them would be a selection of nothing shown.
      if (!allArchived) setSelected(NO_IDS);
    },
    [setReadingOf],
  );

  /** Renames (or merges) a tag everywhere; resolves to null, or to the reason for the dialog to show. */
  const renameTag = useCallback(
    async (from: string, to: string, merge: boolean): Promise<string | null> => {
      let problem: string | null = null;
      await queued(async () => {
        await flushRef.current?.();
        try {
          const undo = await call(api().tags.rename(from, to));
          const change: LibraryChange = { kind: 'tag-rename', from, to, merge, undo };
          record(change);
          setQuery((q) => (q.tag !== null && isUnder(q.tag, from) ? { ...q, tag: to + q.tag.slice(from.length) } : q));
          setDialog(null);
          offerUndo(change, `${merge ? 'Merged' : 'Renamed'} “${from}” ${merge ? 'into' : 'to'} “${to}” on ${countWords(touched(undo))}.`);
          await afterTagChange();
        } catch (e) {
          problem = describeError(`Could not ${merge ? 'merge' : 'rename'} “${from}”`, e);
        }
      });
      return problem;
    },
    [queued, record, offerUndo, afterTagChange],
  );

  const deleteTag = useCallback(
    async (tag: string): Promise<string | null> => {
      let problem: string | null = null;
      await queued(async () => {
        await flushRef.current?.();
        try {
          const undo = await call(api().tags.delete(tag));
          const change: LibraryChange = { kind: 'tag-delete', tag, undo };
          record(change);
          setQuery((q) => (q.tag !== null && isUnder(q.tag, tag) ? { ...q, tag: null } : q));
          setDialog(null);
          offerUndo(change, `Deleted the tag “${tag}” from ${countWords(touched(undo))}.`);
          await afterTagChange();
        } catch (e) {
          problem = describeError(`Could not delete “${tag}”`, e);
        }
      });
      return problem;
    },
    [queued, record, offerUndo, afterTagChange],
  );

  /** Adds tags to selected articles (the list's bulk bar) or clippings (the clippings view's); undoable. */
  const bulkTag = useCallback(
    async (articleIds: string[], add: string[], clippingIds: string[] = []): Promise<string | null> => {
      let problem: string | null = null;
      const what = clippingIds.length > 0 ? plural(clippingIds.length, 'clipping') : plural(articleIds.length, 'article');
      await queued(async () => {
        await flushRef.current?.();
        try {
          const undo = await call(api().tags.add({ articleIds, clippingIds, tags: add }));
          const change: LibraryChange = { kind: 'tag-add', articleIds, clippingIds, tags: add, undo };
          record(change);
          setDialog(null);
          offerUndo(change, `Tagged ${what} ${add.map((t) => `“${t}”`).join(', ')}.`);
          await afterTagChange();
        } catch (e) {
          problem = describeError(`Could not tag the ${clippingIds.length > 0 ? 'clippings' : 'articles'}`, e);
        }
      });
      return problem;
    },
    [queued, record, offerUndo, afterTagChange],
  );

  // ---- re-attaching an orphan -----------------------------------------------------------
  const startReattach = useCallback((id: string) => {
    window.getSelection()?.removeAllRanges();
    setPending(null);
    setPicker(null);
    setActiveId(id);
    setReattachId(id);
  }, []);

  const cancelReattach = useCallback(() => {
    setReattachId(null);
    window.getSelection()?.removeAllRanges();
    setPending(null);
  }, []);

  const attachHere = useCallback(async () => {
    const before = detailRef.current?.clippings.find((c) => c.id === reattachId);
    if (!before || !pending) return;
    const { start, end, exact } = pending;
    window.getSelection()?.removeAllRanges();
    setPending(null);
    try {
      const updated = await call(api().clippings.reattach({ id: before.id, start, end, exact }));
      record({ kind: 'reattach', before, after: updated });
      putClipping(updated);
      setReattachId(null);
      activate(updated.id);
      notify({ kind: 'status', message: `Clipping re-attached to ${shortQuote(updated.target.quote.exact)}` }, 4000);
    } catch (e) {
      fail('Could not re-attach the clipping', e);
    }
  }, [reattachId, pending, record, putClipping, activate, notify, fail]);

  // ---- quotes ---------------------------------------------------------------------------
  const clipQuote = useCallback(
    async (q: QuoteFinding) => {
      const d = detailRef.current;
      const label = quoteLabel(labels);
      if (!d || !label) return;
      await flushRef.current?.();
      try {
        const created = await call(
          api().clippings.create({ articleId: d.article.id, start: q.start, end: q.end, exact: q.exact, label: label.id, note: q.speaker ? `Speaker: ${q.speaker}` : '' }),
        );
        record({ kind: 'highlight', before: null, after: created });
        putClipping(created);
        void refreshList();
      } catch (e) {
        fail('Could not clip the quotation', e);
      }
    },
    [labels, record, putClipping, refreshList, fail],
  );

  const showQuote = useCallback((q: QuoteFinding) => {
    const body = document.querySelector('[data-testid="reader"] .reader-body');
    const range = body && offsetsToRange(body, q.start, q.end);
    if (!range) return;
    const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    scrollRectWithin(body as HTMLElement, range.getBoundingClientRect(), 'center', smooth);
    // A passing highlight that is not a mark (the CSS Custom Highlight API): the DOM is left alone.
    if (typeof Highlight !== 'undefined' && CSS.highlights) {
      CSS.highlights.set('quote-focus', new Highlight(range));
      window.setTimeout(() => CSS.highlights.delete('quote-focus'), 1800);
    }
  }, []);

  // ---- labels and the article's text -----------------------------------------------------
  const saveLabels = useCallback(
    async (list: Label[]): Promise<string | null> => {
      try {
        const saved = await call(api().labels.save(list));
        setLabels(saved);
        setDialog(null);
        notify({ kind: 'status', message: `Labels saved: ${saved.map((l) => l.name).join(', ')}.` }, 3000);
        return null;
      } catch (e) {
        return e instanceof ApiError && e.code === 'conflict' ? e.message : describeError('Could not save the labels', e);
      }
    },
    [notify],
  );

  const reviseText = useCallback(
    async (text: string): Promise<string | null> => {
      const d = detailRef.current;
      if (!d) return null;
      await flushRef.current?.();
      try {
        const value = await call(api().articles.revise(d.article.id, text));
        // Positions from before the correction mean nothing in the new text.
        history.current.forgetArticle(d.article.id);
        knownTags.current.set(value.article.id, value.article.tags);
        setDetail((current) => (current && current.article.id === value.article.id ? value : current));
        setActiveId(null);
        setEditing(null);
        setDialog(null);
        const orphans = value.clippings.filter((c) => isOrphan(c, value.text)).length;
        const moved = value.clippings.filter((c) => c.anchor?.state === 'reanchored').length;
        const parts = ['Text saved as a new version'];
        if (moved) parts.push(`${plural(moved, 'clipping')} re-attached`);
        if (orphans) parts.push(`${plural(orphans, 'clipping')} not found: re-attach ${orphans === 1 ? 'it' : 'them'} from the sidebar`);
        notify({ kind: 'status', message: `${parts.join('; ')}.` });
        if (orphans) setTab('clippings');
        void refreshList();
        return null;
      } catch (e) {
        return describeError('Could not save the text', e);
      }
    },
    [notify, refreshList],
  );

  // ---- article tags, export, import, settings ----------------------------
  // Queued so that two quick Enters never overwrite each other with a stale list.
  const changeArticleTags = useCallback(
    (articleId: string, change: (tags: string[]) => string[]) => {
      tagQueue.current = tagQueue.current.then(async () => {
        try {
          const summary = await call(api().articles.setTags(articleId, change(knownTags.current.get(articleId) ?? [])));
          knownTags.current.set(summary.id, summary.tags);
          setDetail((d) => (d && d.article.id === summary.id ? { ...d, article: summary } : d));
          setArticles((list) => list?.map((a) => (a.id === summary.id ? summary : a)) ?? list);
          void refreshTags();
        } catch (e) {
          fail('Could not save the article tags', e);
        }
      });
    },
    [fail, refreshTags],
  );

  const exportCurrent = useCallback(async () => {
    if (!detail || exporting) return;
    await flushRef.current?.();
    setExporting(true);
    try {
      // One click, one save dialog: the article's clippings as a Markdown clip book (the dialog offers the rest).
      const result = await call(api().export.run({ selection: { articleIds: [detail.article.id] }, options: { format: 'md', speakers: true } }));
      if (!result.canceled)
        notify({
          kind: 'status',
          message: `Exported ${plural(result.clippingCount, 'clipping')} to ${result.path}`,
        });
    } catch (e) {
      fail('Could not export the clippings', e);
    } finally {
      setExporting(false);
    }
  }, [detail, exporting, notify, fail]);

  // ---- search and the clippings view ---------------------------------------------
  /** A clipping from a search or the clippings view: its article in the reader, scrolled to it, the clipping active. */
  const reveal = useRevealClipping(detail?.clippings, activate);
  const openFromSearch = useCallback(
    (articleId: string, clippingId: string | null = null) => {
      setDialog(null);
      setView('reader');
      reveal(clippingId);
      if (detailRef.current?.article.id !== articleId) void openArticle(articleId);
    },
    [openArticle, reveal],
  );

  const showAllClippings = useCallback((query: string, filters: ClippingsPreset['filters']) => {
    setDialog(null);
    setClippingsPreset({ query, filters, nonce: Date.now() });
    setView('clippings');
  }, []);

  const exportClippings = useCallback(
    async (clippingIds: string[]) => {
      await flushRef.current?.();
      try {
        // Speakers come from each article's analysis: named for a handful of clippings, not for thousands at one click.
        const result = await call(api().export.run({ selection: { clippingIds }, options: { format: 'md', speakers: clippingIds.length <= 200 } }));
        if (!result.canceled) notify({ kind: 'status', message: `Exported ${plural(result.clippingCount, 'clipping')} to ${result.path}` });
      } catch (e) {
        fail('Could not export the clippings', e);
      }
    },
    [notify, fail],
  );

  // ---- the export dialog, press reviews, citations ------------------------------------
  const openExport = useCallback(async (target: ExportTarget) => {
    await flushRef.current?.();
    setExportTarget(target);
    setDialog('export');
  }, []);

  const exportDone = useCallback(
    (result: ExportDone) => {
      setDialog((d) => (d === 'export' ? null : d));
      const where = result.files > 1 ? `${plural(result.files, 'file')} in ${result.path}` : result.path;
      notify({ kind: 'status', message: `Exported ${plural(result.clippingCount, 'clipping')} from ${plural(result.articleCount, 'article')} to ${where}` });
    },
    [notify],
  );

  const copyCitation = useCallback(
    async (id: string) => {
      try {
        const citation = await call(api().clippings.citation(id));
        await copyText(citation.text);
        notify({ kind: 'status', message: 'Citation copied', detail: [citation.text] }, 3500);
      } catch (e) {
        fail('Could not copy the citation', e);
      }
    },
    [notify, fail],
  );

  const openReviews = useCallback((id: string | null = null) => {
    setDialog(null);
    setReviewId(id);
    setView('reviews');
  }, []);

  const startAddToReview = useCallback((clippingIds: string[]) => {
    if (clippingIds.length === 0) return;
    setReviewClippings(clippingIds);
    setDialog('add-review');
  }, []);

  /** Adds clippings to a press review: through the editor when it is the one open, else straight to main. */
  const addToReview = useCallback(
    async (choice: ReviewChoice): Promise<string | null> => {
      try {
        let result: { id: string; title: string; added: number; skipped: number };
        const open = composer.current;
        if ('id' in choice && open?.id === choice.id) {
          const { added, skipped } = open.append(reviewClippings);
          result = { id: choice.id, title: 'the press review', added, skipped };
        } else {
          const { composition, added, skipped } = await appendToReview(choice, reviewClippings);
          result = { id: composition.id, title: `“${composition.title}”`, added, skipped };
        }
        setDialog(null);
        const skipped = result.skipped > 0 ? ` (${plural(result.skipped, 'clipping')} already there)` : '';
        notify({ kind: 'status', message: `Added ${plural(result.added, 'clipping')} to ${result.title}${skipped}.`, action: { label: 'Open', run: () => openReviews(result.id) } });
        return null;
      } catch (e) {
        return describeError('Could not add to the press review', e);
      }
    },
    [reviewClippings, notify, openReviews],
  );

  const tagNames = useMemo(() => tags?.map((t) => t.tag) ?? [], [tags]);
  const needSources = dialog === 'search' || view === 'clippings';
  const knownSources = useMemo(() => (needSources ? sourcesOf(articles) : []), [needSources, articles]);
  const clippingTotal = useMemo(() => (articles ? articles.reduce((n, a) => n + a.clippingCount, 0) : null), [articles]);
  /** A new object whenever the library may have changed under a search (the list, the open article's clippings). */
  const libraryVersion = useMemo(() => ({ articles, clippings: detail?.clippings }), [articles, detail?.clippings]);

  // ---- importing ------------------------------------------------------------
  const publishJobs = useCallback((now = false) => {
    const views = () => [...jobs.current.values()].map(({ id, label, done, total, cancelling }) => ({ id, label, done, total, cancelling }));
    if (now) {
      cancelAnimationFrame(jobFrame.current);
      jobFrame.current = 0;
      // The first sight of a long import is committed at once: a quick batch may end before the next frame.
      flushSync(() => setJobViews(views()));
      return;
    }
    if (jobFrame.current) return;
    jobFrame.current = requestAnimationFrame(() => {
      jobFrame.current = 0;
      setJobViews(views());
    });
  }, []);

  useEffect(
    () =>
      api().onImportProgress?.((e) => {
        const job = jobs.current.get(e.jobId);
        if (!job) return;
        job.done = Math.max(job.done, job.offset + e.done);
        job.total = job.grandTotal ?? e.total;
        const first = !job.shown && job.total > 1;
        if (first) job.shown = true;
        publishJobs(first);
      }),
    [publishJobs],
  );

  /** Runs one import job: its id ties progress events and Cancel to it. */
  const runJob = useCallback(
    async <T,>(label: string, grandTotal: number | null, work: (job: Job) => Promise<T>): Promise<{ value: T; cancelled: boolean; total: number | null }> => {
      const job: Job = { id: newJobId(), label, done: 0, total: grandTotal ?? 0, offset: 0, grandTotal, shown: false, cancelling: false };
      jobs.current.set(job.id, job);
      try {
        const value = await work(job);
        return { value, cancelled: job.cancelling, total: job.total || null };
      } finally {
        jobs.current.delete(job.id);
        publishJobs();
      }
    },
    [publishJobs],
  );

  const cancelJob = useCallback(
    async (id: string) => {
      const job = jobs.current.get(id);
      if (!job || job.cancelling) return;
      job.cancelling = true;
      publishJobs(true);
      try {
        await call(api().imports.cancel(id));
      } catch (e) {
        fail('Could not cancel the import', e);
      }
    },
    [publishJobs, fail],
  );

  /** Tells what an import did (a toast, or a panel for big or cancelled batches), then shows the result. */
  const finishImport = useCallback(
    async (label: string, outcomes: ImportOutcome[], canceled: boolean, total: number | null) => {
      const counts = countOutcomes(outcomes);
      if (canceled || outcomes.length > SUMMARY_PANEL_OVER) {
        setReport({ label, canceled, total, counts, outcomes });
      } else if (outcomes.length > 0) {
        const parts = [`Imported ${plural(counts.imported, 'article')}`];
        if (counts.updated) parts.push(`${plural(counts.updated, 'new version')}`);
        if (counts.duplicate) parts.push(`${plural(counts.duplicate, 'duplicate')} skipped`);
        if (counts.failed) parts.push(`${counts.failed} failed`);
        const duplicates = outcomes.flatMap((o) => (o.status === 'duplicate' ? [`Already in the library: ${o.title}`] : []));
        const updated = outcomes.flatMap((o) => (o.status === 'updated' ? [`New version of: ${o.title}`] : []));
        if (counts.imported + counts.updated + counts.duplicate > 0)
          notify({ kind: 'status', message: `${parts.join(' · ')}.`, detail: [...updated, ...duplicates].slice(0, 5) });
        const failed = outcomes.flatMap((o) => (o.status === 'failed' ? [o] : []));
        if (failed.length)
          notify({
            kind: 'error',
            message: `${plural(failed.length, 'item')} could not be imported:`,
            detail: failed.map((f) => `${fileName(f.path)}: ${f.reason}`),
          });
      }
      if (counts.imported + counts.updated + counts.duplicate === 0) return;
      await refreshList();
      const open = articleToOpen(outcomes);
      if (open) void openArticle(open);
    },
    [notify, refreshList, openArticle],
  );

  const importing = jobViews.length > 0;

  const importArticles = useCallback(async () => {
    if ([...jobs.current.values()].some((j) => j.label === 'Files')) return;
    try {
      const { value: summary, cancelled, total } = await runJob('Files', null, (job) => {
        publishJobs();
        return call(api().library.import(job.id));
      });
      // A dismissed file dialog answers canceled with nothing done: nothing to tell.
      if (summary.canceled && summary.outcomes.length === 0 && !cancelled) return;
      await finishImport('Files', summary.outcomes, summary.canceled, total);
    } catch (e) {
      fail('Could not import', e);
    }
  }, [runJob, publishJobs, finishImport, fail]);

  /** Imports one web page; resolves to null on success, or to the reason it failed (for the URL dialog to show). */
  const importUrl = useCallback(
    async (url: string, quiet = false): Promise<string | null> => {
      try {
        const { value: summary, cancelled } = await runJob(url, null, (job) => {
          publishJobs();
          return call(api().imports.url(url, job.id));
        });
        const failed = summary.outcomes.find((o) => o.status === 'failed');
        if (quiet && failed && summary.outcomes.length === 1) return `Could not import ${url}: ${failed.reason}`;
        await finishImport(url, summary.outcomes, cancelled, 1);
        return null;
      } catch (e) {
        if (quiet) return describeError(`Could not import ${url}`, e);
        fail(`Could not import ${url}`, e);
        return null;
      }
    },
    [runJob, publishJobs, finishImport, fail],
  );

  const importFromDialog = useCallback(
    async (url: string) => {
      const problem = await importUrl(url, true);
      if (!problem) setDialog(null);
      return problem;
    },
    [importUrl],
  );

  /** Content handed over whole (a drop, the clipboard), in calls under the contract's size limit. */
  const importContent = useCallback(
    async (label: string, files: DroppedFile[], extra: ImportOutcome[] = []) => {
      const outcomes: ImportOutcome[] = [...extra];
      const tooBig = files.filter((f) => f.file.size > MAX_ITEM_BYTES);
      for (const f of tooBig)
        outcomes.push({ status: 'failed', path: f.name, reason: `too large to import (${(f.file.size / 1048576).toFixed(1)} MB; the limit is 50 MB)` });
      const wanted = files.filter((f) => f.file.size <= MAX_ITEM_BYTES);
      if (wanted.length === 0) return finishImport(label, outcomes, false, null);
      try {
        const { cancelled } = await runJob(label, wanted.length, async (job) => {
          publishJobs(wanted.length > 1);
          for (const batch of batches(wanted)) {
            if (job.cancelling) break;
            const items = await Promise.all(batch.map(async (f) => ({ name: f.name, base64: toBase64(new Uint8Array(await f.file.arrayBuffer())) })));
            if (job.cancelling) break;
            const summary: ImportSummary = await call(api().imports.content(items, job.id));
            outcomes.push(...summary.outcomes);
            job.offset += batch.length;
            job.done = Math.max(job.done, job.offset);
            if (summary.canceled) break;
          }
        });
        await finishImport(label, outcomes, cancelled, wanted.length);
      } catch (e) {
        fail('Could not import the dropped content', e);
        if (outcomes.length) await finishImport(label, outcomes, false, wanted.length);
      }
    },
    [runJob, publishJobs, finishImport, fail],
  );

  const importText = useCallback(
    (name: string, text: string) => {
      // A File of a string holds its UTF-8 bytes, which is what main expects.
      const file = new File([text], name, { type: name.endsWith('.html') ? 'text/html' : 'text/plain' });
      return importContent('Clipboard', [{ file, name }]);
    },
    [importContent],
  );

  // ---- feeds ---------------------------------------------------------------------
  const loadFeeds = useCallback(async () => {
    try {
      setFeeds(await call(api().feeds.list()));
    } catch (e) {
      setFeeds([]);
      fail('Could not list the feeds', e);
    }
  }, [fail]);

  const openDialog = useCallback(
    (name: DialogName) => {
      setDialog(name);
      if (name === 'feeds') void loadFeeds();
    },
    [loadFeeds],
  );

  const addFeed = useCallback(async (url: string): Promise<string | null> => {
    try {
      const added = await call(api().feeds.add(url));
      setFeeds((list) => [...(list ?? []).filter((f) => f.id !== added.id), added]);
      return null;
    } catch (e) {
      return describeError(`Could not add the feed ${url}`, e);
    }
  }, []);

  const refreshFeed = useCallback(
    async (id: string) => {
      const feed = feeds?.find((f) => f.id === id);
      setRefreshingFeeds((s) => new Set([...s, id]));
      try {
        const { value, cancelled } = await runJob(feed ? `Feed: ${feed.title}` : 'Feed', null, (job) => call(api().feeds.refresh(id, job.id)));
        setFeeds((list) => list?.map((f) => (f.id === id ? value.feed : f)) ?? list);
        if (value.outcomes.length === 0) notify({ kind: 'status', message: `${value.feed.title}: nothing new.` });
        else await finishImport(`Feed: ${value.feed.title}`, value.outcomes, cancelled || value.canceled, value.outcomes.length);
      } catch (e) {
        fail(`Could not refresh ${feed?.title ?? 'the feed'}`, e);
      } finally {
        setRefreshingFeeds((s) => new Set([...s].filter((x) => x !== id)));
      }
    },
    [feeds, runJob, notify, finishImport, fail],
  );

  const refreshAllFeeds = useCallback(async () => {
    for (const f of feeds ?? []) await refreshFeed(f.id);
  }, [feeds, refreshFeed]);

  const removeFeed = useCallback(
    async (id: string) => {
      try {
        const removed = await call(api().feeds.remove(id));
        setFeeds((list) => list?.filter((f) => f.id !== id) ?? list);
        notify({ kind: 'status', message: `Feed removed: ${removed.title}. Its articles stay in the library.` });
      } catch (e) {
        fail('Could not remove the feed', e);
      }
    },
    [notify, fail],
  );

  const changeSettings = useCallback(
    async (patch: Partial<Pick<Settings, 'theme' | 'fontSize'>>) => {
      const before = settings;
      setSettings({ ...settings, ...patch });
      try {
        setSettings(await call(api().settings.update(patch)));
      } catch (e) {
        setSettings(before);
        fail('Could not save the setting', e);
      }
    },
    [settings, fail],
  );


  // ---- keyboard -----------------------------------------------------------
  // The label picker follows the selection or the clipping it is for.
  useEffect(() => {
    if (!picker) return;
    if (picker.target === 'selection' ? !pending : picker.target.id !== activeId) setPicker(null);
  }, [picker, pending, activeId]);

  const pickerLabels = labelIndex.list;
  const applyPicker = (p: Picker, index: number) => {
    const label = pickerLabels[index];
    if (!label) return;
    setPicker(null);
    if (p.target === 'selection') void highlight(label.id, null);
    else void pickLabel(p.target.id, label.id);
  };
  const openPicker = (target: Picker['target']) => {
    const current = target === 'selection' ? hLabel : detail?.clippings.find((c) => c.id === target.id)?.label;
    setPicker({ target, index: Math.max(0, pickerLabels.findIndex((l) => l.id === current)) });
  };

  const keys = useRef<(e: KeyboardEvent) => void>(() => {});
  keys.current = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.isComposing) return;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (e.key === 'Escape' && (dialog || report)) {
      e.preventDefault();
      if (report) setReport(null);
      else setDialog(null);
      return;
    }
    if (mod && !e.altKey && !e.shiftKey && key === 'o') {
      e.preventDefault();
      void importArticles();
      return;
    }
    if (mod && !e.altKey && !e.shiftKey && key === 'l') {
      e.preventDefault();
      openDialog('url');
      return;
    }
    if (mod && !e.altKey && !e.shiftKey && key === 'k') {
      e.preventDefault();
      if (!report && (!dialog || dialog === 'search')) setDialog('search');
      return;
    }
    // A dialog takes the keys typed into it; the reader's shortcuts wait behind it.
    if (dialog || report) return;
    if (mod && !e.altKey && !e.shiftKey && key === 'e') {
      e.preventDefault();
      void exportCurrent();
      return;
    }
    if (mod && !e.altKey && e.shiftKey && key === 'e') {
      e.preventDefault();
      void openExport(exportTargets.library());
      return;
    }
    const editable = isEditable(e.target);
    if (mod && !e.altKey && e.shiftKey && key === 'c' && !editable && view === 'reader' && activeId && detail?.clippings.some((c) => c.id === activeId)) {
      e.preventDefault();
      void copyCitation(activeId);
      return;
    }
    // In a text field the browser's own undo applies; everywhere else, the clippings' history.
    if (mod && !e.altKey && !editable && (key === 'z' || (key === 'y' && !e.shiftKey))) {
      e.preventDefault();
      if (key === 'y' || e.shiftKey) void redo();
      else void undo();
      return;
    }
    if (picker && !mod && !e.altKey) {
      const n = pickerLabels.length;
      const digit = /^[1-9]$/.test(e.key) ? Number(e.key) - 1 : -1;
      if (key === 'l' || e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const back = e.key === 'ArrowUp' || (key === 'l' && e.shiftKey);
        setPicker({ ...picker, index: (picker.index + (back ? n - 1 : 1)) % Math.max(1, n) });
        return;
      }
      if (e.key === 'Enter' || digit >= 0) {
        e.preventDefault();
        applyPicker(picker, digit >= 0 ? digit : picker.index);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setPicker(null);
        return;
      }
    }
    if (e.key === 'Escape') {
      if (reattachId) cancelReattach();
      else if (pending) {
        window.getSelection()?.removeAllRanges();
        setPending(null);
      } else if (editing) setEditing(null);
      else if (activeId) setActiveId(null);
      else if (selected.size > 0) setSelected(NO_IDS);
      return;
    }
    if (editable || mod || e.altKey) return;
    // The reader's keys are for the reader: not while the clippings view or the press reviews cover it.
    if (view !== 'reader') return;
    if (pending && reattachId) {
      if (e.key === 'Enter') {
        e.preventDefault();
        void attachHere();
      }
      return;
    }
    // u and e act on the selected articles, or else on the open one.
    if ((key === 'u' || key === 'e') && !e.shiftKey) {
      const targets = selectedShown.length > 0 ? selectedShown : detail ? [detail.article] : [];
      if (targets.length === 0) return;
      e.preventDefault();
      if (key === 'u') void toggleRead(targets);
      else void toggleArchive(targets);
      return;
    }
    if (pending && (key === 'h' || key === 'n' || key === 't')) {
      e.preventDefault();
      void highlight(hLabel, key === 'n' ? 'note' : key === 't' ? 'tags' : null);
      return;
    }
    if (key === 'l' && (pending || activeId)) {
      e.preventDefault();
      openPicker(pending ? 'selection' : { id: activeId! });
      return;
    }
    if ((key === 'n' || key === 't') && activeId && detail?.clippings.some((c) => c.id === activeId)) {
      e.preventDefault();
      void editClipping(activeId, key === 'n' ? 'note' : 'tags');
      return;
    }
    if ((key === 'j' || key === 'k') && detail && detail.clippings.length > 0) {
      e.preventDefault();
      const ordered = inReadingOrder(detail.clippings, detail.text);
      const at = ordered.findIndex((c) => c.id === activeId);
      const next = at < 0 ? (key === 'j' ? 0 : ordered.length - 1) : Math.min(ordered.length - 1, Math.max(0, at + (key === 'j' ? 1 : -1)));
      const target = ordered[next];
      if (target) activate(target.id, true);
    }
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // ---- application menu ---------------------------------------------------
  const menu = useRef<(command: MenuCommand) => void>(() => {});
  menu.current = (command: MenuCommand) => {
    if (command === 'import') void importArticles();
    else if (command === 'import-url') openDialog('url');
    else if (command === 'feeds') openDialog('feeds');
    else if (command === 'export') void exportCurrent();
    else if (command === 'export-as') {
      if (detail) void openExport(exportTargets.article(detail.article.id, detail.article.title));
    } else if (command === 'export-library') void openExport(exportTargets.library());
    else if (command === 'press-reviews') openReviews(null);
    else if (isLibraryCommand(command)) void runLibraryCommand(command, notify, fail);
    else {
      const dark = settings.theme === 'dark' || (settings.theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
      void changeSettings({ theme: dark ? 'light' : 'dark' });
    }
  };
  useEffect(() => api().onMenuCommand?.((command) => menu.current(command)), []);

  // ---- drag and drop, paste -----------------------------------------------------
  const dropRef = useRef<(dt: DataTransfer) => void>(() => {});
  dropRef.current = (dt: DataTransfer) => {
    const { entries, files, url } = takeDrop(dt);
    if (entries.length === 0 && files.length === 0) {
      if (url) void importUrl(url);
      return;
    }
    void (async () => {
      let found: DroppedFile[];
      try {
        found = await collectDropped(entries, files);
      } catch (e) {
        fail('Could not read the dropped files', e);
        return;
      }
      if (found.length === 0) notify({ kind: 'status', message: 'Nothing to import: no text, Markdown or HTML files were dropped.' });
      else await importContent(found.length === 1 ? fileName(found[0]!.name) : 'Dropped files', found);
    })();
  };

  const pasteRef = useRef<(e: ClipboardEvent) => void>(() => {});
  pasteRef.current = (e: ClipboardEvent) => {
    // A paste into a text field is the field's; a paste anywhere else is an import.
    if (e.defaultPrevented || isEditable(e.target) || isEditable(document.activeElement) || dialog) return;
    const data = e.clipboardData;
    if (!data) return;
    const text = data.getData('text/plain').trim();
    const html = data.getData('text/html');
    const files = Array.from(data.files).filter((f) => /\.(txt|text|news|md|markdown|html?)$/i.test(f.name));
    if (isWebUrl(text)) void importUrl(text);
    else if (files.length > 0) void importContent('Clipboard', files.map((file) => ({ file, name: file.name })));
    else if (html.trim()) void importText('clipboard.html', asDocument(html));
    else if (text) void importText('clipboard.txt', text);
    else return;
    e.preventDefault();
  };

  useEffect(() => {
    // Only drags that carry files or links: a selection dragged inside the reader is not an import.
    const carries = (e: DragEvent) => {
      const types = Array.from(e.dataTransfer?.types ?? []);
      return types.includes('Files') || types.includes('text/uri-list');
    };
    let depth = 0;
    const onEnter = (e: DragEvent) => {
      if (!carries(e)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const onOver = (e: DragEvent) => {
      if (!carries(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (e: DragEvent) => {
      if (!carries(e)) return;
      depth = Math.max(0, depth - 1);
      // Leaving the window entirely has no related target; entering a child fires enter before leave.
      if (depth === 0 || e.relatedTarget === null) {
        depth = 0;
        setDragging(false);
      }
    };
    const onDrop = (e: DragEvent) => {
      depth = 0;
      setDragging(false);
      if (!e.dataTransfer || !carries(e)) return;
      e.preventDefault();
      dropRef.current(e.dataTransfer);
    };
    const onPaste = (e: ClipboardEvent) => pasteRef.current(e);
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
      document.removeEventListener('paste', onPaste);
    };
  }, []);


  const onSelection = useCallback((s: PendingSelection | null) => setPending(s), []);

  // One object for the sidebar, stable across renders, so that a thousand cards re-render only when theirs changes.
  const toggleCardPicker = (id: string) => {
    if (picker && picker.target !== 'selection' && picker.target.id === id) setPicker(null);
    else openPicker({ id });
  };
  const exportArticleAs = () => {
    if (detail) void openExport(exportTargets.article(detail.article.id, detail.article.title));
  };
  const handlers = { activate, editClipping, deleteClipping, saveClipping, exportCurrent, exportArticleAs, copyCitation, startAddToReview, pickLabel, toggleCardPicker, startReattach, cancelReattach, clipQuote, showQuote, openDialog };
  const latest = useRef(handlers);
  latest.current = handlers;
  const sidebarActions = useMemo<SidebarActions>(
    () => ({
      activate: (id, gently) => {
        setView('reader');
        latest.current.activate(id, false, gently);
      },
      edit: (id) => void latest.current.editClipping(id),
      remove: (id) => void latest.current.deleteClipping(id),
      save: (id, patch) => latest.current.saveClipping(id, patch),
      cancelEdit: () => setEditing(null),
      exportClippings: () => void latest.current.exportCurrent(),
      exportAs: () => latest.current.exportArticleAs(),
      copyCitation: (id) => void latest.current.copyCitation(id),
      addToReview: (id) => latest.current.startAddToReview([id]),
      editLabels: () => latest.current.openDialog('labels'),
      pickLabel: (id, label) => void latest.current.pickLabel(id, label),
      openPicker: (id) => latest.current.toggleCardPicker(id),
      reattach: (id) => latest.current.startReattach(id),
      cancelReattach: () => latest.current.cancelReattach(),
      setTab,
      clipQuote: (q) => void latest.current.clipQuote(q),
      showQuote: (q) => latest.current.showQuote(q),
    }),
    [],
  );
  const reattaching = reattachId ? (detail?.clippings.find((c) => c.id === reattachId) ?? null) : null;

  return (
    <div className="app">
      <div className="col col-library">
        <ArticleList
          articles={articles}
          shown={shown}
          query={query}
          onQuery={changeQuery}
          selected={selected}
          onSelect={setSelected}
          currentId={currentId}
          importing={importing}
          onOpen={(id) => {
            reveal(null);
            setView('reader');
            void openArticle(id);
          }}
          onImport={() => void importArticles()}
          onImportUrl={() => openDialog('url')}
          onFeeds={() => openDialog('feeds')}
          nav={
            <LibraryNav
              clippingsOn={view === 'clippings'}
              clippingCount={clippingTotal}
              clippingsRef={clippingsEntry}
              onSearch={() => setDialog('search')}
              onClippings={() => setView((v) => (v === 'clippings' ? 'reader' : 'clippings'))}
              reviewsOn={view === 'reviews'}
              reviewsRef={reviewsEntry}
              onReviews={() => (view === 'reviews' ? setView('reader') : openReviews(reviewId))}
            />
          }
          tags={
            <TagBrowser
              tree={tree}
              active={query.tag}
              open={tagsOpen}
              onToggleOpen={() => setTagsOpen((o) => !o)}
              onFilter={(tag) => changeQuery({ tag })}
              onRename={(node) => {
                setTagTarget(node);
                setDialog('rename-tag');
              }}
              onDelete={(node) => {
                setTagTarget(node);
                setDialog('delete-tag');
              }}
              onExport={(tag) => void openExport(exportTargets.tag(tag))}
            />
          }
          bulkBar={
            selectedShown.length > 0 && (
              <BulkBar
                count={selectedShown.length}
                allRead={selectedShown.every((a) => a.readingState === 'read')}
                allArchived={selectedShown.every((a) => a.readingState === 'archived')}
                busy={bulkBusy}
                onTag={() => openDialog('bulk-tag')}
                onRead={() => void toggleRead(selectedShown)}
                onArchive={() => void toggleArchive(selectedShown)}
                onClear={() => setSelected(NO_IDS)}
              />
            )
          }
        />
        <ImportProgress jobs={jobViews} onCancel={(id) => void cancelJob(id)} />
        <ViewControls settings={settings} onChange={(p) => void changeSettings(p)} />
      </div>
      <main ref={readerRef} className="col col-reader" aria-label="Reader" inert={view !== 'reader'} onScroll={(e) => onReaderScroll(e.currentTarget)}>
        {detail ? (
          <Reader
            detail={detail}
            labels={labelIndex}
            fontSize={settings.fontSize}
            activeId={activeId}
            flashId={flashId}
            pending={pending}
            currentLabel={hLabel}
            picker={picker?.target === 'selection' ? picker.index : null}
            reattaching={reattaching}
            suggestions={shownAnalysis?.suggestions ?? NO_SUGGESTIONS}
            onSelection={onSelection}
            onHighlight={(label, focus) => void highlight(label, focus)}
            onOpenPicker={() => (picker?.target === 'selection' ? setPicker(null) : openPicker('selection'))}
            onEditLabels={() => openDialog('labels')}
            onAttach={() => void attachHere()}
            onCancelAttach={cancelReattach}
            onMarkClick={(id) => activate(id)}
            onAddTag={(t) => changeArticleTags(detail.article.id, (tags) => (tags.includes(t) ? tags : [...tags, t]))}
            onRemoveTag={(t) => changeArticleTags(detail.article.id, (tags) => tags.filter((x) => x !== t))}
            onEditText={() => openDialog('edit-text')}
            onToggleRead={() => void toggleRead([detail.article])}
            onToggleArchive={() => void toggleArchive([detail.article])}
          />
        ) : detailError ? (
          <div className="reader-placeholder reader-error" role="alert">
            <p>{detailError}</p>
            {currentId && (
              <button type="button" className="btn" onClick={() => void openArticle(currentId)}>
                Try again
              </button>
            )}
          </div>
        ) : currentId ? (
          <div className="reader-placeholder">Opening…</div>
        ) : articles && articles.length === 0 ? (
          <div className="reader-placeholder">
            <p>Your library is empty.</p>
            <p>Import files with Import… ({MOD}+O), a web page ({MOD}+L), or drop files, folders and links here.</p>
          </div>
        ) : (
          <div className="reader-placeholder">Choose an article from the list.</div>
        )}
      </main>
      {(clippingsShown || view === 'clippings') && (
        <ClippingsView
          active={view === 'clippings'}
          labels={labelIndex}
          knownTags={tagNames}
          knownSources={knownSources}
          refresh={libraryVersion}
          preset={clippingsPreset}
          onOpen={(hit) => openFromSearch(hit.articleId, hit.clippingId)}
          onTag={(ids) => {
            setClippingTargets(ids);
            setDialog('tag-clippings');
          }}
          onExport={exportClippings}
          onExportAs={(target) => void openExport(target)}
          onAddToReview={startAddToReview}
          onClose={() => {
            setView('reader');
            clippingsEntry.current?.focus();
          }}
        />
      )}
      {view === 'reviews' && (
        <PressReviews
          openId={reviewId}
          onOpenId={setReviewId}
          labels={labelIndex}
          handle={composer}
          onExport={(id, title) => void openExport(exportTargets.composition(id, title))}
          onFindClippings={() => setView('clippings')}
          onOpenClipping={(articleId, clippingId) => openFromSearch(articleId, clippingId)}
          onClose={() => {
            setView('reader');
            reviewsEntry.current?.focus();
          }}
          notify={(message, action) => notify({ kind: 'status', message, ...(action ? { action } : {}) }, action ? UNDO_MS : 3000)}
          fail={fail}
        />
      )}
      <div className="col col-sidebar">
        <Sidebar
          detail={detail}
          labels={labelIndex}
          activeId={activeId}
          editing={editing}
          exporting={exporting}
          tab={tab}
          quotes={shownAnalysis?.quotes ?? null}
          picker={picker && picker.target !== 'selection' ? { id: picker.target.id, index: picker.index } : null}
          reattachingId={reattachId}
          flushRef={flushRef}
          actions={sidebarActions}
        />
      </div>
      {dialog === 'url' && <UrlDialog onImport={importFromDialog} onClose={() => setDialog(null)} />}
      {dialog === 'feeds' && (
        <FeedsDialog
          feeds={feeds}
          refreshing={refreshingFeeds}
          onAdd={addFeed}
          onRefresh={(id) => void refreshFeed(id)}
          onRefreshAll={() => void refreshAllFeeds()}
          onRemove={(id) => void removeFeed(id)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'labels' && <LabelsDialog labels={labels} onSave={saveLabels} onClose={() => setDialog(null)} />}
      {dialog === 'edit-text' && detail && (
        <EditTextDialog
          title={detail.article.title}
          text={detail.text}
          clippingCount={detail.clippings.length}
          onSave={reviseText}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'rename-tag' && tagTarget && tree && (
        <RenameTagDialog
          node={tagTarget}
          tree={tree}
          onRename={(to) => renameTag(tagTarget.tag, to, tagExists(tree, to))}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'delete-tag' && tagTarget && (
        <DeleteTagDialog
          node={tagTarget}
          articles={articles?.filter((a) => a.tags.some((t) => isUnder(t, tagTarget.tag))).length ?? tagTarget.total.articles}
          onDelete={() => deleteTag(tagTarget.tag)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'bulk-tag' && selectedShown.length > 0 && (
        <BulkTagDialog
          count={selectedShown.length}
          known={tags?.map((t) => t.tag) ?? []}
          onTag={(add) => bulkTag(selectedShown.map((a) => a.id), add)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'tag-clippings' && clippingTargets.length > 0 && (
        <BulkTagDialog count={clippingTargets.length} noun="clipping" known={tagNames} onTag={(add) => bulkTag([], add, clippingTargets)} onClose={() => setDialog(null)} />
      )}
      {dialog === 'search' && (
        <SearchPalette
          labels={labelIndex}
          knownTags={tagNames}
          knownSources={knownSources}
          memory={paletteMemory}
          refresh={libraryVersion}
          onOpenArticle={(id) => openFromSearch(id)}
          onOpenClipping={(hit) => openFromSearch(hit.articleId, hit.clippingId)}
          onShowAllClippings={showAllClippings}
          onExport={(request) => void openExport(exportTargets.search(request.query, request.filters))}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'export' && exportTarget && <ExportDialog target={exportTarget} onDone={exportDone} onClose={() => setDialog(null)} />}
      {dialog === 'add-review' && reviewClippings.length > 0 && (
        <AddToReviewDialog count={reviewClippings.length} onAdd={addToReview} onClose={() => setDialog(null)} />
      )}
      {report && <SummaryDialog report={report} onClose={() => setReport(null)} />}
      {dragging && <DropOverlay />}
      <Toasts toasts={toasts} onDismiss={dismiss} />
    </div>
  );
}

const NO_SUGGESTIONS: ArticleAnalysis['suggestions'] = [];

/**
 * Clipboard HTML is usually a fragment (`<meta charset><h1>…`), and main's
 * article extraction finds nothing in a fragment: give it a whole document.
 */
function asDocument(html: string): string {
  return /<body[\s>]/i.test(html) ? html : `<!doctype html><html><head><meta charset="utf-8"></head><body>${html}</body></html>`;
}

/**
 * Scrolls the nearest scrolling ancestor only. Chromium lets one smooth
 * scrollIntoView cancel another, and we scroll the reader and the sidebar at
 * once, so each container is scrolled on its own.
 */
function scrollWithin(element: HTMLElement, block: 'center' | 'nearest', smooth: boolean) {
  scrollRectWithin(element, element.getBoundingClientRect(), block, smooth);
}

/** Scrolls the nearest scrolling ancestor of `element` only, so that `rect` (a passage inside it) is in view. */
function scrollRectWithin(element: HTMLElement, rect: DOMRect, block: 'center' | 'nearest', smooth: boolean) {
  let scroller = element.parentElement;
  while (scroller && !/(auto|scroll)/.test(getComputedStyle(scroller).overflowY)) scroller = scroller.parentElement;
  if (!scroller) return;
  const box = scroller.getBoundingClientRect();
  let delta = 0;
  if (block === 'center') delta = rect.top + rect.height / 2 - (box.top + box.height / 2);
  else if (rect.top < box.top) delta = rect.top - box.top - 8;
  else if (rect.bottom > box.bottom) delta = Math.min(rect.bottom - box.bottom + 8, rect.top - box.top - 8);
  if (Math.abs(delta) > 1) scroller.scrollBy({ top: delta, behavior: smooth ? 'smooth' : 'auto' });
}

/** A title cut for a message. */
function shortTitle(title: string, max = 50): string {
  return title.length > max ? `${title.slice(0, max - 1)}…` : title;
}

/** A tag (or a branch of tags) of that name is already in the library: renaming onto it merges. */
function tagExists(tree: readonly TagNode[], tag: string): boolean {
  return findNode(tree, tag) !== null;
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { MenuCommand } from '../../electron/ipc/events';
import type { ArticleDetail, ArticleSummary, Clipping, Color } from '../../electron/library/model';
import type { Settings } from '../../electron/settings/settings';
import { api, call, describeError } from './api';
import { ArticleList } from './components/ArticleList';
import { Reader, type PendingSelection } from './components/Reader';
import { Sidebar, type ClippingPatch, type Editing } from './components/Sidebar';
import { Toasts, type Toast } from './components/Toasts';
import { ViewControls } from './components/ViewControls';
import { MOD, fileName, isEditable, plural } from './lib/format';
import { inReadingOrder } from './lib/segments';
import { useTheme } from './useTheme';

const FALLBACK_SETTINGS: Settings = { theme: 'system', fontSize: 19, windowBounds: null, libraryDir: null, lastArticleId: null };
const STATUS_MS = 6000;
const UNDO_MS = 10000;

export function App() {
  const [settings, setSettings] = useState<Settings>(FALLBACK_SETTINGS);
  const [articles, setArticles] = useState<ArticleSummary[] | null>(null);
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [detail, setDetail] = useState<ArticleDetail | null>(null);
  const [detailError, setDetailError] = useState<string | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [flashId, setFlashId] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [color, setColor] = useState<Color>('yellow');
  const [pending, setPending] = useState<PendingSelection | null>(null);
  const [exporting, setExporting] = useState(false);
  const [importing, setImporting] = useState(false);
  const [toasts, setToasts] = useState<Toast[]>([]);

  const flushRef = useRef<(() => Promise<void>) | null>(null);
  /** Deleted clippings, newest last: what Ctrl+Z brings back. */
  const undoStack = useRef<{ clipping: Clipping; toastId: number }[]>([]);
  const openRequest = useRef(0);
  const toastSeq = useRef(0);
  /** Article tag changes run one after another, each on the tags main last returned. */
  const tagQueue = useRef<Promise<void>>(Promise.resolve());
  const knownTags = useRef(new Map<string, string[]>());

  useTheme(settings.theme);

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
  const refreshList = useCallback(async () => {
    try {
      setArticles(await call(api().articles.list()));
    } catch (e) {
      fail('Could not refresh the article list', e);
    }
  }, [fail]);

  const openArticle = useCallback(
    async (id: string, remember = true) => {
      await flushRef.current?.();
      const request = ++openRequest.current;
      setCurrentId(id);
      setDetailError(null);
      setEditing(null);
      setActiveId(null);
      window.getSelection()?.removeAllRanges();
      try {
        const value = await call(api().articles.get(id));
        if (request !== openRequest.current) return;
        knownTags.current.set(value.article.id, value.article.tags);
        setDetail(value);
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
    [fail],
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
      let list: ArticleSummary[];
      try {
        list = await call(api().articles.list());
        if (cancelled) return;
        setArticles(list);
      } catch (e) {
        setArticles([]);
        fail('Could not open the library', e);
        return;
      }
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
  }, [fail, notify, openArticle]);

  // ---- clippings ----------------------------------------------------------
  const putClipping = useCallback((c: Clipping) => {
    setDetail((d) =>
      d && d.article.id === c.articleId
        ? { ...d, clippings: d.clippings.some((x) => x.id === c.id) ? d.clippings.map((x) => (x.id === c.id ? c : x)) : [...d.clippings, c] }
        : d,
    );
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
      setActiveId(id);
      scrollToClipping(id, focusCard, gently);
    },
    [scrollToClipping],
  );

  const highlight = useCallback(
    async (chosen: Color, focus: 'note' | 'tags' | null) => {
      if (!detail || !pending) return;
      // Let go of the selection at once, so the next one can start while this one is saved.
      const { start, end, exact } = pending;
      window.getSelection()?.removeAllRanges();
      setPending(null);
      setColor(chosen);
      await flushRef.current?.();
      try {
        const created = await call(api().clippings.create({ articleId: detail.article.id, start, end, exact, color: chosen }));
        putClipping(created);
        setActiveId(created.id);
        setEditing({ id: created.id, focus, nonce: Date.now() });
        void refreshList();
      } catch (e) {
        fail('Could not save the highlight', e);
      }
    },
    [detail, pending, putClipping, refreshList, fail],
  );

  const saveClipping = useCallback(
    async (id: string, patch: ClippingPatch) => {
      try {
        const updated = await call(api().clippings.update({ id, ...patch }));
        putClipping(updated);
        setEditing((e) => (e?.id === id ? null : e));
        setColor(updated.color);
        return true;
      } catch (e) {
        fail('Could not save the clipping', e);
        return false;
      }
    },
    [putClipping, fail],
  );

  const editClipping = useCallback(
    async (id: string) => {
      if (editing?.id !== id) await flushRef.current?.();
      setActiveId(id);
      setEditing({ id, focus: 'note', nonce: Date.now() });
    },
    [editing],
  );

  const restore = useCallback(
    async (clipping: Clipping) => {
      const entry = undoStack.current.find((u) => u.clipping.id === clipping.id);
      undoStack.current = undoStack.current.filter((u) => u.clipping.id !== clipping.id);
      if (entry) dismiss(entry.toastId);
      try {
        const restored = await call(api().clippings.restore(clipping));
        putClipping(restored);
        setActiveId(restored.id);
        notify({ kind: 'status', message: 'Clipping restored.' }, 3000);
        void refreshList();
      } catch (e) {
        fail('Could not restore the clipping', e);
      }
    },
    [dismiss, putClipping, notify, refreshList, fail],
  );

  const deleteClipping = useCallback(
    async (id: string) => {
      try {
        const deleted = await call(api().clippings.delete(id));
        setDetail((d) => (d ? { ...d, clippings: d.clippings.filter((c) => c.id !== id) } : d));
        setEditing((e) => (e?.id === id ? null : e));
        setActiveId((a) => (a === id ? null : a));
        const quote = deleted.target.quote.exact;
        const toastId = notify(
          {
            kind: 'status',
            message: `Clipping deleted: “${quote.length > 60 ? `${quote.slice(0, 59)}…` : quote}”`,
            action: { label: 'Undo', title: `Undo (${MOD}+Z)`, run: () => void restore(deleted) },
          },
          UNDO_MS,
        );
        undoStack.current = [...undoStack.current.slice(-19), { clipping: deleted, toastId }];
        void refreshList();
      } catch (e) {
        fail('Could not delete the clipping', e);
      }
    },
    [notify, restore, refreshList, fail],
  );

  const undoLastDelete = useCallback(() => {
    const last = undoStack.current[undoStack.current.length - 1];
    if (last) void restore(last.clipping);
  }, [restore]);

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
        } catch (e) {
          fail('Could not save the article tags', e);
        }
      });
    },
    [fail],
  );

  const exportCurrent = useCallback(async () => {
    if (!detail || exporting) return;
    await flushRef.current?.();
    setExporting(true);
    try {
      const result = await call(api().export.markdown([detail.article.id]));
      if (!result.canceled)
        notify({
          kind: 'status',
          message: `Exported ${plural(detail.clippings.length, 'clipping')} to ${result.path}`,
        });
    } catch (e) {
      fail('Could not export the clippings', e);
    } finally {
      setExporting(false);
    }
  }, [detail, exporting, notify, fail]);

  const importArticles = useCallback(async () => {
    setImporting(true);
    try {
      const summary = await call(api().library.import());
      if (summary.canceled) return;
      const imported = summary.outcomes.filter((o) => o.status === 'imported');
      const duplicates = summary.outcomes.filter((o) => o.status === 'duplicate');
      const failed = summary.outcomes.flatMap((o) => (o.status === 'failed' ? [o] : []));
      const parts = [`Imported ${plural(imported.length, 'article')}`];
      if (duplicates.length) parts.push(`${plural(duplicates.length, 'duplicate')} skipped`);
      if (failed.length) parts.push(`${failed.length} failed`);
      notify({
        kind: 'status',
        message: `${parts.join(' · ')}.`,
        detail: duplicates.map((d) => `Already in the library: ${d.title}`).slice(0, 5),
      });
      if (failed.length)
        notify({
          kind: 'error',
          message: `${plural(failed.length, 'file')} could not be imported:`,
          detail: failed.map((f) => `${fileName(f.path)}: ${f.reason}`),
        });
      await refreshList();
      const first = imported[0];
      if (first) void openArticle(first.id);
    } catch (e) {
      fail('Could not import', e);
    } finally {
      setImporting(false);
    }
  }, [notify, refreshList, openArticle, fail]);

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
  const keys = useRef<(e: KeyboardEvent) => void>(() => {});
  keys.current = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.isComposing) return;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (mod && !e.altKey && !e.shiftKey && key === 'e') {
      e.preventDefault();
      void exportCurrent();
      return;
    }
    const editable = isEditable(e.target);
    if (mod && !e.altKey && !e.shiftKey && key === 'z' && !editable && undoStack.current.length > 0) {
      e.preventDefault();
      undoLastDelete();
      return;
    }
    if (e.key === 'Escape') {
      if (pending) {
        window.getSelection()?.removeAllRanges();
        setPending(null);
      } else if (editing) setEditing(null);
      else if (activeId) setActiveId(null);
      return;
    }
    if (editable || mod || e.altKey) return;
    if (pending && (key === 'h' || key === 'n' || key === 't')) {
      e.preventDefault();
      void highlight(color, key === 'n' ? 'note' : key === 't' ? 'tags' : null);
      return;
    }
    if ((key === 'j' || key === 'k') && detail && detail.clippings.length > 0) {
      e.preventDefault();
      const ordered = inReadingOrder(detail.clippings);
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
    else if (command === 'export') void exportCurrent();
    else {
      const dark = settings.theme === 'dark' || (settings.theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
      void changeSettings({ theme: dark ? 'light' : 'dark' });
    }
  };
  useEffect(() => api().onMenuCommand?.((command) => menu.current(command)), []);

  const onSelection = useCallback((s: PendingSelection | null) => setPending(s), []);

  return (
    <div className="app">
      <div className="col col-library">
        <ArticleList articles={articles} currentId={currentId} importing={importing} onOpen={(id) => void openArticle(id)} onImport={() => void importArticles()} />
        <ViewControls settings={settings} onChange={(p) => void changeSettings(p)} />
      </div>
      <main className="col col-reader" aria-label="Reader">
        {detail ? (
          <Reader
            detail={detail}
            fontSize={settings.fontSize}
            activeId={activeId}
            flashId={flashId}
            pending={pending}
            color={color}
            onSelection={onSelection}
            onHighlight={(c, focus) => void highlight(c, focus)}
            onMarkClick={(id) => activate(id)}
            onAddTag={(t) => changeArticleTags(detail.article.id, (tags) => (tags.includes(t) ? tags : [...tags, t]))}
            onRemoveTag={(t) => changeArticleTags(detail.article.id, (tags) => tags.filter((x) => x !== t))}
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
            <p>Import news text files with Import… to start clipping.</p>
          </div>
        ) : (
          <div className="reader-placeholder">Choose an article from the list.</div>
        )}
      </main>
      <div className="col col-sidebar">
        <Sidebar
          detail={detail}
          activeId={activeId}
          editing={editing}
          exporting={exporting}
          flushRef={flushRef}
          onActivate={(id, gently) => activate(id, false, gently)}
          onEdit={(id) => void editClipping(id)}
          onDelete={(id) => void deleteClipping(id)}
          onSave={saveClipping}
          onCancelEdit={() => setEditing(null)}
          onExport={() => void exportCurrent()}
        />
      </div>
      <Toasts toasts={toasts} onDismiss={dismiss} />
    </div>
  );
}

/**
 * Scrolls the nearest scrolling ancestor only. Chromium lets one smooth
 * scrollIntoView cancel another, and we scroll the reader and the sidebar at
 * once, so each container is scrolled on its own.
 */
function scrollWithin(element: HTMLElement, block: 'center' | 'nearest', smooth: boolean) {
  let scroller = element.parentElement;
  while (scroller && !/(auto|scroll)/.test(getComputedStyle(scroller).overflowY)) scroller = scroller.parentElement;
  if (!scroller) return;
  const box = scroller.getBoundingClientRect();
  const rect = element.getBoundingClientRect();
  let delta = 0;
  if (block === 'center') delta = rect.top + rect.height / 2 - (box.top + box.height / 2);
  else if (rect.top < box.top) delta = rect.top - box.top - 8;
  else if (rect.bottom > box.bottom) delta = Math.min(rect.bottom - box.bottom + 8, rect.top - box.top - 8);
  if (Math.abs(delta) > 1) scroller.scrollBy({ top: delta, behavior: smooth ? 'smooth' : 'auto' });
}

import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type MutableRefObject, type ReactNode } from 'react';
import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { SortableContext, arrayMove, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import type { ClippingRef } from '../../../electron/ipc/contract';
import type { Composition, CompositionItem } from '../../../electron/library/model';
import { api, call, describeError } from '../api';
import { MOD, formatDate, isEditable, plural } from '../lib/format';
import { labelOf, type LabelIndex } from '../lib/labels';
import { Dialog } from './ImportDialogs';
import { LabelSwatch } from './Labels';
import { ArrowDownIcon, ArrowUpIcon, ClipIcon, CloseIcon, ExportIcon, PlusIcon, QuoteIcon, TrashIcon } from './icons';

/** Autosave this long after the last change. */
const SAVE_DELAY_MS = 900;
const LAST_REVIEW_KEY = 'cuttings.review.last';

/** What the app can ask of the editor on screen: clippings added from elsewhere go into its own state, not past it. */
export type ComposerHandle = { id: string; append: (clippingIds: readonly string[]) => { added: number; skipped: number } };

type Notify = (message: string, action?: { label: string; title?: string; run: () => void }) => void;

type Props = {
  /** The press review open in the editor; null lists them all. */
  openId: string | null;
  onOpenId: (id: string | null) => void;
  labels: LabelIndex;
  handle: MutableRefObject<ComposerHandle | null>;
  onExport: (id: string, title: string) => void;
  /** To the clippings view, to pick clippings and "Add to press review…" them. */
  onFindClippings: () => void;
  onOpenClipping: (articleId: string, clippingId: string) => void;
  onClose: () => void;
  notify: Notify;
  fail: (action: string, error: unknown) => void;
};

/** The last press review worked on: where "Add to press review…" adds by default. */
export function rememberReview(id: string): void {
  try {
    localStorage.setItem(LAST_REVIEW_KEY, id);
  } catch {
    // Not kept: the dialog then offers the newest one.
  }
}
function lastReview(): string | null {
  try {
    return localStorage.getItem(LAST_REVIEW_KEY);
  } catch {
    return null;
  }
}

/**
 * Press reviews, in place of the reader: the saved ones, and the one being
 * composed — a title, an introduction and an ordered list of section
 * headings and clippings from any articles, reordered by dragging the
 * handle or from the keyboard.
 */
export function PressReviews(props: Props) {
  return (
    <section className="reviews-view" aria-labelledby="reviews-title" data-testid="press-reviews">
      {props.openId ? <CompositionEditor key={props.openId} id={props.openId} {...props} /> : <CompositionList {...props} />}
    </section>
  );
}

// ---- the list ------------------------------------------------------------------------

function CompositionList({ onOpenId, onClose, notify, fail }: Props) {
  const [list, setList] = useState<Composition[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const deleted = useRef<Composition[]>([]);

  const load = useCallback(async () => {
    try {
      setList(await call(api().compositions.list()));
      setError(null);
    } catch (e) {
      setError(describeError('Could not list the press reviews', e));
    }
  }, []);
  useEffect(() => void load(), [load]);

  const create = async () => {
    if (creating) return;
    setCreating(true);
    try {
      const made = await call(api().compositions.save({ title: 'Untitled press review', introduction: '', items: [] }));
      rememberReview(made.id);
      onOpenId(made.id);
    } catch (e) {
      fail('Could not create the press review', e);
    } finally {
      setCreating(false);
    }
  };

  const restore = useCallback(
    async (c: Composition) => {
      try {
        await call(api().compositions.save({ id: c.id, title: c.title, introduction: c.introduction, items: c.items }));
        deleted.current = deleted.current.filter((d) => d.id !== c.id);
        notify(`Press review restored: “${c.title}”`);
        await load();
      } catch (e) {
        fail(`Could not restore “${c.title}”`, e);
      }
    },
    [load, notify, fail],
  );

  const remove = async (c: Composition) => {
    try {
      const gone = await call(api().compositions.delete(c.id));
      deleted.current.push(gone);
      setList((l) => l?.filter((x) => x.id !== c.id) ?? l);
      notify(`Press review deleted: “${gone.title}”`, { label: 'Undo', title: `Undo (${MOD}+Z)`, run: () => void restore(gone) });
    } catch (e) {
      fail(`Could not delete “${c.title}”`, e);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'z' && !isEditable(e.target)) {
      // Before the app's own Ctrl+Z (the clippings' history), which this view is not about.
      e.preventDefault();
      const last = deleted.current.at(-1);
      if (last) void restore(last);
      else notify('Nothing to undo.');
    }
  };

  return (
    <div className="reviews-pane" onKeyDown={onKeyDown}>
      <header className="clippings-head">
        <h2 id="reviews-title">
          <QuoteIcon />
          Press reviews
        </h2>
        <span className="clippings-count">{list ? plural(list.length, 'press review') : ''}</span>
        <button type="button" className="btn btn-primary" data-testid="new-review" disabled={creating} onClick={() => void create()}>
          <PlusIcon />
          <span>New press review</span>
        </button>
        <button type="button" className="icon-btn" aria-label="Back to the reader" title="Back to the reader" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      {error && (
        <p className="search-error" role="alert">
          {error}{' '}
          <button type="button" className="link-btn" onClick={() => void load()}>
            Try again
          </button>
        </p>
      )}
      <div className="reviews-scroller">
        {list === null ? (
          <p className="clippings-empty">{error ? '' : 'Reading the press reviews…'}</p>
        ) : list.length === 0 ? (
          <div className="clippings-empty reviews-empty">
            <p>No press reviews yet.</p>
            <p>
              A press review gathers clippings from many articles in the order you choose, with section headings and an introduction, and exports as a clip book.
              Start one here, or select clippings in All clippings and choose “Add to press review…”.
            </p>
          </div>
        ) : (
          <ul className="review-list" aria-label="Press reviews">
            {list.map((c) => {
              const clips = c.items.filter((i) => i.kind === 'clipping').length;
              const heads = c.items.length - clips;
              return (
                <li key={c.id} className="review-row" data-testid="review-row" data-review-id={c.id}>
                  <button type="button" className="review-open" onClick={() => onOpenId(c.id)} title="Open it to edit, reorder and export">
                    <span className="review-title">{c.title}</span>
                    <span className="review-meta">
                      {plural(clips, 'clipping')}
                      {heads > 0 && ` · ${plural(heads, 'section')}`} · changed {formatDate(c.updatedAt, 'short')}
                    </span>
                  </button>
                  <button type="button" className="icon-btn icon-btn-danger" aria-label={`Delete press review ${c.title}`} title={`Delete (${MOD}+Z undoes)`} onClick={() => void remove(c)}>
                    <TrashIcon />
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}

// ---- the editor ------------------------------------------------------------------------

/** An item as the editor holds it: a key of its own, so that the same clipping twice, or a heading being typed, keeps its row. */
type Row = { key: string; item: CompositionItem };
type Draft = { title: string; introduction: string; rows: Row[] };
type SaveState = 'saved' | 'dirty' | 'saving' | 'error' | 'invalid';

let rowSeq = 0;
const newKey = () => `row-${++rowSeq}`;
const toRows = (items: readonly CompositionItem[]): Row[] => items.map((item) => ({ key: newKey(), item }));
const itemsOf = (rows: readonly Row[]): CompositionItem[] => rows.map((r) => (r.item.kind === 'heading' ? { kind: 'heading', text: r.item.text.trim() } : r.item));
const snapshot = (d: Draft) => JSON.stringify({ t: d.title.trim(), i: d.introduction, items: itemsOf(d.rows) });

function problemOf(d: Draft): string | null {
  if (!d.title.trim()) return 'Give the press review a title to save it.';
  if (d.rows.some((r) => r.item.kind === 'heading' && !r.item.text.trim())) return 'A section heading is empty: type it, or remove it.';
  return null;
}

function CompositionEditor({ id, labels, handle, onOpenId, onExport, onFindClippings, onOpenClipping, notify, fail }: Props & { id: string }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [refs, setRefs] = useState<ReadonlyMap<string, ClippingRef>>(new Map());
  const [missing, setMissing] = useState<ReadonlySet<string>>(new Set());
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [saveError, setSaveError] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<string | null>(null);
  const saved = useRef<string>('');
  const saving = useRef<Promise<boolean> | null>(null);
  const undoStack = useRef<Row[][]>([]);
  const focusAfter = useRef<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const hintId = useId();

  // ---- loading -----------------------------------------------------------------
  const lookup = useCallback(async (ids: readonly string[]) => {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return;
    const { found, missing: gone } = await call(api().clippings.lookup(wanted));
    setRefs((m) => new Map([...m, ...found.map((r) => [r.id, r] as const)]));
    if (gone.length) setMissing((s) => new Set([...s, ...gone]));
  }, []);

  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const c = await call(api().compositions.get(id));
        if (!live) return;
        const d = { title: c.title, introduction: c.introduction, rows: toRows(c.items) };
        saved.current = snapshot(d);
        setDraft(d);
        setUpdatedAt(c.updatedAt);
        rememberReview(c.id);
        await lookup(c.items.flatMap((i) => (i.kind === 'clipping' ? [i.clippingId] : [])));
      } catch (e) {
        if (live) setLoadError(describeError('Could not open the press review', e));
      }
    })();
    return () => {
      live = false;
    };
  }, [id, lookup]);

  // ---- saving ------------------------------------------------------------------
  const save = useCallback(async (): Promise<boolean> => {
    // One save at a time; a change made meanwhile is saved by the next one.
    while (saving.current) await saving.current;
    const d = draftRef.current;
    if (!d) return true;
    const snap = snapshot(d);
    if (snap === saved.current) {
      setSaveState('saved');
      return true;
    }
    const problem = problemOf(d);
    if (problem) {
      setSaveState('invalid');
      setSaveError(problem);
      return false;
    }
    setSaveState('saving');
    const work = (async () => {
      try {
        const c = await call(api().compositions.save({ id, title: d.title.trim(), introduction: d.introduction, items: itemsOf(d.rows) }));
        saved.current = snap;
        setUpdatedAt(c.updatedAt);
        setSaveError(null);
        setSaveState(snapshot(draftRef.current ?? d) === snap ? 'saved' : 'dirty');
        return true;
      } catch (e) {
        setSaveState('error');
        setSaveError(describeError('Could not save the press review', e));
        return false;
      }
    })();
    saving.current = work;
    try {
      return await work;
    } finally {
      saving.current = null;
    }
  }, [id]);

  const dirty = draft !== null && snapshot(draft) !== saved.current;
  useEffect(() => {
    if (!draft) return;
    if (!dirty) {
      if (saveState === 'dirty' || saveState === 'invalid') setSaveState('saved');
      return;
    }
    const problem = problemOf(draft);
    setSaveState(problem ? 'invalid' : 'dirty');
    setSaveError(problem);
    if (problem) return;
    const timer = window.setTimeout(() => void save(), SAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
    // saveState is what this sets, not what it reads for timing.
  }, [draft, dirty, save]);

  // Leaving the editor (another view, another review) saves what is unsaved.
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => () => void saveRef.current(), []);

  // ---- changing the items -------------------------------------------------------------
  const change = useCallback((rows: Row[], focus: string | null = null) => {
    const d = draftRef.current;
    if (!d) return;
    undoStack.current.push(d.rows);
    if (undoStack.current.length > 100) undoStack.current.shift();
    focusAfter.current = focus;
    setDraft({ ...d, rows });
  }, []);

  const undo = useCallback(() => {
    const previous = undoStack.current.pop();
    const d = draftRef.current;
    if (!previous || !d) {
      notify('Nothing to undo in this press review.');
      return;
    }
    setDraft({ ...d, rows: previous });
    notify('Undone.');
  }, [notify]);

  const move = (key: string, by: number) => {
    const rows = draftRef.current?.rows ?? [];
    const from = rows.findIndex((r) => r.key === key);
    const to = from + by;
    if (from < 0 || to < 0 || to >= rows.length) return;
    change(arrayMove(rows, from, to), key);
  };

  const remove = (key: string) => {
    const rows = draftRef.current?.rows ?? [];
    const at = rows.findIndex((r) => r.key === key);
    if (at < 0) return;
    const next = rows.filter((r) => r.key !== key);
    const gone = rows[at]!;
    change(next, next[Math.min(at, next.length - 1)]?.key ?? null);
    // The toast's Undo takes back this removal only, and only while it is the latest change.
    const depth = undoStack.current.length;
    const what = gone.item.kind === 'heading' ? `Section “${gone.item.text || 'untitled'}”` : 'Clipping';
    notify(`${what} removed from the press review.`, {
      label: 'Undo',
      title: `Undo (${MOD}+Z)`,
      run: () => {
        if (undoStack.current.length === depth && draftRef.current && !draftRef.current.rows.some((r) => r.key === gone.key)) undo();
        else notify(`That removal was already undone, or changes were made after it: use ${MOD}+Z.`);
      },
    });
  };

  const addHeading = () => {
    const rows = draftRef.current?.rows ?? [];
    const key = newKey();
    change([...rows, { key, item: { kind: 'heading', text: 'New section' } }], key);
  };

  const setHeading = (key: string, text: string) => {
    const d = draftRef.current;
    if (!d) return;
    // Typing is not a structural change: the field's own undo covers it.
    setDraft({ ...d, rows: d.rows.map((r) => (r.key === key && r.item.kind === 'heading' ? { ...r, item: { kind: 'heading', text } } : r)) });
  };

  // Clippings added from elsewhere while this review is open go into this draft.
  useEffect(() => {
    handle.current = {
      id,
      append: (clippingIds) => {
        const rows = draftRef.current?.rows ?? [];
        const have = new Set(rows.flatMap((r) => (r.item.kind === 'clipping' ? [r.item.clippingId] : [])));
        const fresh = clippingIds.filter((c) => !have.has(c));
        if (fresh.length > 0) {
          change([...rows, ...fresh.map((clippingId) => ({ key: newKey(), item: { kind: 'clipping' as const, clippingId } }))]);
          void lookup(fresh).catch((e: unknown) => fail('Could not read the added clippings', e));
        }
        return { added: fresh.length, skipped: clippingIds.length - fresh.length };
      },
    };
    return () => {
      if (handle.current?.id === id) handle.current = null;
    };
  }, [handle, id, change, lookup, fail]);

  // Focus follows the item moved, or goes to the next one after a removal.
  useEffect(() => {
    const key = focusAfter.current;
    if (!key) return;
    focusAfter.current = null;
    const row = listRef.current?.querySelector<HTMLElement>(`[data-row-key="${CSS_escape(key)}"]`);
    const heading = row?.querySelector<HTMLInputElement>('.review-heading-input');
    if (heading && heading.value === 'New section') {
      heading.focus();
      heading.select();
    } else row?.querySelector<HTMLElement>('.drag-handle')?.focus({ preventScroll: false });
  }, [draft]);

  // ---- drag and drop ----------------------------------------------------------------------
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const rows = useMemo(() => draft?.rows ?? [], [draft]);
  const keys = useMemo(() => rows.map((r) => r.key), [rows]);
  const describe = useCallback(
    (key: UniqueIdentifier | undefined) => {
      const at = rows.findIndex((r) => r.key === key);
      const row = rows[at];
      if (!row) return 'the item';
      if (row.item.kind === 'heading') return `section “${row.item.text}”`;
      const ref = refs.get(row.item.clippingId);
      return ref ? `clipping “${ref.quote.slice(0, 60)}”` : 'a clipping';
    },
    [rows, refs],
  );
  const position = useCallback((key: UniqueIdentifier | undefined) => `${rows.findIndex((r) => r.key === key) + 1} of ${rows.length}`, [rows]);
  const announcements = useMemo<Announcements>(
    () => ({
      onDragStart: ({ active }) => `Picked up ${describe(active.id)}, at position ${position(active.id)}.`,
      onDragOver: ({ active, over }) => (over ? capital(`${describe(active.id)} is over position ${position(over.id)}.`) : undefined),
      onDragEnd: ({ active, over }) => capital(over ? `${describe(active.id)} dropped at position ${position(over.id)}.` : `${describe(active.id)} dropped.`),
      onDragCancel: ({ active }) => `Moving ${describe(active.id)} was cancelled; it is back where it was.`,
    }),
    [describe, position],
  );
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = keys.indexOf(String(active.id));
    const to = keys.indexOf(String(over.id));
    if (from >= 0 && to >= 0) change(arrayMove(rows, from, to));
  };

  // ---- keys --------------------------------------------------------------------------------
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.nativeEvent.isComposing) return;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (mod && !e.altKey && !e.shiftKey && key === 's') {
      e.preventDefault();
      void save();
      return;
    }
    if (mod && !e.altKey && !e.shiftKey && key === 'z' && !isEditable(e.target)) {
      e.preventDefault();
      undo();
    }
  };
  const onRowKeyDown = (e: KeyboardEvent, key: string) => {
    if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      move(key, e.key === 'ArrowUp' ? -1 : 1);
      return;
    }
    if ((e.key === 'Delete' || e.key === 'Backspace') && !isEditable(e.target)) {
      e.preventDefault();
      remove(key);
    }
  };

  const exportIt = async () => {
    const d = draftRef.current;
    if (!d) return;
    // What is exported is what is on screen: saved first.
    if (!(await save())) return;
    onExport(id, d.title.trim());
  };

  if (loadError)
    return (
      <div className="reviews-pane">
        <EditorHead onBack={() => onOpenId(null)} />
        <p className="search-error" role="alert">
          {loadError}
        </p>
      </div>
    );
  if (!draft)
    return (
      <div className="reviews-pane">
        <EditorHead onBack={() => onOpenId(null)} />
        <p className="clippings-empty">Opening the press review…</p>
      </div>
    );

  const clipCount = rows.filter((r) => r.item.kind === 'clipping').length;
  const status =
    saveState === 'saving'
      ? 'Saving…'
      : saveState === 'dirty'
        ? 'Unsaved changes'
        : saveState === 'invalid'
          ? 'Not saved'
          : saveState === 'error'
            ? 'Not saved'
            : `Saved${updatedAt ? ` · ${new Date(updatedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` : ''}`;

  return (
    <div className="reviews-pane" onKeyDown={onKeyDown}>
      <EditorHead onBack={() => onOpenId(null)}>
        <span className={`review-status is-${saveState}`} role="status" data-testid="review-status" data-state={saveState}>
          {status}
        </span>
        <button type="button" className="btn" title={`Save now (${MOD}+S); changes are also saved as you go`} aria-keyshortcuts="Control+S" disabled={!dirty || saveState === 'saving'} onClick={() => void save()}>
          Save
        </button>
        <button type="button" className="btn btn-primary" data-testid="review-export" disabled={clipCount === 0} title="Export the press review as a clip book (HTML, PDF, Markdown…)" onClick={() => void exportIt()}>
          <ExportIcon />
          <span>Export…</span>
        </button>
      </EditorHead>
      <div className="reviews-scroller">
        <div className="review-editor">
          <input
            className="review-title-input"
            aria-label="Press review title"
            data-testid="review-title"
            value={draft.title}
            maxLength={500}
            placeholder="Title of the press review"
            onChange={(e) => setDraft({ ...draft, title: e.target.value })}
          />
          <label className="review-intro">
            <span>Introduction</span>
            <textarea
              value={draft.introduction}
              rows={3}
              maxLength={20_000}
              data-testid="review-intro"
              placeholder="A few lines before the clippings (Markdown: **bold**, *italic*, [link](https://…))"
              onChange={(e) => setDraft({ ...draft, introduction: e.target.value })}
            />
          </label>
          {saveError && (
            <p className="field-error" role="alert" data-testid="review-error">
              {saveError}
            </p>
          )}
          <div className="review-items-head">
            <h3>
              {plural(clipCount, 'clipping')}
              {rows.length > clipCount && `, ${plural(rows.length - clipCount, 'section')}`}
            </h3>
            <button type="button" className="btn btn-small" data-testid="review-add-heading" onClick={addHeading} title="Add a section heading at the end">
              <PlusIcon />
              <span>Add heading</span>
            </button>
            <button type="button" className="btn btn-small" onClick={onFindClippings} title="Pick clippings in All clippings, then “Add to press review…”">
              <ClipIcon />
              <span>Add clippings…</span>
            </button>
          </div>
          {rows.length === 0 ? (
            <p className="review-empty">
              No clippings yet. Choose “Add clippings…”, select some in All clippings and click “Add to press review…”, or add one from a clipping’s ⋯ menu in the reader.
            </p>
          ) : (
            <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={{ announcements, screenReaderInstructions: { draggable: DRAG_INSTRUCTIONS } }}>
              <SortableContext items={keys} strategy={verticalListSortingStrategy}>
                <ol className="review-items" ref={listRef} aria-label="Items of the press review" aria-describedby={hintId} data-testid="review-items">
                  {rows.map((row, index) => (
                    <SortableRow
                      key={row.key}
                      row={row}
                      index={index}
                      count={rows.length}
                      clipping={row.item.kind === 'clipping' ? refs.get(row.item.clippingId) : undefined}
                      missing={row.item.kind === 'clipping' && missing.has(row.item.clippingId)}
                      labels={labels}
                      onKeyDown={(e) => onRowKeyDown(e, row.key)}
                      onMove={(by) => move(row.key, by)}
                      onRemove={() => remove(row.key)}
                      onHeading={(text) => setHeading(row.key, text)}
                      onOpenClipping={onOpenClipping}
                    />
                  ))}
                </ol>
              </SortableContext>
            </DndContext>
          )}
          <p className="review-hint" id={hintId}>
            Drag an item by its handle to reorder. From the keyboard: <kbd>Alt</kbd>+<kbd>↑</kbd>/<kbd>↓</kbd> moves the focused item, or <kbd>Space</kbd> on the handle picks it up, arrows
            move it, <kbd>Space</kbd> drops it. <kbd>Delete</kbd> removes it, <kbd>{MOD}</kbd>+<kbd>Z</kbd> undoes.
          </p>
        </div>
      </div>
    </div>
  );
}

const DRAG_INSTRUCTIONS =
  'To pick up the item, press Space or Enter. While dragging, use the up and down arrow keys to move it. Press Space or Enter again to drop it in its new place, or Escape to cancel. Alt with the up or down arrow moves it one place at once.';

function EditorHead({ onBack, children }: { onBack: () => void; children?: ReactNode }) {
  return (
    <header className="clippings-head review-head">
      <button type="button" className="btn btn-quiet btn-small" onClick={onBack} title="All press reviews" data-testid="review-back">
        ← Press reviews
      </button>
      <h2 id="reviews-title" className="sr-only">
        Press review
      </h2>
      <span className="review-head-space" />
      {children}
    </header>
  );
}

type RowProps = {
  row: Row;
  index: number;
  count: number;
  clipping: ClippingRef | undefined;
  missing: boolean;
  labels: LabelIndex;
  onKeyDown: (e: KeyboardEvent) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
  onHeading: (text: string) => void;
  onOpenClipping: (articleId: string, clippingId: string) => void;
};

function SortableRow({ row, index, count, clipping, missing, labels, onKeyDown, onMove, onRemove, onHeading, onOpenClipping }: RowProps) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: row.key });
  const heading = row.item.kind === 'heading' ? row.item : null;
  const label = clipping ? labelOf(labels, clipping.label) : null;
  const name = heading ? `section “${heading.text}”` : clipping ? `clipping “${clipping.quote.slice(0, 80)}”` : 'clipping';
  return (
    <li
      ref={setNodeRef}
      data-row-key={row.key}
      data-testid="review-item"
      data-kind={row.item.kind}
      data-clipping-id={row.item.kind === 'clipping' ? row.item.clippingId : undefined}
      className={`review-item${heading ? ' is-heading' : ''}${isDragging ? ' is-dragging' : ''}${label ? ` card-${label.color}` : ''}`}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      onKeyDown={onKeyDown}
    >
      <button
        type="button"
        ref={setActivatorNodeRef}
        className="drag-handle"
        data-testid="drag-handle"
        {...attributes}
        {...listeners}
        aria-label={`Move ${name}, position ${index + 1} of ${count}`}
        aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown Delete"
        title="Drag to reorder (Alt+↑/↓ moves it; Delete removes it)"
      >
        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" className="icon">
          {[4, 8, 12].flatMap((y) => [6, 10].map((x) => <circle key={`${x}-${y}`} cx={x} cy={y} r="1.3" fill="currentColor" />))}
        </svg>
      </button>
      {heading ? (
        <input
          className="review-heading-input"
          aria-label="Section heading"
          value={heading.text}
          maxLength={500}
          placeholder="Section heading"
          onChange={(e) => onHeading(e.target.value)}
        />
      ) : (
        <div className="review-clip">
          {missing ? (
            <p className="review-missing">This clipping was deleted; it is left out of the export. Remove it, or undo its deletion in the reader.</p>
          ) : clipping ? (
            <>
              <p className="review-quote" data-testid="review-quote">
                {label && <LabelSwatch label={label} size="small" />}“{clipping.quote}”
              </p>
              <p className="review-meta review-clip-meta">
                <button type="button" className="link-btn review-article" title={`Open the clipping in its article: ${clipping.articleTitle}`} onClick={() => onOpenClipping(clipping.articleId, clipping.id)}>
                  {clipping.articleTitle}
                </button>
                {clipping.source && <span className="review-source">{clipping.source}</span>}
                {clipping.published && <span className="review-date">{formatDate(clipping.published, 'short')}</span>}
              </p>
            </>
          ) : (
            <p className="review-meta">Reading the clipping…</p>
          )}
        </div>
      )}
      <span className="review-item-actions">
        <button type="button" className="icon-btn" aria-label={`Move up ${name}`} title="Move up (Alt+↑)" disabled={index === 0} onClick={() => onMove(-1)}>
          <ArrowUpIcon />
        </button>
        <button type="button" className="icon-btn" aria-label={`Move down ${name}`} title="Move down (Alt+↓)" disabled={index === count - 1} onClick={() => onMove(1)}>
          <ArrowDownIcon />
        </button>
        <button type="button" className="icon-btn icon-btn-danger" aria-label={`Remove ${name}`} title={`Remove from the press review (${MOD}+Z undoes)`} data-testid="review-remove" onClick={onRemove}>
          <TrashIcon />
        </button>
      </span>
    </li>
  );
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function CSS_escape(value: string): string {
  return typeof CSS !== 'undefined' && 'escape' in CSS ? (globalThis.CSS as { escape: (s: string) => string }).escape(value) : value;
}

// ---- adding clippings ----------------------------------------------------------------------

/** Where "Add to press review…" adds: a saved one, or a new one of this title. */
export type ReviewChoice = { id: string } | { title: string };

/**
 * "Add to press review…" (the clippings view's selection, a clipping's menu
 * in the reader): pick a saved press review, or name a new one. onAdd
 * resolves to null when done, or to the reason it was not.
 */
export function AddToReviewDialog({ count, onAdd, onClose }: { count: number; onAdd: (choice: ReviewChoice) => Promise<string | null>; onClose: () => void }) {
  const [list, setList] = useState<Composition[] | null>(null);
  const [picked, setPicked] = useState<string>('new');
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = useId();
  useEffect(() => {
    call(api().compositions.list()).then(
      (l) => {
        setList(l);
        const last = lastReview();
        setPicked(l.find((c) => c.id === last)?.id ?? l[0]?.id ?? 'new');
      },
      (e: unknown) => {
        setList([]);
        setError(describeError('Could not list the press reviews', e));
      },
    );
  }, []);
  const submit = async () => {
    if (busy) return;
    const choice: ReviewChoice = picked === 'new' ? { title: title.trim() || 'Untitled press review' } : { id: picked };
    setBusy(true);
    setError(null);
    const problem = await onAdd(choice);
    setBusy(false);
    if (problem) setError(problem);
  };
  return (
    <Dialog title={`Add ${plural(count, 'clipping')} to a press review`} onClose={onClose} className="dialog-add-review" testId="add-review-dialog">
      <form
        className="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {list === null ? (
          <p className="dialog-hint">Reading the press reviews…</p>
        ) : (
          <fieldset className="add-review-choices">
            <legend className="sr-only">Press review</legend>
            {list.map((c) => (
              <label key={c.id} className={`add-review-choice${picked === c.id ? ' is-on' : ''}`}>
                <input type="radio" name={name} checked={picked === c.id} data-autofocus={picked === c.id ? true : undefined} onChange={() => setPicked(c.id)} />
                <span className="add-review-title">{c.title}</span>
                <span className="add-review-meta">{plural(c.items.filter((i) => i.kind === 'clipping').length, 'clipping')}</span>
              </label>
            ))}
            <label className={`add-review-choice${picked === 'new' ? ' is-on' : ''}`}>
              <input type="radio" name={name} checked={picked === 'new'} data-autofocus={picked === 'new' ? true : undefined} onChange={() => setPicked('new')} />
              <span className="add-review-title">New press review</span>
            </label>
            {picked === 'new' && (
              <input
                className="field"
                aria-label="Title of the new press review"
                placeholder="Title, e.g. Weekly review, 6 December"
                value={title}
                maxLength={500}
                onChange={(e) => setTitle(e.target.value)}
              />
            )}
          </fieldset>
        )}
        <p className="dialog-hint">Clippings already in the press review are not added twice. They go at its end; reorder them there.</p>
        <p className="field-error" role="alert" data-testid="add-review-error">
          {error}
        </p>
        <div className="dialog-actions">
          <button type="button" className="btn btn-quiet" onClick={onClose} title="Close (Esc)" aria-keyshortcuts="Escape">
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || list === null} data-testid="add-review-submit">
            {busy ? 'Adding…' : 'Add'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * Adds clippings to a press review that is not open in the editor: read it,
 * append those it lacks, save. (The open one is changed through its editor.)
 */
export async function appendToReview(choice: ReviewChoice, clippingIds: readonly string[]): Promise<{ composition: Composition; added: number; skipped: number }> {
  if ('title' in choice) {
    const composition = await call(api().compositions.save({ title: choice.title, introduction: '', items: clippingIds.map((clippingId) => ({ kind: 'clipping', clippingId })) }));
    rememberReview(composition.id);
    return { composition, added: clippingIds.length, skipped: 0 };
  }
  const current = await call(api().compositions.get(choice.id));
  const have = new Set(current.items.flatMap((i) => (i.kind === 'clipping' ? [i.clippingId] : [])));
  const fresh = [...new Set(clippingIds)].filter((c) => !have.has(c));
  const composition =
    fresh.length === 0
      ? current
      : await call(
          api().compositions.save({ id: current.id, title: current.title, introduction: current.introduction, items: [...current.items, ...fresh.map((clippingId) => ({ kind: 'clipping' as const, clippingId }))] }),
        );
  rememberReview(composition.id);
  return { composition, added: fresh.length, skipped: clippingIds.length - fresh.length };
}


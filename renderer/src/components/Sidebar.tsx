import { memo, useDeferredValue, useEffect, useMemo, useRef, useState, type MutableRefObject } from 'react';
import type { ArticleDetail, Clipping, QuoteFinding } from '../../../electron/library/model';
import { blockAt, blockStarts, inReadingOrder, isOrphan } from '../lib/segments';
import { MOD, reanchoredNote } from '../lib/format';
import { labelOf, quoteLabel, type LabelIndex, type LabelView } from '../lib/labels';
import { noteHtml } from '../lib/markdown';
import { LabelPicker, LabelSwatch } from './Labels';
import { TagEditor } from './TagEditor';
import { AttachIcon, ClipIcon, EditIcon, ExportIcon, LabelIcon, MoreIcon, TrashIcon } from './icons';
import { PopupMenu } from './PopupMenu';

export type ClippingPatch = { label: string; note: string; tags: string[] };
export type Editing = { id: string; focus: 'note' | 'tags' | null; nonce: number };
export type SidebarTab = 'clippings' | 'quotes';
/** The article's detected quotations, as far as they are known. */
export type QuotesState = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; quotes: QuoteFinding[] };

/** What the sidebar asks the app to do. The object is stable across renders, so that cards can be memoised. */
export type SidebarActions = {
  /** gently: only scroll when the passage is out of view (a click into the editor). */
  activate: (id: string, gently?: boolean) => void;
  edit: (id: string) => void;
  remove: (id: string) => void;
  save: (id: string, patch: ClippingPatch) => Promise<boolean>;
  cancelEdit: () => void;
  exportClippings: () => void;
  /** The export dialog for the open article (every format). */
  exportAs: () => void;
  /** Copies the clipping as a citation (Ctrl+Shift+C). */
  copyCitation: (id: string) => void;
  addToReview: (id: string) => void;
  editLabels: () => void;
  pickLabel: (id: string, label: string) => void;
  /** Opens (or closes) the label picker of a clipping. */
  openPicker: (id: string) => void;
  reattach: (id: string) => void;
  cancelReattach: () => void;
  setTab: (tab: SidebarTab) => void;
  clipQuote: (quote: QuoteFinding) => void;
  showQuote: (quote: QuoteFinding) => void;
};

type Props = {
  detail: ArticleDetail | null;
  labels: LabelIndex;
  activeId: string | null;
  editing: Editing | null;
  exporting: boolean;
  tab: SidebarTab;
  quotes: QuotesState | null;
  /** The label picker of the active clipping, while open. */
  picker: { id: string; index: number } | null;
  reattachingId: string | null;
  /** The open editor puts here a function that saves its unsaved changes, so switching away never loses them. */
  flushRef: MutableRefObject<(() => Promise<void>) | null>;
  actions: SidebarActions;
};

export function Sidebar(props: Props) {
  const { actions, tab } = props;
  // A newly opened article's cards (a thousand, say) are rendered after its text, in a pass
  // that yields to the browser: the reader comes first. Changes within the same article are
  // shown at once.
  const deferred = useDeferredValue(props.detail);
  const detail = props.detail && deferred?.article.id !== props.detail.article.id ? null : props.detail;
  const opening = props.detail !== null && detail === null;
  const clippings = useMemo(() => (detail ? inReadingOrder(detail.clippings, detail.text) : []), [detail]);
  const starts = useMemo(() => (detail ? blockStarts(detail.blocks) : []), [detail]);
  const orphanIds = useMemo(() => new Set(detail ? detail.clippings.filter((c) => isOrphan(c, detail.text)).map((c) => c.id) : []), [detail]);
  const firstOrphan = clippings.find((c) => orphanIds.has(c.id))?.id;
  const quotes = props.quotes?.status === 'ready' ? props.quotes.quotes : null;

  return (
    <aside className="sidebar" aria-label="Clippings and quotes">
      <header className="sidebar-head">
        <div className="tabs" role="tablist" aria-label="Sidebar">
          <button
            type="button"
            role="tab"
            id="tab-clippings"
            aria-controls="panel-clippings"
            aria-selected={tab === 'clippings'}
            className={`tab${tab === 'clippings' ? ' is-on' : ''}`}
            onClick={() => actions.setTab('clippings')}
          >
            Clippings {detail && <span className="sidebar-count">{clippings.length}</span>}
          </button>
          <button
            type="button"
            role="tab"
            id="tab-quotes"
            aria-controls="panel-quotes"
            aria-selected={tab === 'quotes'}
            className={`tab${tab === 'quotes' ? ' is-on' : ''}`}
            title="Direct quotations found in the article, with who said them"
            onClick={() => actions.setTab('quotes')}
          >
            Quotes {quotes && <span className="sidebar-count">{quotes.length}</span>}
          </button>
        </div>
        <span className="sidebar-tools">
          <button type="button" className="icon-btn" aria-label="Edit labels" title="Labels: rename, recolour, add, reorder, remove" onClick={actions.editLabels}>
            <LabelIcon />
          </button>
          <button
            type="button"
            className="icon-btn"
            aria-label="Export clippings as Markdown"
            title={`Export clippings as Markdown (${MOD}+E)`}
            aria-keyshortcuts="Control+E"
            disabled={!detail || props.exporting}
            onClick={actions.exportClippings}
          >
            <ExportIcon />
          </button>
          <button
            type="button"
            className="icon-btn"
            aria-label="Export in another format…"
            title="Export the article’s clippings: HTML or PDF clip book, Web Annotations, CSV, text…"
            aria-haspopup="dialog"
            data-testid="sidebar-export-as"
            disabled={!detail}
            onClick={actions.exportAs}
          >
            <MoreIcon />
          </button>
        </span>
      </header>
      <div className="sidebar-panel" role="tabpanel" id="panel-clippings" aria-labelledby="tab-clippings" hidden={tab !== 'clippings'}>
        {opening ? (
          <p className="sidebar-note">Opening the clippings…</p>
        ) : !detail ? null : clippings.length === 0 ? (
          <div className="sidebar-empty">
            <p>No clippings yet.</p>
            <p>
              Select a passage in the article, then pick a label. <kbd>H</kbd> highlights, <kbd>L</kbd> picks a label, <kbd>N</kbd> adds a note,{' '}
              <kbd>T</kbd> adds tags. The Quotes tab lists the article’s quotations.
            </p>
          </div>
        ) : (
          <ol className="card-list">
            {clippings.map((c) => (
              <li key={c.id}>
                {c.id === firstOrphan && (
                  <p className="card-list-divider" data-testid="orphans-heading" title="Their words are no longer in the article’s text: re-attach them to other words, or delete them">
                    Not in the current text
                  </p>
                )}
                <ClippingCard
                  clipping={c}
                  label={labelOf(props.labels, c.label)}
                  labels={props.labels.list}
                  paragraph={blockAt(starts, c.target.position.start) + 1}
                  orphan={orphanIds.has(c.id)}
                  active={c.id === props.activeId}
                  editing={props.editing?.id === c.id ? props.editing : null}
                  picker={props.picker?.id === c.id ? props.picker.index : null}
                  reattaching={props.reattachingId === c.id}
                  flushRef={props.flushRef}
                  actions={actions}
                />
              </li>
            ))}
          </ol>
        )}
        {detail && clippings.length > 0 && (
          <p className="sidebar-hint">
            <kbd>J</kbd>/<kbd>K</kbd> next · <kbd>L</kbd> label · <kbd>N</kbd> note · <kbd>{MOD}+Z</kbd> undo
          </p>
        )}
      </div>
      <div className="sidebar-panel" role="tabpanel" id="panel-quotes" aria-labelledby="tab-quotes" hidden={tab !== 'quotes'}>
        {detail && <QuotesPanel state={props.quotes} clippings={clippings} orphanIds={orphanIds} labels={props.labels} actions={actions} />}
      </div>
    </aside>
  );
}

// ---- clipping cards -------------------------------------------------------------

type CardProps = {
  clipping: Clipping;
  label: LabelView;
  labels: readonly LabelView[];
  paragraph: number;
  orphan: boolean;
  active: boolean;
  editing: Editing | null;
  picker: number | null;
  reattaching: boolean;
  flushRef: MutableRefObject<(() => Promise<void>) | null>;
  actions: SidebarActions;
};

const ClippingCard = memo(function ClippingCard({ clipping: c, label, labels, paragraph, orphan, active, editing, picker, reattaching, flushRef, actions }: CardProps) {
  const moved = c.anchor?.state === 'reanchored';
  const [menu, setMenu] = useState<{ x: number; y: number; opener: HTMLElement } | null>(null);
  return (
    <article
      data-testid="clipping-card"
      data-clipping-id={c.id}
      data-anchor={orphan ? 'orphan' : (c.anchor?.state ?? 'anchored')}
      className={`card card-${label.color}${active ? ' is-active' : ''}${editing ? ' is-editing' : ''}${orphan ? ' is-orphan' : ''}${reattaching ? ' is-reattaching' : ''}`}
      onClick={(e) => {
        // Anywhere on the card brings its passage into view, except the card's own controls and links.
        const target = e.target instanceof Element ? e.target : null;
        if (target?.closest('.card-actions, .chip-remove, .editor-actions, .editor-labels, .label-picker, .card-orphan-actions, .menu, a')) return;
        actions.activate(c.id, Boolean(target?.closest('.editor')));
      }}
    >
      <div className="card-head">
        <LabelSwatch label={label} size="small" />
        <button
          type="button"
          className="card-label"
          data-testid="clipping-label"
          title={`Label: ${label.name}. Change it (L)`}
          aria-label={`Label ${label.name}: change`}
          aria-keyshortcuts="L"
          aria-expanded={picker !== null}
          onClick={() => actions.openPicker(c.id)}
        >
          {label.name}
        </button>
        {orphan ? null : (
          <span className="card-where" title={`Paragraph ${paragraph}${reanchoredNote(c)}`}>
            ¶ {paragraph}
          </span>
        )}
        <span className="card-actions">
          <button
            type="button"
            className="icon-btn"
            aria-label="More actions for this clipping"
            title={`Copy as citation (${MOD}+Shift+C), add to a press review`}
            aria-haspopup="menu"
            aria-expanded={menu !== null}
            data-testid="clipping-menu-button"
            onClick={(e) => {
              const r = e.currentTarget.getBoundingClientRect();
              setMenu(menu ? null : { x: r.right - 220, y: r.bottom + 2, opener: e.currentTarget });
            }}
          >
            <MoreIcon />
          </button>
          <button
            type="button"
            className="icon-btn"
            aria-label="Edit clipping"
            title="Edit note, tags and label (N; T for the tags)"
            aria-keyshortcuts="N T"
            onClick={() => actions.edit(c.id)}
          >
            <EditIcon />
          </button>
          <button
            type="button"
            className="icon-btn icon-btn-danger"
            aria-label="Delete clipping"
            title={`Delete clipping (${MOD}+Z undoes)`}
            onClick={() => actions.remove(c.id)}
          >
            <TrashIcon />
          </button>
        </span>
      </div>
      {menu && (
        <PopupMenu
          label="Clipping"
          x={menu.x}
          y={menu.y}
          opener={menu.opener}
          testId="clipping-menu"
          onClose={() => setMenu(null)}
          items={[
            { label: 'Copy as citation', shortcut: `${MOD}+Shift+C`, keys: 'Control+Shift+C', run: () => actions.copyCitation(c.id), testId: 'menu-copy-citation' },
            { label: 'Add to press review…', run: () => actions.addToReview(c.id), testId: 'menu-add-review' },
          ]}
        />
      )}
      {picker !== null && <LabelPicker labels={labels} current={c.label} highlighted={picker} onPick={(l) => actions.pickLabel(c.id, l)} onEditLabels={actions.editLabels} />}
      <button
        type="button"
        className="card-quote"
        title={orphan ? 'Not found in the current text of the article' : 'Go to the passage (J / K: next / previous clipping)'}
        aria-keyshortcuts={orphan ? undefined : 'J K'}
      >
        {c.target.quote.exact}
      </button>
      {moved && !orphan && (
        <p className="card-moved" data-testid="clipping-reanchored" title="The article’s text changed; this clipping was found again and moved with its words.">
          Re-attached after the text changed
          {c.anchor?.confidence !== undefined && <span className="card-confidence"> · {Math.round(c.anchor.confidence * 100)}% sure</span>}
        </p>
      )}
      {orphan && (
        <div className="card-orphan-actions">
          <p className="card-orphan" data-testid="clipping-orphan" title="The article’s text changed and these words are no longer in it. The quote, note and tags are kept.">
            Not found in the current text
          </p>
          {reattaching ? (
            <button type="button" className="btn btn-small" onClick={actions.cancelReattach} title="Stop re-attaching (Esc)" aria-keyshortcuts="Escape">
              Cancel
            </button>
          ) : (
            <button
              type="button"
              className="btn btn-small"
              title="Attach this clipping to words you select in the article"
              onClick={() => actions.reattach(c.id)}
            >
              <AttachIcon />
              <span>Re-attach</span>
            </button>
          )}
        </div>
      )}
      {editing ? (
        <ClippingEditor
          key={c.id}
          clipping={c}
          labels={labels}
          editing={editing}
          flushRef={flushRef}
          onSave={(patch) => actions.save(c.id, patch)}
          onCancel={actions.cancelEdit}
        />
      ) : (
        <>
          {c.note.trim() && <div className="card-note" data-testid="clipping-note" dangerouslySetInnerHTML={{ __html: noteHtml(c.note) }} />}
          {c.tags.length > 0 && (
            <div className="card-tags">
              {c.tags.map((t) => (
                <span className="chip chip-small" data-testid="clipping-tag" key={t}>
                  {t}
                </span>
              ))}
            </div>
          )}
        </>
      )}
    </article>
  );
});

type EditorProps = {
  clipping: Clipping;
  labels: readonly LabelView[];
  editing: Editing;
  flushRef: MutableRefObject<(() => Promise<void>) | null>;
  onSave: (patch: ClippingPatch) => Promise<boolean>;
  onCancel: () => void;
};

function ClippingEditor({ clipping, labels, editing, flushRef, onSave, onCancel }: EditorProps) {
  const [note, setNote] = useState(clipping.note);
  const [tags, setTags] = useState<string[]>(clipping.tags);
  const [tagDraft, setTagDraft] = useState('');
  const [label, setLabel] = useState(clipping.label);
  const [saving, setSaving] = useState(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const tagRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const target = editing.focus === 'note' ? noteRef.current : editing.focus === 'tags' ? tagRef.current : null;
    if (!target) return;
    target.focus();
    if (target instanceof HTMLTextAreaElement) target.setSelectionRange(target.value.length, target.value.length);
  }, [editing.focus, editing.nonce]);

  const finalTags = () => {
    const pending = tagDraft.trim();
    return pending && !tags.includes(pending) ? [...tags, pending] : tags;
  };
  const dirty = note !== clipping.note || label !== clipping.label || finalTags().join('\u0000') !== clipping.tags.join('\u0000');

  const save = async () => {
    if (saving) return;
    setSaving(true);
    const ok = await onSave({ label, note, tags: finalTags() });
    // On failure the editor stays open with the user's text; the error is shown by the app.
    if (!ok) setSaving(false);
  };

  const latest = useRef({ dirty, save });
  latest.current = { dirty, save };
  useEffect(() => {
    const flush = async () => {
      if (latest.current.dirty) await latest.current.save();
    };
    flushRef.current = flush;
    return () => {
      if (flushRef.current === flush) flushRef.current = null;
    };
  }, [flushRef]);

  return (
    <form
      className="editor"
      aria-label="Clipping editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onCancel();
        } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void save();
        }
      }}
    >
      <div className="editor-labels" role="radiogroup" aria-label="Label">
        {labels.map((l) => (
          <button
            key={l.id}
            type="button"
            role="radio"
            aria-checked={l.id === label}
            title={`Label: ${l.name}`}
            className={`label-btn label-btn-small${l.id === label ? ' is-current' : ''}`}
            onClick={() => setLabel(l.id)}
          >
            <LabelSwatch label={l} size="small" />
            <span>{l.name}</span>
          </button>
        ))}
      </div>
      <textarea
        ref={noteRef}
        aria-label="Note"
        placeholder="Note (Markdown: **bold**, *italic*, [link](https://…))…"
        rows={3}
        maxLength={20_000}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <TagEditor
        tags={tags}
        inputRef={tagRef}
        onAdd={(t) => setTags((ts) => [...ts, t])}
        onRemove={(t) => setTags((ts) => ts.filter((x) => x !== t))}
        inputLabel="Add a tag"
        placeholder="Add a passage tag…"
        removeLabel={(t) => `Remove passage tag ${t}`}
        chipTestId="editor-tag"
        draft={tagDraft}
        onDraftChange={setTagDraft}
      />
      <div className="editor-actions">
        <button type="button" className="btn btn-quiet" title="Discard the changes (Esc)" aria-keyshortcuts="Escape" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" title={`Save note, tags and label (${MOD}+Enter)`} aria-keyshortcuts="Control+Enter" disabled={saving}>
          Save
        </button>
      </div>
    </form>
  );
}

// ---- quotes ------------------------------------------------------------------------

type QuotesProps = {
  state: QuotesState | null;
  /** In reading order. */
  clippings: readonly Clipping[];
  orphanIds: ReadonlySet<string>;
  labels: LabelIndex;
  actions: SidebarActions;
};

/** A quotation counts as clipped when a clipping (with a place in the text) covers all of its words. */
function clippingOver(q: QuoteFinding, clippings: readonly Clipping[], orphanIds: ReadonlySet<string>): Clipping | undefined {
  return clippings.find((c) => !orphanIds.has(c.id) && c.target.position.start <= q.start && c.target.position.end >= q.end);
}

function QuotesPanel({ state, clippings, orphanIds, labels, actions }: QuotesProps) {
  const clipLabel = quoteLabel(labels.list)?.name ?? 'quote';
  if (!state || state.status === 'loading') return <p className="sidebar-note">Looking for quotations…</p>;
  if (state.status === 'error')
    return (
      <p className="sidebar-note sidebar-note-error" role="alert">
        {state.message}
      </p>
    );
  if (state.quotes.length === 0)
    return (
      <div className="sidebar-empty">
        <p>No direct quotations found.</p>
        <p>Quotations are words in quotation marks, with who said them when the article names them.</p>
      </div>
    );
  return (
    <ol className="quote-list">
      {state.quotes.map((q) => {
        const clipped = clippingOver(q, clippings, orphanIds);
        const label = clipped ? labelOf(labels, clipped.label) : null;
        return (
          <li key={`${q.start}-${q.end}`} className={`quote-item${clipped ? ' is-clipped' : ''}`} data-testid="quote-item">
            <button type="button" className="quote-text" title="Show it in the article" onClick={() => actions.showQuote(q)}>
              “{q.exact}”
            </button>
            <div className="quote-foot">
              <span className="quote-speaker" data-testid="quote-speaker" title={ATTRIBUTION[q.attribution]}>
                {q.speaker ? `— ${q.speaker}` : 'Speaker not named'}
              </span>
              {clipped && label ? (
                <button
                  type="button"
                  className="btn btn-small btn-quiet quote-clipped"
                  data-testid="quote-clipped"
                  title="Already clipped: show the clipping"
                  onClick={() => actions.activate(clipped.id)}
                >
                  <LabelSwatch label={label} size="small" />
                  <span>Clipped</span>
                </button>
              ) : (
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={`Clip quote: ${q.exact.slice(0, 60)}`}
                  title={`Clip it with the label “${clipLabel}”${q.speaker ? ` and the note “Speaker: ${q.speaker}”` : ''}`}
                  onClick={() => actions.clipQuote(q)}
                >
                  <ClipIcon />
                  <span>Clip</span>
                </button>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

const ATTRIBUTION: Record<QuoteFinding['attribution'], string> = {
  explicit: 'Named next to the quotation',
  pronoun: 'Attributed through “he said” / “she said” to the last person named',
  none: 'Nobody is named for this quotation',
};

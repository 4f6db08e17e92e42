import { useEffect, useRef, useState, type MutableRefObject } from 'react';
import type { ArticleDetail, Clipping, Color } from '../../../electron/library/model';
import { blockStarts, inReadingOrder, isOrphan } from '../lib/segments';
import { COLORS, MOD, colorName, plural, reanchoredNote } from '../lib/format';
import { TagEditor } from './TagEditor';
import { EditIcon, ExportIcon, TrashIcon } from './icons';

export type ClippingPatch = { color: Color; note: string; tags: string[] };
export type Editing = { id: string; focus: 'note' | 'tags' | null; nonce: number };

type Props = {
  detail: ArticleDetail | null;
  activeId: string | null;
  editing: Editing | null;
  exporting: boolean;
  /** The open editor puts here a function that saves its unsaved changes, so switching away never loses them. */
  flushRef: MutableRefObject<(() => Promise<void>) | null>;
  /** gently: only scroll when the passage is out of view (a click into the editor). */
  onActivate: (id: string, gently?: boolean) => void;
  onEdit: (id: string) => void;
  onDelete: (id: string) => void;
  onSave: (id: string, patch: ClippingPatch) => Promise<boolean>;
  onCancelEdit: () => void;
  onExport: () => void;
};

export function Sidebar(props: Props) {
  const { detail } = props;
  const clippings = detail ? inReadingOrder(detail.clippings, detail.text) : [];
  const starts = detail ? blockStarts(detail.blocks) : [];
  const paragraphOf = (c: Clipping) => {
    let index = 0;
    starts.forEach((s, i) => {
      if (s <= c.target.position.start) index = i;
    });
    return index + 1;
  };

  return (
    <aside className="sidebar" aria-label="Clippings">
      <header className="sidebar-head">
        <h2>
          Clippings {detail && <span className="sidebar-count">{clippings.length}</span>}
        </h2>
        <button
          type="button"
          className="btn btn-quiet"
          aria-label="Export clippings as Markdown"
          title={`Export clippings as Markdown (${MOD}+E)`}
          aria-keyshortcuts="Control+E"
          disabled={!detail || props.exporting}
          onClick={props.onExport}
        >
          <ExportIcon />
          <span>{props.exporting ? 'Exporting…' : 'Export'}</span>
        </button>
      </header>
      {!detail ? null : clippings.length === 0 ? (
        <div className="sidebar-empty">
          <p>No clippings yet.</p>
          <p>
            Select a passage in the article, then pick a colour. <kbd>H</kbd> highlights, <kbd>N</kbd> adds a note, <kbd>T</kbd> adds
            tags.
          </p>
        </div>
      ) : (
        <ol className="card-list">
          {clippings.map((c) => (
            <li key={c.id}>
              <ClippingCard
                {...props}
                clipping={c}
                paragraph={paragraphOf(c)}
                orphan={isOrphan(c, detail.text)}
                active={c.id === props.activeId}
                editing={props.editing?.id === c.id ? props.editing : null}
              />
            </li>
          ))}
        </ol>
      )}
      {detail && clippings.length > 0 && (
        <p className="sidebar-hint">
          <kbd>J</kbd>/<kbd>K</kbd> next / previous clipping · {plural(clippings.length, 'clipping')}
        </p>
      )}
    </aside>
  );
}

type CardProps = Props & {
  clipping: Clipping;
  paragraph: number;
  orphan: boolean;
  active: boolean;
  editing: Editing | null;
};

function ClippingCard({ clipping: c, paragraph, orphan, active, editing, ...props }: CardProps) {
  return (
    <article
      data-testid="clipping-card"
      data-clipping-id={c.id}
      data-anchor={orphan ? 'orphan' : (c.anchor?.state ?? 'anchored')}
      className={`card card-${c.color}${active ? ' is-active' : ''}${editing ? ' is-editing' : ''}${orphan ? ' is-orphan' : ''}`}
      onClick={(e) => {
        // Anywhere on the card brings its passage into view, except the card's own action buttons.
        const target = e.target instanceof Element ? e.target : null;
        if (target?.closest('.card-actions, .chip-remove, .editor-actions, .editor-colors')) return;
        props.onActivate(c.id, Boolean(target?.closest('.editor')));
      }}
    >
      <div className="card-head">
        <span className={`dot dot-${c.color}`} aria-hidden="true" />
        <span className="card-color">{colorName(c.color)}</span>
        {orphan ? null : (
          <span className="card-where" title={`Paragraph ${paragraph}${reanchoredNote(c)}`}>
            ¶ {paragraph}
            {c.anchor?.state === 'reanchored' && (
              <span className="card-moved" data-testid="clipping-reanchored" aria-label={reanchoredNote(c).trim().slice(1, -1)}>
                {' '}
                ↷
              </span>
            )}
          </span>
        )}
        <span className="card-actions">
          <button type="button" className="icon-btn" aria-label="Edit clipping" title="Edit note, tags and colour" onClick={() => props.onEdit(c.id)}>
            <EditIcon />
          </button>
          <button
            type="button"
            className="icon-btn icon-btn-danger"
            aria-label="Delete clipping"
            title={`Delete clipping (${MOD}+Z undoes)`}
            onClick={() => props.onDelete(c.id)}
          >
            <TrashIcon />
          </button>
        </span>
      </div>
      <button type="button" className="card-quote" title={orphan ? 'Not found in the current text of the article' : 'Go to the passage'}>
        {c.target.quote.exact}
      </button>
      {orphan && (
        <p className="card-orphan" data-testid="clipping-orphan" title="The article’s text changed and these words are no longer in it. The quote, note and tags are kept.">
          Not found in the current text
        </p>
      )}
      {editing ? (
        <ClippingEditor
          key={c.id}
          clipping={c}
          editing={editing}
          flushRef={props.flushRef}
          onSave={(patch) => props.onSave(c.id, patch)}
          onCancel={props.onCancelEdit}
        />
      ) : (
        <>
          {c.note.trim() && (
            <p className="card-note" data-testid="clipping-note">
              {c.note}
            </p>
          )}
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
}

type EditorProps = {
  clipping: Clipping;
  editing: Editing;
  flushRef: MutableRefObject<(() => Promise<void>) | null>;
  onSave: (patch: ClippingPatch) => Promise<boolean>;
  onCancel: () => void;
};

function ClippingEditor({ clipping, editing, flushRef, onSave, onCancel }: EditorProps) {
  const [note, setNote] = useState(clipping.note);
  const [tags, setTags] = useState<string[]>(clipping.tags);
  const [tagDraft, setTagDraft] = useState('');
  const [color, setColor] = useState<Color>(clipping.color);
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
  const dirty =
    note !== clipping.note || color !== clipping.color || finalTags().join('\u0000') !== clipping.tags.join('\u0000');

  const save = async () => {
    if (saving) return;
    setSaving(true);
    const ok = await onSave({ color, note, tags: finalTags() });
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
      <div className="editor-colors" role="radiogroup" aria-label="Colour">
        {COLORS.map((c) => (
          <button
            key={c}
            type="button"
            role="radio"
            aria-checked={c === color}
            aria-label={colorName(c)}
            title={colorName(c)}
            className={`swatch swatch-small sw-${c}${c === color ? ' is-current' : ''}`}
            onClick={() => setColor(c)}
          />
        ))}
        <span className="editor-color-name">{colorName(color)}</span>
      </div>
      <textarea
        ref={noteRef}
        aria-label="Note"
        placeholder="Note (Markdown)…"
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
        placeholder="Add a tag…"
        removeLabel={(t) => `Remove passage tag ${t}`}
        chipTestId="editor-tag"
        draft={tagDraft}
        onDraftChange={setTagDraft}
      />
      <div className="editor-actions">
        <button type="button" className="btn btn-quiet" title="Discard the changes (Esc)" aria-keyshortcuts="Escape" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" title={`Save note, tags and colour (${MOD}+Enter)`} disabled={saving}>
          Save
        </button>
      </div>
    </form>
  );
}

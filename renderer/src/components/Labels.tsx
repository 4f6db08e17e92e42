import { useId, useMemo, useState } from 'react';
import type { Color, Label } from '../../../electron/library/model';
import { LABEL_COLORS, MAX_LABELS, MAX_LABEL_NAME, PATTERNS, colorName, labelProblems, newLabelId, type LabelView } from '../lib/labels';
import { Dialog } from './ImportDialogs';
import { ArrowDownIcon, ArrowUpIcon, PlusIcon, TrashIcon } from './icons';

/**
 * A label's sample: its colour as a tint with its underline pattern, the
 * same classes as the marks in the reader, so the legend is what the text shows.
 */
export function LabelSwatch({ label, size = 'normal' }: { label: Pick<LabelView, 'color' | 'pattern'>; size?: 'normal' | 'small' }) {
  return <span className={`label-swatch hl-${label.color} pat-${label.pattern}${size === 'small' ? ' is-small' : ''}`} aria-hidden="true" />;
}

type PickerProps = {
  labels: readonly LabelView[];
  /** The label the target has now (a clipping's, or the one `h` would use). */
  current: string;
  /** The option `l` and the arrow keys have moved to. */
  highlighted: number;
  onPick: (id: string) => void;
  onEditLabels?: () => void;
  testId?: string;
};

/**
 * The labels as a list to pick from, driven by the app's keys while open
 * (l or ↓ next, ↑ previous, Enter or 1–9 picks, Esc closes) and by the
 * mouse. Focus stays where it was, so a selection in the reader survives.
 */
export function LabelPicker({ labels, current, highlighted, onPick, onEditLabels, testId = 'label-picker' }: PickerProps) {
  const id = useId();
  return (
    <div className="label-picker" data-testid={testId} onMouseDown={(e) => e.preventDefault()}>
      <ul role="listbox" aria-label="Labels" className="label-picker-list" aria-activedescendant={`${id}-${highlighted}`}>
        {labels.map((l, i) => (
          <li
            key={l.id}
            id={`${id}-${i}`}
            role="option"
            aria-selected={i === highlighted}
            className={`label-option${i === highlighted ? ' is-highlighted' : ''}${l.id === current ? ' is-current' : ''}`}
            title={`${l.name}${i < 9 ? ` (${i + 1})` : ''}`}
            onClick={() => onPick(l.id)}
          >
            <LabelSwatch label={l} />
            <span className="label-option-name">{l.name}</span>
            {l.id === current && <span className="label-option-current">current</span>}
            {i < 9 && <kbd>{i + 1}</kbd>}
          </li>
        ))}
      </ul>
      <p className="label-picker-hint">
        <span>
          <kbd>L</kbd> next
        </span>
        <span>
          <kbd>Enter</kbd> choose
        </span>
        <span>
          <kbd>Esc</kbd> close
        </span>
        {onEditLabels && (
          <button type="button" className="link-btn" onClick={onEditLabels}>
            Edit labels…
          </button>
        )}
      </p>
    </div>
  );
}

/** A row being edited; `key` stays while it moves, a new label gets its id when saved. */
type Draft = Label & { isNew?: boolean; key: string };
let newRows = 0;

type DialogProps = {
  labels: readonly Label[];
  /** Resolves to null when saved (the dialog closes), or to main's reason (a label still in use, say). */
  onSave: (labels: Label[]) => Promise<string | null>;
  onClose: () => void;
};

/** Rename, recolour, add, reorder and remove labels; main refuses to remove a label still in use, and says which. */
export function LabelsDialog({ labels, onSave, onClose }: DialogProps) {
  const [drafts, setDrafts] = useState<Draft[]>(() => labels.map((l) => ({ ...l, key: l.id })));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  const problems = useMemo(() => labelProblems(drafts.map((d) => ({ ...d, name: d.name.trim() }))), [drafts]);

  const change = (index: number, patch: Partial<Draft>) => {
    setError(null);
    setDrafts((ds) => ds.map((d, i) => (i === index ? { ...d, ...patch } : d)));
  };
  const move = (index: number, by: number) => {
    setError(null);
    setDrafts((ds) => {
      const to = index + by;
      if (to < 0 || to >= ds.length) return ds;
      const next = [...ds];
      [next[index], next[to]] = [next[to]!, next[index]!];
      return next;
    });
  };
  const add = () => {
    setError(null);
    setDrafts((ds) => {
      const used = new Set(ds.map((d) => d.color));
      const color: Color = LABEL_COLORS.find((c) => !used.has(c)) ?? 'grey';
      const names = new Set(ds.map((d) => d.name.toLocaleLowerCase()));
      let name = 'new label';
      for (let n = 2; names.has(name); n++) name = `new label ${n}`;
      return [...ds, { id: '', name, color, isNew: true, key: `new-${++newRows}` }];
    });
  };
  const save = async () => {
    if (busy || problems.length > 0) return;
    // New labels get their id from their name when saved, so "people" is stored as people.
    const taken = new Set(drafts.filter((d) => !d.isNew).map((d) => d.id));
    const list: Label[] = drafts.map((d) => {
      const name = d.name.trim();
      if (!d.isNew) return { id: d.id, name, color: d.color };
      const id = newLabelId(name, taken);
      taken.add(id);
      return { id, name, color: d.color };
    });
    setBusy(true);
    const problem = await onSave(list);
    setBusy(false);
    if (problem) setError(problem);
  };

  return (
    <Dialog title="Labels" onClose={onClose} className="dialog-labels" testId="labels-dialog">
      <form
        className="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <p className="dialog-hint">
          A label says what a highlight is. Each has a colour and an underline of its own, so labels can be told apart without colour.
        </p>
        <ol className="label-rows">
          {drafts.map((d, i) => (
            <li key={d.key} className="label-row" data-testid="label-row">
              <LabelSwatch label={{ color: d.color, pattern: PATTERNS[i % PATTERNS.length]! }} />
              <input
                className="field label-name"
                aria-label={`Name of label ${i + 1}`}
                value={d.name}
                maxLength={MAX_LABEL_NAME}
                data-autofocus={i === 0 ? true : undefined}
                onChange={(e) => change(i, { name: e.target.value })}
              />
              <div className="label-colors" role="radiogroup" aria-label={`Colour of ${d.name.trim() || `label ${i + 1}`}`}>
                {LABEL_COLORS.map((c) => (
                  <button
                    key={c}
                    type="button"
                    role="radio"
                    aria-checked={c === d.color}
                    aria-label={colorName(c)}
                    title={colorName(c)}
                    className={`swatch swatch-small sw-${c}${c === d.color ? ' is-current' : ''}`}
                    onClick={() => change(i, { color: c })}
                  />
                ))}
              </div>
              <span className="label-row-actions">
                <button type="button" className="icon-btn" aria-label={`Move ${d.name} up`} title="Move up" disabled={i === 0} onClick={() => move(i, -1)}>
                  <ArrowUpIcon />
                </button>
                <button
                  type="button"
                  className="icon-btn"
                  aria-label={`Move ${d.name} down`}
                  title="Move down"
                  disabled={i === drafts.length - 1}
                  onClick={() => move(i, 1)}
                >
                  <ArrowDownIcon />
                </button>
                <button
                  type="button"
                  className="icon-btn icon-btn-danger"
                  aria-label={`Remove label ${d.name}`}
                  title={drafts.length === 1 ? 'The last label cannot be removed' : 'Remove (refused while clippings use it)'}
                  disabled={drafts.length === 1}
                  onClick={() => {
                    setError(null);
                    setDrafts((ds) => ds.filter((_, k) => k !== i));
                  }}
                >
                  <TrashIcon />
                </button>
              </span>
            </li>
          ))}
        </ol>
        <div>
          <button type="button" className="btn btn-quiet" onClick={add} disabled={drafts.length >= MAX_LABELS}>
            <PlusIcon />
            <span>Add label</span>
          </button>
        </div>
        <p id={errorId} className="field-error" role="alert" data-testid="labels-error">
          {error ?? (problems.length > 0 ? problems.join(' ') : '')}
        </p>
        <div className="dialog-actions">
          <button type="button" className="btn btn-quiet" onClick={onClose} title="Close without saving (Esc)" aria-keyshortcuts="Escape">
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || problems.length > 0} aria-describedby={error ? errorId : undefined}>
            {busy ? 'Saving…' : 'Save labels'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

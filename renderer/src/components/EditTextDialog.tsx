import { useId, useState } from 'react';
import { MOD, plural } from '../lib/format';
import { Dialog } from './ImportDialogs';

type Props = {
  title: string;
  text: string;
  clippingCount: number;
  /** Resolves to null when saved (the dialog closes), or to the reason it was not. */
  onSave: (text: string) => Promise<string | null>;
  onClose: () => void;
};

/**
 * Correcting an article's text (an OCR slip, a wrong name): saved as a new
 * version, the old one kept; main re-attaches the clippings, and the ones
 * whose words are gone are listed in the sidebar to re-attach by hand.
 */
export function EditTextDialog({ title, text, clippingCount, onSave, onClose }: Props) {
  const [value, setValue] = useState(text);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const changed = value.trim() !== text.trim();
  const save = async () => {
    if (busy || !changed || !value.trim()) return;
    setBusy(true);
    setError(null);
    const problem = await onSave(value);
    setBusy(false);
    if (problem) setError(problem);
  };
  return (
    <Dialog title="Edit text" onClose={onClose} className="dialog-edit-text" testId="edit-text-dialog">
      <form
        className="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void save();
          }
        }}
      >
        <p className="dialog-hint">
          <strong>{title}</strong>
          <br />
          Paragraphs are separated by a blank line. Saving keeps the previous text as an earlier version
          {clippingCount > 0 ? ` and re-attaches the ${plural(clippingCount, 'clipping')}; any whose words are gone are listed to re-attach by hand` : ''}.
        </p>
        <textarea
          data-autofocus
          className="field edit-text-area"
          aria-label="Article text"
          value={value}
          spellCheck
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => {
            setValue(e.target.value);
            setError(null);
          }}
        />
        <p id={errorId} className="field-error" role="alert" data-testid="edit-text-error">
          {error}
        </p>
        <div className="dialog-actions">
          <button type="button" className="btn btn-quiet" onClick={onClose} title="Close without saving (Esc)" aria-keyshortcuts="Escape">
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !changed || !value.trim()} title={`Save the corrected text (${MOD}+Enter)`} aria-keyshortcuts="Control+Enter">
            {busy ? 'Saving…' : 'Save text'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

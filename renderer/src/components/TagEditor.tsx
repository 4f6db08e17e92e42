import { useState, type KeyboardEvent, type Ref } from 'react';
import { CloseIcon } from './icons';

type Props = {
  tags: readonly string[];
  onAdd: (tag: string) => void;
  onRemove: (tag: string) => void;
  /** Accessible name of the input ("Add article tag", "Add a tag"). */
  inputLabel: string;
  removeLabel: (tag: string) => string;
  chipTestId: string;
  placeholder?: string;
  inputRef?: Ref<HTMLInputElement>;
  /** Text typed but not yet added, for a parent that saves it with the rest of a form. */
  draft?: string;
  onDraftChange?: (draft: string) => void;
  disabled?: boolean;
};

/** Tag chips with remove buttons and an input where Enter (or a comma) adds a tag. */
export function TagEditor(props: Props) {
  const [ownDraft, setOwnDraft] = useState('');
  const draft = props.draft ?? ownDraft;
  const setDraft = props.onDraftChange ?? setOwnDraft;

  const commit = () => {
    const tag = draft.trim();
    if (!tag) return;
    if (!props.tags.includes(tag)) props.onAdd(tag);
    setDraft('');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      if (e.nativeEvent.isComposing) return;
      e.preventDefault();
      commit();
    }
  };

  return (
    <div className="tag-editor">
      {props.tags.map((tag) => (
        <span className="chip chip-removable" data-testid={props.chipTestId} key={tag}>
          <span className="chip-text">{tag}</span>
          <button
            type="button"
            className="chip-remove"
            aria-label={props.removeLabel(tag)}
            title={props.removeLabel(tag)}
            disabled={props.disabled}
            onClick={() => props.onRemove(tag)}
          >
            <CloseIcon size={11} />
          </button>
        </span>
      ))}
      <input
        ref={props.inputRef}
        className="tag-input"
        type="text"
        aria-label={props.inputLabel}
        placeholder={props.placeholder ?? props.inputLabel}
        title={`${props.inputLabel} (Enter adds it; / makes a hierarchy, e.g. place/Syria)`}
        value={draft}
        maxLength={100}
        disabled={props.disabled}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
      />
    </div>
  );
}

import { useId, useState, type ReactNode } from 'react';
import { MOD, plural } from '../lib/format';
import { countWords, findNode, isUnder, normalizeTag, type TagNode } from '../lib/library-view';
import { Dialog } from './ImportDialogs';
import { ArchiveIcon, CheckIcon, CloseIcon, TagIcon } from './icons';

/** Resolves to null when done (the dialog closes), or to main's reason it was not. */
type Submit<T> = (value: T) => Promise<string | null>;

/** Runs a dialog's action once at a time and keeps main's refusal on screen. */
function useSubmit<T>(action: Submit<T>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (value: T) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const problem = await action(value);
    setBusy(false);
    if (problem) setError(problem);
  };
  return { busy, error, setError, run };
}

function FieldError({ id, error, testId }: { id: string; error: string | null; testId: string }) {
  return (
    <p id={id} className="field-error" role="alert" data-testid={testId}>
      {error}
    </p>
  );
}

/** Every tag below a node, for "and the 2 tags below it". */
function below(node: TagNode): string[] {
  return node.children.flatMap((c) => [c.tag, ...below(c)]);
}

// ---- rename (and merge) -----------------------------------------------------

export function RenameTagDialog({ node, tree, onRename, onClose }: { node: TagNode; tree: readonly TagNode[]; onRename: Submit<string>; onClose: () => void }) {
  const [value, setValue] = useState(node.tag);
  const { busy, error, setError, run } = useSubmit(onRename);
  const errorId = useId();
  const hintId = useId();
  const target = normalizeTag(value);
  const existing = target && target !== node.tag ? findNode(tree, target) : null;
  const underItself = target !== node.tag && isUnder(target, node.tag);
  const children = below(node);
  const problem = underItself ? `“${node.tag}” cannot be moved below itself.` : null;
  const canSave = !busy && !!target && target !== node.tag && !problem;
  const example = children[0];
  return (
    <Dialog title={`Rename tag “${node.tag}”`} onClose={onClose} className="dialog-tag" testId="rename-tag-dialog">
      <form
        className="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          if (canSave) void run(target);
        }}
      >
        <p className="dialog-hint" id={hintId}>
          Renames it on {countWords(node.total)}
          {children.length > 0 && (
            <>
              , with the {plural(children.length, 'tag')} below it{example && ` (${example} becomes ${target || '…'}${example.slice(node.tag.length)})`}
            </>
          )}
          . Typing the name of a tag that already exists merges the two.
        </p>
        <input
          data-autofocus
          className="field"
          aria-label="New name"
          value={value}
          maxLength={100}
          spellCheck={false}
          aria-invalid={error || problem ? true : undefined}
          aria-describedby={`${hintId} ${errorId}`}
          onFocus={(e) => e.currentTarget.select()}
          onChange={(e) => {
            setValue(e.target.value);
            setError(null);
          }}
        />
        {existing && !problem && (
          <p className="merge-notice" data-testid="merge-notice">
            <strong>“{existing.tag}” already exists</strong> ({countWords(existing.total)}): “{node.tag}” will be merged into it. Undo ({MOD}+Z) separates them again.
          </p>
        )}
        <FieldError id={errorId} error={error ?? problem} testId="rename-tag-error" />
        <div className="dialog-actions">
          <button type="button" className="btn btn-quiet" onClick={onClose} title="Close without renaming (Esc)" aria-keyshortcuts="Escape">
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={!canSave}>
            {busy ? (existing ? 'Merging…' : 'Renaming…') : existing ? 'Merge' : 'Rename'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

// ---- delete -------------------------------------------------------------------

export function DeleteTagDialog({
  node,
  articles,
  onDelete,
  onClose,
}: {
  node: TagNode;
  /** Articles that carry the tag or one below it (exact: from the list, where the tree's sums may count one twice). */
  articles: number;
  onDelete: Submit<void>;
  onClose: () => void;
}) {
  const { busy, error, run } = useSubmit(onDelete);
  const errorId = useId();
  const children = below(node);
  return (
    <Dialog title={`Delete tag “${node.tag}”?`} onClose={onClose} className="dialog-tag" testId="delete-tag-dialog">
      <form
        className="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          void run(undefined);
        }}
      >
        <p className="dialog-hint" data-testid="delete-tag-summary">
          Removes “{node.tag}”{children.length > 0 && ` and the ${plural(children.length, 'tag')} below it`} from{' '}
          <strong>{countWords({ articles, clippings: node.total.clippings })}</strong>. The articles and clippings themselves stay. You can undo this ({MOD}+Z).
        </p>
        <FieldError id={errorId} error={error} testId="delete-tag-error" />
        <div className="dialog-actions">
          <button type="button" className="btn btn-quiet" onClick={onClose} title="Keep the tag (Esc)" aria-keyshortcuts="Escape">
            Cancel
          </button>
          <button type="submit" data-autofocus className="btn btn-danger" disabled={busy}>
            {busy ? 'Deleting…' : 'Delete tag'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

// ---- bulk tagging -------------------------------------------------------------

export function BulkTagDialog({
  count,
  noun = 'article',
  known,
  onTag,
  onClose,
}: {
  count: number;
  /** What is being tagged: selected articles, or clippings (the clippings view). */
  noun?: 'article' | 'clipping';
  known: readonly string[];
  onTag: Submit<string[]>;
  onClose: () => void;
}) {
  const [value, setValue] = useState('');
  const { busy, error, setError, run } = useSubmit(onTag);
  const errorId = useId();
  const listId = useId();
  const tags = value
    .split(',')
    .map(normalizeTag)
    .filter(Boolean);
  return (
    <Dialog title={`Tag ${plural(count, noun)}`} onClose={onClose} className="dialog-tag" testId="bulk-tag-dialog">
      <form
        className="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          if (tags.length > 0) void run(tags);
        }}
      >
        <p className="dialog-hint">Adds the tag to every selected {noun}; the tags they have stay. Several tags: separate them with commas. “/” makes a hierarchy (place/Syria).</p>
        <div className="field-row">
          <input
            data-autofocus
            className="field"
            aria-label="Tags to add"
            placeholder="Tag, another tag…"
            list={listId}
            value={value}
            maxLength={400}
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={errorId}
            onChange={(e) => {
              setValue(e.target.value);
              setError(null);
            }}
          />
          <datalist id={listId}>
            {known.slice(0, 500).map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <button type="submit" className="btn btn-primary" disabled={busy || tags.length === 0}>
            {busy ? 'Tagging…' : tags.length > 1 ? 'Add tags' : 'Add tag'}
          </button>
        </div>
        <FieldError id={errorId} error={error} testId="bulk-tag-error" />
      </form>
    </Dialog>
  );
}

// ---- the bulk bar ----------------------------------------------------------------

type BulkProps = {
  count: number;
  /** Every selected article is read (the button then marks them unread). */
  allRead: boolean;
  allArchived: boolean;
  busy: boolean;
  onTag: () => void;
  onRead: () => void;
  onArchive: () => void;
  onClear: () => void;
};

/** "3 selected — Tag… · Mark read · Archive · Clear", above the list while articles are selected. */
export function BulkBar({ count, allRead, allArchived, busy, onTag, onRead, onArchive, onClear }: BulkProps) {
  return (
    <div className="bulk-bar" role="toolbar" aria-label="Selected articles" data-testid="bulk-bar">
      <span className="bulk-count" aria-live="polite">
        {count.toLocaleString()} selected
      </span>
      <button type="button" className="btn btn-quiet btn-small bulk-btn bulk-clear" title="Clear the selection (Esc)" aria-keyshortcuts="Escape" onClick={onClear}>
        <CloseIcon />
        <span>Clear</span>
      </button>
      <span className="bulk-break" aria-hidden="true" />
      <BulkButton title="Add a tag to the selected articles" onClick={onTag} disabled={busy} icon={<TagIcon />}>
        Tag…
      </BulkButton>
      <BulkButton title={`${allRead ? 'Mark the selected articles unread' : 'Mark the selected articles read'} (U)`} shortcut="U" onClick={onRead} disabled={busy} icon={<CheckIcon />}>
        {allRead ? 'Mark unread' : 'Mark read'}
      </BulkButton>
      <BulkButton title={`${allArchived ? 'Put the selected articles back in the list' : 'Archive the selected articles'} (E)`} shortcut="E" onClick={onArchive} disabled={busy} icon={<ArchiveIcon />}>
        {allArchived ? 'Unarchive' : 'Archive'}
      </BulkButton>
    </div>
  );
}

function BulkButton({ title, shortcut, onClick, disabled, icon, children }: { title: string; shortcut?: string; onClick: () => void; disabled: boolean; icon: ReactNode; children: ReactNode }) {
  return (
    <button type="button" className="btn btn-quiet btn-small bulk-btn" title={title} aria-keyshortcuts={shortcut} onClick={onClick} disabled={disabled}>
      {icon}
      <span>{children}</span>
    </button>
  );
}

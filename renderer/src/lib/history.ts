/**
 * Undo and redo of clipping changes for the whole session. Every change is
 * stored as the clipping before and after it (null: it did not exist), so
 * that one operation covers them all: to go to a state, delete the clipping
 * when the state is null, else put it back exactly as it was (restore
 * upserts). Undo goes to `before`, redo to `after`.
 */
import type { Clipping } from '../../../electron/library/model';

export type ChangeKind = 'highlight' | 'delete' | 'note' | 'label' | 'tags' | 'edit' | 'reattach' | 'restore';

export type Change = { kind: ChangeKind; before: Clipping | null; after: Clipping | null };

const LIMIT = 200;

export class History {
  private done: Change[] = [];
  private undone: Change[] = [];

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** A new change: it clears what could be redone, as in every editor. */
  record(change: Change): void {
    this.done = [...this.done.slice(-(LIMIT - 1)), change];
    this.undone = [];
  }

  /** The change an undo would revert (not taken yet: taken only once it worked). */
  peekUndo(): Change | undefined {
    return this.done[this.done.length - 1];
  }

  peekRedo(): Change | undefined {
    return this.undone[this.undone.length - 1];
  }

  /** The undo worked: the change moves to the redo side. */
  undid(change: Change): void {
    if (this.peekUndo() !== change) return;
    this.done = this.done.slice(0, -1);
    this.undone = [...this.undone, change];
  }

  redid(change: Change): void {
    if (this.peekRedo() !== change) return;
    this.undone = this.undone.slice(0, -1);
    this.done = [...this.done, change];
  }

  /** A change that can no longer be applied (its words are gone, say) is dropped, so the next one can be. */
  drop(change: Change): void {
    this.done = this.done.filter((c) => c !== change);
    this.undone = this.undone.filter((c) => c !== change);
  }

  /** Forgets every change to the clippings of one article (after its text changed, the old positions mean nothing). */
  forgetArticle(articleId: string): number {
    const touches = (c: Change) => (c.before ?? c.after)?.articleId === articleId;
    const n = this.done.filter(touches).length + this.undone.filter(touches).length;
    this.done = this.done.filter((c) => !touches(c));
    this.undone = this.undone.filter((c) => !touches(c));
    return n;
  }
}

/** What a change was, for "Undid …" / "Redid …". */
export function describeChange(change: Change): string {
  switch (change.kind) {
    case 'highlight':
      return 'highlight';
    case 'delete':
      return 'delete';
    case 'note':
      return 'note edit';
    case 'label':
      return 'label change';
    case 'tags':
      return 'tag edit';
    case 'edit':
      return 'edit';
    case 'reattach':
      return 're-attach';
    case 'restore':
      return 'restore';
  }
}

/** The kind of an update, from what it changed. */
export function editKind(before: Clipping, after: Clipping): ChangeKind {
  const changed = [
    before.note !== after.note && 'note',
    before.label !== after.label && 'label',
    before.tags.join('\u0000') !== after.tags.join('\u0000') && 'tags',
  ].filter((x): x is 'note' | 'label' | 'tags' => Boolean(x));
  return changed.length === 1 ? changed[0]! : 'edit';
}

/** A quote cut for a message: “first words…”. */
export function shortQuote(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `“${flat.length > max ? `${flat.slice(0, max - 1)}…` : flat}”`;
}

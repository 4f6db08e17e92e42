/**
 * Undo and redo for the whole session: clipping changes and library-wide
 * ones (tags renamed, merged, deleted or added in bulk; articles marked read
 * or archived) in one list, so that Ctrl+Z always takes back the last thing
 * done, whichever kind it was.
 *
 * A clipping change is stored as the clipping before and after it (null: it
 * did not exist), so that one operation covers them all: to go to a state,
 * delete the clipping when the state is null, else put it back exactly as it
 * was (restore upserts). Undo goes to `before`, redo to `after`.
 *
 * A tag change keeps what main answered it with (a TagUndo: the tags of
 * every article and clipping it touched, as they were), and what it did, so
 * that redo can do it again and keep the new answer. A reading change keeps
 * each article's state before and after.
 */
import type { Request } from '../../../electron/ipc/contract';
import type { Clipping, ReadingState } from '../../../electron/library/model';

export type ChangeKind = 'highlight' | 'delete' | 'note' | 'label' | 'tags' | 'edit' | 'reattach' | 'restore';

export type Change = { kind: ChangeKind; before: Clipping | null; after: Clipping | null };

export type TagUndo = Request<'tags:restore'>['undo'];

/** `undo` is replaced when a redo runs the change again (main answers with a new one). */
export type LibraryChange =
  | { kind: 'tag-rename'; from: string; to: string; merge: boolean; undo: TagUndo }
  | { kind: 'tag-delete'; tag: string; undo: TagUndo }
  | { kind: 'tag-add'; articleIds: string[]; clippingIds?: string[]; tags: string[]; undo: TagUndo }
  | { kind: 'reading'; to: ReadingState; articles: { id: string; before: ReadingState }[] };

export type Entry = Change | LibraryChange;

export function isClippingChange(entry: Entry): entry is Change {
  return 'before' in entry;
}

const LIMIT = 200;

export class History {
  private done: Entry[] = [];
  private undone: Entry[] = [];

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** A new change: it clears what could be redone, as in every editor. */
  record(change: Entry): void {
    this.done = [...this.done.slice(-(LIMIT - 1)), change];
    this.undone = [];
  }

  /** The change an undo would revert (not taken yet: taken only once it worked). */
  peekUndo(): Entry | undefined {
    return this.done[this.done.length - 1];
  }

  peekRedo(): Entry | undefined {
    return this.undone[this.undone.length - 1];
  }

  /** The undo worked: the change moves to the redo side. */
  undid(change: Entry): void {
    if (this.peekUndo() !== change) return;
    this.done = this.done.slice(0, -1);
    this.undone = [...this.undone, change];
  }

  redid(change: Entry): void {
    if (this.peekRedo() !== change) return;
    this.undone = this.undone.slice(0, -1);
    this.done = [...this.done, change];
  }

  /** A change that can no longer be applied (its words are gone, say) is dropped, so the next one can be. */
  drop(change: Entry): void {
    this.done = this.done.filter((c) => c !== change);
    this.undone = this.undone.filter((c) => c !== change);
  }

  /** Forgets every change to the clippings of one article (after its text changed, the old positions mean nothing). */
  forgetArticle(articleId: string): number {
    const touches = (c: Entry) => isClippingChange(c) && (c.before ?? c.after)?.articleId === articleId;
    const n = this.done.filter(touches).length + this.undone.filter(touches).length;
    this.done = this.done.filter((c) => !touches(c));
    this.undone = this.undone.filter((c) => !touches(c));
    return n;
  }
}

/** What a change was, for "Undid …" / "Redid …". */
export function describeChange(change: Entry): string {
  switch (change.kind) {
    case 'tag-rename':
      return change.merge ? 'tag merge' : 'tag rename';
    case 'tag-delete':
      return 'tag delete';
    case 'tag-add':
      return 'tagging';
    case 'reading':
      return change.to !== 'archived' && change.articles.every((a) => a.before === 'archived') ? 'unarchive' : READING_VERB[change.to];
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

const READING_VERB: Record<ReadingState, string> = { unread: 'mark as unread', reading: 'mark as started', read: 'mark as read', archived: 'archive' };

/** What a change was done to, after "Undid tag rename: ": a quote, or the tags and articles. */
export function changeSubject(change: Entry): string {
  switch (change.kind) {
    case 'tag-rename':
      return `“${change.from}” → “${change.to}”`;
    case 'tag-delete':
      return `“${change.tag}”`;
    case 'tag-add': {
      const on = [
        change.articleIds.length > 0 && (change.articleIds.length === 1 ? '1 article' : `${change.articleIds.length} articles`),
        (change.clippingIds?.length ?? 0) > 0 && (change.clippingIds!.length === 1 ? '1 clipping' : `${change.clippingIds!.length} clippings`),
      ].filter(Boolean);
      return `${change.tags.map((t) => `“${t}”`).join(', ')} on ${on.join(' and ')}`;
    }
    case 'reading':
      return change.articles.length === 1 ? '1 article' : `${change.articles.length} articles`;
    default:
      return shortQuote((change.before ?? change.after)!.target.quote.exact);
  }
}

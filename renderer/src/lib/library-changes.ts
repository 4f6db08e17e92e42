/**
 * Library-wide changes (tags renamed, merged, deleted, added in bulk;
 * articles marked read or archived) done, undone and redone through
 * window.cuttings. The app records them in the session history beside the
 * clipping changes; this module only talks to main.
 */
import type { ArticleSummary, ReadingState } from '../../../electron/library/model';
import { api, call } from '../api';
import type { LibraryChange, TagUndo } from './history';

/** Calls main makes one after another anyway; a few in flight keep the pipe full without flooding it. */
const IN_FLIGHT = 8;

/**
 * Sets the reading state of many articles, a few calls at a time (main has
 * no bulk call for it), and answers with their new summaries. It stops at
 * the first failure; what was done before it stays done, and is returned
 * with the error so the caller can still record and show it.
 */
export async function setReadingMany(
  targets: readonly { id: string; state: ReadingState }[],
): Promise<{ done: ArticleSummary[]; error: unknown }> {
  const done: ArticleSummary[] = [];
  let error: unknown = null;
  let next = 0;
  const worker = async () => {
    while (error === null && next < targets.length) {
      const t = targets[next++]!;
      try {
        done.push(await call(api().articles.setReading({ id: t.id, readingState: t.state })));
      } catch (e) {
        error ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, targets.length) }, worker));
  return { done, error };
}

/** Runs a change again (redo) or takes it back (undo). A redo keeps main's new TagUndo in the change. */
export async function applyLibraryChange(change: LibraryChange, direction: 'undo' | 'redo'): Promise<ArticleSummary[]> {
  if (change.kind === 'reading') {
    const targets = change.articles.map((a) => ({ id: a.id, state: direction === 'undo' ? a.before : change.to }));
    const { done, error } = await setReadingMany(targets);
    if (error !== null) throw error;
    return done;
  }
  if (direction === 'undo') {
    await call(api().tags.restore(change.undo));
    return [];
  }
  let undo: TagUndo;
  if (change.kind === 'tag-rename') undo = await call(api().tags.rename(change.from, change.to));
  else if (change.kind === 'tag-delete') undo = await call(api().tags.delete(change.tag));
  else undo = await call(api().tags.add({ articleIds: change.articleIds, clippingIds: change.clippingIds ?? [], tags: change.tags }));
  change.undo = undo;
  return [];
}

/** "on 3 articles and 1 clipping": what a TagUndo says was touched. */
export function touched(undo: TagUndo): { articles: number; clippings: number } {
  return { articles: undo.articles.length, clippings: undo.clippings.length };
}

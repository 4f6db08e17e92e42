/**
 * library:backup and library:restore: the library's backup functions
 * (electron/library/backup), with the host asking where, and asking before
 * anything is replaced. A restore replaces the open library: it is closed,
 * the backup put in its place (the old one moved aside, never deleted), and
 * the folder opened again; the caller swaps in the new Library.
 */
import { basename, dirname, join } from 'node:path';
import { LibraryError, type Library } from '../library';
import { BACKUP_EXTENSION, createBackup, inspectBackup, restoreBackup } from '../library/backup';
import type { RestoreResult, SaveResult } from './contract';
import type { Dialogs } from './handlers';
import { fileNameFor } from './export-handlers';

export async function backupTo(library: Library, dialogs: Dialogs, now = new Date()): Promise<SaveResult> {
  const name = `${fileNameFor(`Cuttings library ${now.toISOString().slice(0, 10)}`)}${BACKUP_EXTENSION}`;
  const path = await dialogs.chooseSavePath(name, {
    title: 'Back up the library',
    buttonLabel: 'Back up',
    filter: { name: 'Cuttings backup', extensions: [BACKUP_EXTENSION.slice(1)] },
  });
  if (!path) return { canceled: true };
  const made = await createBackup(library, path);
  return { canceled: false, path: made.path, bytes: made.bytes };
}

export type Reopen = (dir: string) => Promise<Library>;

/**
 * Asks which backup, says what it holds and what it replaces (and where the
 * current library goes), and only on a yes closes the library, restores, and
 * opens the folder again. A restore that fails leaves the library as it was
 * (restoreBackup verifies before it swaps): that one is opened again.
 */
export async function restoreFrom(library: Library, dialogs: Dialogs, reopen: Reopen | undefined, replaced: (next: Library) => void, now = new Date()): Promise<RestoreResult> {
  if (!reopen) throw new LibraryError('invalid-input', 'This window cannot replace its library');
  const file = await dialogs.chooseBackup();
  if (!file) return { canceled: true };
  // Checked before the question: a file that is not a backup is refused before anyone is asked anything.
  const { manifest, zip } = await inspectBackup(file);
  zip.close();
  await library.whenReady();
  const dir = library.dir;
  const aside = join(dirname(dir), `${basename(dir)}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`);
  const made = manifest.createdAt.slice(0, 16).replace('T', ' ');
  const yes = await dialogs.confirm({
    title: 'Restore from backup',
    message: 'Replace the library with this backup?',
    detail:
      `The backup ${file} (made ${made} UTC) holds ${count(manifest.counts.articles, 'article')} and ${count(manifest.counts.clippings, 'clipping')}.\n\n` +
      `It replaces the library at ${dir} (${count(library.articleCount, 'article')}, ${count(library.clippingCount, 'clipping')}). ` +
      `That library is not deleted: it is moved to ${aside}.`,
    confirm: 'Replace library',
  });
  if (!yes) return { canceled: true };

  await library.close();
  let result;
  try {
    result = await restoreBackup(file, dir, { replace: true, now: () => now });
  } catch (e) {
    replaced(await reopen(dir));
    throw e;
  }
  const next = await reopen(dir);
  replaced(next);
  await next.whenReady();
  return {
    canceled: false,
    from: file,
    library: result.library,
    previousMovedTo: result.previousMovedTo,
    articleCount: next.articleCount,
    clippingCount: next.clippingCount,
  };
}

function count(n: number, one: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : `${one}s`}`;
}

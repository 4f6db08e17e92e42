/**
 * `cuttings backup` and `cuttings restore`: the whole library as one file,
 * and back.
 *
 *   backup --out FILE [--force]      the library (--library, or the app's) as FILE
 *                                    (.cuttings-backup); an existing FILE is replaced only with --force
 *   restore FILE [--replace]         FILE into --library (or the app's library folder): an empty or
 *                                    missing folder; a library there only with --replace, which
 *                                    moves it aside (never deletes it) and says where
 *
 * Both run before the CLI opens a library the usual way: a restore must
 * find its folder as it is (opening would create a library there and seed
 * it with the sample article), and a backup opens only a library that
 * exists (mustExist), never creating one to back it up.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Library } from '../library/library';
import { createBackup, restoreBackup, type BackupCounts } from '../library/backup';

type Io = { out: (line: string) => void; err: (line: string) => void };

export type BackupArgs = { out?: string | undefined; replace?: boolean | undefined; force?: boolean | undefined; json?: boolean | undefined };

export const BACKUP_USAGE = `  backup --out FILE [--force]             the whole library as one file (.cuttings-backup); an existing
                                          FILE is replaced only with --force
  restore FILE [--replace]                a backup into --library (default: the app's library folder),
                                          which must be empty or missing; --replace puts it in place
                                          of the library there, moved aside (never deleted)`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const describe = (c: BackupCounts) => `${plural(c.articles, 'article')}, ${plural(c.clippings, 'clipping')}, ${plural(c.images, 'image')}, ${plural(c.compositions, 'press review')}`;

/** Runs `backup` or `restore`; usage mistakes are reported here (exit code 2), library errors thrown to the caller. */
export async function backupCommand(command: 'backup' | 'restore', args: readonly string[], values: BackupArgs, libraryDir: string, io: Io): Promise<number> {
  const usage = (message: string) => {
    io.err(`cuttings: ${message}\n\nUsage:\n${BACKUP_USAGE}`);
    return 2;
  };
  if (command === 'backup') {
    if (args.length > 0) return usage(`backup takes no arguments (got ${args.join(' ')}); name the file with --out`);
    if (!values.out) return usage('backup needs --out FILE');
    if (values.replace) return usage('--replace is for restore');
    const out = resolve(values.out);
    const exists = await stat(out).then(
      () => true,
      () => false,
    );
    if (exists && !values.force) return usage(`${out} exists; pass --force to replace it`);
    const library = await Library.open(libraryDir, { mustExist: true, purpose: 'the command `cuttings backup`' });
    try {
      for (const problem of library.problems) io.err(`warning: ${problem}`);
      const result = await createBackup(library, out);
      if (values.json) io.out(JSON.stringify(result, null, 2));
      else {
        io.out(`backed up ${describe(result.counts)} to ${result.path} (${(result.bytes / 1048576).toFixed(1)} MB)`);
        for (const name of result.skipped) io.err(`warning: ${name} is not a file of the library's layout; it was not backed up`);
      }
      return 0;
    } finally {
      await library.close();
    }
  }
  if (args.length !== 1 || !args[0]) return usage('restore needs the backup file: restore FILE [--replace]');
  if (values.out) return usage('restore writes into --library, not --out');
  const result = await restoreBackup(args[0], libraryDir, { replace: values.replace === true });
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else {
    io.out(`restored ${describe(result.counts)} into ${result.library}`);
    if (result.previousMovedTo) io.out(`the library that was there is now at ${result.previousMovedTo}`);
  }
  return 0;
}

import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Adapter } from 'lowdb';
import { LibraryError, describeIoError } from '../errors';

/**
 * One queue for every write the process makes to a library, so that two
 * changes never interleave on disk and a failed write cannot be overtaken by
 * a later one that assumed it succeeded.
 */
let queue: Promise<unknown> = Promise.resolve();

export function serialized<T>(work: () => Promise<T>): Promise<T> {
  const next = queue.then(work, work);
  // The queue must survive a failed write; the caller still sees the failure.
  queue = next.catch(() => undefined);
  return next;
}

/**
 * Writes `data` so that the file is either the old content or the new one,
 * never a mix: temp file in the same folder, fsync, rename over, fsync the
 * folder so the rename itself is durable. (steno, lowdb's own writer, renames
 * but does not fsync.)
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(data, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new LibraryError('io', `Could not write ${path}: ${describeIoError(e)}`, { cause: e });
  }
  await fsyncDir(dir);
}

async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // folders cannot be opened for fsync there
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Some file systems refuse fsync on a folder; the data itself is synced.
  }
}

/**
 * A lowdb adapter that reads with validation and writes atomically through
 * the shared queue. A file that does not parse or validate is reported, never
 * silently replaced by defaults (which the next write would make permanent).
 */
export class AtomicJsonFile<T> implements Adapter<T> {
  constructor(
    readonly path: string,
    private readonly validate: (value: unknown, path: string) => T,
  ) {}

  async read(): Promise<T | null> {
    let raw: string;
    try {
      raw = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new LibraryError('io', `Could not read ${this.path}: ${describeIoError(e)}`, { cause: e });
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw new LibraryError('corrupt', `${this.path} is not valid JSON; it was left untouched`, { cause: e });
    }
    return this.validate(value, this.path);
  }

  write(data: T): Promise<void> {
    return serialized(() => writeFileAtomic(this.path, JSON.stringify(data, null, 1) + '\n'));
  }
}

import { lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, basename, isAbsolute, join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Adapter } from 'lowdb';
import { LibraryError, describeIoError } from '../errors';
import type { FileWrite, Store } from './store';

/**
 * Writes a file outside any library (an export, a backup) so that it is
 * either the old content or the new one, never a mix: temp file in the same
 * folder, fsync, rename over, fsync the folder. Text is written as UTF-8.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await (typeof data === 'string' ? fh.writeFile(data, 'utf8') : fh.writeFile(data));
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

/**
 * Makes `dir`, a folder inside the library at `root`, exist as a real
 * folder: each part of the path below `root` is created if missing and
 * refused if it is a symbolic link (or a file). mkdir -p and writes would
 * follow a link, and a link planted in a library (by a sync tool, a hand, or
 * an archive) would have the library write outside its folder. `root`
 * itself may be a link: that is where the user keeps the library.
 * `known` caches folders already checked.
 */
export async function ensureOwnDir(root: string, dir: string, known?: Set<string>): Promise<void> {
  if (known?.has(dir)) return;
  const rel = relative(root, dir);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new LibraryError('invalid-input', `Refused to write outside the library: ${dir}`);
  let at = root;
  for (const part of rel === '' ? [] : rel.split(sep)) {
    at = join(at, part);
    if (known?.has(at)) continue;
    await checkOwnDir(at);
    known?.add(at);
  }
}

async function checkOwnDir(path: string, created = false): Promise<void> {
  let info;
  try {
    info = await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || created) throw new LibraryError('io', `Could not create ${path}: ${describeIoError(e)}`, { cause: e });
    try {
      await mkdir(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new LibraryError('io', `Could not create ${path}: ${describeIoError(err)}`, { cause: err });
    }
    return checkOwnDir(path, true); // made here, or by a concurrent write: either way, look again
  }
  if (info.isSymbolicLink()) throw new LibraryError('invalid-input', `Refused to write through ${path}: it is a symbolic link, and the library writes only inside its own folder`);
  if (!info.isDirectory()) throw new LibraryError('io', `Could not write in ${path}: it is a file, not a folder`);
}

/** Makes a rename or a new entry in `dir` durable (where the file system allows: not on Windows, not everywhere). */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
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
 * A lowdb adapter over the library's Store: reads with validation, writes
 * through the one queue. A file that does not parse or validate is reported,
 * never silently replaced by defaults (which the next write would make
 * permanent).
 */
export class StoredJsonFile<T> implements Adapter<T> {
  constructor(
    private readonly store: Store,
    /** Relative to the library folder. */
    readonly path: string,
    private readonly validate: (value: unknown, path: string) => T,
  ) {}

  get fullPath(): string {
    return join(this.store.root, this.path);
  }

  async read(): Promise<T | null> {
    const raw = await this.store.read(this.path);
    if (raw === null) return null;
    return parseStored(raw, this.fullPath, this.validate);
  }

  write(data: T): Promise<void> {
    return this.store.write([this.fileWrite(data)]);
  }

  /** The file this data makes, for a transaction that writes several records at once. */
  fileWrite(data: T): FileWrite {
    return { path: this.path, data: serialize(data) };
  }
}

export function serialize(data: unknown): string {
  return JSON.stringify(data, null, 1) + '\n';
}

export function parseStored<T>(raw: string, fullPath: string, validate: (value: unknown, path: string) => T): T {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    throw new LibraryError('corrupt', `${fullPath} is not valid JSON; it was left untouched`, { cause: e });
  }
  return validate(value, fullPath);
}

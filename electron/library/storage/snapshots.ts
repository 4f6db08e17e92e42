/**
 * Rotating backups of the catalog: the small files that say what the
 * library holds (every article's record with its clippings, the labels, the
 * feeds, the saved press reviews), copied into `backups/` as one gzipped
 * file when a library that changed is closed, at most once an hour, the
 * newest SNAPSHOTS_KEPT kept. Article texts and images are not in them:
 * they are written once per version and never rewritten, so they are not
 * what a torn write or a bad sync damages.
 *
 * When a catalog file cannot be read (damaged, truncated, not JSON, not
 * valid), the library asks here for the newest backup holding a good copy
 * of it (restoreFromSnapshots): the damaged file is copied aside under a
 * name that is never reused (`<file>.damaged-<time>`), never overwritten,
 * and the good copy is written in its place through the library's journal;
 * the user is told which file, from when, and what is lost.
 *
 * A file written by a newer Cuttings is not damaged and is never "restored"
 * (the library refuses it, as before). A backup that cannot be read itself
 * is skipped for the next older one.
 */
import { copyFile, constants, readFile, readdir, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { LibraryError } from '../errors';
import { ensureOwnDir, writeFileAtomic } from './atomic-file';
import type { Store } from './store';

export const SNAPSHOTS_DIR = 'backups';
/** Backups kept: older ones are deleted as new ones are made. */
export const SNAPSHOTS_KEPT = 7;
/** A changed library is backed up when it closes, unless its newest backup is younger than this. */
export const SNAPSHOT_INTERVAL_MS = 60 * 60 * 1000;

const FORMAT = 'cuttings-catalog-backup';
const VERSION = 1;
const NAME = /^catalog-(\d{8}T\d{9}Z)(?:-(\d+))?\.json\.gz$/;

const SnapshotSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  takenAt: z.string(),
  files: z.record(z.string(), z.string()),
});

export type SnapshotInfo = { name: string; takenAt: string };

/** "20261126T210501123Z": sortable, and a valid file name everywhere. */
function stamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

/** The backups in `dir`, newest first. */
export async function listSnapshots(dir: string): Promise<SnapshotInfo[]> {
  let names: string[];
  try {
    names = await readdir(join(dir, SNAPSHOTS_DIR));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new LibraryError('io', `Could not read ${join(dir, SNAPSHOTS_DIR)}: ${(e as Error).message}`, { cause: e });
  }
  const found: (SnapshotInfo & { key: string })[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m?.[1]) continue;
    const s = m[1];
    const takenAt = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`;
    found.push({ name, takenAt, key: `${s}-${(m[2] ?? '0').padStart(6, '0')}` });
  }
  return found.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0)).map(({ name, takenAt }) => ({ name, takenAt }));
}

/**
 * Writes a backup of `files` (paths relative to the library, their text as
 * stored) and deletes the oldest beyond `keep`. Answers the backup's name.
 */
export async function takeSnapshot(dir: string, files: Readonly<Record<string, string>>, at: Date, keep = SNAPSHOTS_KEPT): Promise<string> {
  const folder = join(dir, SNAPSHOTS_DIR);
  await ensureOwnDir(dir, folder);
  const existing = new Set((await listSnapshots(dir)).map((s) => s.name));
  let name = `catalog-${stamp(at)}.json.gz`;
  for (let n = 2; existing.has(name); n++) name = `catalog-${stamp(at)}-${n}.json.gz`;
  const body = JSON.stringify({ format: FORMAT, version: VERSION, takenAt: at.toISOString(), files });
  // Level 1: a backup of 5,000 records is ~20 MB of JSON; it compresses well enough at a fraction of the time.
  await writeFileAtomic(join(folder, name), gzipSync(body, { level: 1 }));
  for (const old of (await listSnapshots(dir)).slice(keep)) {
    await unlink(join(folder, old.name)).catch(() => undefined);
  }
  return name;
}

/** Reads backups on demand, each once, newest first; an unreadable one is skipped. */
export class SnapshotReader {
  private list: SnapshotInfo[] | null = null;
  private readonly opened = new Map<string, Record<string, string> | null>();

  constructor(private readonly dir: string) {}

  private async contents(name: string): Promise<Record<string, string> | null> {
    if (!this.opened.has(name)) {
      let files: Record<string, string> | null;
      try {
        const raw = gunzipSync(await readFile(join(this.dir, SNAPSHOTS_DIR, name))).toString('utf8');
        files = SnapshotSchema.parse(JSON.parse(raw)).files;
      } catch {
        files = null; // damaged backup: the next older one is tried
      }
      this.opened.set(name, files);
    }
    return this.opened.get(name) ?? null;
  }

  /** The newest good copy of `path` (relative to the library): its text, what it reads as, and when it was backed up. */
  async goodCopy<T>(path: string, read: (raw: string) => T): Promise<{ raw: string; value: T; takenAt: string } | null> {
    this.list ??= await listSnapshots(this.dir);
    for (const snapshot of this.list) {
      const raw = (await this.contents(snapshot.name))?.[path];
      if (raw === undefined) continue;
      try {
        return { raw, value: read(raw), takenAt: snapshot.takenAt };
      } catch {
        // Not a good copy either: an older backup may have one.
      }
    }
    return null;
  }
}

/**
 * Copies a damaged file aside as `<file>.damaged-<time>` (a name not yet
 * taken: an earlier damaged copy is never overwritten). Answers the copy's path.
 */
export async function keepDamagedCopy(fullPath: string, at: Date): Promise<string> {
  for (let n = 1; ; n++) {
    const aside = `${fullPath}.damaged-${stamp(at)}${n > 1 ? `-${n}` : ''}`;
    try {
      await copyFile(fullPath, aside, constants.COPYFILE_EXCL);
      return aside;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * A catalog file that could not be read, put right from the backups: the
 * newest good copy is written in its place (through the store's journal),
 * the damaged file kept aside. Answers the copy as read, and what to tell
 * the user; null when the error is not damage (a newer Cuttings' file, a
 * disk error) or no backup holds a good copy (the file is then left as it is).
 */
export async function restoreFromSnapshots<T>(
  store: Pick<Store, 'root' | 'write'>,
  reader: SnapshotReader,
  path: string,
  error: unknown,
  read: (raw: string, fullPath: string) => T,
  at: Date,
): Promise<{ value: T; message: string } | null> {
  if (!(error instanceof LibraryError) || error.code !== 'corrupt') return null;
  const fullPath = join(store.root, path);
  const copy = await reader.goodCopy(path, (raw) => read(raw, fullPath));
  if (!copy) return null;
  let aside: string | null = null;
  try {
    aside = await keepDamagedCopy(fullPath, at);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new LibraryError('io', `Could not keep a copy of the damaged ${fullPath}: ${(e as Error).message}`, { cause: e });
  }
  await store.write([{ path, data: copy.raw }]);
  // The reason as the reader said it, without the path again ("… is not valid JSON; it was left untouched").
  const reason = error.message
    .split(fullPath)
    .join('it')
    .replace(/;? ?it was left untouched\.?$/, '');
  return {
    value: copy.value,
    message:
      `${fullPath} could not be read (${reason}). It was restored from the backup of ${backupTime(copy.takenAt)}: changes made to it after then are lost.` +
      (aside ? ` The damaged file is kept beside it as ${basename(aside)}.` : ''),
  };
}

/** "2026-11-26 22:11:15 UTC": when a backup was made, as a person reads it. */
export function backupTime(takenAt: string): string {
  return `${takenAt.slice(0, 10)} ${takenAt.slice(11, 19)} UTC`;
}

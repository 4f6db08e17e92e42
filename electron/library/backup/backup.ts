/**
 * The whole library as one file, and back.
 *
 * A `.cuttings-backup` is a zip: the library's own files under their own
 * names (the manifest, labels, feeds, press reviews, templates, and per
 * article its record, body, earlier versions and images), and
 * `cuttings-backup.json`, which lists every one with its size and SHA-256,
 * plus counts and the format version. Derived files (the catalog cache, its
 * change markers, the search index) are left out: opening the restored
 * library rebuilds them.
 *
 * Restoring never overwrites a library. It goes into an empty or missing
 * folder; into a library only when the caller says so (`replace`), and even
 * then the backup is written to a sibling folder and verified first, and
 * the old library is moved aside (never deleted), its new place reported.
 * Every entry's name is checked against the library's layout before a byte
 * is written: a backup naming a path outside the folder, a link, or a file
 * we do not know is refused whole.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import yazl from 'yazl';
import yauzl from 'yauzl';
import { z } from 'zod';
import { LibraryError, describeIoError } from '../errors';
import type { Library } from '../library';
import { LOCK_FILE, LibraryLock } from '../storage/lock';
import { isJournalFile } from '../storage/store';
import { fsyncDir } from '../storage/atomic-file';
import { MANIFEST_FILE, ManifestSchema, SCHEMA_VERSION } from '../storage/records';
import { isDerived, isKept } from './layout';

export const BACKUP_EXTENSION = '.cuttings-backup';
export const BACKUP_MANIFEST = 'cuttings-backup.json';
export const BACKUP_FORMAT = 'cuttings-backup';
export const BACKUP_VERSION = 1;

/** Bounds on what a restore reads (a hostile file must not fill the disk or the memory). */
const LIMITS = { entries: 2_000_000, manifestBytes: 256 * 1024 * 1024, entryBytes: 4 * 1024 * 1024 * 1024 } as const;

const CountsSchema = z.object({
  articles: z.number().int().min(0),
  clippings: z.number().int().min(0),
  versions: z.number().int().min(0),
  images: z.number().int().min(0),
  labels: z.number().int().min(0),
  feeds: z.number().int().min(0),
  compositions: z.number().int().min(0),
  templates: z.number().int().min(0),
});
export type BackupCounts = z.infer<typeof CountsSchema>;

const BackupManifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.number().int().min(1),
  createdAt: z.iso.datetime({ offset: true }),
  library: z.object({ schemaVersion: z.number().int(), createdAt: z.iso.datetime({ offset: true }) }),
  counts: CountsSchema,
  entries: z.array(z.object({ name: z.string().max(500), size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).max(LIMITS.entries),
});
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

export type BackupResult = { path: string; bytes: number; entries: number; counts: BackupCounts; skipped: string[] };
export type RestoreResult = { library: string; previousMovedTo: string | null; entries: number; counts: BackupCounts };

// ---------------------------------------------------------------- backup

/** Files under `dir` as relative paths with `/`, links not followed (a backup copies the folder, not what it points to). */
async function listFiles(dir: string): Promise<{ files: string[]; others: string[] }> {
  const files: string[] = [];
  const others: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      const name = relative(dir, full).split(sep).join('/');
      if (isDerived(name)) continue;
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) (isKept(name) ? files : others).push(name);
      else others.push(name);
    }
  };
  await walk(dir);
  files.sort();
  return { files, others };
}

/**
 * Writes the library as one backup file at `out` (atomically: a temp file
 * beside it, renamed when complete). The library stays open; what is
 * backed up is what it holds once every acknowledged change is in place.
 */
export async function createBackup(library: Library, out: string, options: { now?: () => Date } = {}): Promise<BackupResult> {
  const target = resolve(out);
  const root = resolve(library.dir);
  if (target === root || target.startsWith(root + sep)) throw new LibraryError('invalid-input', `A backup cannot be written inside the library it backs up (${target})`);
  await library.whenReady();
  await library.flush(); // every acknowledged change in place, the journal empty
  const { files, others } = await listFiles(root);
  const libraryManifest = ManifestSchema.parse(JSON.parse(await readFile(join(root, MANIFEST_FILE), 'utf8')));
  const createdAt = (options.now ?? (() => new Date()))();

  const zip = new yazl.ZipFile();
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const counts: BackupCounts = { articles: 0, clippings: 0, versions: 0, images: 0, labels: 0, feeds: 0, compositions: 0, templates: 0 };
  const entries: BackupManifest['entries'] = [];
  // `flush`: the file is fsynced before it is closed, so the rename below publishes a complete file.
  const written = pipeline(zip.outputStream, createWriteStream(temp, { flags: 'wx', mode: 0o644, flush: true }));
  written.catch(() => undefined);
  try {
    for (const name of files) {
      const full = join(root, ...name.split('/'));
      const options = { mtime: createdAt, mode: 0o100644, compress: !name.includes('/images/') };
      if (name.endsWith('/article.json') || !name.includes('/')) {
        // Small files that the counts read: whole.
        const bytes = await readFile(full);
        count(counts, name, bytes);
        entries.push({ name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
        zip.addBuffer(bytes, name, options);
      } else {
        // Bodies, versions, images: streamed, hashed as they go into the zip.
        const hash = createHash('sha256');
        let size = 0;
        const hashing = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
          },
        });
        const ended = new Promise<void>((resolveEnd, reject) => {
          hashing.on('end', resolveEnd);
          hashing.on('error', reject);
        });
        const source = createReadStream(full);
        source.on('error', (e) => hashing.destroy(e));
        source.pipe(hashing);
        zip.addReadStream(hashing, name, options);
        // One at a time: memory stays bounded whatever the library's size. (If writing fails, the zip stops reading: say so.)
        await Promise.race([ended, written.then(() => Promise.reject(new Error('the zip ended early')))]);
        count(counts, name, null);
        entries.push({ name, size, sha256: hash.digest('hex') });
      }
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: createdAt.toISOString(),
      library: { schemaVersion: libraryManifest.schemaVersion, createdAt: libraryManifest.createdAt },
      counts,
      entries,
    };
    zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 1) + '\n'), BACKUP_MANIFEST, { mtime: createdAt, mode: 0o100644 });
    zip.end();
    await written;
    await rename(temp, target);
    await fsyncDir(dirname(target));
  } catch (e) {
    (zip.outputStream as unknown as Readable).destroy();
    await written.catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    if (e instanceof LibraryError) throw e;
    throw new LibraryError('io', `Could not write the backup ${target}: ${describeIoError(e)}`, { cause: e });
  }
  const { size } = await stat(target);
  return { path: target, bytes: size, entries: entries.length, counts, skipped: others };
}

function count(counts: BackupCounts, name: string, bytes: Buffer | null): void {
  if (name.endsWith('/article.json')) {
    counts.articles++;
    const record = JSON.parse((bytes as Buffer).toString('utf8')) as { clippings?: unknown[] };
    counts.clippings += Array.isArray(record.clippings) ? record.clippings.length : 0;
  } else if (name.includes('/versions/')) counts.versions++;
  else if (name.includes('/images/')) counts.images++;
  else if (name.startsWith('templates/')) counts.templates++;
  else if (bytes && name === 'labels.json') counts.labels = listLength(bytes, 'labels');
  else if (bytes && name === 'feeds.json') counts.feeds = listLength(bytes, 'feeds');
  else if (bytes && name === 'compositions.json') counts.compositions = listLength(bytes, 'compositions');
}

function listLength(bytes: Buffer, key: string): number {
  const value = (JSON.parse(bytes.toString('utf8')) as Record<string, unknown>)[key];
  return Array.isArray(value) ? value.length : 0;
}

// ---------------------------------------------------------------- restore

type CheckedEntry = { entry: yauzl.Entry; name: string; size: number; sha256: string };

const refuse = (file: string, why: string) => new LibraryError('invalid-input', `${file} cannot be restored: ${why}. Nothing was written.`);

/**
 * Reads a backup's table of contents and its manifest, and checks both:
 * every name is one of a library's own files (no absolute path, no `..`,
 * no link, nothing outside the layout), nothing is listed twice, and every
 * entry is in the manifest with its size (and the manifest names nothing
 * that is missing). Nothing is extracted.
 */
export async function inspectBackup(file: string): Promise<{ manifest: BackupManifest; entries: CheckedEntry[]; zip: yauzl.ZipFile }> {
  let zip: yauzl.ZipFile;
  try {
    // yauzl itself refuses absolute names, `..` and backslashes (strictFileNames).
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: true });
  } catch (e) {
    throw refuse(file, `it is not a readable backup (${(e as Error).message})`);
  }
  try {
    if (zip.entryCount > LIMITS.entries + 1) throw refuse(file, `it holds ${zip.entryCount} entries, more than a library can`);
    const found = new Map<string, yauzl.Entry>();
    try {
      for await (const entry of zip.eachEntry()) {
        const name = entry.fileName;
        if (found.has(name)) throw refuse(file, `it names ${name} twice`);
        const kind = (entry.externalFileAttributes >>> 16) & 0o170000;
        if (kind === 0o120000) throw refuse(file, `${name} is a symbolic link`);
        if (name.endsWith('/') || (kind !== 0 && kind !== 0o100000)) throw refuse(file, `${name} is not a plain file`);
        if (entry.isEncrypted()) throw refuse(file, `${name} is encrypted`);
        if (name !== BACKUP_MANIFEST && !isKept(name)) throw refuse(file, `${name} is not a file of a Cuttings library`);
        if (entry.uncompressedSize > LIMITS.entryBytes) throw refuse(file, `${name} is too large`);
        found.set(name, entry);
      }
    } catch (e) {
      if (e instanceof LibraryError) throw e;
      throw refuse(file, `its table of contents is damaged or hostile (${(e as Error).message})`);
    }
    const manifestEntry = found.get(BACKUP_MANIFEST);
    if (!manifestEntry) throw refuse(file, `it has no ${BACKUP_MANIFEST}: it is not a Cuttings backup`);
    if (manifestEntry.uncompressedSize > LIMITS.manifestBytes) throw refuse(file, `its manifest is too large`);
    const raw = await readEntry(zip, manifestEntry);
    let value: unknown;
    try {
      value = JSON.parse(raw.toString('utf8'));
    } catch {
      throw refuse(file, `its manifest is not valid JSON`);
    }
    const version = (value as { version?: unknown } | null)?.version;
    if (typeof version === 'number' && version > BACKUP_VERSION) throw new LibraryError('newer-schema', `${file} was made by a newer version of Cuttings (backup format ${version}; this one reads ${BACKUP_VERSION}). Nothing was written.`);
    const parsed = BackupManifestSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw refuse(file, `its manifest is damaged (${issue?.path.join('.') || 'it'}: ${issue?.message})`);
    }
    const manifest = parsed.data;
    if (manifest.library.schemaVersion > SCHEMA_VERSION) {
      throw new LibraryError('newer-schema', `${file} holds a library of a newer version of Cuttings (schema ${manifest.library.schemaVersion}; this one reads ${SCHEMA_VERSION}). Nothing was written.`);
    }
    const entries: CheckedEntry[] = [];
    const listed = new Set<string>();
    for (const m of manifest.entries) {
      if (listed.has(m.name)) throw refuse(file, `its manifest lists ${m.name} twice`);
      listed.add(m.name);
      const entry = found.get(m.name);
      if (!entry) throw refuse(file, `${m.name} is listed in its manifest but missing: the backup is incomplete`);
      if (entry.uncompressedSize !== m.size) throw refuse(file, `${m.name} is not the size its manifest says`);
      entries.push({ entry, name: m.name, size: m.size, sha256: m.sha256 });
    }
    for (const name of found.keys()) if (name !== BACKUP_MANIFEST && !listed.has(name)) throw refuse(file, `${name} is not in its manifest`);
    if (!listed.has(MANIFEST_FILE)) throw refuse(file, `it holds no library manifest (${MANIFEST_FILE})`);
    return { manifest, entries, zip };
  } catch (e) {
    zip.close();
    throw e;
  }
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Empty, or missing: a restore may go there without asking. (A lone .DS_Store does not count.) */
async function emptyOrMissing(dir: string): Promise<'missing' | 'empty' | 'full'> {
  try {
    if (!(await stat(dir)).isDirectory()) return 'full';
    return (await readdir(dir)).filter((n) => n !== '.DS_Store').length === 0 ? 'empty' : 'full';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new LibraryError('io', `Could not read ${dir}: ${describeIoError(e)}`, { cause: e });
  }
}

/**
 * Restores a backup into `dir`: an empty or missing folder, or, with
 * `replace`, a library (which must not be open elsewhere: its lock is
 * taken). The backup is checked, written to a sibling folder and verified
 * entry by entry (SHA-256) before anything is put in place; the library it
 * replaces is moved aside, never deleted (`previousMovedTo`).
 */
export async function restoreBackup(file: string, dir: string, options: { replace?: boolean; now?: () => Date } = {}): Promise<RestoreResult> {
  const source = resolve(file);
  const target = resolve(dir);
  const state = await emptyOrMissing(target);
  if (state === 'full') {
    if (!options.replace) {
      throw new LibraryError('conflict', `${target} is not empty; a backup is restored into an empty folder, or in place of a library only when asked to replace it (--replace). Nothing was written.`);
    }
    // A library's manifest may still be in its journal (a library just created, open elsewhere).
    const names = await readdir(target);
    const isLibrary = names.includes(MANIFEST_FILE) || names.includes(LOCK_FILE) || names.some(isJournalFile);
    if (!isLibrary) throw new LibraryError('not-a-library', `${target} is not empty and is not a Cuttings library: it is not replaced. Nothing was written.`);
  }
  const { manifest, entries, zip } = await inspectBackup(source);
  const parent = dirname(target);
  const staging = join(parent, `.${basename(target)}.restoring-${randomBytes(6).toString('hex')}`);
  let lock: LibraryLock | null = null;
  try {
    if (state === 'full') lock = await LibraryLock.acquire(target, 'a restore from a backup');
    try {
      await mkdir(parent, { recursive: true });
      await mkdir(staging);
    } catch (e) {
      throw new LibraryError('io', `Could not write beside ${target}: ${describeIoError(e)}. Nothing was written.`, { cause: e });
    }
    try {
      const dirs = new Set<string>([staging]);
      for (const e of entries) {
        const path = join(staging, ...e.name.split('/'));
        const folder = dirname(path);
        if (!dirs.has(folder)) {
          await mkdir(folder, { recursive: true });
          dirs.add(folder);
        }
        await extract(zip, e, path, source);
      }
      for (const folder of [...dirs].sort((a, b) => b.length - a.length)) await fsyncDir(folder);
    } catch (e) {
      await rm(staging, { recursive: true, force: true }).catch(() => undefined);
      throw e instanceof LibraryError ? e : new LibraryError('io', `Could not restore ${source}: ${describeIoError(e)}. Nothing was put in place.`, { cause: e });
    }

    // Verified and durable beside the target: now the swap.
    let previousMovedTo: string | null = null;
    try {
      if (state === 'empty') await rmdir(target);
      if (state === 'full') {
        const stamp = (options.now ?? (() => new Date()))().toISOString().replace(/[:.]/g, '-');
        previousMovedTo = join(parent, `${basename(target)}.before-restore-${stamp}`);
        await rename(target, previousMovedTo);
      }
      try {
        await rename(staging, target);
      } catch (e) {
        if (previousMovedTo) await rename(previousMovedTo, target).catch(() => undefined);
        else if (state === 'empty') await mkdir(target).catch(() => undefined);
        throw e;
      }
      await fsyncDir(parent);
    } catch (e) {
      await rm(staging, { recursive: true, force: true }).catch(() => undefined);
      throw new LibraryError('io', `Could not put the restored library in place at ${target}: ${describeIoError(e)}. The library there was left as it was.`, { cause: e });
    }
    if (previousMovedTo) await dropOwnLock(previousMovedTo);
    return { library: target, previousMovedTo, entries: entries.length, counts: manifest.counts };
  } finally {
    zip.close();
    await lock?.release();
  }
}

async function extract(zip: yauzl.ZipFile, e: CheckedEntry, path: string, source: string): Promise<void> {
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(e.entry);
  } catch (err) {
    throw refuse(source, `${e.name} cannot be read (${(err as Error).message})`);
  }
  const hash = createHash('sha256');
  let size = 0;
  const fh = await open(path, 'wx', 0o644);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      if (size > e.size) throw refuse(source, `${e.name} is larger than its manifest says`);
      await fh.write(chunk);
    }
    await fh.sync();
  } catch (err) {
    if (err instanceof LibraryError) throw err;
    throw refuse(source, `${e.name} is damaged (${(err as Error).message})`);
  } finally {
    await fh.close();
  }
  if (size !== e.size || hash.digest('hex') !== e.sha256) throw refuse(source, `${e.name} does not match its checksum: the backup is damaged`);
}

/** The lock this process took travels with the library it moved aside: removed there, so the old library opens as any other. */
async function dropOwnLock(dir: string): Promise<void> {
  const path = join(dir, LOCK_FILE);
  const held = await readFile(path, 'utf8').catch(() => null);
  if (held === null) return;
  try {
    if ((JSON.parse(held) as { pid?: unknown }).pid === process.pid) await unlink(path);
  } catch {
    // Not ours, or already gone.
  }
}

import { mkdir, open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { LibraryError, describeIoError } from '../errors';

/**
 * Every write to a library goes through one Store: one queue, so two
 * changes never interleave, and group commit, so that durability costs one
 * fsync per batch of changes rather than several per change.
 *
 * A change is a transaction of whole files (an article's body and its
 * record, say). Committing a group of transactions:
 *   1. each file is written to a temp file beside its target (this is where
 *      a full disk or a read-only folder fails, and only that transaction
 *      fails, leaving nothing behind);
 *   2. the surviving transactions are appended to journal.jsonl and the
 *      journal is fsynced: from here on they are acknowledged and survive a
 *      crash;
 *   3. the temp files are renamed over their targets.
 * A checkpoint (when the journal grows, when idle, on close) fsyncs every
 * file renamed since the last one and their folders, then empties the
 * journal. Opening a library replays whatever the journal still holds, so a
 * crash between 2 and the checkpoint loses nothing acknowledged; a torn last
 * line was never acknowledged and is ignored.
 *
 * Measured here (ext4): fsync of a small file costs ~1 ms serially, so the
 * former write-temp-fsync-rename-fsync-folder per file capped imports at
 * ~215 articles/s; a group commit pays that once per group.
 */
/** A whole file: text (JSON records) or bytes (images). */
export type FileWrite = { path: string; data: string | Uint8Array };

type Pending = { files: FileWrite[]; resolve: () => void; reject: (e: unknown) => void };

const JOURNAL = 'journal.jsonl';
const JOURNAL_VERSION = 1;
/** Past this, a checkpoint runs before the next group: bounds replay time and journal size. */
const CHECKPOINT_BYTES = 16 * 1024 * 1024;
const IDLE_CHECKPOINT_MS = 2_000;
/** fs work in flight at once: enough to keep libuv's pool busy without exhausting descriptors. */
const PARALLEL = 64;

export class Store {
  private pending: Pending[] = [];
  private running = false;
  private journal: FileHandle | null = null;
  private journalBytes = 0;
  private seq = 0;
  private readonly unsynced = new Set<string>();
  private readonly knownDirs = new Set<string>();
  private idleTimer: NodeJS.Timeout | null = null;
  private checkpointing: Promise<void> | null = null;
  private closed = false;

  private constructor(readonly root: string) {}

  /** Opens the store of a library folder, replaying a journal left by a crash. */
  static async open(root: string): Promise<Store> {
    const store = new Store(root);
    await store.recover();
    return store;
  }

  /** Resolves once the files are durable (journaled) and visible on disk. */
  write(files: FileWrite[]): Promise<void> {
    if (this.closed) return Promise.reject(new LibraryError('io', `The library at ${this.root} is closed`));
    for (const f of files) this.resolvePath(f.path);
    return new Promise((resolve, reject) => {
      this.pending.push({ files, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Let every write issued in this turn of the event loop join the group.
        setImmediate(() => void this.drain());
      }
    });
  }

  async read(path: string): Promise<string | null> {
    const bytes = await this.readBytes(path);
    return bytes === null ? null : bytes.toString('utf8');
  }

  async readBytes(path: string): Promise<Buffer | null> {
    const file = this.resolvePath(path);
    try {
      return await readFile(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      if (code === 'ENOTDIR') return null;
      throw new LibraryError('io', `Could not read ${file}: ${describeIoError(e)}`, { cause: e });
    }
  }

  /** Waits for queued writes, makes everything durable in place and empties the journal. */
  async close(): Promise<void> {
    while (this.running || this.pending.length) await new Promise((r) => setImmediate(r));
    await this.checkpoint();
    this.closed = true;
    await this.journal?.close();
    this.journal = null;
  }

  /** A path inside the library, or a refusal: nothing writes outside its folder. */
  private resolvePath(path: string): string {
    const clean = normalize(path);
    if (isAbsolute(clean) || clean.startsWith('..') || clean.split(sep).includes('..') || clean === '.') {
      throw new LibraryError('invalid-input', `Refused to write outside the library: ${path}`);
    }
    return join(this.root, clean);
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length) {
        // A checkpoint empties the journal: nothing may be appended while it runs.
        if (this.checkpointing) await this.checkpointing.catch(() => undefined);
        if (this.journalBytes > CHECKPOINT_BYTES) await this.checkpoint();
        const group = this.pending.splice(0);
        await this.commit(group);
      }
    } finally {
      this.running = false;
    }
    this.scheduleIdleCheckpoint();
  }

  private async commit(group: Pending[]): Promise<void> {
    // 1. temp files; a transaction whose files cannot be written fails alone.
    const staged = await Promise.all(group.map((tx) => this.stage(tx)));
    const ok = group.filter((_, i) => staged[i] !== null);
    const temps = staged.filter((s): s is Staged[] => s !== null);
    if (ok.length === 0) return;
    // 2. the journal: the point of acknowledgement.
    try {
      await this.append(ok.map((tx) => tx.files));
    } catch (e) {
      await Promise.all(temps.flat().map((t) => rm(t.temp, { force: true }).catch(() => undefined)));
      for (const tx of ok) tx.reject(e);
      return;
    }
    // 3. into place.
    for (const [i, tx] of ok.entries()) {
      try {
        for (const t of temps[i] ?? []) {
          await rename(t.temp, t.target);
          this.unsynced.add(t.target);
        }
        tx.resolve();
      } catch (e) {
        // Journaled already: the next open replays it. Say so rather than pretend.
        tx.reject(new LibraryError('io', `Saved to the journal but not yet in place (${describeIoError(e)}); it will be restored when the library is next opened`, { cause: e }));
      }
    }
  }

  private async stage(tx: Pending): Promise<Staged[] | null> {
    const staged: Staged[] = [];
    try {
      await parallel(tx.files, async (f) => {
        const target = this.resolvePath(f.path);
        await this.ensureDir(dirname(target));
        const temp = join(dirname(target), `.${randomBytes(6).toString('hex')}.tmp`);
        staged.push({ temp, target });
        await writeWhole(temp, f.data, false);
      });
      return staged;
    } catch (e) {
      await Promise.all(staged.map((s) => rm(s.temp, { force: true }).catch(() => undefined)));
      tx.reject(e instanceof LibraryError ? e : new LibraryError('io', `Could not write in ${this.root}: ${describeIoError(e)}`, { cause: e }));
      return null;
    }
  }

  private async ensureDir(dir: string): Promise<void> {
    if (this.knownDirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.knownDirs.add(dir);
    this.unsynced.add(dirname(dir)); // the new folder's entry lives in its parent
  }

  private async append(transactions: FileWrite[][]): Promise<void> {
    const journal = await this.journalHandle();
    const lines = transactions.map((files) => {
      const body = JSON.stringify(
        files.map((f) => (typeof f.data === 'string' ? { p: f.path, d: f.data } : { p: f.path, b: Buffer.from(f.data).toString('base64') })),
      );
      return `${JSON.stringify({ v: JOURNAL_VERSION, seq: ++this.seq, h: hash(body), files: body })}\n`;
    });
    const data = lines.join('');
    const before = this.journalBytes;
    try {
      await journal.write(data, before);
      await journal.datasync();
      this.journalBytes += Buffer.byteLength(data);
    } catch (e) {
      // Leave no partial line behind: the journal ends where it ended before.
      await journal.truncate(before).catch(() => undefined);
      throw new LibraryError('io', `Could not save in ${this.root}: ${describeIoError(e)}`, { cause: e });
    }
  }

  private async journalHandle(): Promise<FileHandle> {
    if (!this.journal) {
      try {
        this.journal = await open(join(this.root, JOURNAL), 'a+');
        this.journalBytes = (await this.journal.stat()).size;
      } catch (e) {
        throw new LibraryError('io', `Could not write in ${this.root}: ${describeIoError(e)}`, { cause: e });
      }
    }
    return this.journal;
  }

  private scheduleIdleCheckpoint(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.journalBytes === 0) return;
    this.idleTimer = setTimeout(() => {
      if (!this.running && !this.pending.length) void this.checkpoint().catch(() => undefined);
    }, IDLE_CHECKPOINT_MS);
    this.idleTimer.unref();
  }

  /** Makes every renamed file durable in place, then empties the journal. */
  async checkpoint(): Promise<void> {
    if (this.checkpointing) return this.checkpointing;
    this.checkpointing = (async () => {
      const paths = [...this.unsynced];
      this.unsynced.clear();
      try {
        await parallel(paths, (p) => fsyncPath(p));
        if (this.journal && this.journalBytes > 0) {
          await this.journal.truncate(0);
          await this.journal.datasync();
          this.journalBytes = 0;
        }
      } catch (e) {
        for (const p of paths) this.unsynced.add(p);
        throw e;
      } finally {
        this.checkpointing = null;
      }
    })();
    return this.checkpointing;
  }

  /** Replays complete, intact journal lines; stops at the first torn or damaged one. */
  private async recover(): Promise<void> {
    let raw: string;
    try {
      raw = await readFile(join(this.root, JOURNAL), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw new LibraryError('io', `Could not read the journal of ${this.root}: ${describeIoError(e)}`, { cause: e });
    }
    if (!raw) return;
    const lines = raw.split('\n');
    lines.pop(); // after the last newline: empty, or a torn line that was never acknowledged
    const replay: FileWrite[][] = [];
    for (const line of lines) {
      let entry: { v?: unknown; h?: unknown; files?: unknown };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        break;
      }
      if (typeof entry.v === 'number' && entry.v > JOURNAL_VERSION) {
        throw new LibraryError('newer-schema', `${join(this.root, JOURNAL)} was written by a newer version of Cuttings; it was left untouched`);
      }
      if (typeof entry.files !== 'string' || entry.h !== hash(entry.files)) break;
      const files = (JSON.parse(entry.files) as { p: string; d?: string; b?: string }[]).map((f) => ({
        path: f.p,
        data: f.d ?? new Uint8Array(Buffer.from(f.b ?? '', 'base64')),
      }));
      replay.push(files);
    }
    for (const files of replay) {
      for (const f of files) {
        const target = this.resolvePath(f.path);
        await mkdir(dirname(target), { recursive: true });
        const temp = join(dirname(target), `.${randomBytes(6).toString('hex')}.tmp`);
        await writeWhole(temp, f.data, true);
        await rename(temp, target);
        this.unsynced.add(target);
        this.unsynced.add(dirname(target));
        this.unsynced.add(dirname(dirname(target)));
      }
    }
    this.journalBytes = Buffer.byteLength(raw);
    await this.journalHandle();
    await this.checkpoint();
  }
}

type Staged = { temp: string; target: string };

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

async function writeWhole(path: string, data: string | Uint8Array, sync: boolean): Promise<void> {
  const fh = await open(path, 'wx', 0o644);
  try {
    await fh.writeFile(data);
    if (sync) await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync a file or a folder; folders cannot be opened for it on Windows, and some file systems refuse. */
async function fsyncPath(path: string): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || process.platform === 'win32') return;
    throw e;
  }
  try {
    await fh.sync();
  } catch (e) {
    if (!['EINVAL', 'EISDIR', 'EBADF'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    await fh.close();
  }
}

async function parallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (e) {
        errors.push(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
  if (errors.length) throw errors[0];
}

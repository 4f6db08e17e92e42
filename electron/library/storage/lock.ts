import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, readFile, rename, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LibraryError, describeIoError } from '../errors';

/**
 * One process writes a library at a time: the app, or one CLI command, never
 * both. The app's second launch is stopped earlier by Electron's
 * single-instance lock; this lock is what also stops the CLI (and a second
 * app using a different user-data folder) from writing a library the app
 * holds.
 *
 * A file created with O_EXCL holding who owns it. Ownership is judged by the
 * process: a lock whose process is gone (killed, crashed, power cut) is
 * taken over at once, so reopening after a crash never waits or asks. A
 * heartbeat-based lock (proper-lockfile and the like) would make every open
 * after a crash wait out the stale period instead. On Linux the process's
 * start time is kept too, so that a recycled pid is not mistaken for the
 * owner. Breaking a stale lock is itself guarded by an O_EXCL-made folder,
 * so that two processes breaking the same stale lock cannot both win.
 */
export const LOCK_FILE = 'cuttings.lock';
const BREAK_DIR = 'cuttings.lock.break';
/** A break folder older than this was left by a process that died while breaking: removed. */
const BREAK_STALE_MS = 10_000;

type Owner = { pid: number; host: string; started: string | null; since: string; purpose: string };

/** This process's start time (clock ticks since boot, from /proc), or null where there is no /proc. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function alive(owner: Owner): boolean {
  if (owner.host !== hostname()) return true; // a library on a shared drive, held elsewhere: cannot tell, so respect it
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // The pid is in use: by the owner unless its start time says it is another process.
  if (owner.started === null) return true;
  const now = startTime(owner.pid);
  return now === null || now === owner.started;
}

function parseOwner(text: string): Owner | null {
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    if (typeof o.pid === 'number' && typeof o.host === 'string') {
      return { pid: o.pid, host: o.host, started: typeof o.started === 'string' ? o.started : null, since: String(o.since ?? ''), purpose: String(o.purpose ?? '') };
    }
  } catch {
    // A lock file torn by a crash while it was being written: nobody holds it.
  }
  return null;
}

export class LibraryLock {
  private released = false;
  private readonly onExit = () => this.releaseSync();

  private constructor(
    private readonly path: string,
    private readonly token: string,
  ) {
    process.once('exit', this.onExit);
  }

  /**
   * Takes the lock of the library folder `root` (which must exist), or
   * refuses with a `locked` error naming who holds it.
   */
  static async acquire(root: string, purpose: string): Promise<LibraryLock> {
    const path = join(root, LOCK_FILE);
    const owner: Owner = { pid: process.pid, host: hostname(), started: startTime(process.pid), since: new Date().toISOString(), purpose };
    const token = JSON.stringify(owner);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await writeFile(path, token, { flag: 'wx' });
        return new LibraryLock(path, token);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new LibraryError('io', `Could not lock the library at ${root}: ${describeIoError(e)}`, { cause: e });
        }
      }
      const held = await readFile(path, 'utf8').catch(() => null);
      if (held === null) continue; // released meanwhile
      const holder = parseOwner(held);
      if (holder && alive(holder)) {
        const who = holder.pid === process.pid && holder.host === owner.host ? 'this process already has it open' : `it is open in ${holder.purpose || 'another Cuttings process'} (process ${holder.pid}, since ${holder.since})`;
        throw new LibraryError('locked', `The library at ${root} is in use: ${who}. Close it there and try again.`);
      }
      await breakStale(root, path, held);
    }
    throw new LibraryError('locked', `The library at ${root} is being opened by another process; try again.`);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    process.removeListener('exit', this.onExit);
    const held = await readFile(this.path, 'utf8').catch(() => null);
    if (held === this.token) await unlink(this.path).catch(() => undefined);
  }

  /** On process exit (a CLI command that throws, Ctrl+C): synchronous, as 'exit' handlers must be. */
  private releaseSync(): void {
    if (this.released) return;
    this.released = true;
    try {
      if (readFileSync(this.path, 'utf8') === this.token) unlinkSync(this.path);
    } catch {
      // Gone already.
    }
  }
}

/** Removes a stale lock, unless another process is doing the same or the lock changed meanwhile. */
async function breakStale(root: string, path: string, staleText: string): Promise<void> {
  const guard = join(root, BREAK_DIR);
  try {
    await mkdir(guard);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new LibraryError('io', `Could not lock the library at ${root}: ${describeIoError(e)}`, { cause: e });
    const since = await stat(guard).then((s) => s.mtimeMs).catch(() => null);
    if (since !== null && Date.now() - since > BREAK_STALE_MS) await rmdir(guard).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    return;
  }
  try {
    // Only the stale lock itself goes: if it changed since it was judged, someone else holds it now.
    if ((await readFile(path, 'utf8').catch(() => null)) === staleText) {
      const aside = `${path}.${process.pid}.stale`;
      await rename(path, aside).catch(() => undefined);
      await unlink(aside).catch(() => undefined);
    }
  } finally {
    await rmdir(guard).catch(() => undefined);
  }
}

/** For tests: writes a lock as another (possibly dead) process would have left it. */
export function writeForeignLock(root: string, owner: { pid: number; host?: string; started?: string | null; purpose?: string }): void {
  const fd = openSync(join(root, LOCK_FILE), 'w');
  try {
    writeSync(fd, JSON.stringify({ pid: owner.pid, host: owner.host ?? hostname(), started: owner.started ?? null, since: new Date().toISOString(), purpose: owner.purpose ?? 'test' }));
  } finally {
    closeSync(fd);
  }
}

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const SEED_DIR = join(ROOT, 'seeds');
export const SEED_FILE = join(SEED_DIR, '000_980efc22cf33c08f.txt');
export const SHARED = join(ROOT, '..', 'shared');

const made: string[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A fresh temp folder, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cuttings-test-'));
  made.push(dir);
  return dir;
}

/**
 * A crash of the process holding the library at `dir`, in tests that stand
 * for it by dropping a Library or Store without closing it: the process
 * would be gone, and its lock with it (see storage/lock.ts, which takes over
 * a dead process's lock at once).
 */
export async function crashed(dir: string): Promise<void> {
  await rm(join(dir, 'cuttings.lock'), { force: true });
}

/**
 * Derived data a library rewrites from its records (the catalog cache and its change markers, the search index),
 * and the catalog's backups (copies of the records, made when a changed library closes).
 */
export const isDerived = (path: string) =>
  path.startsWith('catalog.cache') || path.startsWith('changes') || path.startsWith('search') || path.startsWith('backups');

/**
 * Every file under `dir` with a hash of its content: two equal snapshots mean
 * nothing on disk changed. `records: true` leaves derived data out.
 */
export async function snapshot(dir: string, options: { records?: boolean } = {}): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (options.records && isDerived(relative(dir, p))) continue;
      if (relative(dir, p) === 'cuttings.lock') continue; // who has it open, not what it holds
      if (e.isDirectory()) await walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(await readFile(p)).digest('hex');
    }
  };
  await walk(dir);
  return out;
}

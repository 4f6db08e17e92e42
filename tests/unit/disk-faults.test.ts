/**
 * A disk that is really full, and a folder that is really read-only: a
 * small tmpfs mounted for the test (root only: CI runs as root; elsewhere
 * these tests skip, saying why). The fault-injection tests in
 * library.test.ts and tags.test.ts cover the journal alone; here every kind
 * of write meets the real error: each refusal must name the cause, leave
 * the library as it was, and leave no half-written file behind.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Library } from '../../electron/library';
import { createBackup } from '../../electron/library/backup/backup';
import { runExport } from '../../electron/library/export';
import { writeFileAtomic } from '../../electron/library/storage/atomic-file';
import { SEED_DIR, snapshot, tempDir } from './helpers/temp';

const QUOTE = 'It is time for serious dialogue';

/** Whether this process may mount a tmpfs (root, with mount available). */
function canMount(): string | null {
  if (process.getuid?.() !== 0) return 'not root: cannot mount a small disk to fill';
  const probe = mkdtempSync(join(tmpdir(), 'cuttings-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return null;
  } catch {
    return 'mount is not permitted here';
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const cannot = canMount();
if (cannot) console.log(`disk-faults: skipped (${cannot})`);

const mounted: string[] = [];
afterEach(() => {
  for (const dir of mounted.splice(0)) {
    try {
      // Lazily: a test that failed may have left a library open on it.
      execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // still busy: left for the system's temp cleaning
    }
  }
});

/** A tmpfs of `size` mounted on a new folder. */
function smallDisk(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cuttings-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  mounted.push(dir);
  return dir;
}

function remount(dir: string, mode: 'ro' | 'rw'): void {
  execFileSync('mount', ['-o', `remount,${mode}`, dir]);
}

/** Fills the disk holding `dir` to the last byte. */
async function fill(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, 'filler');
  const handle = await open(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) await handle.write(chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  }
  // The last bytes: smaller writes until not one more fits.
  for (const size of [4096, 512, 1]) {
    try {
      for (;;) await handle.write(Buffer.alloc(size, 1));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
    }
  }
  await handle.close();
  return () => rm(path);
}

/** Files whose names say they were left half-written (temp files of atomic writes). */
async function leftovers(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (/\.tmp$|^\..*\.tmp/.test(e.name)) found.push(p);
    }
  };
  await walk(dir);
  return found;
}

describe.skipIf(cannot !== null)('a real full disk and a read-only folder', () => {
  it('refuses every kind of write on a full disk with "the disk is full", and the library is as it was', async () => {
    const disk = smallDisk('16m');
    const dir = join(disk, 'library');
    const library = await Library.open(dir, { seedDir: SEED_DIR });
    const [article] = await library.listArticles();
    const start = (await library.getArticle(article!.id)).text.indexOf(QUOTE);
    const kept = await library.createClipping({ articleId: article!.id, start, end: start + QUOTE.length, exact: QUOTE, label: 'quote', note: 'kept' });
    await library.flush();
    const before = await snapshot(dir, { records: true });
    const news = await tempDir();
    await writeFile(join(news, 'new.txt'), ' date 2025-01-02 Geneva, Jan 2 Talks resumed on Thursday.\n\nA second paragraph.\n');

    const free = await fill(disk);
    const full = { code: 'io', message: expect.stringContaining('the disk is full') };
    await expect(library.createClipping({ articleId: article!.id, start, end: start + QUOTE.length, exact: QUOTE, label: 'quote', note: 'lost' })).rejects.toMatchObject(full);
    await expect(library.setArticleTags(article!.id, ['lost'])).rejects.toMatchObject(full);
    await expect(library.updateClipping(kept.id, { note: 'lost' })).rejects.toMatchObject(full);
    await expect(library.saveLabels(library.labels().map((l) => ({ ...l, name: `${l.name}!` })))).rejects.toMatchObject(full);
    await expect(library.saveComposition({ title: 'Lost', introduction: '', items: [] })).rejects.toMatchObject(full);
    const [imported] = await library.importPaths([join(news, 'new.txt')]);
    expect(imported).toMatchObject({ status: 'failed', reason: expect.stringContaining('the disk is full') });
    // Files written outside the library's journal: an export and a backup onto the full disk.
    const exported = await runExport(library, {}, { format: 'md' }, { templatesDir: null });
    await expect(writeFileAtomic(join(disk, 'clippings.md'), exported.files[0]!.data)).rejects.toMatchObject({ ...full, message: expect.stringContaining(join(disk, 'clippings.md')) });
    await expect(createBackup(library, join(disk, 'backup.cuttings-backup'))).rejects.toThrow(/disk is full|ENOSPC|no space/i);

    // Nothing changed in memory either.
    expect((await library.getArticle(article!.id)).clippings).toEqual([kept]);
    expect(library.articleCount).toBe(1);
    expect(library.labels().some((l) => l.name.endsWith('!'))).toBe(false);
    expect(await library.listCompositions()).toEqual([]);

    await free();
    await library.close();
    expect(await snapshot(dir, { records: true })).toEqual(before);
    expect(await leftovers(disk)).toEqual([]);
    expect((await readdir(disk)).sort()).toEqual(['library']);
    // And the library, reopened, works.
    const reopened = await Library.open(dir);
    expect((await reopened.getArticle(article!.id)).clippings.map((c) => c.note)).toEqual(['kept']);
    await reopened.setArticleTags(article!.id, ['after']);
    await reopened.close();
  });

  it('refuses to open a library in a read-only folder, saying so and naming it, and touches nothing', async () => {
    const disk = smallDisk('16m');
    const dir = join(disk, 'library');
    const library = await Library.open(dir, { seedDir: SEED_DIR });
    await library.close();
    const before = await snapshot(dir);
    remount(disk, 'ro');
    await expect(Library.open(dir)).rejects.toMatchObject({ message: expect.stringMatching(new RegExp(`${dir}.*read-only|read-only.*${dir}`)) });
    remount(disk, 'rw');
    expect(await snapshot(dir)).toEqual(before);
  });

  it('refuses changes once the folder turns read-only while the library is open, and loses nothing acknowledged', async () => {
    const disk = smallDisk('16m');
    const dir = join(disk, 'library');
    const library = await Library.open(dir, { seedDir: SEED_DIR });
    const [article] = await library.listArticles();
    await library.setArticleTags(article!.id, ['before']);
    await library.flush();
    const before = await snapshot(dir, { records: true });
    remount(disk, 'ro');
    await expect(library.setArticleTags(article!.id, ['refused'])).rejects.toMatchObject({ code: 'io', message: expect.stringContaining('read-only') });
    expect((await library.getArticle(article!.id)).article.tags).toEqual(['before']);
    remount(disk, 'rw');
    await library.close();
    expect(await snapshot(dir, { records: true })).toEqual(before);
    expect(await leftovers(disk)).toEqual([]);
  });
});

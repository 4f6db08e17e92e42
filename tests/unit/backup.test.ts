/**
 * Backup and restore of a whole library: one file, restored identical;
 * never over a library unless asked, and then only with the old one moved
 * aside; and a hostile or damaged backup writes nothing.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library, LibraryError } from '../../electron/library';
import { main } from '../../electron/cli';
import { BACKUP_MANIFEST, createBackup, inspectBackup, restoreBackup } from '../../electron/library/backup';
import { LOCK_FILE } from '../../electron/library/storage/lock';
import { SEED_DIR, snapshot, tempDir } from './helpers/temp';
import { localWeb } from './helpers/http';
import { richLibrary } from './helpers/rich-library';

const web = localWeb();

/** The rich library, with a feed subscription and a user template besides. */
async function fullLibrary(dir: string) {
  const rich = await richLibrary(dir);
  web.page('/feed.xml', `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>${web.origin}/</link></channel></rss>`, 'application/rss+xml');
  await rich.library.addFeed(web.url('/feed.xml'));
  await mkdir(join(dir, 'templates'), { recursive: true });
  await writeFile(join(dir, 'templates', 'clipbook.md.liquid'), '# {{ title }}\n{% for a in articles %}…{% endfor %}\n');
  return rich;
}

async function contents(library: Library) {
  const articles = await Promise.all((await library.listArticles()).map((a) => library.getArticle(a.id)));
  const versions = await Promise.all(articles.map((a) => library.versions(a.article.id)));
  return { articles, versions, labels: library.labels(), feeds: library.listFeeds(), compositions: await library.listCompositions() };
}

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('backup → restore', () => {
  it('gives back the same library, file for file (articles, versions, images, clippings, labels, feeds, press reviews, templates)', async () => {
    const root = await tempDir();
    const src = join(root, 'lib');
    const { library } = await fullLibrary(src);
    const result = await createBackup(library, join(root, 'lib.cuttings-backup'));
    expect(result.counts).toEqual({ articles: 2, clippings: 6, versions: 1, images: 1, labels: 6, feeds: 1, compositions: 1, templates: 1 });
    expect(result.skipped).toEqual([]);
    const before = await contents(library);
    await library.close();
    const files = await snapshot(src, { records: true });
    expect(Object.keys(files).some((f) => f.includes('/images/'))).toBe(true);

    const restored = await restoreBackup(result.path, join(root, 'restored'));
    expect(restored).toMatchObject({ library: join(root, 'restored'), previousMovedTo: null, counts: result.counts });
    expect(await snapshot(join(root, 'restored'), { records: true })).toEqual(files);
    const reopened = await Library.open(join(root, 'restored'), { mustExist: true });
    expect(await contents(reopened)).toEqual(before);
    expect(reopened.problems).toEqual([]);
    await reopened.close();
    // Nothing left beside it.
    expect((await readdir(root)).sort()).toEqual(['lib', 'lib.cuttings-backup', 'restored']);
  });

  it('leaves derived files out (catalog cache, change markers, search index) and lists every entry with its SHA-256', async () => {
    const root = await tempDir();
    const src = join(root, 'lib');
    const library = await Library.open(src, { seedDir: SEED_DIR, search: true });
    await library.searchIdle();
    await library.close();
    const reopened = await Library.open(src, { search: true });
    expect((await readdir(src)).sort()).toEqual(expect.arrayContaining(['catalog.cache', 'search']));
    const { path } = await createBackup(reopened, join(root, 'b.cuttings-backup'));
    await reopened.close();
    const { manifest, entries, zip } = await inspectBackup(path);
    zip.close();
    expect(manifest.entries.map((e) => e.name).sort()).toEqual(entries.map((e) => e.name).sort());
    expect(manifest.entries.some((e) => /^(catalog\.cache|changes\/|search\/|cuttings\.lock)/.test(e.name))).toBe(false);
    for (const e of manifest.entries) {
      expect(e.sha256).toBe(createHash('sha256').update(await readFile(join(src, ...e.name.split('/')))).digest('hex'));
    }
  });

  it('refuses to write the backup inside the library it backs up', async () => {
    const root = await tempDir();
    const library = await Library.open(join(root, 'lib'), { seedDir: SEED_DIR });
    await expect(createBackup(library, join(root, 'lib', 'b.cuttings-backup'))).rejects.toMatchObject({ code: 'invalid-input' });
    await library.close();
  });
});

describe('restoring never overwrites a library without being asked', () => {
  async function backupOf(root: string) {
    const { library } = await richLibrary(join(root, 'lib'));
    const { path } = await createBackup(library, join(root, 'lib.cuttings-backup'));
    await library.close();
    return path;
  }

  it('refuses a folder that is not empty, and writes nothing', async () => {
    const root = await tempDir();
    const backup = await backupOf(root);
    const target = join(root, 'occupied');
    await mkdir(target);
    await writeFile(join(target, 'notes.txt'), 'mine');
    const before = await readdir(root);
    await expect(restoreBackup(backup, target)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/is not empty.*--replace.*Nothing was written/) });
    await expect(restoreBackup(backup, target, { replace: true })).rejects.toMatchObject({ code: 'not-a-library' });
    expect(await readdir(root)).toEqual(before);
    expect(await readdir(target)).toEqual(['notes.txt']);
  });

  it('replaces a library only when asked, moving it aside (never deleting it) and saying where', async () => {
    const root = await tempDir();
    const backup = await backupOf(root);
    const target = join(root, 'current');
    const current = await Library.open(target, { seedDir: SEED_DIR });
    await current.close();
    const old = await snapshot(target);
    await expect(restoreBackup(backup, target)).rejects.toMatchObject({ code: 'conflict' });
    expect(await snapshot(target)).toEqual(old);

    const result = await restoreBackup(backup, target, { replace: true, now: () => new Date('2025-01-02T03:04:05.678Z') });
    expect(result.previousMovedTo).toBe(join(root, 'current.before-restore-2025-01-02T03-04-05-678Z'));
    expect(await snapshot(result.previousMovedTo as string)).toEqual(old); // the old library, whole, and no lock of ours left in it
    expect(await snapshot(target, { records: true })).toEqual(await snapshot(join(root, 'lib'), { records: true }));
    const reopened = await Library.open(target, { mustExist: true });
    expect(reopened.articleCount).toBe(2);
    await reopened.close();
  });

  it('does not replace a library that is open (in the app, or a command)', async () => {
    const root = await tempDir();
    const backup = await backupOf(root);
    const target = join(root, 'open');
    const open = await Library.open(target, { seedDir: SEED_DIR, purpose: 'the Cuttings app' });
    const before = await readdir(root);
    await expect(restoreBackup(backup, target, { replace: true })).rejects.toMatchObject({ code: 'locked' });
    expect(await readdir(root)).toEqual(before);
    expect(open.articleCount).toBe(1);
    await open.close();
  });
});

// ---------------------------------------------------------------- hostile and damaged backups

type RawEntry = { name: string; data?: Buffer | string; mode?: number };

/** A zip written byte by byte (stored entries), so that it can hold what no well-behaved zip writer would. */
function rawZip(entries: readonly RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = Buffer.from(e.data ?? '');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4); // made by: Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const LIBRARY_JSON = JSON.stringify({ format: 'cuttings-library', schemaVersion: 2, createdAt: '2024-01-01T00:00:00.000Z', seededAt: null });
const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** A backup whose manifest lists `entries` truthfully (unless `lie` changes what it says). */
function withManifest(entries: RawEntry[], options: { version?: number; lie?: (m: { name: string; size: number; sha256: string }) => { name: string; size: number; sha256: string } } = {}): RawEntry[] {
  const listed = entries.map((e) => {
    const data = Buffer.from(e.data ?? '');
    const truth = { name: e.name, size: data.length, sha256: sha(data) };
    return options.lie ? options.lie(truth) : truth;
  });
  const manifest = {
    format: 'cuttings-backup',
    version: options.version ?? 1,
    createdAt: '2024-01-01T00:00:00.000Z',
    library: { schemaVersion: 2, createdAt: '2024-01-01T00:00:00.000Z' },
    counts: { articles: 0, clippings: 0, versions: 0, images: 0, labels: 0, feeds: 0, compositions: 0, templates: 0 },
    entries: listed,
  };
  return [...entries, { name: BACKUP_MANIFEST, data: JSON.stringify(manifest) }];
}

const base: RawEntry[] = [{ name: 'library.json', data: LIBRARY_JSON }];

describe('a hostile or damaged backup writes nothing', () => {
  const cases: [string, () => Buffer | string, RegExp][] = [
    ['an entry that climbs out of the folder (../)', () => rawZip(withManifest([...base, { name: '../evil.json', data: '{}' }])), /table of contents is damaged or hostile.*invalid relative path/],
    ['an absolute path', () => rawZip(withManifest([...base, { name: '/tmp/evil.json', data: '{}' }])), /absolute path/],
    ['a path that climbs out half-way', () => rawZip(withManifest([...base, { name: 'articles/abc/../../../evil.json', data: '{}' }])), /invalid relative path/],
    ['a backslash path', () => rawZip(withManifest([...base, { name: 'articles\\abc\\article.json', data: '{}' }])), /invalid characters/],
    ['a file outside the library’s layout', () => rawZip(withManifest([...base, { name: 'run-me.sh', data: 'rm -rf ~' }])), /run-me\.sh is not a file of a Cuttings library/],
    ['a file with a layout name in the wrong place', () => rawZip(withManifest([...base, { name: 'articles/abc/images/x.png/../../article.json', data: '{}' }])), /invalid relative path/],
    ['a symbolic link', () => rawZip(withManifest([...base, { name: 'labels.json', data: '/etc/passwd', mode: 0o120777 }])), /labels\.json is a symbolic link/],
    ['a folder entry', () => rawZip(withManifest([...base, { name: 'articles/abc/', mode: 0o040755 }])), /articles\/abc\/ is not a plain file/],
    ['no manifest', () => rawZip(base), /no cuttings-backup\.json: it is not a Cuttings backup/],
    ['an entry its manifest does not list', () => rawZip([...withManifest(base), { name: 'labels.json', data: '{}' }]), /labels\.json is not in its manifest/],
    ['an entry listed twice', () => rawZip(withManifest([...base, { name: 'feeds.json', data: '{}' }, { name: 'feeds.json', data: '{}' }])), /names feeds\.json twice/],
    // The manifest of a backup with feeds.json, in a zip without it.
    ['an entry missing', () => rawZip([...base, withManifest([...base, { name: 'feeds.json', data: '{}' }]).at(-1) as RawEntry]), /feeds\.json is listed in its manifest but missing/],
    ['an entry whose content was changed', () => rawZip(withManifest(base, { lie: (m) => ({ ...m, sha256: sha('something else') }) })), /library\.json does not match its checksum/],
    ['a backup from a newer Cuttings', () => rawZip(withManifest(base, { version: 9 })), /newer version of Cuttings \(backup format 9/],
    ['not a zip at all', () => 'this is not a zip file', /not a readable backup/],
    ['a zip cut short', () => rawZip(withManifest(base)).subarray(0, 60), /not a readable backup/],
  ];

  it.each(cases)('refuses %s', async (_what, make, reason) => {
    const root = await tempDir();
    const file = join(root, 'hostile.cuttings-backup');
    await writeFile(file, make());
    const target = join(root, 'restored');
    await expect(restoreBackup(file, target)).rejects.toSatisfy((e: unknown) => e instanceof LibraryError && reason.test(e.message) && /Nothing was written/.test(e.message));
    // Nothing at all: no target, no temp folder beside it, nothing outside.
    expect(await readdir(root)).toEqual(['hostile.cuttings-backup']);
    await expect(stat(join(root, '..', 'evil.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('cuttings backup / restore', () => {
  it('backs up with --out and restores into a new folder, which is not seeded with the sample', async () => {
    const root = await tempDir();
    const lib = join(root, 'lib');
    expect((await cli('import', SEED_DIR, '--library', lib, '--empty')).code).toBe(0);
    const out = join(root, 'x.cuttings-backup');
    const backup = await cli('backup', '--out', out, '--library', lib);
    expect(backup).toMatchObject({ code: 0, out: `backed up 1 article, 0 clippings, 0 images, 0 press reviews to ${out} (0.0 MB)` });
    expect((await cli('backup', '--out', out, '--library', lib)).code).toBe(2); // exists: --force to replace
    expect((await cli('backup', '--out', out, '--library', lib, '--force')).code).toBe(0);

    const restored = await cli('restore', out, '--library', join(root, 'new'));
    expect(restored).toMatchObject({ code: 0, out: `restored 1 article, 0 clippings, 0 images, 0 press reviews into ${join(root, 'new')}` });
    expect(await snapshot(join(root, 'new'), { records: true })).toEqual(await snapshot(lib, { records: true }));

    const again = await cli('restore', out, '--library', join(root, 'new'));
    expect(again).toMatchObject({ code: 1, err: expect.stringMatching(/is not empty.*--replace/) });
    const replaced = await cli('restore', out, '--library', join(root, 'new'), '--replace');
    expect(replaced.code).toBe(0);
    expect(replaced.out).toMatch(/the library that was there is now at .*new\.before-restore-/);
  });

  it('does not create a library to back up, nor accept a restore without its file', async () => {
    const root = await tempDir();
    expect(await cli('backup', '--out', join(root, 'x'), '--library', join(root, 'none'))).toMatchObject({ code: 1, err: expect.stringMatching(/No Cuttings library/) });
    expect(await readdir(root)).toEqual([]);
    expect(await cli('restore', '--library', join(root, 'none'))).toMatchObject({ code: 2, err: expect.stringMatching(/restore needs the backup file/) });
    expect(await cli('backup', '--library', join(root, 'none'))).toMatchObject({ code: 2, err: expect.stringMatching(/backup needs --out FILE/) });
  });
});

describe('the lock file', () => {
  it('is left out of a backup of an open library', async () => {
    const root = await tempDir();
    const library = await Library.open(join(root, 'lib'), { seedDir: SEED_DIR });
    expect(await readdir(join(root, 'lib'))).toContain(LOCK_FILE);
    const { path } = await createBackup(library, join(root, 'b.cuttings-backup'));
    await library.close();
    const { manifest, zip } = await inspectBackup(path);
    zip.close();
    expect(manifest.entries.map((e) => e.name)).not.toContain(LOCK_FILE);
  });
});

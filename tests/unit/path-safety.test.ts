/**
 * The library writes only inside its own folder: not through a symbolic
 * link planted in it (by a sync tool, a hand, an archive), and not where an
 * imported file's ids or names would send it. (Backup archives with `../`,
 * absolute paths and links: backup.test.ts; journal and write paths:
 * store.test.ts.)
 */
import { cp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library } from '../../electron/library';
import { runExport } from '../../electron/library/export';
import { SEED_DIR, snapshot, tempDir } from './helpers/temp';

/** A seeded library, closed, beside a folder outside it that a link can point to. */
async function libraryBeside() {
  const root = await tempDir();
  const dir = join(root, 'library');
  const outside = join(root, 'outside');
  await mkdir(outside);
  const library = await Library.open(dir, { seedDir: SEED_DIR });
  const [article] = await library.listArticles();
  await library.close();
  return { root, dir, outside, id: article!.id };
}

describe('the library writes only inside its folder', () => {
  it('does not write an article through its folder turned into a link to elsewhere', async () => {
    const { dir, outside, id } = await libraryBeside();
    const folder = join(dir, 'articles', id);
    const elsewhere = join(outside, id);
    await cp(folder, elsewhere, { recursive: true });
    await rm(folder, { recursive: true });
    await symlink(elsewhere, folder);
    const before = await snapshot(outside);

    const library = await Library.open(dir);
    await library.setArticleTags(id, ['through-the-link']);
    // Acknowledged into the journal; putting it in place is refused, naming the link.
    await expect(library.close()).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining(`Refused to write through ${folder}`) });
    expect(await snapshot(outside)).toEqual(before);
  });

  it('does not write its catalog backups or its search index through links to elsewhere', async () => {
    const { dir, outside, id } = await libraryBeside();
    await rm(join(dir, 'backups'), { recursive: true, force: true });
    await rm(join(dir, 'search'), { recursive: true, force: true });
    await mkdir(join(outside, 'backups'));
    await mkdir(join(outside, 'search'));
    await symlink(join(outside, 'backups'), join(dir, 'backups'));
    await symlink(join(outside, 'search'), join(dir, 'search'));

    const library = await Library.open(dir, { search: true });
    await library.setArticleTags(id, ['changed']);
    expect((await library.search('Syria')).articles.length).toBeGreaterThanOrEqual(0);
    await library.close();
    expect(await readdir(join(outside, 'backups'))).toEqual([]);
    expect(await readdir(join(outside, 'search'))).toEqual([]);
    // The change itself is in place, in the library.
    const again = await Library.open(dir);
    expect((await again.getArticle(id)).article.tags).toEqual(['changed']);
    await again.close();
  });

  it('refuses an annotation file whose ids climb out of the folder, naming the file, and writes nothing', async () => {
    const { root, dir, id } = await libraryBeside();
    const source = await Library.open(dir);
    const exported = await runExport(source, {}, { format: 'jsonld' }, { templatesDir: null });
    await source.close();
    const text = Buffer.from(exported.files[0]!.data as Uint8Array).toString('utf8');
    for (const hostile of ['../../escaped', '/tmp/escaped', '..', 'a/../../b']) {
      const file = join(root, `hostile-${hostile.replace(/\W/g, '_')}.jsonld`);
      await writeFile(file, text.split(JSON.stringify(id)).join(JSON.stringify(hostile)));
      const target = join(root, `target-${hostile.replace(/\W/g, '_')}`);
      const library = await Library.open(target);
      const before = await snapshot(target, { records: true });
      const [outcome] = await library.importPaths([file]);
      expect(outcome).toMatchObject({ status: 'failed', path: file });
      expect(await snapshot(target, { records: true })).toEqual(before);
      await library.close();
      expect((await readdir(root)).filter((n) => n.includes('escaped') && !/^(hostile|target)-/.test(n))).toEqual([]);
    }
    await expect(readFile('/tmp/escaped')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

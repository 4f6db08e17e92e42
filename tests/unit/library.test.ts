import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library, LibraryError } from '../../electron/library';
import { SEED_DIR, crashed, snapshot, tempDir } from './helpers/temp';

const QUOTE = 'It is time for serious dialogue';

async function seeded() {
  const dir = join(await tempDir(), 'library');
  const library = await Library.open(dir, { seedDir: SEED_DIR });
  const [article] = await library.listArticles();
  if (!article) throw new Error('the seeded library is empty');
  const detail = await library.getArticle(article.id);
  const start = detail.text.indexOf(QUOTE);
  return { dir, library, article, detail, start, end: start + QUOTE.length };
}

describe('Library', () => {
  it('creates a new library seeded with the sample article', async () => {
    const { library, article, detail } = await seeded();
    expect(library.articleCount).toBe(1);
    expect(article.published).toBe('2024-12-06');
    expect(article.dateline).toBe('United Nations');
    expect(article.source).toBe('Xinhua');
    expect(detail.blocks).toHaveLength(10);
    expect(detail.text).toContain(QUOTE);
  });

  it('keeps clippings, notes and tags across a restart of the same folder', async () => {
    const { dir, library, article, start, end } = await seeded();
    const clip = await library.createClipping({ articleId: article.id, start, end, exact: QUOTE, label: 'fact', note: 'key line', tags: ['quote', ' place / Syria '] });
    await library.setArticleTags(article.id, ['Syria', 'UN', 'Syria']);
    const other = await library.createClipping({ articleId: article.id, start: 0, end: 20, label: 'claim' });
    await library.updateClipping(other.id, { note: 'lead', tags: ['lead'] });
    await library.deleteClipping(other.id);

    await crashed(dir); // a restart after a crash: nothing was closed
    const reopened = await Library.open(dir, { seedDir: SEED_DIR });
    expect(reopened.articleCount).toBe(1); // not seeded twice
    const again = await reopened.getArticle(article.id);
    expect(again.article.tags).toEqual(['Syria', 'UN']);
    expect(again.article.clippingCount).toBe(1);
    expect(again.clippings).toEqual([clip]);
    expect(again.clippings[0]?.tags).toEqual(['quote', 'place/Syria']);
    expect(again.clippings[0]?.target).toEqual({
      quote: { exact: QUOTE, prefix: 'rity Council resolution 2254.\n\n"', suffix: '," Guterres noted, adding, "In o' },
      position: { start, end },
    });
  });

  it('writes a change to the one article record and its change marker, never the body', async () => {
    const { dir, library, article, start, end } = await seeded();
    await library.flush();
    const before = await snapshot(dir);
    await library.createClipping({ articleId: article.id, start, end, exact: QUOTE, label: 'quote' });
    await library.flush();
    const after = await snapshot(dir);
    const changed = Object.keys(after).filter((f) => after[f] !== before[f]);
    expect(changed).toEqual([join('articles', article.id, 'article.json'), expect.stringMatching(new RegExp(`^changes/${article.id}\\.\\d+$`))]);
  });

  it('refuses a clipping whose range is outside the article', async () => {
    const { library, article, detail } = await seeded();
    await expect(library.createClipping({ articleId: article.id, start: 5, end: detail.text.length + 1, label: 'quote' })).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('refuses a clipping whose text no longer matches the article', async () => {
    const { library, article, start, end } = await seeded();
    await expect(library.createClipping({ articleId: article.id, start, end, exact: 'something else', label: 'quote' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('undoes a delete by restoring the clipping with its id', async () => {
    const { library, article, start, end } = await seeded();
    const clip = await library.createClipping({ articleId: article.id, start, end, exact: QUOTE, label: 'background', note: 'n' });
    const deleted = await library.deleteClipping(clip.id);
    expect((await library.getArticle(article.id)).clippings).toEqual([]);
    await library.restoreClipping(deleted);
    expect((await library.getArticle(article.id)).clippings).toEqual([clip]);
  });

  it('recognises the same text imported twice as a duplicate', async () => {
    const { library, article } = await seeded();
    const [outcome] = await library.importPaths([SEED_DIR]);
    expect(outcome).toMatchObject({ status: 'duplicate', id: article.id });
    expect(library.articleCount).toBe(1);
  });

  it('serialises concurrent changes to one article so none is lost', async () => {
    const { dir, library, article } = await seeded();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => library.createClipping({ articleId: article.id, start: i, end: i + 5, label: 'quote', note: `n${i}` })),
    );
    await crashed(dir);
    const reopened = await Library.open(dir);
    expect((await reopened.getArticle(article.id)).clippings).toHaveLength(20);
  });

  it('leaves the library unchanged when a write fails (disk full)', async () => {
    const dir = join(await tempDir(), 'library');
    let full = false;
    const library = await Library.open(dir, {
      seedDir: SEED_DIR,
      store: {
        beforeAppend: () => {
          if (full) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        },
      },
    });
    const article = (await library.listArticles())[0]!;
    const start = (await library.getArticle(article.id)).text.indexOf(QUOTE);
    await library.flush();
    const before = await snapshot(dir, { records: true });
    full = true;
    await expect(library.createClipping({ articleId: article.id, start, end: start + QUOTE.length, exact: QUOTE, label: 'quote' })).rejects.toMatchObject({
      code: 'io',
      message: expect.stringContaining('the disk is full'),
    });
    await expect(library.setArticleTags(article.id, ['lost'])).rejects.toMatchObject({ code: 'io' });
    expect((await library.getArticle(article.id)).clippings).toEqual([]);
    expect((await library.listArticles())[0]).toMatchObject({ clippingCount: 0, tags: [] });
    expect(library.clippingCount).toBe(0);
    full = false;
    await library.close();
    // The records are as they were (closing wrote the catalog cache, derived from them).
    expect(await snapshot(dir, { records: true })).toEqual(before);
    // And the disk, once freed, takes the next change.
    const again = await Library.open(dir);
    await again.setArticleTags(article.id, ['kept']);
    await again.close();
    expect((await (await Library.open(dir)).listArticles())[0]?.tags).toEqual(['kept']);
  });

  it('replays acknowledged changes after a crash before they were put in place', async () => {
    const { dir, library, article, start, end } = await seeded();
    await library.flush();
    const clip = await library.createClipping({ articleId: article.id, start, end, exact: QUOTE, label: 'quote', note: 'acknowledged' });
    // A crash now: the change is only in the journal (no checkpoint ran). Reopen as a new process would.
    await crashed(dir);
    const after = await Library.open(dir);
    expect((await after.getArticle(article.id)).clippings).toEqual([clip]);
  });

  it('reports a damaged article record that no backup holds, and leaves it untouched', async () => {
    const { dir, article, library } = await seeded();
    await library.close();
    // No backup of the catalog to restore it from (catalog-backups.test.ts covers restoring).
    await rm(join(dir, 'backups'), { recursive: true });
    const file = join(dir, 'articles', article.id, 'article.json');
    await writeFile(file, '{"schemaVersion": 1, "article": ');
    // Opened from its catalog cache, the record is read when the article is opened: the damage shows then.
    const fromCache = await Library.open(dir);
    expect(fromCache.articleCount).toBe(1);
    await expect(fromCache.getArticle(article.id)).rejects.toMatchObject({ code: 'corrupt', message: expect.stringMatching(/article\.json is not valid JSON/) });
    await expect(fromCache.setArticleTags(article.id, ['x'])).rejects.toMatchObject({ code: 'corrupt' });
    await fromCache.close();
    // Without the cache every record is read at open: the damage is reported then.
    await rm(join(dir, 'catalog.cache'));
    const reopened = await Library.open(dir);
    expect(reopened.articleCount).toBe(0);
    expect(reopened.problems.join('\n')).toMatch(/article\.json is not valid JSON/);
    await reopened.close();
    expect(await readFile(file, 'utf8')).toBe('{"schemaVersion": 1, "article": ');
    // And the cache written at that close keeps trying it at each open.
    expect((await Library.open(dir)).problems.join('\n')).toMatch(/article\.json is not valid JSON/);
  });

  it('refuses a library written by a newer schema and does not touch it', async () => {
    const { dir } = await seeded();
    const manifest = join(dir, 'library.json');
    const newer = JSON.stringify({ format: 'cuttings-library', schemaVersion: 99, createdAt: new Date().toISOString(), seededAt: null });
    await writeFile(manifest, newer);
    const before = await snapshot(dir);
    await expect(Library.open(dir, { seedDir: SEED_DIR })).rejects.toMatchObject({ code: 'newer-schema' });
    expect(await snapshot(dir)).toEqual(before);
  });

  it('will not turn a folder of other files into a library', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'thesis.docx'), 'mine');
    const err = await Library.open(dir, { seedDir: SEED_DIR }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LibraryError);
    expect((err as LibraryError).code).toBe('not-a-library');
    expect((err as LibraryError).message).toContain(dir);
  });

  it('imports a folder and reports each bad file with its reason', async () => {
    const { library } = await seeded();
    const src = await tempDir();
    await writeFile(join(src, 'empty.txt'), '');
    await writeFile(join(src, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    await writeFile(join(src, 'latin1.txt'), Buffer.from('caf\xe9 cr\xe8me', 'latin1'));
    await writeFile(join(src, 'good.txt'), ' date 2025-01-02 Geneva, Jan 2 Talks resumed on Thursday, Reuters reported.\n\nA second paragraph.\n');
    const outcomes = await library.importPaths([src]);
    const byName = Object.fromEntries(outcomes.map((o) => [('path' in o ? o.path : '').split('/').pop(), o]));
    expect(byName['empty.txt']).toMatchObject({ status: 'failed', reason: 'the file is empty' });
    expect(byName['binary.txt']).toMatchObject({ status: 'failed', reason: expect.stringMatching(/not a text file/) });
    expect(byName['latin1.txt']).toMatchObject({ status: 'failed', reason: expect.stringMatching(/not a text file/) });
    expect(byName['good.txt']).toMatchObject({ status: 'imported', title: 'Talks resumed on Thursday, Reuters reported' });
    expect(library.articleCount).toBe(2);
    const good = (await library.listArticles()).find((a) => a.dateline === 'Geneva');
    expect(good).toMatchObject({ source: 'Reuters', published: '2025-01-02' });
  });
});

import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library } from '../../electron/library';
import { CatalogCache, CatalogCacheError, encodeCatalogCache, type ArticleHead } from '../../electron/library/storage/catalog-cache';
import { SEED_DIR, crashed, tempDir } from './helpers/temp';

const hash = (c: string) => c.repeat(64);

function head(i: number, extra: Partial<ArticleHead['article']> = {}): ArticleHead {
  return {
    article: {
      id: `art${i}`,
      title: `Title ${i} — “quoted” ✓ 中文`,
      source: i % 2 ? 'Reuters' : null,
      byline: i % 3 ? 'By Someone' : null,
      published: i % 4 ? `2024-01-0${(i % 9) + 1}` : null,
      dateline: i % 5 ? 'GENEVA' : null,
      url: i % 2 ? `https://news.example/${i}` : null,
      language: 'ar',
      dir: i % 2 ? 'rtl' : null,
      tags: i % 2 ? ['place/Syria', 'UN'] : [],
      readingState: 'reading',
      ...(i % 2 ? { progress: 0.125 } : {}),
      importedAt: '2024-02-01T10:00:00.000Z',
      updatedAt: '2024-02-02T10:00:00.000Z',
      textHash: hash('a'),
      dedupHash: hash(String(i % 10)),
      wordCount: 100 + i,
      origin: { kind: 'html', name: `page ${i}.html` },
      ...extra,
    },
    clippings: i % 2 ? [{ id: `c${i}a`, label: 'quote', tags: ['x y'] }, { id: `c${i}b`, label: 'fact', tags: [] }] : [],
    versionDedups: i % 3 ? [] : [hash('b'), hash('c')],
    identity: i % 2 ? null : `kindle:${i}`,
  };
}

async function written(heads: ArticleHead[], seq = 7) {
  const dir = await tempDir();
  const path = join(dir, 'catalog.cache');
  await writeFile(path, encodeCatalogCache({ seq, heads, problems: ['bad1'] }));
  return path;
}

describe('catalog cache file', () => {
  it('gives back every head exactly, the list keys at once and the rest after', async () => {
    const heads = Array.from({ length: 12 }, (_, i) => head(i));
    const cache = (await CatalogCache.open(await written(heads)))!;
    expect(cache.seq).toBe(7);
    expect(cache.count).toBe(12);
    expect(cache.problems).toEqual(['bad1']);
    expect(cache.listKey(3, 'title')).toBe(heads[3]!.article.title);
    expect(cache.listKey(4, 'published')).toBe(''); // no date
    const later = await cache.loadLater();
    heads.forEach((h, i) => expect(later.head(i)).toEqual(h));
    expect(later.key(1, 'clippingIds')).toBe('c1a c1b');
    expect(later.key(0, 'identity')).toBe('kindle:0');
  });

  it('refuses a damaged, truncated or foreign file, naming what is wrong', async () => {
    const path = await written([head(1), head(2)]);
    const good = await readFile(path);
    const at = (offset: number) => {
      const bad = Buffer.from(good);
      bad[offset] = (bad[offset] as number) ^ 0xff;
      return bad;
    };
    await writeFile(path, at(good.length - 10)); // in a head: found when the second part is read
    const opened = (await CatalogCache.open(path))!;
    await expect(opened.loadLater()).rejects.toThrow(/checksum/);
    await writeFile(path, good.subarray(0, good.length - 1));
    await expect(CatalogCache.open(path)).rejects.toThrow(/truncated/);
    await writeFile(path, Buffer.from('{"articles": []}'));
    await expect(CatalogCache.open(path)).rejects.toBeInstanceOf(CatalogCacheError);
    await rm(path);
    expect(await CatalogCache.open(path)).toBeNull();
  });

  it('refuses to cache an article field it does not know, rather than drop it', () => {
    const h = head(1, { mood: 'grim' } as never);
    expect(() => encodeCatalogCache({ seq: 1, heads: [h], problems: [] })).toThrow(/field mood/);
  });
});

describe('a library opened from its catalog cache', () => {
  async function library() {
    const dir = join(await tempDir(), 'library');
    const lib = await Library.open(dir, { seedDir: SEED_DIR });
    const article = (await lib.listArticles())[0]!;
    const text = (await lib.getArticle(article.id)).text;
    const start = text.indexOf('Guterres');
    return { dir, lib, article, text, start };
  }

  it('opens from the cache after a close, reading no record until one is needed', async () => {
    const { dir, lib, article, start } = await library();
    const clip = await lib.createClipping({ articleId: article.id, start, end: start + 8, label: 'quote', note: 'kept', tags: ['person/Guterres'] });
    await lib.setArticleTags(article.id, ['UN']);
    const before = await lib.listArticles();
    await lib.close();
    // A record made unreadable after the close shows that open did not read it.
    const record = join(dir, 'articles', article.id, 'article.json');
    const saved = await readFile(record);
    await writeFile(record, 'not json');
    const reopened = await Library.open(dir);
    expect(reopened.cacheProblem).toBeNull();
    expect(reopened.problems).toEqual([]);
    expect(await reopened.listArticles()).toEqual(before);
    expect(await reopened.tagCounts()).toEqual([
      { tag: 'person/Guterres', articles: 0, clippings: 1 },
      { tag: 'UN', articles: 1, clippings: 0 },
    ]);
    await writeFile(record, saved);
    expect(await reopened.getClipping(clip.id)).toEqual(clip);
    await reopened.close();
  });

  it('holds every change made after the cache was written, even when the app never closed', async () => {
    const { dir, lib, article, start } = await library();
    await lib.close(); // the cache is written here
    const open = await Library.open(dir);
    const clip = await open.createClipping({ articleId: article.id, start, end: start + 8, label: 'fact', note: 'after the cache' });
    await open.setReading(article.id, { readingState: 'read', progress: 0.5 });
    const [added] = await open.importContent([{ name: 'new.txt', bytes: Buffer.from('A second article.\n\nWith two paragraphs of its own.') }]);
    // A crash: no close, so the cache is the old one; the change markers say what is newer.
    await crashed(dir);
    const after = await Library.open(dir);
    expect(after.articleCount).toBe(2);
    const summary = (await after.listArticles()).find((a) => a.id === article.id)!;
    expect(summary).toMatchObject({ readingState: 'read', progress: 0.5, clippingCount: 1 });
    expect(await after.getClipping(clip.id)).toEqual(clip);
    expect((await after.listPage(0, 10)).articles.map((a) => a.id)).toContain(added?.status === 'imported' ? added.id : 'missing');
    // A duplicate is recognised against articles the cache holds and those only the markers name.
    const again = await after.importContent([{ name: 'same.txt', bytes: Buffer.from('A second article.\n\nWith two paragraphs of its own.') }]);
    expect(again[0]?.status).toBe('duplicate');
    await after.close();
  });

  it('reads the records when the cache is damaged, and says so', async () => {
    const { dir, lib } = await library();
    const before = await lib.listArticles();
    await lib.close();
    const path = join(dir, 'catalog.cache');
    const bytes = await readFile(path);
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] as number) ^ 0x55;
    await writeFile(path, bytes);
    const reopened = await Library.open(dir);
    await reopened.whenReady();
    expect(reopened.cacheProblem).toMatch(/checksum/);
    expect(await reopened.listArticles()).toEqual(before);
    await reopened.close();
    // Closing wrote a good cache again.
    const third = await Library.open(dir);
    await third.whenReady();
    expect(third.cacheProblem).toBeNull();
    await third.close();
  });

  it('keeps the list in order through changes made before and after the cache, as a full sort would', async () => {
    const dir = join(await tempDir(), 'library');
    const md = (i: number, day: string, title = `Day ${day}`) => ({ name: `a${i}.md`, bytes: Buffer.from(`---\ntitle: ${title}\npublished: 2024-03-${day}\n---\n\nText number ${i} of the test.`) });
    const lib = await Library.open(dir);
    await lib.importContent([md(1, '05'), md(2, '01'), md(3, '09'), md(4, '05', 'Another on the 5th')]);
    await lib.close();
    const open = await Library.open(dir);
    await open.importContent([md(5, '07'), md(6, '02'), md(7, '05', 'Before the others of the 5th')]);
    const listed = (await open.listArticles()).map((a) => a.title);
    // A crash, then an open that places the changed articles into the cached order…
    await crashed(dir);
    const afterCrash = await Library.open(dir);
    expect((await afterCrash.listArticles()).map((a) => a.title)).toEqual(listed);
    await afterCrash.close();
    // …and the same as sorting everything from the records.
    await rm(join(dir, 'catalog.cache'));
    const sorted = await Library.open(dir);
    expect((await sorted.listArticles()).map((a) => a.title)).toEqual(listed);
    expect(listed.slice(0, 3)).toEqual(['Day 09', 'Day 07', 'Before the others of the 5th']); // same day: the later import first
    await sorted.close();
  });

  it('rewrites the cache from its own bytes for articles untouched, and from records for those changed', async () => {
    const dir = join(await tempDir(), 'library');
    const lib = await Library.open(dir);
    for (let i = 0; i < 5; i++) await lib.importContent([{ name: `a${i}.txt`, bytes: Buffer.from(`Article ${i} with its own words, number ${i}.`) }]);
    await lib.close();
    const second = await Library.open(dir);
    await second.whenReady();
    const touched = (await second.listArticles())[2]!;
    await second.setReading(touched.id, { readingState: 'archived' });
    const expected = await second.listArticles();
    await second.close(); // four copied as they were, one from its record
    const third = await Library.open(dir);
    expect(third.cacheProblem).toBeNull();
    expect(await third.listArticles()).toEqual(expected);
    expect((await third.listArticles()).find((a) => a.id === touched.id)?.readingState).toBe('archived');
    await third.close();
  });

  it('lists the first page in order without the rest of the cache', async () => {
    const dir = join(await tempDir(), 'library');
    const lib = await Library.open(dir);
    for (const [i, day] of ['05', '01', '09', '03'].entries()) {
      await lib.importContent([{ name: `a${i}.md`, bytes: Buffer.from(`---\ntitle: Day ${day}\npublished: 2024-03-${day}\n---\n\nText number ${i} of the test.`) }]);
    }
    const full = (await lib.listArticles()).map((a) => a.title);
    await lib.close();
    const reopened = await Library.open(dir);
    const page = await reopened.listPage(0, 2);
    expect(page.total).toBe(4);
    expect(page.articles.map((a) => a.title)).toEqual(full.slice(0, 2));
    await reopened.close();
  });
});

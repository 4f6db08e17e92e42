import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library, exportMarkdown } from '../../electron/library';
import { SEED_DIR, tempDir } from './helpers/temp';

/** The library's own search: kept current on every change, persisted, caught up after changes made without it. */
async function seeded() {
  const dir = join(await tempDir(), 'library');
  const library = await Library.open(dir, { seedDir: SEED_DIR, search: true });
  const article = (await library.listArticles())[0]!;
  const text = (await library.getArticle(article.id)).text;
  const at = (words: string) => ({ start: text.indexOf(words), end: text.indexOf(words) + words.length });
  return { dir, library, article, at };
}

const ids = (r: { clippings: { clippingId: string }[] }) => r.clippings.map((c) => c.clippingId);

describe('Library.search', () => {
  it('finds a word that is only in a note, and the clipping leads to its place in the article', async () => {
    const { library, article, at } = await seeded();
    const clip = await library.createClipping({ articleId: article.id, ...at('humanitarian access'), label: 'quote', note: 'Compare with the zanzibarish report' });
    const r = await library.search('zanzibarish');
    expect(r.articles).toEqual([]);
    expect(ids(r)).toEqual([clip.id]);
    const hit = r.clippings[0]!;
    expect(hit).toMatchObject({ articleId: article.id, field: 'note', position: clip.target.position, articleTitle: article.title, quote: 'humanitarian access', label: 'quote' });
    const [from, to] = hit.snippet!.ranges[0]!;
    expect(hit.snippet!.text.slice(from, to)).toBe('zanzibarish');
    // Prefix and one typo find it too.
    expect(ids(await library.search('zanzib'))).toEqual([clip.id]);
    expect(ids(await library.search('zanzibarsh'))).toEqual([clip.id]);
    await library.close();
  });

  it('follows every change: an edited note, a deleted clipping, a new article, new tags', async () => {
    const { library, article, at } = await seeded();
    const clip = await library.createClipping({ articleId: article.id, ...at('Security Council'), label: 'fact', note: 'quokka' });
    expect(ids(await library.search('quokka'))).toEqual([clip.id]);
    await library.updateClipping(clip.id, { note: 'wombat' });
    expect(ids(await library.search('quokka'))).toEqual([]);
    expect(ids(await library.search('wombat'))).toEqual([clip.id]);
    await library.deleteClipping(clip.id);
    expect(ids(await library.search('wombat'))).toEqual([]);
    const [added] = await library.importContent([{ name: 'otter.txt', bytes: Buffer.from('Sea otters hold hands while sleeping.\n\nA second paragraph about kelp.') }]);
    const r = await library.search('otters kelp');
    expect(r.articles.map((a) => a.articleId)).toEqual([added?.status === 'imported' ? added.id : '']);
    await library.setArticleTags(article.id, ['place/Syria']);
    const tagged = await library.search('', { filters: { tags: ['place'] }, kinds: ['article'] });
    expect(tagged.articles.map((a) => a.articleId)).toEqual([article.id]);
    await library.close();
  });

  it('keeps the index on disk, and catches up with changes made while it was not open', async () => {
    const { dir, library, article, at } = await seeded();
    const clip = await library.createClipping({ articleId: article.id, ...at('political process'), label: 'claim', note: 'pangolin' });
    await library.close();
    // The CLI's other commands open the library without search.
    const plain = await Library.open(dir);
    await plain.updateClipping(clip.id, { note: 'narwhal' });
    await plain.importContent([{ name: 'axolotl.txt', bytes: Buffer.from('The axolotl regrows its limbs.') }]);
    await plain.close();
    const reopened = await Library.open(dir, { search: true });
    await reopened.searchIdle();
    expect((await reopened.searchStatus()).rebuildReason).toBeNull(); // caught up, not rebuilt
    expect(ids(await reopened.search('pangolin'))).toEqual([]);
    expect(ids(await reopened.search('narwhal'))).toEqual([clip.id]);
    expect((await reopened.search('axolotl')).totals.articles).toBe(1);
    await reopened.close();
  });

  it('filters clippings by label, tag and state; an empty query lists what the filters keep', async () => {
    const { library, article, at } = await seeded();
    const a = await library.createClipping({ articleId: article.id, ...at('humanitarian access'), label: 'quote', tags: ['place/Syria'] });
    const b = await library.createClipping({ articleId: article.id, ...at('Security Council'), label: 'fact', tags: ['place/Syria'] });
    await library.createClipping({ articleId: article.id, ...at('political process'), label: 'quote', tags: ['topic'] });
    const quotesInSyria = await library.search('', { filters: { labels: ['quote'], tags: ['place/Syria'] }, kinds: ['clipping'] });
    expect(ids(quotesInSyria)).toEqual([a.id]);
    expect(ids(await library.search('', { filters: { tags: ['place'] }, kinds: ['clipping'] })).sort()).toEqual([a.id, b.id].sort());
    expect((await library.search('', { filters: { readingStates: ['archived'] } })).totals).toEqual({ articles: 0, clippings: 0 });
    await library.close();
  });
});

describe('exportMarkdown of single clippings', () => {
  it('exports only the clippings named, under their article', async () => {
    const { library, article, at } = await seeded();
    const a = await library.createClipping({ articleId: article.id, ...at('humanitarian access'), label: 'quote', note: 'first' });
    await library.createClipping({ articleId: article.id, ...at('Security Council'), label: 'fact', note: 'second' });
    const md = await exportMarkdown(library, [], [a.id]);
    expect(md).toContain(article.title);
    expect(md).toContain('humanitarian access');
    expect(md).toContain('first');
    expect(md).not.toContain('second');
    await library.close();
  });
});

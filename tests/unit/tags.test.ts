import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library } from '../../electron/library';
import { SEED_DIR, snapshot, tempDir } from './helpers/temp';

/** The sample plus two small articles, tagged and clipped so that every tag operation has something to touch. */
async function tagged() {
  const dir = join(await tempDir(), 'library');
  const library = await Library.open(dir, { seedDir: SEED_DIR });
  const origin = { kind: 'plain-text' as const, name: 'x.txt', path: 'x.txt' };
  const doc = (text: string) => ({ kind: 'plain-text' as const, title: text.slice(0, 20), source: null, byline: null, published: null, dateline: null, language: 'en', blocks: [{ kind: 'paragraph' as const, text }] });
  const a = (await library.listArticles())[0]!.id;
  const b = (await library.importDocument(doc('Ceasefire talks resume in Geneva on Monday.'), origin)) as { id: string };
  const c = (await library.importDocument(doc('Aid convoys reach Aleppo after a week of delays.'), origin)) as { id: string };
  await library.setArticleTags(a, ['place/Syria', 'UN']);
  await library.setArticleTags(b.id, ['place/Geneva', 'talks']);
  await library.setArticleTags(c.id, ['place', 'aid']);
  const clip = await library.createClipping({ articleId: a, start: 0, end: 10, label: 'quote', tags: ['place/Syria/Aleppo', 'Syria'] });
  return { dir, library, ids: [a, b.id, c.id] as const, clip };
}

const tagsOf = async (library: Library) => (await library.listArticles()).map((x) => x.tags.join(',')).sort();

describe('tags across the library', () => {
  it('counts each tag on articles and clippings', async () => {
    const { library } = await tagged();
    expect((await library.tagCounts())).toEqual([
      { tag: 'aid', articles: 1, clippings: 0 },
      { tag: 'place', articles: 1, clippings: 0 },
      { tag: 'place/Geneva', articles: 1, clippings: 0 },
      { tag: 'place/Syria', articles: 1, clippings: 0 },
      { tag: 'place/Syria/Aleppo', articles: 0, clippings: 1 },
      { tag: 'Syria', articles: 0, clippings: 1 },
      { tag: 'talks', articles: 1, clippings: 0 },
      { tag: 'UN', articles: 1, clippings: 0 },
    ]);
  });

  it('renames a tag with everything below it, and undo puts every article and clipping back', async () => {
    const { library, clip } = await tagged();
    const before = await tagsOf(library);
    const undo = await library.renameTag('place', 'where');
    expect((await tagsOf(library))).toEqual(['where/Syria,UN', 'where/Geneva,talks', 'where,aid'].sort());
    expect((await library.getClipping(clip.id)).tags).toEqual(['where/Syria/Aleppo', 'Syria']);
    expect(undo.articles).toHaveLength(3);
    expect(undo.clippings).toHaveLength(1);
    await library.restoreTags(undo);
    expect((await tagsOf(library))).toEqual(before);
    expect((await library.getClipping(clip.id)).tags).toEqual(['place/Syria/Aleppo', 'Syria']);
  });

  it('merges a tag into one that exists, without duplicates, and undo separates them again', async () => {
    const { library, ids, clip } = await tagged();
    const undo = await library.renameTag('place/Syria', 'Syria');
    expect((await library.getSummary(ids[0])).tags).toEqual(['Syria', 'UN']);
    expect((await library.getClipping(clip.id)).tags).toEqual(['Syria/Aleppo', 'Syria']);
    await library.restoreTags(undo);
    expect((await library.getSummary(ids[0])).tags).toEqual(['place/Syria', 'UN']);
    expect((await library.getClipping(clip.id)).tags).toEqual(['place/Syria/Aleppo', 'Syria']);
  });

  it('deletes a tag and those below it everywhere, and survives a restart; undo brings them back', async () => {
    const { dir, library, clip } = await tagged();
    const undo = await library.deleteTag('place/Syria');
    expect((await library.tagCounts()).map((t) => t.tag)).not.toContain('place/Syria');
    expect((await library.getClipping(clip.id)).tags).toEqual(['Syria']);
    await library.close();
    const again = await Library.open(dir);
    expect((await again.tagCounts()).map((t) => t.tag)).toEqual(['aid', 'place', 'place/Geneva', 'Syria', 'talks', 'UN']);
    await again.restoreTags(undo);
    expect((await again.getClipping(clip.id)).tags).toEqual(['place/Syria/Aleppo', 'Syria']);
    await again.close();
  });

  it('tags selected articles and clippings in one go', async () => {
    const { library, ids, clip } = await tagged();
    const undo = await library.addTags({ articleIds: [ids[1], ids[2]], clippingIds: [clip.id] }, ['review/week 48', 'aid']);
    expect((await library.getSummary(ids[1])).tags).toEqual(['place/Geneva', 'talks', 'review/week 48', 'aid']);
    expect((await library.getSummary(ids[2])).tags).toEqual(['place', 'aid', 'review/week 48']);
    expect((await library.getClipping(clip.id)).tags).toContain('review/week 48');
    expect((await library.getSummary(ids[0])).tags).toEqual(['place/Syria', 'UN']);
    await library.restoreTags(undo);
    expect((await library.getSummary(ids[1])).tags).toEqual(['place/Geneva', 'talks']);
  });

  it('refuses to move a tag below itself or to bulk-tag an unknown article, and changes nothing', async () => {
    const { dir, library, ids } = await tagged();
    await library.flush();
    const before = await snapshot(dir);
    await expect(library.renameTag('place', 'place/old')).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(library.addTags({ articleIds: [ids[0], 'nope'] }, ['x'])).rejects.toMatchObject({ code: 'not-found' });
    await library.flush();
    expect(await snapshot(dir)).toEqual(before);
  });

  it('writes a rename as one transaction: a failed write leaves every article as it was', async () => {
    const dir = join(await tempDir(), 'library');
    let fail = false;
    const library = await Library.open(dir, { seedDir: SEED_DIR, store: { beforeAppend: () => { if (fail) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }); } } });
    const origin = { kind: 'plain-text' as const, name: 'x.txt', path: 'x.txt' };
    const other = (await library.importDocument({ kind: 'plain-text', title: 't', source: null, byline: null, published: null, dateline: null, language: null, blocks: [{ kind: 'paragraph', text: 'Another story entirely.' }] }, origin)) as { id: string };
    const first = (await library.listArticles()).find((a) => a.id !== other.id)!.id;
    await library.setArticleTags(first, ['Syria']);
    await library.setArticleTags(other.id, ['Syria']);
    fail = true;
    await expect(library.renameTag('Syria', 'place/Syria')).rejects.toMatchObject({ code: 'io' });
    expect((await library.tagCounts())).toEqual([{ tag: 'Syria', articles: 2, clippings: 0 }]);
  });

  it("keeps an article's reading state and progress across a restart", async () => {
    const { dir, library, ids } = await tagged();
    await library.setReading(ids[1], { readingState: 'reading', progress: 0.4567 });
    await library.setReading(ids[2], { readingState: 'archived' });
    await library.close();
    const again = await Library.open(dir);
    expect((await again.getSummary(ids[1]))).toMatchObject({ readingState: 'reading', progress: 0.457 });
    expect((await again.getSummary(ids[2])).readingState).toBe('archived');
    expect((await again.getSummary(ids[0])).readingState).toBe('unread');
    await again.close();
  });
});

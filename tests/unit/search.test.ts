import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SearchIndex, memoryIndexFiles, type CatalogEntry, type IndexedArticle, type IndexedClipping, type SearchFilters, type SearchResults, type SearchTexts } from '../../electron/library/search';
import { DELTA_FILE, INDEX_FILE, POSTINGS_FILE } from '../../electron/library/search/search-index';
import { SortedVocab, boundedDistance } from '../../electron/library/search/vocab';
import { parseQuery, tokens } from '../../electron/library/search/tokenize';
import { containsPhrase, phraseTester } from '../../electron/library/search/snippet';

// ---------------------------------------------------------------- a small library

type Fixture = { article: IndexedArticle; text: string; clippings: IndexedClipping[] };

let hashes = 0;
const hash = () => (++hashes).toString(16).padStart(64, '0');

function article(id: string, title: string, text: string, meta: Partial<IndexedArticle>, clips: { id: string; quote: string; note?: string; label?: string; tags?: string[] }[] = []): Fixture {
  return {
    article: { id, title, source: null, tags: [], published: null, readingState: 'unread', textHash: hash(), updatedAt: '2025-01-01T00:00:00.000Z', ...meta },
    text,
    clippings: clips.map((c) => {
      const start = text.indexOf(c.quote);
      if (start < 0) throw new Error(`fixture: ${c.quote} is not in ${id}`);
      return { id: c.id, label: c.label ?? 'quote', note: c.note ?? '', tags: c.tags ?? [], target: { quote: { exact: c.quote }, position: { start, end: start + c.quote.length } } };
    }),
  };
}

function library(): Fixture[] {
  return [
    article(
      'syria1',
      'UN chief calls for humanitarian access in Syria',
      'UN Secretary-General Antonio Guterres called for immediate humanitarian access to all civilians in Syria.\n\n' +
        'At a press meeting, Guterres said that he had spoken with the Turkish president about the latest developments.\n\n' +
        'The Security Council must act, he said, to protect civilians and end the bloodshed.',
      { source: 'Xinhua news agency', tags: ['place/Syria', 'topic/conflict'], published: '2024-12-06', readingState: 'unread' },
      [
        { id: 'c1', quote: 'called for immediate humanitarian access to all civilians in Syria', note: 'Compare with the quillwort memo', tags: ['dossier/ceasefire'] },
        { id: 'c2', quote: 'The Security Council must act', label: 'fact' },
      ],
    ),
    article(
      'bank2',
      'Central bank raises interest rates again',
      'The central bank raised its benchmark rate by a quarter point to fight inflation.\n\n' +
        'Economists expect government bonds to rally once inflation cools. The governor spoke of a marmalade economy, sticky and slow.',
      { source: 'Reuters', tags: ['topic/economy'], published: '2024-03-10', readingState: 'read' },
      [{ id: 'c3', quote: 'a marmalade economy, sticky and slow', note: 'Nice image' }],
    ),
    article(
      'fires3',
      'Wildfires spread across southern Europe',
      'Firefighters battled wildfires near Marseille as humanitarian groups asked for road access to evacuate villages.\n\n' +
        'The heatwave is expected to last until the weekend.',
      { source: 'Agence France-Presse', tags: ['place/France', 'topic/climate'], published: '2023-07-20T08:30:00Z', readingState: 'archived' },
      [{ id: 'c4', quote: 'Firefighters battled wildfires near Marseille', note: 'Follow up with the prefecture', label: 'follow-up' }],
    ),
    article('kenya4', 'Election results announced in Kenya', 'The electoral commission announced the results on Tuesday evening in Nairobi.', {
      tags: ['place/Kenya'],
      readingState: 'reading',
    }),
  ];
}

/** Texts as the Library would give them, from the fixtures (changed in place by tests that edit the library). */
function textsOf(fixtures: Fixture[]): SearchTexts & { reads: number } {
  const texts = {
    reads: 0,
    async article(id: string) {
      texts.reads++;
      const f = fixtures.find((x) => x.article.id === id);
      return f ? { title: f.article.title, text: f.text } : null;
    },
    async clipping(id: string) {
      for (const f of fixtures) {
        const c = f.clippings.find((x) => x.id === id);
        if (c) return { quote: c.target.quote.exact, note: c.note };
      }
      return null;
    },
  };
  return texts;
}

const catalog = (fixtures: Fixture[]): CatalogEntry[] => fixtures.map((f) => ({ article: f.article, clippings: f.clippings }));

function build(fixtures = library()) {
  const texts = textsOf(fixtures);
  const files = memoryIndexFiles();
  const index = SearchIndex.build(
    fixtures.map((f) => ({ ...catalog([f])[0]!, text: f.text })),
    { texts, files },
  );
  return { index, texts, files, fixtures };
}

const ids = (r: SearchResults) => ({ articles: r.articles.map((h) => h.articleId).sort(), clippings: r.clippings.map((h) => h.clippingId).sort() });

// ---------------------------------------------------------------- what is found

describe('search finds', () => {
  const cases: { name: string; query: string; filters?: SearchFilters; articles: string[]; clippings: string[] }[] = [
    { name: 'a word of an article body', query: 'inflation', articles: ['bank2'], clippings: [] },
    { name: 'a word by its prefix', query: 'inflat', articles: ['bank2'], clippings: [] },
    { name: 'a word with a letter left out', query: 'inflaton', articles: ['bank2'], clippings: [] },
    { name: 'a word with two letters swapped', query: 'guterers', articles: ['syria1'], clippings: [] },
    { name: 'a word with accents typed without them (and the other way)', query: 'marséille', articles: ['fires3'], clippings: ['c4'] },
    { name: 'a title word', query: 'europe', articles: ['fires3'], clippings: [] },
    { name: 'a word only in a note, as a clipping hit', query: 'quillwort', articles: [], clippings: ['c1'] },
    { name: 'a word in a quote, as the clipping and its article', query: 'marmalade', articles: ['bank2'], clippings: ['c3'] },
    { name: 'only what has every word', query: 'humanitarian access', articles: ['fires3', 'syria1'], clippings: ['c1'] },
    { name: 'nothing for words that never meet', query: 'inflation wildfires', articles: [], clippings: [] },
    { name: 'a phrase only where its words are adjacent', query: '"humanitarian access"', articles: ['syria1'], clippings: ['c1'] },
    { name: 'nothing for a phrase in the wrong order', query: '"access humanitarian"', articles: [], clippings: [] },
    { name: 'a phrase with a stopword in it', query: '"rally once inflation"', articles: ['bank2'], clippings: [] },
    { name: 'a word in a tag', query: 'ceasefire', articles: [], clippings: ['c1'] },
    { name: 'a word in the source', query: 'xinhua', articles: ['syria1'], clippings: [] },
    { name: 'nothing for a word in no article', query: 'zeppelin', articles: [], clippings: [] },
    { name: 'nothing for punctuation alone', query: '?!', articles: [], clippings: [] },
    { name: 'everything newest first for an empty query', query: '', articles: ['bank2', 'fires3', 'kenya4', 'syria1'], clippings: ['c1', 'c2', 'c3', 'c4'] },
    // Filters
    { name: 'by a parent tag, its children', query: '', filters: { tags: ['place'] }, articles: ['fires3', 'kenya4', 'syria1'], clippings: ['c1', 'c2', 'c4'] },
    { name: 'by a child tag, only it', query: '', filters: { tags: ['Place/Syria'] }, articles: ['syria1'], clippings: ['c1', 'c2'] },
    { name: 'by a clipping tag, the clipping', query: '', filters: { tags: ['dossier'] }, articles: [], clippings: ['c1'] },
    { name: 'by two tags, what has both', query: '', filters: { tags: ['place', 'topic/climate'] }, articles: ['fires3'], clippings: ['c4'] },
    { name: 'by a tag nobody has, nothing', query: '', filters: { tags: ['place/Mars'] }, articles: [], clippings: [] },
    { name: 'by source', query: '', filters: { sources: ['reuters'] }, articles: ['bank2'], clippings: ['c3'] },
    { name: 'by published date range, dated articles within it', query: '', filters: { published: { from: '2024-01-01', to: '2024-12-31' } }, articles: ['bank2', 'syria1'], clippings: ['c1', 'c2', 'c3'] },
    { name: 'by a range whose end is a timestamp day', query: '', filters: { published: { to: '2023-07-20' } }, articles: ['fires3'], clippings: ['c4'] },
    { name: 'by label, clippings only', query: '', filters: { labels: ['fact'] }, articles: [], clippings: ['c2'] },
    { name: 'articles with clippings', query: '', filters: { hasClippings: true }, articles: ['bank2', 'fires3', 'syria1'], clippings: ['c1', 'c2', 'c3', 'c4'] },
    { name: 'articles without clippings', query: '', filters: { hasClippings: false }, articles: ['kenya4'], clippings: [] },
    { name: 'by reading state', query: '', filters: { readingStates: ['archived', 'reading'] }, articles: ['fires3', 'kenya4'], clippings: ['c4'] },
    { name: 'words and filters together', query: 'civilians', filters: { labels: ['quote'] }, articles: [], clippings: ['c1'] },
  ];
  const { index } = build();
  it.each(cases)('$name ($query)', async ({ query, filters, articles, clippings }) => {
    const r = await index.search(query, filters ? { filters } : {});
    expect(ids(r)).toEqual({ articles, clippings });
    expect(r.totals).toEqual({ articles: articles.length, clippings: clippings.length });
  });

  it('ranks a title match above a body match', async () => {
    const r = await index.search('humanitarian');
    expect(r.articles.map((h) => h.articleId)).toEqual(['syria1', 'fires3']);
  });

  it('lists an empty query newest first, undated last', async () => {
    const r = await index.search('');
    expect(r.articles.map((h) => h.articleId)).toEqual(['syria1', 'bank2', 'fires3', 'kenya4']);
  });

  it('gives a clipping hit its article and position, and a snippet of its note when the note matched', async () => {
    const r = await index.search('quillwort');
    const hit = r.clippings[0]!;
    const c1 = library()[0]!.clippings[0]!;
    expect(hit).toMatchObject({ articleId: 'syria1', position: c1.target.position, label: 'quote', field: 'note' });
    expect(hit.snippet!.ranges.map(([s, e]) => hit.snippet!.text.slice(s, e))).toEqual(['quillwort']);
  });

  it('marks the matching words of a snippet, the typed forms and the expanded ones', async () => {
    const r = await index.search('guterers');
    const s = r.articles[0]!.snippet!;
    const marked = s.ranges.map(([a, b]) => s.text.slice(a, b));
    expect(marked.length).toBeGreaterThan(0);
    expect(new Set(marked)).toEqual(new Set(['Guterres']));
    expect(r.terms).toContain('guterres');
  });

  it('marks title matches and a whole phrase', async () => {
    const r = await index.search('"humanitarian access"');
    const hit = r.articles[0]!;
    expect(hit.titleRanges.map(([a, b]) => 'UN chief calls for humanitarian access in Syria'.slice(a, b))).toEqual(['humanitarian access']);
    const s = hit.snippet!;
    expect(s.ranges.map(([a, b]) => s.text.slice(a, b))).toEqual(['humanitarian access']);
    // Offsets map back into the canonical text.
    expect(library()[0]!.text.slice(s.offset, s.offset + s.text.length)).toBe(s.text);
  });

  it('pages with offset and limit, totals counting all', async () => {
    const first = await index.search('', { limit: 2 });
    const second = await index.search('', { limit: 2, offset: 2 });
    expect([...first.articles, ...second.articles].map((h) => h.articleId)).toEqual(['syria1', 'bank2', 'fires3', 'kenya4']);
    expect(second.totals.articles).toBe(4);
  });
});

// ---------------------------------------------------------------- changes

describe('after a change', () => {
  it('a deleted clipping is gone, its article and the others stay', async () => {
    const { index, fixtures } = build();
    const f = fixtures[0]!;
    f.clippings = f.clippings.filter((c) => c.id !== 'c1');
    await index.upsertArticle({ ...f.article, updatedAt: '2025-02-01T00:00:00.000Z' }, f.clippings);
    expect(ids(await index.search('quillwort'))).toEqual({ articles: [], clippings: [] });
    expect(ids(await index.search('security council'))).toEqual({ articles: ['syria1'], clippings: ['c2'] });
  });

  it('a deleted article is gone with its clippings', async () => {
    const { index } = build();
    await index.removeArticle('bank2');
    expect(ids(await index.search('marmalade'))).toEqual({ articles: [], clippings: [] });
    expect((await index.search('')).totals).toEqual({ articles: 3, clippings: 3 });
  });

  it("an updated article's new words are found and its old ones are not", async () => {
    const { index, fixtures, texts } = build();
    const f = fixtures[2]!;
    f.text = 'A zeppelin was seen over the harbour at dawn.';
    f.article = { ...f.article, title: 'Airship over the harbour', textHash: hash(), updatedAt: '2025-02-01T00:00:00.000Z' };
    f.clippings = [];
    const before = texts.reads;
    await index.upsertArticle(f.article, f.clippings);
    expect(texts.reads).toBe(before + 1); // the new text was read through `texts`
    expect(ids(await index.search('zeppelin'))).toEqual({ articles: ['fires3'], clippings: [] });
    expect(ids(await index.search('wildfires'))).toEqual({ articles: [], clippings: [] });
    expect(ids(await index.search('airship'))).toEqual({ articles: ['fires3'], clippings: [] });
  });

  it('a new clipping and a changed note are found; metadata changes need no text', async () => {
    const { index, fixtures, texts } = build();
    const f = fixtures[1]!;
    const quote = 'fight inflation';
    const start = f.text.indexOf(quote);
    f.clippings = [
      { ...f.clippings[0]!, note: 'Ask about the hornbeam index', label: 'claim' },
      { id: 'c5', label: 'quote', note: '', tags: ['topic/banks'], target: { quote: { exact: quote }, position: { start, end: start + quote.length } } },
    ];
    f.article = { ...f.article, tags: ['topic/economy', 'place/Japan'], readingState: 'archived', updatedAt: '2025-02-01T00:00:00.000Z' };
    const before = texts.reads;
    await index.upsertArticle(f.article, f.clippings);
    expect(texts.reads).toBe(before);
    expect(ids(await index.search('hornbeam'))).toEqual({ articles: [], clippings: ['c3'] });
    expect(ids(await index.search('nice image'))).toEqual({ articles: [], clippings: [] });
    expect(ids(await index.search('', { filters: { labels: ['claim'] } }))).toEqual({ articles: [], clippings: ['c3'] });
    expect(ids(await index.search('', { filters: { tags: ['place/Japan'], readingStates: ['archived'] } }))).toEqual({ articles: ['bank2'], clippings: ['c3', 'c5'] });
    expect(ids(await index.search('', { filters: { tags: ['topic/banks'] } }))).toEqual({ articles: [], clippings: ['c5'] });
  });

  it('a new article is found', async () => {
    const { index, fixtures } = build();
    const f = article('new5', 'Harvest festival opens', 'Farmers brought pumpkins to the square.', { published: '2025-01-05' });
    fixtures.push(f);
    await index.upsertArticle(f.article, f.clippings, f.text);
    expect(ids(await index.search('pumpkins'))).toEqual({ articles: ['new5'], clippings: [] });
    expect((await index.search('')).articles[0]!.articleId).toBe('new5');
  });

  it('compaction keeps every result the same', async () => {
    const { index, fixtures } = build();
    const f = fixtures[3]!;
    f.text = 'The electoral commission announced the results; observers praised the turnout.';
    f.article = { ...f.article, textHash: hash(), updatedAt: '2025-02-01T00:00:00.000Z' };
    await index.upsertArticle(f.article, f.clippings);
    await index.removeArticle('bank2');
    const queries = ['turnout', 'inflation', 'quillwort', '"humanitarian access"', 'electoral', 'wildf', ''];
    // Scores move a little (document frequencies lose the stale postings): hits, their order and snippets do not.
    const hits = async () => (await Promise.all(queries.map((q) => index.search(q)))).map((r) => [r.articles, r.clippings].map((list) => list.map(({ score: _score, ...hit }) => hit)));
    const before = await hits();
    await index.compact();
    expect(index.stats().deltaDocs).toBe(0);
    expect(await hits()).toEqual(before);
  });
});

// ---------------------------------------------------------------- persistence

describe('the saved index', () => {
  const queries = ['inflation', 'guterers', 'quillwort', '"humanitarian access"', 'place', 'wildf', ''];
  const results = (index: SearchIndex) => Promise.all(queries.map((q) => index.search(q)));

  it('opens to the same results, reading no text', async () => {
    const { index, files, fixtures } = build();
    await index.save();
    const texts = textsOf(fixtures);
    const opened = await SearchIndex.open({ files, texts, catalog: catalog(fixtures) });
    await opened.whenIdle();
    expect(opened.status).toMatchObject({ state: 'ready', rebuildReason: null });
    expect(texts.reads).toBe(0);
    // Snippets read texts; compare the hits, which need none.
    expect(await results(opened)).toEqual(await results(index));
  });

  it('keeps changes saved in the delta, and compacted ones in the base', async () => {
    const { index, files, fixtures } = build();
    await index.save();
    const f = fixtures[0]!;
    f.clippings = f.clippings.map((c) => (c.id === 'c2' ? { ...c, note: 'Ask the mission about the pangolin report' } : c));
    f.article = { ...f.article, updatedAt: '2025-02-01T00:00:00.000Z' };
    await index.upsertArticle(f.article, f.clippings);
    await index.removeArticle('kenya4');
    await index.save();
    const fromDelta = await SearchIndex.open({ files, texts: textsOf(fixtures.slice(0, 3)), catalog: catalog(fixtures.slice(0, 3)) });
    expect(ids(await fromDelta.search('pangolin'))).toEqual({ articles: [], clippings: ['c2'] });
    expect(ids(await fromDelta.search('nairobi'))).toEqual({ articles: [], clippings: [] });
    await fromDelta.save({ compact: true });
    const fromBase = await SearchIndex.open({ files, texts: textsOf(fixtures.slice(0, 3)), catalog: catalog(fixtures.slice(0, 3)) });
    expect(fromBase.stats().deltaDocs).toBe(0);
    expect(await results(fromBase)).toEqual(await results(fromDelta));
  });

  it('catches up at open with what changed while it was not saved', async () => {
    const { index, files, fixtures } = build();
    await index.save();
    const f = fixtures[1]!;
    f.text = 'The central bank held rates steady, citing a weaker yen.';
    f.article = { ...f.article, textHash: hash(), updatedAt: '2025-03-01T00:00:00.000Z' };
    f.clippings = [];
    const extra = article('new5', 'Harvest festival opens', 'Farmers brought pumpkins to the square.', {});
    const now = [fixtures[0]!, f, fixtures[2]!, extra]; // kenya4 deleted
    const texts = textsOf(now);
    const opened = await SearchIndex.open({ files, texts, catalog: catalog(now) });
    await opened.whenIdle();
    expect(opened.status.state).toBe('ready');
    expect(texts.reads).toBe(2); // only the two changed texts
    expect(ids(await opened.search('yen'))).toEqual({ articles: ['bank2'], clippings: [] });
    expect(ids(await opened.search('marmalade'))).toEqual({ articles: [], clippings: [] });
    expect(ids(await opened.search('pumpkins'))).toEqual({ articles: ['new5'], clippings: [] });
    expect(ids(await opened.search('nairobi'))).toEqual({ articles: [], clippings: [] });
  });

  const index = `search/${INDEX_FILE}`;
  const postings = `search/${POSTINGS_FILE}`;
  /** Flips a byte in the last quarter of a file (its body, past the header). */
  const flip = (f: Map<string, Uint8Array>, path: string) => {
    const bytes = f.get(path)!;
    const at = Math.floor(bytes.length * 0.8);
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
  };
  const damage: { name: string; harm: (files: Map<string, Uint8Array>) => void | Promise<void>; reason: RegExp }[] = [
    { name: 'a flipped byte in the index', harm: (f) => flip(f, index), reason: /checksum/ },
    { name: 'a flipped byte in the postings', harm: (f) => flip(f, postings), reason: /checksum/ },
    { name: 'an index cut short', harm: (f) => f.set(index, f.get(index)!.slice(0, 300)), reason: /cut short|checksum/ },
    { name: 'postings cut short', harm: (f) => f.set(postings, f.get(postings)!.slice(0, f.get(postings)!.length - 8)), reason: /checksum|size/ },
    { name: 'another file in its place', harm: (f) => f.set(index, Buffer.from('{"not":"an index"}')), reason: /not a search index/ },
    {
      name: 'postings of another index',
      harm: async (f) => {
        const other = build();
        await other.index.save();
        f.set(postings, other.files.files.get(postings)!);
      },
      reason: /another index/,
    },
    { name: 'another format version', harm: (f) => f.set(index, Buffer.from(Buffer.from(f.get(index)!).toString('latin1').replace('"version":1', '"version":9'), 'latin1')), reason: /format 9/ },
    { name: 'no index file', harm: (f) => f.delete(index), reason: /no search index/ },
    { name: 'no postings file', harm: (f) => f.delete(postings), reason: /postings file is missing/ },
  ];
  it.each(damage)('is rebuilt, never trusted, after $name', async ({ harm, reason }) => {
    const { index, files, fixtures } = build();
    await index.save();
    await harm(files.files);
    const opened = await SearchIndex.open({ files, texts: textsOf(fixtures), catalog: catalog(fixtures) });
    await opened.whenIdle();
    expect(opened.status).toMatchObject({ state: 'ready', rebuildReason: expect.stringMatching(reason) });
    expect(await results(opened)).toEqual(await results(index));
    // And the rebuilt index was saved: the next open needs no rebuild.
    const again = await SearchIndex.open({ files, texts: textsOf(fixtures), catalog: catalog(fixtures) });
    await again.whenIdle();
    expect(again.status).toMatchObject({ state: 'ready', rebuildReason: null });
  });

  /** Files whose whole-file read of the postings waits until released: queries then read blocks on their own. */
  function slowPostings(files: ReturnType<typeof memoryIndexFiles>) {
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let ranges = 0;
    return {
      release,
      ranges: () => ranges,
      files: {
        write: files.write,
        read: async (path: string) => {
          if (path.endsWith(POSTINGS_FILE)) await gate;
          return files.read(path);
        },
        readRange: async (path: string, offset: number, length: number) => {
          ranges++;
          return files.readRange!(path, offset, length);
        },
      },
    };
  }

  it('answers queries before its postings file has loaded, reading only the blocks they need', async () => {
    const { index, files, fixtures } = build();
    await index.save();
    const slow = slowPostings(files);
    const opened = await SearchIndex.open({ files: slow.files, texts: textsOf(fixtures), catalog: catalog(fixtures) });
    expect(await results(opened)).toEqual(await results(index));
    expect(slow.ranges()).toBeGreaterThan(0);
    slow.release();
    await opened.whenIdle();
    expect(await results(opened)).toEqual(await results(index));
  });

  it("takes no damage from a query's block read that ends after the whole file has loaded", async () => {
    const { index, files, fixtures } = build();
    await index.save();
    const slow = slowPostings(files);
    let releaseRange = () => {};
    const rangeGate = new Promise<void>((r) => (releaseRange = r));
    const gated = { ...slow.files, readRange: async (path: string, offset: number, length: number) => (await rangeGate, slow.files.readRange(path, offset, length)) };
    const opened = await SearchIndex.open({ files: gated, texts: textsOf(fixtures), catalog: catalog(fixtures) });
    const early = opened.search('quillwort');
    slow.release();
    await opened.whenIdle();
    releaseRange();
    expect(ids(await early)).toEqual({ articles: [], clippings: ['c1'] });
    await opened.whenIdle();
    expect(opened.status).toMatchObject({ state: 'ready', rebuildReason: null });
  });

  it('is rebuilt when a query before the load finds a damaged block, keeping changes made since open', async () => {
    const { index, files, fixtures } = build();
    await index.save();
    flip(files.files, postings);
    const slow = slowPostings(files);
    const opened = await SearchIndex.open({ files: slow.files, texts: textsOf(fixtures), catalog: catalog(fixtures) });
    await opened.removeArticle('bank2');
    await opened.search('inflation guterres quillwort marmalade wildfires');
    slow.release();
    await opened.whenIdle();
    expect(opened.status).toMatchObject({ state: 'ready', rebuildReason: expect.stringMatching(/checksum/) });
    expect(ids(await opened.search('inflation'))).toEqual({ articles: [], clippings: [] });
    expect(ids(await opened.search('quillwort'))).toEqual({ articles: [], clippings: ['c1'] });
  });

  it('never writes unsaved changes into a compacted base (a lost delta is caught up at open)', async () => {
    const { index, files, fixtures } = build();
    await index.save();
    await index.compact();
    const f = fixtures[3]!;
    f.text = 'Observers praised the turnout.';
    f.article = { ...f.article, textHash: hash(), updatedAt: '2025-02-01T00:00:00.000Z' };
    await index.upsertArticle(f.article, f.clippings);
    await index.save();
    files.files.delete(`search/${DELTA_FILE}`);
    const texts = textsOf(fixtures);
    const opened = await SearchIndex.open({ files, texts, catalog: catalog(fixtures) });
    await opened.whenIdle();
    expect(texts.reads).toBe(1);
    expect(ids(await opened.search('turnout'))).toEqual({ articles: ['kenya4'], clippings: [] });
  });

  it('ignores a damaged delta file and catches up from the library', async () => {
    const { index, files, fixtures } = build();
    await index.save();
    const f = fixtures[3]!;
    f.text = 'Observers praised the turnout.';
    f.article = { ...f.article, textHash: hash(), updatedAt: '2025-02-01T00:00:00.000Z' };
    await index.upsertArticle(f.article, f.clippings);
    await index.save();
    files.files.set(`search/${DELTA_FILE}`, Buffer.from('{"format":"cuttings-search-delta","version":1,"base":'));
    const opened = await SearchIndex.open({ files, texts: textsOf(fixtures), catalog: catalog(fixtures) });
    await opened.whenIdle();
    expect(ids(await opened.search('turnout'))).toEqual({ articles: ['kenya4'], clippings: [] });
  });

  it('keeps changes made while it rebuilds', async () => {
    const { index, files, fixtures } = build();
    await index.save();
    files.files.delete(`search/${INDEX_FILE}`);
    const opened = await SearchIndex.open({ files, texts: textsOf(fixtures), catalog: catalog(fixtures) });
    expect(opened.status).toMatchObject({ state: 'building', reason: expect.stringMatching(/no search index/) });
    await opened.removeArticle('bank2');
    const f = fixtures[3]!;
    f.text = 'Observers praised the turnout.';
    f.article = { ...f.article, textHash: hash(), updatedAt: '2025-02-01T00:00:00.000Z' };
    await opened.upsertArticle(f.article, f.clippings);
    await opened.whenIdle();
    expect(ids(await opened.search('inflation'))).toEqual({ articles: [], clippings: [] });
    expect(ids(await opened.search('turnout'))).toEqual({ articles: ['kenya4'], clippings: [] });
  });
});

// ---------------------------------------------------------------- parts

describe('the vocabulary', () => {
  // Random words over a small alphabet, so that many are near each other (mulberry32: the same words every run).
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
  const word = () => Array.from({ length: 2 + rnd(8) }, () => 'abcdeé'[rnd(6)]).join('');
  const words = [...new Set(Array.from({ length: 3000 }, word))].sort();
  const vocab = SortedVocab.from(words);

  it('finds exactly the words within the distance a full scan finds', () => {
    for (let q = 0; q < 150; q++) {
      const w = word();
      const d = 1 + (q % 2);
      const found: string[] = [];
      vocab.fuzzy(w, d, (i, dist) => {
        expect(boundedDistance(vocab.term(i), w, d)).toBe(dist);
        found.push(vocab.term(i));
      });
      expect(found).toEqual(words.filter((x) => boundedDistance(x, w, d) <= d));
    }
  });

  it('finds words by prefix and exactly', () => {
    const [from, to] = vocab.prefixRange('abc');
    expect(words.slice(from, to)).toEqual(words.filter((x) => x.startsWith('abc')));
    expect(vocab.find(words[77]!)).toBe(77);
    expect(vocab.find('zzz')).toBe(-1);
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(boundedDistance('guterres', 'guterers', 2)).toBe(1);
    expect(boundedDistance('syria', 'syira', 2)).toBe(1);
  });
});

describe('the query', () => {
  it.each([
    ['drops stopwords but keeps them in phrases', 'the "state of the union" address', { words: ['state', 'union', 'address'], phrases: [['state', 'of', 'the', 'union']] }],
    ['keeps a query of stopwords alone', 'the who', { words: ['the', 'who'], phrases: [] }],
    ['folds case and accents', 'Pérez ÉLYSÉE', { words: ['perez', 'elysee'], phrases: [] }],
    ['splits Chinese into pairs of characters', '人工智能', { words: ['人工', '工智', '智能'], phrases: [] }],
    ['keeps a word once', 'Syria syria SYRIA', { words: ['syria'], phrases: [] }],
    ['keeps at most 16 words of a pasted paragraph', Array.from({ length: 40 }, (_, i) => `word${i}`).join(' '), { words: Array.from({ length: 16 }, (_, i) => `word${i}`), phrases: [] }],
  ])('%s', (_name, query, expected) => {
    const q = parseQuery(query);
    expect({ words: q.words.map((w) => w.term), phrases: q.phrases }).toEqual(expected);
  });
});

describe('the phrase check', () => {
  // The fast check (a regular expression) must agree with the tokenizer, which defines what a phrase is.
  it.each([
    ['across punctuation and case', 'Rally once: INFLATION cools', '"rally once inflation"', true],
    ['not across another word', 'rally, then once inflation', '"rally once inflation"', false],
    ['not inside a longer word', 'a rallying once inflation', '"rally once inflation"', false],
    ['over a dropped single letter', "Guterres's office said", '"guterres office"', true],
    ['over a hyphen', 'their co-operation ended', '"co operation"', true],
    ['with accents typed or not', 'at the Élysée Palace today', '"elysee palace"', true],
    ['with accents in the query and not the text', 'at the Elysee Palace today', '"élysée palace"', true],
    ['in decomposed text', 'Pe\u0301rez said so', '"perez said"', true],
    ['with a dotted capital I', 'İstanbul Airport reopened', '"istanbul airport"', true],
    ['in Chinese', '人工智能迈上新台阶', '"智能迈上"', true],
    ['not in Chinese out of order', '人工智能迈上新台阶', '"迈上智能"', false],
    ['at the very start and end', 'rally once inflation', '"rally once inflation"', true],
    ['on a later occurrence of its first word', 'rally hard. rally once inflation', '"rally once inflation"', true],
    ['over several dropped letters', "rock 'n' a roll", '"rock roll"', true],
    ['not over a kept single digit', 'rock 5 roll', '"rock roll"', false],
  ])('%s', (_name, text, query, expected) => {
    const phrase = parseQuery(query).phrases[0] ?? parseQuery(query).words.map((w) => w.term);
    expect(containsPhrase(text, phrase)).toBe(expected);
    expect(phraseTester(phrase)(text)).toBe(expected);
  });
});

describe('the phrase check on real text', () => {
  // Real prose of several languages: the sample news file and readability pages (French, Chinese, Czech, Spanish, right-to-left).
  const pages = ['lemonde-1', 'qq', 'aktualne', 'la-nacion', 'rtl-1', 'wikipedia'].map((p) =>
    readFileSync(new URL(`../../../shared/corpus/mozilla-readability/test/test-pages/${p}/expected.html`, import.meta.url), 'utf8')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&[a-z]+;/g, ' '),
  );
  const texts = [readFileSync(new URL('../../seeds/000_980efc22cf33c08f.txt', import.meta.url), 'utf8'), ...pages];
  it('agrees with the tokenizer on adjacent and non-adjacent words', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    let found = 0;
    for (const text of texts) {
      const toks = tokens(text).map((t) => t.term);
      for (let k = 0; k < 60; k++) {
        const at = rnd(Math.max(1, toks.length - 3));
        const length = 2 + rnd(2);
        // Half adjacent (present), half with a word skipped (mostly absent).
        const phrase = k % 2 === 0 ? toks.slice(at, at + length) : [toks[at]!, ...toks.slice(at + 2, at + 1 + length)];
        const expected = containsPhrase(text, phrase);
        if (expected) found++;
        expect([phrase.join(' '), phraseTester(phrase)(text)]).toEqual([phrase.join(' '), expected]);
      }
    }
    expect(found).toBeGreaterThan(150);
  });
});

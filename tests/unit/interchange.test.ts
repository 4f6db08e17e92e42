/**
 * The way out and back in: our JSON-LD and Readwise CSV exports imported
 * again, Hypothesis' annotations attached to the page they were made on,
 * and bad files refused without touching the library.
 */
import { open, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library, type ImportOutcome } from '../../electron/library';
import { embeddedAnnotation } from '../../electron/library/export/web-annotation';
import { collectExport } from '../../electron/library/export/collect';
import { runExport } from '../../electron/library/export';
import { renderJsonLd, PAGE_SIZE } from '../../electron/library/export/jsonld';
import { renderReadwiseCsv, READWISE_COLUMNS } from '../../electron/library/export/csv';
import { MAX_ANNOTATION_FILE_BYTES } from '../../electron/library/import/annotations';
import { splitInlineTags } from '../../electron/library/import/annotations/readwise';
import { SHARED, snapshot, tempDir } from './helpers/temp';
import { ARABIC_HTML, ARABIC_URL, richLibrary } from './helpers/rich-library';
import { syntheticSet } from './helpers/synthetic-export';

const BASELINES = join(SHARED, 'corpus', 'hypothesis-client', 'src', 'annotator', 'anchoring', 'test', 'html-baselines');

async function exportTo(library: Library, format: 'jsonld' | 'csv', file: string): Promise<string> {
  const set = await collectExport(library, {});
  await writeFile(file, format === 'jsonld' ? renderJsonLd(set) : renderReadwiseCsv(set));
  return file;
}

/** Everything a person sees of a library: each article as opened (metadata, blocks, text, clippings), the labels, the press reviews. */
async function contents(library: Library) {
  const articles = await Promise.all((await library.listArticles()).map((a) => library.getArticle(a.id)));
  return { articles, labels: library.labels(), compositions: await library.listCompositions() };
}

const ok = (o: ImportOutcome | undefined) => (o && o.status !== 'failed' ? o : expect.fail(`import failed: ${JSON.stringify(o)}`));

describe('JSON-LD export → import', () => {
  it('into an empty library gives the same articles, clippings, notes, labels and tags, ids and dates included', async () => {
    const root = await tempDir();
    const { library } = await richLibrary(join(root, 'src'));
    const file = await exportTo(library, 'jsonld', join(root, 'export.jsonld'));
    const before = await contents(library);

    const target = await Library.open(join(root, 'dst'));
    const outcomes = await target.importPaths([file]);
    expect(outcomes.map((o) => o.status)).toEqual(['imported', 'imported']);
    const after = await contents(target);
    expect(after.articles).toEqual(before.articles);
    expect(after.labels).toEqual(before.labels);
    expect(after.compositions).toEqual([]); // a press review travels when it is what is exported (next test)
    // What the round trip must carry, spelled out (so that a change in `contents` cannot hide a loss).
    const english = after.articles.find((a) => a.article.language === 'en');
    expect(english?.article).toMatchObject({ tags: ['Syria', 'UN'], readingState: 'read', progress: 0.42 });
    const states = english?.clippings.map((c) => c.anchor?.state ?? 'anchored') ?? [];
    expect(states.filter((s) => s === 'orphan')).toHaveLength(1); // and the re-attached ones keep their confidence:
    expect(english?.clippings.find((c) => c.anchor?.state === 'reanchored')?.anchor?.confidence).toBeGreaterThan(0.8);
    const arabic = after.articles.find((a) => a.article.dir === 'rtl');
    expect(arabic?.article.url).toBe(new URL(ARABIC_URL).href);
    expect(arabic?.blocks.some((b) => b.kind === 'image' && b.src.startsWith('images/'))).toBe(true);
    await Promise.all([library.close(), target.close()]);
  });

  it('of the whole library (nothing selected) brings back the articles that have no clipping too', async () => {
    const root = await tempDir();
    const { library } = await richLibrary(join(root, 'src'));
    const [bare] = await library.importContent([{ name: 'bare.txt', bytes: Buffer.from('An article nobody clipped.\n\nIt has two paragraphs.') }]);
    const { files } = await runExport(library, {}, { format: 'jsonld' });
    const file = join(root, 'all.jsonld');
    await writeFile(file, files[0]!.data);
    const target = await Library.open(join(root, 'dst'));
    await target.importPaths([file]);
    expect(target.articleCount).toBe(library.articleCount);
    expect((await target.getArticle(ok(bare).id)).text).toBe('An article nobody clipped.\n\nIt has two paragraphs.');
    await target.close();
    await library.close();
  });

  it('carries a press review when that is what is exported, in its order', async () => {
    const root = await tempDir();
    const { library, compositionId, clippings } = await richLibrary(join(root, 'src'));
    const composition = await library.getComposition(compositionId);
    const file = join(root, 'review.jsonld');
    await writeFile(file, renderJsonLd(await collectExport(library, { compositionId }, composition)));
    const target = await Library.open(join(root, 'dst'));
    expect((await target.importPaths([file])).map((o) => o.status)).toEqual(['imported', 'imported']);
    const [copy] = await target.listCompositions();
    expect(copy).toMatchObject({ id: compositionId, title: 'Weekly review', introduction: composition.introduction, items: composition.items });
    // Only the clippings the review names came with it.
    expect(target.clippingCount).toBe(2);
    expect((await target.getClipping(clippings.keyLine.id)).note).toBe(clippings.keyLine.note);
    await Promise.all([library.close(), target.close()]);
  });

  it('writes each annotation as web-annotation.ts maps a clipping, plus our extension', async () => {
    const root = await tempDir();
    const { library } = await richLibrary(join(root, 'src'));
    const set = await collectExport(library, {});
    const doc = JSON.parse(renderJsonLd(set)) as { first: { items: Record<string, unknown>[] } };
    const expected = set.articles.flatMap((a) =>
      a.clippings.map(({ clipping, label }) => ({
        ...embeddedAnnotation(clipping, a.article, label),
        'cuttings:clipping': { articleId: a.article.id, label: clipping.label, ...(clipping.anchor ? { anchor: clipping.anchor } : {}) },
      })),
    );
    expect(doc.first.items).toEqual(expected);
    await library.close();
  });

  it('is the same document every time: ids come from the content, not from who exports or when', async () => {
    const root = await tempDir();
    const { library } = await richLibrary(join(root, 'src'));
    const set = await collectExport(library, {});
    const first = renderJsonLd(set);
    expect(renderJsonLd(await collectExport(library, {}))).toBe(first);
    const doc = JSON.parse(first) as { id: string; first: { items: { id: string }[] } };
    expect(doc.id).toMatch(/^urn:cuttings:collection:[0-9a-f]{64}$/);
    expect(doc.first.items.map((i) => i.id)).toEqual(set.articles.flatMap((a) => a.clippings.map((c) => `urn:cuttings:clipping:${c.clipping.id}`)));
    expect(first).not.toContain(root); // no path of this machine
    await library.close();
  });

  it('into the library it came from changes nothing: every article and clipping is already there', async () => {
    const root = await tempDir();
    const { library, dir } = await richLibrary(join(root, 'src'));
    const file = await exportTo(library, 'jsonld', join(root, 'export.jsonld'));
    await library.flush();
    const before = await snapshot(dir, { records: true });
    const outcomes = await library.importPaths([file]);
    expect(outcomes.map((o) => o.status)).toEqual(['duplicate', 'duplicate']);
    expect(outcomes[0]).toMatchObject({ detail: expect.stringMatching(/0 clippings added, 4 already there/) });
    await library.flush();
    expect(await snapshot(dir, { records: true })).toEqual(before);
    await library.close();
  });

  it('into a library that has the article merges the clippings: none twice, nothing it had lost or changed', async () => {
    const root = await tempDir();
    const { library, english, clippings } = await richLibrary(join(root, 'src'));
    const file = await exportTo(library, 'jsonld', join(root, 'export.jsonld'));

    // Another library: the same two articles (imported from the export), then its own changes.
    const other = await Library.open(join(root, 'other'));
    await other.importPaths([file]);
    await other.deleteClipping(clippings.rumour.id);
    await other.updateClipping(clippings.keyLine.id, { note: 'my own note', tags: ['mine'] });
    const { text } = await other.getArticle(english);
    const own = await other.createClipping({ articleId: english, start: 0, end: 20, label: 'background', note: 'only here' });
    await other.setArticleTags(english, ['mine']);

    const outcomes = await other.importPaths([file]);
    expect(outcomes[0]).toMatchObject({ status: 'updated', id: english, detail: expect.stringMatching(/1 clipping added, 3 already there, 2 tags added/) });
    const rumour = await library.getClipping(clippings.rumour.id);
    const merged = await other.getArticle(english);
    expect(merged.text).toBe(text);
    expect(merged.clippings).toHaveLength(5);
    expect(merged.clippings.find((c) => c.id === clippings.keyLine.id)).toMatchObject({ note: 'my own note', tags: ['mine'] }); // not overwritten
    expect(merged.clippings.find((c) => c.id === own.id)).toEqual(own); // kept
    expect(merged.clippings.find((c) => c.id === clippings.rumour.id)).toEqual(rumour); // back, as it was
    expect(merged.article.tags).toEqual(['mine', 'Syria', 'UN']);
    await Promise.all([library.close(), other.close()]);
  });

  it('into a library with another version of the page (same address) puts the clippings on that text', async () => {
    const root = await tempDir();
    const { library, clippings } = await richLibrary(join(root, 'src'));
    const file = await exportTo(library, 'jsonld', join(root, 'export.jsonld'));
    const other = await Library.open(join(root, 'other'));
    // The same page, a paragraph added before the clipped ones: every position moves.
    const edited = ARABIC_HTML.replace('<p>', '<p>فقرة جديدة أضيفت في بداية المقال بعد نشره لأول مرة لتوضيح السياق.</p>\n<p>');
    const [page] = await other.importContent([{ name: 'syria-ar.html', bytes: new TextEncoder().encode(edited) }]);
    const id = ok(page).id;
    const outcomes = await other.importPaths([file]);
    expect(outcomes.find((o) => o.status !== 'failed' && o.id === id)).toMatchObject({ status: 'updated', detail: expect.stringMatching(/2 clippings added/) });
    const detail = await other.getArticle(id);
    expect(detail.article.id).toBe(id); // the article there stays what it is
    for (const c of detail.clippings) expect(detail.text.slice(c.target.position.start, c.target.position.end)).toBe(c.target.quote.exact);
    expect(detail.clippings.map((c) => c.target.quote.exact).sort()).toEqual([clippings.arabic.target.quote.exact, clippings.emoji.target.quote.exact].sort());
    await Promise.all([library.close(), other.close()]);
  });

  it(`pages the annotations ${PAGE_SIZE} at a time and reads them all back`, async () => {
    const root = await tempDir();
    const set = syntheticSet({ articles: 5, clippingsPerArticle: 500 });
    const file = join(root, 'big.jsonld');
    await writeFile(file, renderJsonLd(set));
    const target = await Library.open(join(root, 'dst'));
    const outcomes = await target.importPaths([file]);
    expect(outcomes.filter((o) => o.status === 'imported')).toHaveLength(5);
    expect(target.clippingCount).toBe(2500);
    const first = await target.getArticle('art000000');
    expect(first.clippings.map((c) => c.id)).toEqual(set.articles[0]?.clippings.map((c) => c.clipping.id));
    await target.close();
  });
});

describe('Readwise CSV', () => {
  it('has exactly Readwise’s import columns, quoted as RFC 4180 says, formulas left as written', async () => {
    const set = syntheticSet({ articles: 1, clippingsPerArticle: 4 });
    const first = set.articles[0]?.clippings[0];
    if (!first) throw new Error('no clipping');
    first.clipping = { ...first.clipping, note: '=HYPERLINK("x")', tags: ['two words', 'place/Syria'] };
    const csv = renderReadwiseCsv(set);
    const [header, row] = csv.split('\r\n');
    expect(header).toBe(READWISE_COLUMNS.join(','));
    expect(header).toBe('Highlight,Title,Author,URL,Note,Location,Date');
    expect(row).toBe(`${first.clipping.target.quote.exact},Article 0,Wire,https://news.example/0,"=HYPERLINK(""x"")\n.two-words .place/Syria",1,2024-12-06T10:00:00.000Z`);
    expect(renderReadwiseCsv(set, { spreadsheetSafe: true })).toContain(`"'=HYPERLINK(""x"")`);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('reads its inline tags back from the last line of a note', () => {
    expect(splitInlineTags('why it matters\n.UN .place/Syria')).toEqual({ note: 'why it matters', tags: ['UN', 'place/Syria'] });
    expect(splitInlineTags('.UN')).toEqual({ note: '', tags: ['UN'] });
    expect(splitInlineTags('a .net note')).toEqual({ note: 'a .net note', tags: [] });
  });

  it('export → import into an empty library gives the same highlights and notes per article', async () => {
    const root = await tempDir();
    const { library } = await richLibrary(join(root, 'src'));
    const file = await exportTo(library, 'csv', join(root, 'highlights.csv'));
    const target = await Library.open(join(root, 'dst'));
    const outcomes = await target.importPaths([file]);
    expect(outcomes.map((o) => o.status)).toEqual(['imported', 'imported']);
    for (const source of (await collectExport(library, {})).articles) {
      const found = (await target.listArticles()).find((a) => a.title === source.article.title);
      const detail = await target.getArticle(ok(found && { ...found, status: 'imported', path: '' }).id);
      expect(detail.article.origin.kind).toBe('readwise');
      expect(detail.article.byline).toBe(source.article.byline ?? source.article.source);
      const highlights = (c: { target: { quote: { exact: string } }; note: string; tags: string[]; createdAt: string }) => [c.target.quote.exact, c.note, c.tags, c.createdAt];
      expect(detail.clippings.map(highlights)).toEqual(source.clippings.map((c) => highlights(c.clipping)));
      for (const c of detail.clippings) expect(detail.text.slice(c.target.position.start, c.target.position.end)).toBe(c.target.quote.exact);
    }
    // Again: nothing twice.
    expect((await target.importPaths([file])).map((o) => o.status)).toEqual(['duplicate', 'duplicate']);
    await Promise.all([library.close(), target.close()]);
  });

  it('puts highlights on an article the library holds (same address), not on a copy of them', async () => {
    const root = await tempDir();
    const { library, arabic } = await richLibrary(join(root, 'src'));
    const csv = ['Highlight,Title,Author,URL,Note', `الأمين العام للأمم المتحدة أنطونيو غوتيريش,غوتيريش,,${ARABIC_URL},من ريدوايز`].join('\n');
    const file = join(root, 'readwise.csv');
    await writeFile(file, csv);
    const before = library.articleCount;
    const [outcome] = await library.importPaths([file]);
    expect(outcome).toMatchObject({ status: 'updated', id: arabic, detail: expect.stringMatching(/1 highlight put on the article's text/) });
    expect(library.articleCount).toBe(before);
    const added = (await library.getArticle(arabic)).clippings.find((c) => c.note === 'من ريدوايز');
    expect(added?.target.quote.exact).toBe('الأمين العام للأمم المتحدة أنطونيو غوتيريش');
    expect(added?.anchor).toBeUndefined();
    await library.close();
  });

  it("reads Readwise's own export (Book Title, Book Author, Tags, Highlighted at)", async () => {
    const root = await tempDir();
    const csv = [
      'Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,Location Type,Location,Highlighted at,Document tags',
      '"Second, in reading order",The Book,Ann Author,,,yellow,,order,20,2023-05-01 10:00:00,',
      '"First ""one""",The Book,Ann Author,,"a note",yellow,"alpha,beta",order,10,2023-05-01 09:00:00,',
    ].join('\n');
    const file = join(root, 'readwise-export.csv');
    await writeFile(file, csv);
    const target = await Library.open(join(root, 'dst'));
    const [outcome] = await target.importPaths([file]);
    const detail = await target.getArticle(ok(outcome).id);
    expect(detail.article).toMatchObject({ title: 'The Book', byline: 'Ann Author' });
    expect(detail.text).toBe('First "one"\n\nSecond, in reading order');
    expect(detail.clippings.map((c) => [c.target.quote.exact, c.note, c.tags, c.createdAt])).toEqual([
      ['First "one"', 'a note', ['alpha', 'beta'], '2023-05-01T09:00:00Z'],
      ['Second, in reading order', '', [], '2023-05-01T10:00:00Z'],
    ]);
    await target.close();
  });
});

describe('Hypothesis API JSON', () => {
  it('attaches the Wikipedia baseline’s annotations to the page, on the words they quote', async () => {
    const root = await tempDir();
    const library = await Library.open(join(root, 'lib'));
    const [page] = await library.importPaths([join(BASELINES, 'wikipedia-regression-testing.html')]);
    const id = ok(page).id;
    const [outcome] = await library.importPaths([join(BASELINES, 'wikipedia-regression-testing.json')]);
    const rows = (JSON.parse(await readFile(join(BASELINES, 'wikipedia-regression-testing.json'), 'utf8')) as { rows: HypothesisRow[] }).rows;
    expect(rows).toHaveLength(5);
    const detail = await library.getArticle(id);
    expect(detail.clippings).toHaveLength(5);
    const byId = new Map(detail.clippings.map((c) => [c.id, c]));
    const collapse = (s: string) => s.replace(/\s+/g, ' ');
    const anchored: string[] = [];
    const orphans: string[] = [];
    for (const row of rows) {
      const c = byId.get(`hyp_${row.id}`);
      const quote = row.target[0]?.selector.find((s) => s.type === 'TextQuoteSelector');
      if (!c || !quote) throw new Error(`annotation ${row.id} was not imported`);
      expect(c).toMatchObject({ note: row.text, tags: row.tags, createdAt: row.created, updatedAt: row.updated });
      if (c.anchor?.state === 'orphan') {
        orphans.push(row.text);
        expect(c.target.quote.exact).toBe(quote.exact); // kept as it was, shown as an orphan
        continue;
      }
      anchored.push(row.text);
      const { start, end } = c.target.position;
      // On the words quoted, and in their place: the text around them is the context Hypothesis saw.
      expect(detail.text.slice(start, end)).toBe(quote.exact);
      expect(collapse(detail.text.slice(0, start)).endsWith(collapse(quote.prefix).trimStart().slice(-16))).toBe(true);
      expect(collapse(detail.text.slice(end)).startsWith(collapse(quote.suffix).slice(0, 16))).toBe(true);
    }
    expect(anchored.sort()).toEqual(['Body', 'Introduction', 'Quote']);
    // The footer's date and the page's title heading are not in the article Readability extracted: orphans, not put on other words.
    expect(orphans.sort()).toEqual(['Footer', 'Heading']);
    expect(detail.text).not.toContain('11 November 2016');
    expect(outcome).toMatchObject({
      status: 'updated',
      id,
      detail: expect.stringMatching(/3 Hypothesis annotations anchored; 2 orphans kept with their quote \(the words are not in the stored article: “11 November 2016”, “Regression testing”\)/),
    });
    // Again: nothing twice, nothing written.
    expect(await library.importPaths([join(BASELINES, 'wikipedia-regression-testing.json')])).toMatchObject([{ status: 'duplicate', detail: 'all 5 Hypothesis annotations already there' }]);
    await library.close();
  });

  it('imports the page and its annotations dropped together (annotations after the page)', async () => {
    const root = await tempDir();
    const library = await Library.open(join(root, 'lib'));
    const outcomes = await library.importPaths([join(BASELINES, 'wikipedia-regression-testing.json'), join(BASELINES, 'wikipedia-regression-testing.html')]);
    expect(outcomes.map((o) => o.status)).toEqual(['updated', 'imported']);
    expect(library.clippingCount).toBe(5);
    await library.close();
  });

  it('reads annotation files handed over whole (a drop), as from disk', async () => {
    const root = await tempDir();
    const library = await Library.open(join(root, 'lib'));
    const html = await readFile(join(BASELINES, 'wikipedia-regression-testing.html'));
    const json = await readFile(join(BASELINES, 'wikipedia-regression-testing.json'));
    const outcomes = await library.importContent([
      { name: 'wikipedia-regression-testing.html', bytes: html },
      { name: 'annotations.json', bytes: json },
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['imported', 'updated']);
    expect(library.clippingCount).toBe(5);
    await library.close();
  });

  it('reports annotations whose page is not in the library, naming it, and imports nothing for them', async () => {
    const root = await tempDir();
    const library = await Library.open(join(root, 'lib'));
    const outcomes = await library.importPaths([join(BASELINES, 'wikipedia-regression-testing.json'), join(BASELINES, 'minimal.json')]);
    expect(outcomes).toEqual([
      {
        status: 'failed',
        path: join(BASELINES, 'wikipedia-regression-testing.json'),
        reason:
          '5 Hypothesis annotations on https://en.wikipedia.org/wiki/Regression_testing “Regression testing - Wikipedia” not imported: that page is not in the library (no article with its address or title). Import the page, then this file again.',
      },
      { status: 'failed', path: join(BASELINES, 'minimal.json'), reason: 'nothing imported: annotation test names no page (no uri, source or document title)' },
    ]);
    expect(library.articleCount).toBe(0);
    await library.close();
  });
});

type HypothesisRow = { id: string; text: string; tags: string[]; created: string; updated: string; target: { selector: { type: string; exact: string; prefix: string; suffix: string }[] }[] };

describe('bad annotation files', () => {
  const export1 = async (root: string) => {
    const { library } = await richLibrary(join(root, 'src'));
    const json = renderJsonLd(await collectExport(library, {}));
    await library.close();
    return json;
  };
  const cases: [string, string, (root: string) => Promise<string | Uint8Array>, RegExp][] = [
    ['not JSON', 'broken.jsonld', async () => '{"@context": "http://www.w3.org/ns/anno.jsonld", "type": ', /not valid JSON/],
    ['JSON of another shape', 'other.json', async () => '{"hello": "world"}', /neither a Cuttings export .* nor Hypothesis annotations/],
    ['an export whose text was changed', 'tampered.jsonld', async (root) => (await export1(root)).replace('Xinhua news agency reported', 'Xinhua agency reported'), /does not match its checksum/],
    ['an export with annotations missing', 'cut.jsonld', async (root) => (await export1(root)).replace(/"total":\d+/, '"total":99'), /says it holds 99 annotations but has 6/],
    ['an export from a newer Cuttings', 'newer.jsonld', async (root) => (await export1(root)).replace('"version":1', '"version":7'), /newer version of Cuttings \(format version 7/],
    ['an export with a clipping on words its text does not have', 'moved.jsonld', async (root) => (await export1(root)).replace(/"start":(\d+)/, (_m, n: string) => `"start":${Number(n) + 1}`), /quotes words that are not at|not a valid clipping/],
    ['Hypothesis rows of the wrong shape', 'rows.json', async () => '{"total": 1, "rows": [{"target": "https://example.org"}]}', /annotation 1 is not a Hypothesis annotation/],
    ['a CSV without Readwise’s columns', 'people.csv', async () => 'name,age\nAnn,3\n', /without Readwise's columns/],
    ['a CSV with a broken quote', 'broken.csv', async () => 'Highlight,Title\n"never closed,Book\n', /row \d+ of the CSV is broken/],
    ['a CSV with no highlights', 'empty-rows.csv', async () => 'Highlight,Title\n,Book\n', /no highlights \(row 2 has no highlight\)/],
    ['an annotation file in an unknown encoding', 'latin1.csv', async () => new Uint8Array([...new TextEncoder().encode('Highlight,Title\n'), 0x93, 0x71, 0x94, 0x2c, 0x42, 0x0a]), /not a text file/],
    ['an empty file', 'empty.json', async () => '', /empty/],
  ];

  it.each(cases)('refuses %s, naming the file, and leaves the library as it was', async (_what, name, make, reason) => {
    const root = await tempDir();
    const file = join(root, name);
    await writeFile(file, await make(root));
    const library = await Library.open(join(root, 'lib'));
    await library.importPaths([join(BASELINES, 'wikipedia-regression-testing.html')]);
    await library.flush();
    const before = await snapshot(join(root, 'lib'), { records: true });
    const outcomes = await library.importPaths([file]);
    expect(outcomes).toEqual([{ status: 'failed', path: file, reason: expect.stringMatching(reason) }]);
    await library.flush();
    expect(await snapshot(join(root, 'lib'), { records: true })).toEqual(before);
    await library.close();
  });

  it('refuses an annotation file larger than the limit before reading it', async () => {
    const root = await tempDir();
    const file = join(root, 'huge.jsonld');
    await (await open(file, 'w')).close();
    await truncate(file, MAX_ANNOTATION_FILE_BYTES + 1); // sparse: nothing is written to disk
    const library = await Library.open(join(root, 'lib'));
    expect(await library.importPaths([file])).toEqual([{ status: 'failed', path: file, reason: expect.stringMatching(/too large \(256\.0 MB; the limit is 256 MB\)/) }]);
    expect(library.articleCount).toBe(0);
    await library.close();
  });

  it('still reads a text file that only starts like JSON as an article', async () => {
    const root = await tempDir();
    const file = join(root, 'note.txt');
    await writeFile(file, '{ this is a note about "rows": [ not JSON at all, but a paragraph of plain text } with enough words to be an article.\n');
    const library = await Library.open(join(root, 'lib'));
    expect(await library.importPaths([file])).toMatchObject([{ status: 'imported' }]);
    await library.close();
  });
});

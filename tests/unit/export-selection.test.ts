import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { main } from '../../electron/cli';
import { Library } from '../../electron/library';
import { collectExport, type ExportSet } from '../../electron/library/export/collect';
import { exportLibrary, sha256 } from './helpers/export-fixtures';
import { tempDir } from './helpers/temp';

/** Which clippings of which articles a set holds, in order. */
const picked = (set: ExportSet) => set.articles.map((a) => [a.article.id, a.clippings.map((c) => c.clipping.id)]);

describe('what an export takes', () => {
  it('takes every article that has clippings when nothing is named, with all their clippings', async () => {
    const { library, sample, hostile, aleppo, clips } = await exportLibrary();
    await library.importContent([{ name: 'unclipped.md', bytes: Buffer.from('# Nothing clipped here\n\nJust text.\n') }]);
    const set = await collectExport(library, {});
    expect(new Set(set.articles.map((a) => a.article.id))).toEqual(new Set([sample, hostile, aleppo]));
    expect(set.clippingCount).toBe(6);
    // Clippings in text order within each article.
    expect(set.articles.find((a) => a.article.id === sample)?.clippings.map((c) => c.clipping.id)).toEqual([clips.risk.id, clips.dialogue.id]);
  });

  it('takes named articles whole, even one without clippings', async () => {
    const { library, aleppo, clips } = await exportLibrary();
    const [outcome] = await library.importContent([{ name: 'unclipped.md', bytes: Buffer.from('# Nothing clipped here\n\nJust text.\n') }]);
    const unclipped = outcome?.status === 'imported' ? outcome.id : '';
    const set = await collectExport(library, { articleIds: [unclipped, aleppo] });
    expect(picked(set)).toEqual([
      [unclipped, []],
      [aleppo, [clips.water.id]],
    ]);
    await expect(collectExport(library, { articleIds: ['nope'] })).rejects.toMatchObject({ code: 'not-found', message: 'No article with id nope' });
  });

  it('takes a tag with the tags below it: tagged articles whole, tagged clippings of other articles alone', async () => {
    const { library, sample, hostile, aleppo, clips } = await exportLibrary();
    const syria = await collectExport(library, { tag: 'place/Syria' });
    expect(picked(syria)).toEqual(
      expect.arrayContaining([
        [sample, [clips.risk.id, clips.dialogue.id]],
        [aleppo, [clips.water.id]],
      ]),
    );
    expect(syria.articles).toHaveLength(2);
    // A clipping's own tag, in an article that is not tagged.
    expect(picked(await collectExport(library, { tag: 'dossier' }))).toEqual([[hostile, [clips.hostile[2]!.id]]]);
    expect(picked(await collectExport(library, { tag: 'water' }))).toEqual([[aleppo, [clips.water.id]]]);
    // "place/Syria" is not below "Syria": a tag is a path from its root.
    expect(picked(await collectExport(library, { tag: 'Syria' }))).toEqual([]);
  });

  it('takes named clippings alone, under their articles, articles in the order first named; a clipping that is gone is reported', async () => {
    const { library, sample, aleppo, clips } = await exportLibrary();
    const set = await collectExport(library, { clippingIds: [clips.water.id, clips.dialogue.id, 'gone'] });
    expect(picked(set)).toEqual([
      [aleppo, [clips.water.id]],
      [sample, [clips.dialogue.id]],
    ]);
    expect(set.missingClippingIds).toEqual(['gone']);
  });

  it('takes what a search finds: articles found by their text whole, clippings found by their quote or note alone', async () => {
    const { library, sample, aleppo, clips } = await exportLibrary({ search: true });
    await library.searchIdle();
    expect(picked(await collectExport(library, { query: 'stakes' }))).toEqual([[sample, [clips.risk.id]]]);
    expect(picked(await collectExport(library, { query: 'pumping station' }))).toEqual([[aleppo, [clips.water.id]]]);
  });

  it('takes the union of everything named', async () => {
    const { library, sample, hostile, clips } = await exportLibrary();
    const set = await collectExport(library, { articleIds: [sample], tag: 'dossier', clippingIds: [clips.dialogue.id] });
    expect(picked(set)).toEqual([
      [sample, [clips.risk.id, clips.dialogue.id]],
      [hostile, [clips.hostile[2]!.id]],
    ]);
  });

  it("gives each quote its provenance: the article's metadata, the SHA-256 of its stored text and the quote's paragraph", async () => {
    const { library } = await exportLibrary();
    const set = await collectExport(library, {});
    for (const a of set.articles) {
      const { text } = await library.getArticle(a.article.id);
      for (const { clipping, provenance } of a.clippings) {
        expect(provenance).toEqual({
          source: a.article.source,
          byline: a.article.byline,
          dateline: a.article.dateline,
          published: a.article.published,
          url: a.article.url,
          retrieved: a.article.importedAt,
          textSha256: sha256(text),
          paragraph: text.slice(0, clipping.target.position.start).split('\n\n').length,
        });
      }
    }
  });
});

describe('collecting a large export', () => {
  /** A library of `n` small articles, each with one clipping (enough for the bulk read). */
  async function many(n: number) {
    const dir = join(await tempDir(), 'library');
    const library = await Library.open(dir);
    const outcomes = await library.importContent(
      Array.from({ length: n }, (_, i) => ({ name: `a${i}.md`, bytes: Buffer.from(`---\ntitle: 'Story ${i}'\nsource: 'Wire ${i % 3}'\n---\n\nLead ${i}.\n\nThe quoted line ${i}.\n`) })),
    );
    const ids = outcomes.map((o) => (o.status === 'imported' ? o.id : ''));
    for (const [i, id] of ids.entries()) {
      const start = (await library.getArticle(id)).text.indexOf(`The quoted line ${i}.`);
      await library.createClipping({ articleId: id, start, end: start + `The quoted line ${i}.`.length, label: 'quote', note: `note ${i}` });
    }
    return { dir, library, ids };
  }

  it('reads many articles in bulk, giving what the library would give, changes just made included', async () => {
    const { library, ids } = await many(80);
    // Made last: still in the journal, not yet in its file, when the export starts.
    const last = ids.at(-1) as string;
    await library.updateClipping((await library.getArticle(last)).clippings[0]!.id, { note: 'changed just now', tags: ['late'] });
    const set = await collectExport(library, {});
    expect(set.articles).toHaveLength(80);
    for (const a of set.articles) {
      const detail = await library.getArticle(a.article.id);
      expect(a.article).toEqual(detail.article);
      expect(a.blocks).toEqual(detail.blocks);
      expect(a.text).toBe(detail.text);
      expect(a.clippings.map((c) => c.clipping)).toEqual(detail.clippings);
      expect(a.clippings[0]?.provenance.paragraph).toBe(2);
    }
    expect(set.articles.find((a) => a.article.id === last)?.clippings[0]?.clipping).toMatchObject({ note: 'changed just now', tags: ['late'] });
    // Without bodies: the same clippings and provenance, no text kept.
    const lean = await collectExport(library, {}, null, { bodies: false });
    expect(lean.articles.map((a) => a.clippings)).toEqual(set.articles.map((a) => a.clippings));
    expect(lean.articles.every((a) => a.blocks.length === 0 && a.text === '')).toBe(true);
    await library.close();
  });

  it('reads a damaged article through the library, which refuses it by name', async () => {
    const { dir, library, ids } = await many(70);
    await library.flush();
    const damaged = ids[5] as string;
    const body = join(dir, 'articles', damaged, 'body.json');
    await writeFile(body, (await readFile(body, 'utf8')).replace('Lead 5.', 'Lead 5, altered.'));
    await expect(collectExport(library, {})).rejects.toMatchObject({ code: 'corrupt', message: expect.stringContaining(`article ${damaged}`) });
    await library.close();
  });
});

/** Runs the CLI in-process and captures what it prints. */
async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A fixture library, closed (the CLI opens it itself), and a folder for exports. */
async function closedLibrary() {
  const fixture = await exportLibrary();
  await fixture.library.close();
  return { ...fixture, work: await tempDir() };
}

describe('cuttings export', () => {
  it('writes a Markdown clip book of every clipped article, and refuses to replace it without --force', async () => {
    const { dir, work } = await closedLibrary();
    const out = join(work, 'clips.md');
    const first = await cli('export', '--format', 'md', '--out', out, '--library', dir, '--title', 'My clips');
    expect(first).toMatchObject({ code: 0, out: `exported 3 articles to ${out}` });
    const md = await readFile(out, 'utf8');
    expect(load(/^---\n([\s\S]*?)\n---\n/.exec(md)?.[1] ?? '')).toMatchObject({ title: 'My clips', articles: 3, clippings: 6 });

    await writeFile(out, 'mine');
    const again = await cli('export', '--format', 'md', '--out', out, '--library', dir);
    expect(again.code).toBe(1);
    expect(again.err).toBe(`cuttings: ${out} already exists; nothing was written (add --force to replace)`);
    expect(await readFile(out, 'utf8')).toBe('mine');
    expect((await cli('export', '--format', 'md', '--out', out, '--library', dir, '--force')).code).toBe(0);
    expect(await readFile(out, 'utf8')).toContain('# Clippings');
    // No temp file left beside it.
    expect(await readdir(work)).toEqual(['clips.md']);
  });

  it('writes one Markdown file per article into a folder', async () => {
    const { dir, work, hostile } = await closedLibrary();
    const out = join(work, 'notes');
    const r = await cli('export', '--format', 'md', '--layout', 'per-article', '--out', out, '--library', dir);
    expect(r).toMatchObject({ code: 0, out: `exported 3 articles (6 clippings) to ${out}: 3 files` });
    const names = await readdir(out);
    expect(names).toHaveLength(3);
    const fronts = await Promise.all(names.map(async (n) => load(/^---\n([\s\S]*?)\n---\n/.exec(await readFile(join(out, n), 'utf8'))?.[1] ?? '') as { cuttings_id: string }));
    expect(fronts.map((f) => f.cuttings_id)).toContain(hostile);
    // A second run would replace them: refused, naming them.
    const again = await cli('export', '--format', 'md', '--layout', 'per-article', '--out', out, '--library', dir);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already exist; nothing was written \(add --force to replace\)$/);
  });

  it.each([
    ['html', ['--group', 'tag'], (data: string) => expect(data).toMatch(/<nav class="toc"[\s\S]*href="#section-1">dossier\/\{\{ x \}\}</)],
    ['txt', ['--group', 'date'], (data: string) => expect(data).toMatch(/^CLIPPINGS\n6 clippings from 3 articles/)],
    ['jsonld', [], (data: string) => expect(JSON.parse(data)).toMatchObject({ type: 'AnnotationCollection', total: 6 })],
    ['csv', [], (data: string) => expect(data.split('\r\n')[0]).toBe('Highlight,Title,Author,URL,Note,Location,Date')],
  ])('writes %s', async (format, extra, check) => {
    const { dir, work } = await closedLibrary();
    const out = join(work, `export.${format}`);
    const r = await cli('export', '--format', format, '--out', out, '--library', dir, ...extra);
    expect(r).toMatchObject({ code: 0, out: `exported 3 articles to ${out}` });
    check(await readFile(out, 'utf8'));
  });

  it('selects by article id, --tag, --clipping and --query; into a folder named by --out, under the title', async () => {
    const { dir, work, sample, clips } = await closedLibrary();
    const md = async (...args: string[]) => {
      const r = await cli('export', ...args, '--format', 'md', '--out', work, '--library', dir, '--force');
      expect(r.code, r.err).toBe(0);
      return readFile(join(work, 'Clippings.md'), 'utf8');
    };
    expect(await md(sample)).toMatch(/^clippings: 2$/m);
    expect(await md('--tag', 'place/Syria')).toMatch(/^clippings: 3$/m);
    expect(await md('--clipping', clips.water.id, '--clipping', clips.dialogue.id)).toMatch(/^clippings: 2$/m);
    const found = await md('--query', 'stakes');
    expect(found).toMatch(/^clippings: 1$/m);
    expect(found).toContain('Guterres on the *stakes*');
    expect(await stat(join(work, 'Clippings.md'))).toBeTruthy();
  });

  it.each([
    [['--format', 'docx'], 2, /export needs --format md\|html\|pdf\|jsonld\|csv\|txt, not "docx"/],
    [['--format', 'md'], 2, /export needs --out PATH/],
    [['--format', 'html', '--layout', 'per-article', '--out', 'x'], 2, /--layout per-article is for --format md/],
    [['--format', 'md', '--group', 'colour', '--out', 'x'], 2, /--group is one of article, tag, source, date, not "colour"/],
    [['--format', 'md', '--tag', 'a', '--tag', 'b', '--out', 'x'], 2, /export takes one --tag/],
    [['nope', '--format', 'md', '--out', 'x'], 1, /^cuttings: No article with id nope$/],
    [['--clipping', 'gone', '--format', 'md', '--out', 'x'], 1, /warning: clipping gone no longer exists; it was left out\ncuttings: Nothing to export/],
  ])('refuses %j with a clear error (exit %i)', async (args, code, message) => {
    const { dir, work } = await closedLibrary();
    const r = await cli('export', ...args.map((a) => (a === 'x' ? join(work, 'x.md') : a)), '--library', dir);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
    expect(await readdir(work)).toEqual([]);
  });

  it('stops at a broken user template, naming its file and line, and writes nothing', async () => {
    const { dir, work } = await closedLibrary();
    await mkdir(join(dir, 'templates'));
    await writeFile(join(dir, 'templates', 'clipbook.html.liquid'), '<h1>{{ title }}</h1>\n{% if %}\n');
    const r = await cli('export', '--format', 'html', '--out', join(work, 'x.html'), '--library', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`cuttings: The export template ${join(dir, 'templates', 'clipbook.html.liquid')}, line 2, column 6: `);
    expect(await readdir(work)).toEqual([]);
  });
});

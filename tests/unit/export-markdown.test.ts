import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { load } from 'js-yaml';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import type { Composition } from '../../electron/library';
import { collectExport } from '../../electron/library/export/collect';
import { quoteParagraphs } from '../../electron/library/export/escape';
import { loadTemplates, renderExport, runExport, type ExportOptions, type ExportSet } from '../../electron/library/export';
import { FIXED_NOW, HOSTILE_PARAGRAPHS, HOSTILE_TITLE, SAMPLE_QUOTES, exportLibrary, sha256, syntheticSet } from './helpers/export-fixtures';

const GENERATED = FIXED_NOW().toISOString();

/** The front matter (parsed as YAML) and the body of a Markdown file. */
function split(md: string): { front: Record<string, unknown>; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(md);
  if (!m) throw new Error(`no front matter in:\n${md.slice(0, 200)}`);
  return { front: load(m[1] as string) as Record<string, unknown>, body: md.slice(m[0].length) };
}

/** The Markdown as a reader shows it (CommonMark + GFM), as a DOM. */
function rendered(body: string): Document {
  return new JSDOM(marked.parse(body, { async: false, gfm: true })).window.document;
}

/** The quote block quotes (not the note callouts) with their text as a reader sees it, in document order. */
function renderedQuotes(doc: Document): string[] {
  return [...doc.querySelectorAll('body > blockquote')]
    .filter((b) => !b.textContent?.trim().startsWith('[!note]'))
    .map((b) => {
      const paragraphs = [...b.querySelectorAll(':scope > p')].map((p) => (p.textContent ?? '').replace(/\s+/g, ' ').trim());
      return paragraphs.filter((p) => !p.startsWith('— ') && !p.startsWith('This passage is no longer')).join('\n\n');
    });
}

const textOf = async (library: { getArticle(id: string): Promise<{ text: string }> }, id: string) => (await library.getArticle(id)).text;

describe('Markdown export', () => {
  it('writes a clip book whose front matter parses as YAML, with the title, counts and every tag', async () => {
    const { library } = await exportLibrary();
    const { files, articleCount, clippingCount } = await runExport(library, {}, { format: 'md', title: 'Weekly: "Syria" review' }, { now: FIXED_NOW });
    expect(files.map((f) => f.name)).toEqual(["Weekly 'Syria' review.md"]);
    expect({ articleCount, clippingCount }).toEqual({ articleCount: 3, clippingCount: 6 });
    const { front, body } = split(files[0]?.data as string);
    expect(front).toEqual({
      title: 'Weekly: "Syria" review',
      generated: GENERATED,
      grouping: 'article',
      articles: 3,
      clippings: 6,
      tags: ['dossier/-x', 'place/Syria', 'place/Syria/Aleppo', 'quote', 'UN', 'water'],
    });
    expect(body.startsWith('\n# Weekly: "Syria" review\n')).toBe(true);
  });

  it('writes one file per article, its front matter holding the article and the SHA-256 of its stored text', async () => {
    const { library, sample, hostile, aleppo } = await exportLibrary();
    const { files } = await runExport(library, {}, { format: 'md', layout: 'per-article' }, { now: FIXED_NOW });
    expect(files).toHaveLength(3);
    const byId = new Map(files.map((f) => [split(f.data as string).front.cuttings_id, f]));
    const sampleFront = split(byId.get(sample)?.data as string).front;
    expect(sampleFront).toEqual({
      title: 'UN Secretary-General Antonio Guterres called for immediate humanitarian access to all civilians in Syria',
      source: 'Xinhua',
      dateline: 'United Nations',
      published: '2024-12-06',
      retrieved: '2025-03-01T10:00:00.000Z',
      tags: ['place/Syria', 'UN'],
      cuttings_id: sample,
      text_sha256: sha256(await textOf(library, sample)),
      clippings: 2,
    });
    const hostileFront = split(byId.get(hostile)?.data as string).front;
    expect(hostileFront).toMatchObject({ title: HOSTILE_TITLE, source: 'Agence <b>Presse</b> & Co', byline: 'Jane "JD" Doe', url: 'https://news.example/a?x=1&y=2', tags: [] });
    expect(hostileFront.text_sha256).toBe(sha256(await textOf(library, hostile)));
    expect(split(byId.get(aleppo)?.data as string).front.tags).toEqual(['place/Syria/Aleppo']);
  });

  it('gives per-article files names that are valid on every system and unique', async () => {
    const { library, hostile } = await exportLibrary();
    // A second article with the same title as the hostile one, differing in case only.
    await library.importContent([{ name: 'twin.md', bytes: Buffer.from(`---\ntitle: '${HOSTILE_TITLE.toUpperCase().replace(/'/g, "''")}'\n---\n\nAnother text entirely.\n`) }]);
    // Named, so that the twin (which has no clippings) is exported too.
    const ids = (await library.listArticles()).map((a) => a.id);
    const { files } = await runExport(library, { articleIds: ids }, { format: 'md', layout: 'per-article' }, { now: FIXED_NOW });
    expect(files).toHaveLength(4);
    const names = files.map((f) => f.name);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/\.md$/);
      // eslint-disable-next-line no-control-regex -- control characters are what a file name must not hold
      expect(name).not.toMatch(/[/\\:*?"<>|\u0000-\u001f]/);
      expect(name).not.toMatch(/^[.\s]|[.\s]\.md$/);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(140);
    }
    const hostileFile = files.find((f) => split(f.data as string).front.cuttings_id === hostile);
    expect(hostileFile?.name).toBe("He said 'no' # {{ title }} h1 blockquote script alert('t') script {% raw %}.md");
    expect(names).toContain("HE SAID 'NO' # {{ TITLE }} H1 BLOCKQUOTE SCRIPT ALERT('T') SCRIPT {% RAW %} (2).md");
  });

  it.each([
    ['a colon', 'Breaking: talks resume'],
    ['double and single quotes', 'He said "no" and \'never\''],
    ['a line break', 'First line\nsecond line'],
    ['a front matter delimiter', '---'],
    ['a comment and flow syntax', '# not a comment [a, b] {c: d} & *alias ! tag | > %'],
    ['YAML words', 'null'],
    ['control characters and separators', 'tab\there\u0007bell\u0085nel\u2028ls\ufeffbom'],
    ['backslashes', 'C:\\path\\to "file"'],
  ])('keeps a title with %s one valid YAML string', async (_name, title) => {
    const set = syntheticSet({ title });
    for (const compiled of [true, false]) {
      const { files } = await renderExport(set, { format: 'md', layout: 'per-article' }, { templates: await loadTemplates(null), generated: GENERATED, compiled });
      const { front, body } = split(files[0]?.data as string);
      expect(front.title).toBe(title);
      // The body's heading is one line, whatever the title holds.
      expect(body.split('\n')[1]).toMatch(/^# /);
    }
  });

  it('keeps hostile quotes, notes and titles from becoming Markdown structure, HTML or template code', async () => {
    const { library, hostile, clips } = await exportLibrary();
    for (const layout of ['clipbook', 'per-article'] as const) {
      const { files } = await runExport(library, { articleIds: [hostile] }, { format: 'md', layout }, { now: FIXED_NOW });
      const md = files[0]?.data as string;
      const { body } = split(md);
      // The front matter is the only thing between `---` lines: a note's `---` stays inside its callout.
      expect(md.split('\n').filter((l) => l === '---')).toHaveLength(2);
      // Nothing evaluated: Liquid in the data is printed, not run.
      expect(body).not.toContain('42');
      expect(body).not.toMatch(/pwned\s+is not/);
      expect(body).toContain('{{ x }}');
      const doc = rendered(body);
      // Each quote reads exactly as the article printed it.
      expect(renderedQuotes(doc)).toEqual(HOSTILE_PARAGRAPHS.map((p) => quoteParagraphs(p).join('\n\n')));
      // No element came from the data: no script, image, raw HTML, and the only link is the article's address.
      expect(doc.querySelectorAll('script, img, iframe, style, b, h4, h5, h6')).toHaveLength(0);
      // Links: the article's address, and web addresses printed in the text (shown as they are), nothing else.
      for (const a of doc.querySelectorAll('a')) {
        const href = a.getAttribute('href') ?? '';
        expect(href).toMatch(/^https?:\/\//);
        if (href !== 'https://news.example/a?x=1&y=2') expect(a.textContent).toBe(href);
      }
      // Headings are the title and the article's, never a line of a quote or a note.
      for (const h of doc.querySelectorAll('body > h1, body > h2, body > h3')) expect(h.textContent).toBe(layout === 'clipbook' && h.tagName === 'H1' ? 'Clippings' : HOSTILE_TITLE);
      // A heading in a note stays in the note's callout.
      for (const h of doc.querySelectorAll('h1, h2, h3, h4, h5, h6')) if (h.parentElement?.tagName !== 'BODY') expect(h.parentElement?.textContent).toContain('[!note]');
      // The note is kept (its words, as text) inside its callout.
      const callout = [...doc.querySelectorAll('blockquote')].find((b) => b.textContent?.includes('[!note]'));
      expect(callout?.textContent).toContain('<script>alert("note")</script>');
      expect(callout?.textContent).toContain('{{ note }} {% if true %}yes{% endif %}');
      expect(clips.hostile[0]?.note).toContain('---');
    }
  });

  it('puts every quote in a block quote with its note, tags, label and provenance', async () => {
    const { library, sample } = await exportLibrary();
    const { files } = await runExport(library, { articleIds: [sample] }, { format: 'md' }, { now: FIXED_NOW });
    const md = files[0]?.data as string;
    const doc = rendered(split(md).body);
    // In text order, whatever order they were clipped in.
    expect(renderedQuotes(doc)).toEqual([...SAMPLE_QUOTES]);
    const hash = sha256(await textOf(library, sample));
    expect(md).toContain('> — Xinhua, United Nations, 2024-12-06, paragraph 6');
    expect(md).toContain('> [!note]\n> Guterres on the *stakes*');
    expect(md).toContain('- Label: fact\n- Tags: `quote`, `place/Syria`');
    expect(md).toContain(`- Provenance: Xinhua; United Nations; published 2024-12-06; retrieved 2025-03-01T10:00:00.000Z; SHA-256 \`${hash}\`; paragraph 6`);
    expect(md).toContain(`- Provenance: Xinhua; United Nations; published 2024-12-06; retrieved 2025-03-01T10:00:00.000Z; SHA-256 \`${hash}\`; paragraph 9`);
  });

  it('names the speaker of each quote when asked', async () => {
    const { library, sample } = await exportLibrary();
    const { files } = await runExport(library, { articleIds: [sample] }, { format: 'md', speakers: true }, { now: FIXED_NOW });
    expect(files[0]?.data).toContain('> — Antonio Guterres, Xinhua, United Nations, 2024-12-06, paragraph 9');
  });

  it('renders a saved press review in its own order, with its headings and introduction', async () => {
    const { library, clips } = await exportLibrary();
    const composition: Composition = {
      id: 'review1',
      title: 'Syria review',
      introduction: 'This week in *Syria*.\n\n<script>alert(1)</script>',
      items: [
        { kind: 'clipping', clippingId: clips.water.id },
        { kind: 'heading', text: 'The UN' },
        { kind: 'clipping', clippingId: clips.dialogue.id },
        { kind: 'clipping', clippingId: clips.risk.id },
        { kind: 'heading', text: 'Elsewhere' },
        { kind: 'clipping', clippingId: 'gone123' },
        { kind: 'clipping', clippingId: clips.hostile[1]!.id },
      ],
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
    };
    const result = await runExport(library, { compositionId: 'review1' }, { format: 'md' }, { now: FIXED_NOW, composition });
    expect(result.missingClippingIds).toEqual(['gone123']);
    expect(result.files[0]?.name).toBe('Syria review.md');
    const { front, body } = split(result.files[0]?.data as string);
    expect(front).toMatchObject({ title: 'Syria review', grouping: 'composition', clippings: 4 });
    const doc = rendered(body);
    expect([...doc.querySelectorAll('h1, h2')].map((h) => `${h.tagName} ${h.textContent}`)).toEqual(['H1 Syria review', 'H2 The UN', 'H2 Elsewhere']);
    expect(doc.querySelector('body > p')?.innerHTML).toBe('This week in <em>Syria</em>.');
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    expect(renderedQuotes(doc)).toEqual(['Residents said the water was clean again.', SAMPLE_QUOTES[1], SAMPLE_QUOTES[0], quoteParagraphs(HOSTILE_PARAGRAPHS[1]!).join('')]);
    await expect(runExport(library, { compositionId: 'other' }, { format: 'md' }, { composition })).rejects.toMatchObject({ code: 'not-found' });
  });

  describe('the default templates compiled', () => {
    async function both(set: ExportSet, options: ExportOptions, speakers?: Map<string, string | null>) {
      const templates = await loadTemplates(null);
      const context = { templates, generated: GENERATED, ...(speakers ? { speakers } : {}) };
      const compiled = await renderExport(set, options, { ...context, compiled: true });
      const liquid = await renderExport(set, options, { ...context, compiled: false });
      return { compiled: compiled.files, liquid: liquid.files };
    }

    it.each([
      { format: 'md', grouping: 'article' },
      { format: 'md', grouping: 'tag' },
      { format: 'md', grouping: 'source' },
      { format: 'md', grouping: 'date' },
      { format: 'md', layout: 'per-article' },
    ] as ExportOptions[])('give the same bytes as Liquid for %o', async (options) => {
      const { library, clips } = await exportLibrary();
      const set = await collectExport(library, {});
      const speakers = new Map([[clips.risk.id, 'Antonio Guterres']]);
      const { compiled, liquid } = await both(set, { ...options, title: 'Review: "all"' }, speakers);
      expect(compiled).toEqual(liquid);
    });

    it('give the same bytes as Liquid for a press review, an orphan, and blank or odd fields', async () => {
      const { library, clips, sample } = await exportLibrary();
      // Revising the text so that a quote is gone leaves it an orphan.
      const text = await textOf(library, sample);
      await library.reviseArticle(sample, text.replace(SAMPLE_QUOTES[1], 'It is time for talks'));
      const composition: Composition = {
        id: 'c',
        title: 'T',
        introduction: '  ',
        items: [
          { kind: 'clipping', clippingId: clips.dialogue.id },
          { kind: 'heading', text: '# Not *a* heading' },
          { kind: 'clipping', clippingId: clips.hostile[0]!.id },
        ],
        createdAt: '2025-01-01T00:00:00.000Z',
        updatedAt: '2025-01-01T00:00:00.000Z',
      };
      const set = await collectExport(library, { compositionId: 'c' }, composition);
      expect(set.articles[0]?.clippings[0]?.clipping.anchor?.state).toBe('orphan');
      const { compiled, liquid } = await both(set, { format: 'md' });
      expect(compiled).toEqual(liquid);
      expect(compiled[0]?.data).toContain("> *This passage is no longer found in the article's current text.*");
      for (const odd of [syntheticSet({ source: '   ', note: ' \n ', exact: '- 1. # x\n\n> y' }), syntheticSet({ source: null, title: '' }), syntheticSet({ tags: ['a b', '`tick`'] })]) {
        for (const layout of ['clipbook', 'per-article'] as const) {
          const r = await both(odd, { format: 'md', layout });
          expect(r.compiled).toEqual(r.liquid);
        }
      }
    });
  });

  describe('templates', () => {
    it("uses the user's template of the same name from the library's templates folder", async () => {
      const { library, dir } = await exportLibrary();
      await mkdir(join(dir, 'templates'));
      await writeFile(join(dir, 'templates', 'clipbook.md.liquid'), '{{ title | md_escape }}: {{ clipping_count }} quotes\n{% for s in sections %}* {{ s.title | md_escape }} ({{ s.count }})\n{% endfor %}{{ title.constructor }}{{ sections.__proto__ }}');
      const { files } = await runExport(library, {}, { format: 'md', title: 'Mine_1' }, { now: FIXED_NOW });
      expect(files[0]?.data).toBe(
        `Mine\\_1: 6 quotes\n* UN Secretary-General Antonio Guterres called for immediate humanitarian access to all civilians in Syria (2)\n* ${'He said: "no" \\# {{ title }} \\</h1\\>\\</blockquote\\>\\<script\\>alert("t")\\</script\\> {\\% raw \\%}'} (3)\n* Aleppo water supply restored (1)\n`,
      );
    });

    it.each([
      ['an unclosed tag', '---\ntitle: x\n---\n{% for s in sections %}\n{{ s.title }}\n', /, line 4, column 1: tag \{% for s in sections %\} not closed\. Nothing was exported/],
      ['an unknown filter (strict)', 'line one\n\n{{ title | shell: "rm -rf /" }}\n', /, line 3, column 1: undefined filter: shell\./],
      ['a file outside the templates', 'a\n{% include "/etc/passwd" %}\n', /, line 2, column 1: it includes "\/etc\/passwd", which is not one of the export templates/],
      ['a loop without end in sight', '{% for i in (1..1000000000) %}{{ i }}{% endfor %}', /, line 1, column 1: memory alloc limit exceeded/],
    ])('refuses a broken template (%s), naming the file and line, and exports nothing', async (_name, text, message) => {
      const { library, dir } = await exportLibrary();
      await mkdir(join(dir, 'templates'));
      const file = join(dir, 'templates', 'clipbook.md.liquid');
      await writeFile(file, text);
      const error = await runExport(library, {}, { format: 'md' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'invalid-input' });
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).toMatch(message);
    });

    it('names an included template that is broken, not the one that includes it', async () => {
      const { library, dir } = await exportLibrary();
      await mkdir(join(dir, 'templates'));
      await writeFile(join(dir, 'templates', 'quote.md.liquid'), '{{ quote.exact | md_blockquote }}\n{% if quote.note %}');
      const error = (await runExport(library, {}, { format: 'md' }).catch((e: unknown) => e)) as Error;
      expect(error.message).toContain(join(dir, 'templates', 'quote.md.liquid'));
      expect(error.message).toMatch(/line 2, column 1/);
    });
  });
});

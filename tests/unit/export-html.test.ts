import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import type { Composition, Library } from '../../electron/library';
import { quoteParagraphs } from '../../electron/library/export/escape';
import { runExport, type ExportGrouping } from '../../electron/library/export';
import { FIXED_NOW, HOSTILE_PARAGRAPHS, HOSTILE_TITLE, SAMPLE_QUOTES, exportLibrary, sha256 } from './helpers/export-fixtures';

async function html(library: Library, options: { grouping?: ExportGrouping; title?: string } = {}, selection = {}, composition?: Composition): Promise<Document> {
  const { files } = await runExport(library, selection, { format: 'html', ...options }, { now: FIXED_NOW, ...(composition ? { composition } : {}) });
  expect(files).toHaveLength(1);
  expect(files[0]?.name).toMatch(/\.html$/);
  return new JSDOM(files[0]?.data as string).window.document;
}

const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** A quote's figure: its words as shown, and its citation's terms. */
function figures(doc: Document) {
  return [...doc.querySelectorAll('figure.clip')].map((f) => ({
    id: f.id,
    quote: [...f.querySelectorAll('blockquote > p')].map((p) => text(p)).join('\n\n'),
    who: text(f.querySelector('.who')),
    provenance: Object.fromEntries([...f.querySelectorAll('dt')].map((dt) => [text(dt), text(dt.nextElementSibling)])),
    note: f.querySelector('.note'),
    section: f.closest('section')?.id,
  }));
}

/** 1-based paragraph of `start` in a canonical text: paragraphs are separated by blank lines. */
const paragraphOf = (fullText: string, start: number) => fullText.slice(0, start).split('\n\n').length;

describe('HTML clip book', () => {
  it('is self-contained: inline style, no script, nothing loaded from anywhere', async () => {
    const { library } = await exportLibrary();
    const doc = await html(library);
    expect(doc.querySelectorAll('script, link, img, iframe, object, embed, video, audio, source, base, form, [style], [src], [srcset]')).toHaveLength(0);
    for (const a of doc.querySelectorAll('a[href]')) expect(a.getAttribute('href')).toMatch(/^(#section-\d+$|https:\/\/)/);
    const css = [...doc.querySelectorAll('style')].map((s) => s.textContent).join('\n');
    expect(css).toContain('@media print');
    expect(css).toContain('break-inside: avoid');
    expect(css).not.toMatch(/@import|url\(/);
    expect(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toContain("default-src 'none'");
    const ids = [...doc.querySelectorAll('[id]')].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('escapes hostile titles, sources, quotes and notes: nothing leaves its element or runs as a template', async () => {
    const { library, hostile } = await exportLibrary();
    const { files } = await runExport(library, { articleIds: [hostile] }, { format: 'html', title: '</title><script>alert(0)</script>' }, { now: FIXED_NOW });
    expect(files[0]?.name).toBe('title script alert(0) script.html');
    const doc = new JSDOM(files[0]?.data as string).window.document;
    expect(doc.title).toBe('</title><script>alert(0)</script>');
    expect(text(doc.querySelector('h1'))).toBe('</title><script>alert(0)</script>');
    expect(doc.querySelectorAll('script, img, b, h4, h5, h6')).toHaveLength(0);
    expect(text(doc.querySelector('section > h2'))).toBe(HOSTILE_TITLE);
    expect(text(doc.querySelector('.article-meta'))).toBe('Agence <b>Presse</b> & Co · Jane "JD" Doe · 2024-11-02');
    const shown = figures(doc);
    expect(shown.map((f) => f.quote)).toEqual(HOSTILE_PARAGRAPHS.map((p) => quoteParagraphs(p).join('\n\n')));
    expect(doc.body.textContent).not.toContain('42');
    // The note is the user's Markdown, sanitised: its words stay, its script and image go.
    const note = shown[0]?.note;
    expect(note?.querySelector('h1')?.textContent).toBe('Heading in a note');
    expect(note?.textContent).toContain('{{ note }} {% if true %}yes{% endif %}');
    expect(note?.innerHTML).not.toMatch(/<script|<img|evil\.example/);
    expect(shown[2]?.provenance.URL).toBe('https://news.example/a?x=1&y=2');
    expect(doc.querySelector('figure .tags')?.textContent).toBe('claim');
    expect(doc.querySelectorAll('figure .tag')[0]?.textContent).toBe('dossier/{{ x }}');
  });

  it('puts the full provenance under every quote: source, byline, dateline, dates, URL, SHA-256 of the stored text and paragraph', async () => {
    const { library } = await exportLibrary();
    const doc = await html(library);
    const shown = figures(doc);
    const articles = await library.listArticles();
    let checked = 0;
    for (const summary of articles) {
      const detail = await library.getArticle(summary.id);
      for (const c of detail.clippings) {
        const f = shown.find((s) => s.id.endsWith(`-${c.id}`));
        expect(f, `the quote of clipping ${c.id}`).toBeDefined();
        expect(f?.quote).toBe(quoteParagraphs(c.target.quote.exact).join('\n\n'));
        expect(f?.provenance).toMatchObject({
          Source: summary.source ?? 'unknown',
          Published: summary.published ?? 'undated',
          Retrieved: '2025-03-01T10:00:00.000Z',
          'SHA-256': sha256(detail.text),
          Paragraph: String(paragraphOf(detail.text, c.target.position.start)),
        });
        if (summary.dateline) expect(f?.provenance.Dateline).toBe(summary.dateline);
        if (summary.byline) expect(f?.provenance.Byline).toBe(summary.byline);
        checked++;
      }
    }
    expect(checked).toBe(6);
    const risk = shown.find((f) => f.quote === SAMPLE_QUOTES[0]);
    expect(risk?.provenance.Paragraph).toBe('6');
    expect(risk?.who).toBe('— Xinhua, United Nations, 2024-12-06');
  });

  it.each([
    ['article', ['UN Secretary-General Antonio Guterres called for immediate humanitarian access to all civilians in Syria', HOSTILE_TITLE, 'Aleppo water supply restored'], [2, 3, 1]],
    ['tag', ['dossier/{{ x }}', 'place/Syria', 'place/Syria/Aleppo', 'quote', 'UN', 'water', 'No tag'], [1, 2, 1, 2, 2, 1, 2]],
    ['source', ['Agence <b>Presse</b> & Co', 'Reuters', 'Xinhua'], [3, 1, 2]],
    ['date', ['2024-12-06', '2024-11-02', '2024-10-15'], [2, 3, 1]],
  ] as const)('groups by %s, with a table of contents linking to each section', async (grouping, titles, counts) => {
    const { library } = await exportLibrary();
    const doc = await html(library, { grouping });
    const toc = [...doc.querySelectorAll('nav.toc a')];
    expect(toc.map((a) => a.textContent)).toEqual(titles);
    for (const [i, a] of toc.entries()) {
      const target = doc.getElementById((a.getAttribute('href') ?? '').replace(/^#/, ''));
      expect(target?.tagName).toBe('SECTION');
      expect(text(target?.querySelector('h2'))).toBe(titles[i]);
      expect(target?.querySelectorAll('figure.clip')).toHaveLength(counts[i] as number);
      expect(text(a.nextElementSibling)).toBe(`(${counts[i]})`);
    }
  });

  it('prints a saved press review in its order, under its headings, after its introduction', async () => {
    const { library, clips } = await exportLibrary();
    const composition: Composition = {
      id: 'week',
      title: 'Week 9',
      introduction: 'Three *stories* this week. [Our site](https://example.org) <script>alert(1)</script> ![x](https://evil.example/x.png) [bad](javascript:alert(1))',
      items: [
        { kind: 'clipping', clippingId: clips.water.id },
        { kind: 'heading', text: 'United Nations' },
        { kind: 'clipping', clippingId: clips.risk.id },
        { kind: 'clipping', clippingId: clips.dialogue.id },
        { kind: 'heading', text: 'Other <voices>' },
        { kind: 'clipping', clippingId: clips.hostile[2]!.id },
      ],
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
    };
    const doc = await html(library, {}, { compositionId: 'week' }, composition);
    const intro = doc.querySelector('.introduction');
    // Markdown rendered; the script and the image (a remote resource) gone; the javascript: link made inert.
    expect(intro?.innerHTML.trim()).toBe('<p>Three <em>stories</em> this week. <a href="https://example.org">Our site</a>   <a>bad</a></p>');
    expect([...doc.querySelectorAll('nav.toc a')].map((a) => a.textContent)).toEqual(['United Nations', 'Other <voices>']);
    const shown = figures(doc);
    expect(shown.map((f) => f.quote)).toEqual(['Residents said the water was clean again.', SAMPLE_QUOTES[0], SAMPLE_QUOTES[1], quoteParagraphs(HOSTILE_PARAGRAPHS[2]!).join('')]);
    const sections = [...doc.querySelectorAll('section.group')];
    expect(sections.map((s) => text(s.querySelector('h2')))).toEqual(['', 'United Nations', 'Other <voices>']);
    expect(shown.map((f) => sections.findIndex((s) => s.id === f.section))).toEqual([0, 1, 1, 2]);
    // Outside an article's own section, each quote says which article it is from.
    expect([...doc.querySelectorAll('h3.article-title')].map((h) => text(h))).toEqual(['Aleppo water supply restored', expect.stringMatching(/^UN Secretary-General/), HOSTILE_TITLE]);
  });
});

describe('Plain-text clip book', () => {
  it('holds every quote with its citation and provenance, as plain text', async () => {
    const { library, sample } = await exportLibrary();
    const { files } = await runExport(library, {}, { format: 'txt', grouping: 'source' }, { now: FIXED_NOW });
    expect(files[0]?.name).toBe('Clippings.txt');
    const txt = files[0]?.data as string;
    expect(txt.startsWith('CLIPPINGS\n6 clippings from 3 articles, compiled 2025-03-01T10:00:00.000Z\n\nCONTENTS\n  1. Agence <b>Presse</b> & Co (3)\n  2. Reuters (1)\n  3. Xinhua (2)\n')).toBe(true);
    expect(txt).toContain('\nXinhua\n======\n');
    expect(txt).toContain(`    “${SAMPLE_QUOTES[0]}”\n    — Xinhua, United Nations, 2024-12-06, paragraph 6\n    Note: Guterres on the *stakes*\n    Label: fact · Tags: quote, place/Syria\n`);
    const hash = sha256((await library.getArticle(sample)).text);
    expect(txt).toContain(`    Retrieved: 2025-03-01T10:00:00.000Z · SHA-256: ${hash} · Paragraph 9`);
    // Nothing in the data is run: it is printed as it is.
    expect(txt).toContain(HOSTILE_PARAGRAPHS[0]);
    expect(txt).toContain('    Note: </div><script>alert("note")</script>\n\n          ---\n          # Heading in a note');
  });
});

/**
 * Libraries for the export tests: the sample article with its quotes, a
 * hostile article (a title, source, quotes and notes full of HTML, Liquid
 * and Markdown syntax), and a third article from another source and day
 * whose tag is below the sample's.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Library, type Clipping } from '../../../electron/library';
import type { ExportSet } from '../../../electron/library/export/collect';
import { SEED_DIR, tempDir } from './temp';

const open: Library[] = [];
// Registered after temp.ts's hook, so it runs first: each library is closed before its folder is removed.
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close().catch(() => undefined)));
});

export const FIXED_NOW = () => new Date('2025-03-01T10:00:00.000Z');

export const HOSTILE_TITLE = 'He said: "no" # {{ title }} </h1></blockquote><script>alert("t")</script> {% raw %}';
/** Paragraphs of the hostile article; each is clipped whole. */
export const HOSTILE_PARAGRAPHS = [
  'Officials said </blockquote><script>alert(1)</script> and {{ 7 | times: 6 }} more.',
  '{% raw %} {% endraw %} {% assign x = "pwned" %}{{ x }} is not template code here.',
  '*stars* and _under_ [a link](javascript:alert(1)) ![img](http://evil.example/pixel.png) <img src=x onerror=alert(2)> #hashtag ==mark== $x$',
];
export const HOSTILE_NOTE = '</div><script>alert("note")</script>\n\n---\n# Heading in a note\n{{ note }} {% if true %}yes{% endif %}\n![track](http://evil.example/t.png)';

export const SAMPLE_QUOTES = ['Tens of thousands of civilians are at risk in a region already on fire', 'It is time for serious dialogue'] as const;

export type Fixture = Awaited<ReturnType<typeof exportLibrary>>;

const markdownFile = (front: Record<string, string>, body: string[]) =>
  `---\n${Object.entries(front)
    .map(([k, v]) => `${k}: '${v.replace(/'/g, "''")}'`)
    .join('\n')}\n---\n\n${body.join('\n\n')}\n`;

async function clipWhole(library: Library, articleId: string, quote: string, fields: { note?: string; tags?: string[]; label?: string } = {}): Promise<Clipping> {
  const { text } = await library.getArticle(articleId);
  const start = text.indexOf(quote);
  if (start < 0) throw new Error(`"${quote}" is not in article ${articleId}`);
  return library.createClipping({ articleId, start, end: start + quote.length, exact: quote, label: fields.label ?? 'quote', note: fields.note ?? '', tags: fields.tags ?? [] });
}

export async function exportLibrary(options: { search?: boolean } = {}) {
  const dir = join(await tempDir(), 'library');
  const library = await Library.open(dir, { seedDir: SEED_DIR, now: FIXED_NOW, ...(options.search ? { search: true } : {}) });
  open.push(library);
  const [sample] = await library.listArticles();
  if (!sample) throw new Error('the seeded library is empty');
  await library.setArticleTags(sample.id, ['place/Syria', 'UN']);
  // Out of text order on purpose: exports follow the article.
  const dialogue = await clipWhole(library, sample.id, SAMPLE_QUOTES[1], { note: 'key line', tags: ['quote'] });
  const risk = await clipWhole(library, sample.id, SAMPLE_QUOTES[0], { note: 'Guterres on the *stakes*', tags: ['quote', 'place/Syria'], label: 'fact' });

  const outcomes = await library.importContent([
    {
      name: 'hostile.md',
      bytes: Buffer.from(
        markdownFile({ title: HOSTILE_TITLE, source: 'Agence <b>Presse</b> & Co', author: 'Jane "JD" Doe', date: '2024-11-02', url: 'https://news.example/a?x=1&y=2' }, ['Placeholder text.']),
      ),
    },
    {
      name: 'aleppo.md',
      bytes: Buffer.from(markdownFile({ title: 'Aleppo water supply restored', source: 'Reuters', date: '2024-10-15' }, ['Engineers restored the main pumping station on Monday.', 'Residents said the water was clean again.'])),
    },
  ]);
  const ids = outcomes.map((o) => (o.status === 'imported' ? o.id : null));
  const [hostileId, aleppoId] = ids;
  if (!hostileId || !aleppoId) throw new Error(`fixture import failed: ${JSON.stringify(outcomes)}`);
  // The Markdown importer drops raw HTML and markup: the hostile text goes in verbatim as a revised text.
  await library.reviseArticle(hostileId, HOSTILE_PARAGRAPHS.join('\n\n'));
  const hostileClips: Clipping[] = [];
  for (const [i, p] of HOSTILE_PARAGRAPHS.entries()) hostileClips.push(await clipWhole(library, hostileId, p, { note: i === 0 ? HOSTILE_NOTE : '', tags: i === 2 ? ['dossier/{{ x }}'] : [], label: 'claim' }));
  await library.setArticleTags(aleppoId, ['place/Syria/Aleppo']);
  const water = await clipWhole(library, aleppoId, 'Residents said the water was clean again.', { tags: ['water'] });
  return { dir, library, sample: sample.id, hostile: hostileId, aleppo: aleppoId, clips: { dialogue, risk, hostile: hostileClips, water } };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A minimal ExportSet with one article and one clipping, for what a library cannot hold (a title with a line break). */
export function syntheticSet(overrides: { title?: string; source?: string | null; exact?: string; note?: string; tags?: string[] } = {}): ExportSet {
  const exact = overrides.exact ?? 'A quoted sentence.';
  const text = `Lead paragraph.\n\n${exact}`;
  const article = {
    id: 'a1',
    title: overrides.title ?? 'A title',
    source: overrides.source === undefined ? 'Wire' : overrides.source,
    byline: null,
    published: '2024-05-06',
    dateline: 'Paris',
    url: 'https://news.example/a1',
    language: 'en',
    dir: null,
    tags: overrides.tags ?? [],
    readingState: 'unread' as const,
    importedAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    textHash: sha256(text),
    dedupHash: '0'.repeat(64),
    wordCount: 5,
    origin: { kind: 'plain-text' as const, name: 'a1.txt' },
    clippingCount: 1,
  };
  const start = text.indexOf(exact);
  const clipping: Clipping = {
    id: 'c1',
    articleId: 'a1',
    target: { quote: { exact, prefix: '', suffix: '' }, position: { start, end: start + exact.length } },
    label: 'quote',
    note: overrides.note ?? '',
    tags: [],
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
  const a = {
    article,
    blocks: [
      { kind: 'paragraph' as const, text: 'Lead paragraph.' },
      { kind: 'paragraph' as const, text: exact },
    ],
    text,
    whole: true,
    clippings: [
      {
        clipping,
        label: { id: 'quote', name: 'quote', color: 'yellow' as const },
        provenance: { source: article.source, byline: null, dateline: 'Paris', published: '2024-05-06', url: article.url, retrieved: article.importedAt, textSha256: article.textHash, paragraph: 2 },
      },
    ],
  };
  return { articles: [a], labels: [{ id: 'quote', name: 'quote', color: 'yellow' }], composition: null, missingClippingIds: [], clippingCount: 1 };
}

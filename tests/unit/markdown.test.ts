import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library, exportMarkdown, renderMarkdown, type ArticleDetail } from '../../electron/library';
import { ROOT, SEED_DIR, tempDir } from './helpers/temp';

const GOLDEN = join(ROOT, 'tests', 'golden', 'markdown');

async function clipped() {
  const library = await Library.open(join(await tempDir(), 'lib'), { seedDir: SEED_DIR });
  const id = (await library.listArticles())[0]!.id;
  const { text } = await library.getArticle(id);
  const clip = async (quote: string, note: string, tags: string[]) => {
    const start = text.indexOf(quote);
    await library.createClipping({ articleId: id, start, end: start + quote.length, exact: quote, label: 'quote', note, tags });
  };
  // Out of text order on purpose: the export follows the article.
  await clip('It is time for serious dialogue', 'key line', ['quote']);
  await clip('Tens of thousands of civilians are at risk in a region already on fire', 'Guterres on the *stakes*\n\nsecond para', ['quote', 'place/Syria']);
  await library.setArticleTags(id, ['Syria', 'UN']);
  return { library, id };
}

describe('Markdown export', () => {
  it('matches the golden file for the sample article with two clippings', async () => {
    const { library, id } = await clipped();
    const md = await exportMarkdown(library, [id]);
    const file = join(GOLDEN, 'sample-two-clippings.md');
    if (process.env.UPDATE_GOLDEN && !existsSync(file)) await writeFile(file, md);
    expect(md).toBe(await readFile(file, 'utf8'));
  });

  it('holds title, source, date, each quote with its note and tags, in text order', async () => {
    const { library, id } = await clipped();
    const md = await exportMarkdown(library, [id]);
    expect(md).toMatch(/^# UN Secretary-General Antonio Guterres called for/);
    expect(md).toContain('**Source:** Xinhua');
    expect(md).toContain('**Published:** 2024-12-06');
    expect(md).toContain('> It is time for serious dialogue');
    expect(md).toContain('key line');
    expect(md).toContain('Tags: `quote`, `place/Syria`');
    expect(md.indexOf('Tens of thousands')).toBeLessThan(md.indexOf('It is time for serious dialogue'));
    expect(md).toContain('paragraph 6');
  });

  it('escapes Markdown and HTML in quoted text so the quote reads as printed', () => {
    const text = '<script>alert(1)</script> # not a heading *not bold*';
    const detail: ArticleDetail = {
      article: {
        id: 'a1', title: '# Title [link](x)', source: null, byline: null, published: null, dateline: null, url: null, language: null,
        dir: null, tags: [], readingState: 'unread', importedAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z',
        textHash: '0'.repeat(64), dedupHash: '0'.repeat(64), wordCount: 3, origin: { kind: 'plain-text', name: 'x.txt' }, clippingCount: 1,
      },
      blocks: [{ kind: 'paragraph', text }],
      text,
      clippings: [{
        id: 'c1', articleId: 'a1', label: 'quote', note: '', tags: [], createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z',
        target: { quote: { exact: text, prefix: '', suffix: '' }, position: { start: 0, end: text.length } },
      }],
    };
    const md = renderMarkdown([detail]);
    expect(md).not.toContain('<script>');
    expect(md).toContain('\\<script\\>');
    expect(md).toContain('\\*not bold\\*');
    expect(md.split('\n')[0]).toBe('# \\# Title \\[link\\](x)');
  });
});

/**
 * An ExportSet made directly (no library): for exports larger than a test
 * can afford to clip one by one (50,000 clippings), and for shapes such as
 * several annotation pages. Every clipping's quote and position are true of
 * its article's canonical text.
 */
import { DEFAULT_LABELS, type Block, type Clipping } from '../../../electron/library';
import type { ExportArticle, ExportSet } from '../../../electron/library/export/collect';
import { canonicalText, countWords, dedupKey, quoteSelector, sha256 } from '../../../electron/library/text';

const SENTENCES = [
  'The minister said the talks would resume on Monday, “without preconditions”.',
  'Tens of thousands of civilians are at risk in a region already on fire.',
  'Prices rose 3.2% in March, the fastest pace since 1991, the office said.',
  '«Nous ne céderons pas», a déclaré la porte-parole à Genève.',
  'قال المتحدث إن المفاوضات ستستأنف الأسبوع المقبل.',
];

export function syntheticSet(options: { articles: number; clippingsPerArticle: number }): ExportSet {
  const articles: ExportArticle[] = [];
  const stamp = '2024-12-06T10:00:00.000Z';
  for (let a = 0; a < options.articles; a++) {
    const blocks: Block[] = [];
    for (let p = 0; p < Math.max(1, options.clippingsPerArticle); p++) {
      blocks.push({ kind: 'paragraph', text: `${p + 1}. ${SENTENCES[(a + p) % SENTENCES.length]} (${a}-${p})` });
    }
    const text = canonicalText(blocks);
    const id = `art${String(a).padStart(6, '0')}`;
    let at = 0;
    const clippings = blocks.slice(0, options.clippingsPerArticle).map((b, p): ExportArticle['clippings'][number] => {
      const start = at + b.text.indexOf(' ') + 1;
      const end = start + 30;
      at += b.text.length + 2;
      const clipping: Clipping = {
        id: `c${String(a).padStart(6, '0')}x${String(p).padStart(5, '0')}`,
        articleId: id,
        target: { quote: quoteSelector(text, start, end), position: { start, end } },
        label: DEFAULT_LABELS[p % DEFAULT_LABELS.length]?.id ?? 'quote',
        note: p % 3 === 0 ? `Note ${p}: **why** it matters, with "quotes", a comma\nand a line break` : '',
        tags: p % 2 === 0 ? ['place/Syria', `batch/${a}`] : [],
        createdAt: stamp,
        updatedAt: stamp,
      };
      return {
        clipping,
        label: DEFAULT_LABELS.find((l) => l.id === clipping.label),
        provenance: { source: 'Wire', byline: null, dateline: 'Geneva', published: '2024-12-06', url: null, retrieved: stamp, textSha256: sha256(text), paragraph: p + 1 },
      };
    });
    articles.push({
      article: {
        id,
        title: `Article ${a}`,
        source: 'Wire',
        byline: null,
        published: '2024-12-06',
        dateline: 'Geneva',
        url: `https://news.example/${a}`,
        language: 'en',
        dir: null,
        tags: [],
        readingState: 'unread',
        importedAt: stamp,
        updatedAt: stamp,
        textHash: sha256(text),
        dedupHash: sha256(dedupKey(text)),
        wordCount: countWords(text),
        origin: { kind: 'news-text', name: `${id}.txt` },
        clippingCount: clippings.length,
      },
      blocks,
      text,
      clippings,
      whole: true,
    });
  }
  return { articles, labels: [...DEFAULT_LABELS], composition: null, missingClippingIds: [], clippingCount: articles.reduce((n, a) => n + a.clippings.length, 0) };
}

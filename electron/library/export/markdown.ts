import type { ArticleDetail } from '../model';
import { blockNumberAt } from '../text';

/**
 * The clippings of one or more articles as Markdown: per article its title,
 * source, dateline and date, then each quote (in text order) as a block
 * quote with its paragraph number, its note and its tags.
 */
export function renderMarkdown(articles: readonly ArticleDetail[]): string {
  return articles.map(renderArticle).join('\n---\n\n');
}

function renderArticle({ article, blocks, clippings }: ArticleDetail): string {
  const lines: string[] = [`# ${inline(article.title)}`, ''];
  const facts: [string, string | null][] = [
    ['Source', article.source],
    ['Byline', article.byline],
    ['Dateline', article.dateline],
    ['Published', article.published],
    ['URL', article.url],
    ['Tags', article.tags.length ? article.tags.map(tagText).join(', ') : null],
  ];
  for (const [label, value] of facts) if (value) lines.push(`- **${label}:** ${label === 'Tags' ? value : inline(value)}`);
  lines.push('');
  if (clippings.length === 0) {
    lines.push('_No clippings._', '');
    return lines.join('\n');
  }
  const ordered = [...clippings].sort((a, b) => a.target.position.start - b.target.position.start);
  for (const c of ordered) {
    for (const para of c.target.quote.exact.split(/\n{2,}/)) lines.push(`> ${inline(para.replace(/\n/g, ' '))}`, '>');
    lines.pop();
    lines.push(`>`, `> — ${citation(article.source, article.published, blockNumberAt(blocks, c.target.position.start))}`, '');
    if (c.note.trim()) lines.push(c.note.trim(), '');
    if (c.tags.length) lines.push(`Tags: ${c.tags.map(tagText).join(', ')}`, '');
  }
  return lines.join('\n');
}

function citation(source: string | null, published: string | null, paragraph: number): string {
  return [source, published, `paragraph ${paragraph}`].filter(Boolean).map((s) => inline(String(s))).join(', ');
}

/** Tags as code spans, so `/`, `#` or spaces in them survive any Markdown reader. */
function tagText(tag: string): string {
  return '`' + tag.replace(/`/g, "'") + '`';
}

/**
 * Escapes what would otherwise turn article text into Markdown structure or
 * raw HTML: a quote must read exactly as the article printed it.
 */
export function inline(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`)
    .replace(/^(#{1,6}\s|[-+]\s|\d+[.)]\s|>)/, (m) => `\\${m}`);
}

/**
 * Markdown files (notes, Obsidian clippings, articles saved as .md) → body
 * blocks. marked's lexer does the parsing; only its tokens are used, never
 * its HTML output, so nothing in the file is ever rendered as markup. Raw
 * HTML in the file is dropped (its tags), keeping any text between them.
 *
 * YAML front matter, as Obsidian and most clippers write it, gives the
 * metadata: title, source/site, author/byline, url/source_url, date/published.
 */
import { Lexer, type Token, type Tokens } from 'marked';
import type { Block } from '../model';
import type { ParsedDocument } from './document';
import { deriveTitle, findSource } from './news-text';

export function parseMarkdown(input: string, fileName: string): ParsedDocument | null {
  const { meta, body } = frontMatter(input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'));
  const blocks: Block[] = [];
  for (const token of Lexer.lex(body)) blocksOf(token, blocks);
  const kept = blocks.filter((b) => b.text.trim() !== '' || b.kind === 'image');
  if (!kept.some((b) => b.text.trim() !== '')) return null;

  const firstHeading = kept.find((b) => b.kind === 'heading' && b.level === 1);
  const text = kept.map((b) => b.text).join('\n\n');
  const published = isoDate(meta.published ?? meta.date ?? meta.created);
  return {
    kind: 'markdown',
    title: meta.title || firstHeading?.text || deriveTitle(kept.find((b) => b.kind === 'paragraph')?.text ?? '') || fileName,
    source: meta.source && !/^https?:/.test(meta.source) ? meta.source : (meta.site ?? meta.publication ?? findSource(text)),
    byline: meta.author ?? meta.byline ?? null,
    published,
    dateline: null,
    language: meta.lang ?? meta.language ?? null,
    url: httpUrl(meta.url ?? meta.source_url ?? meta.source),
    blocks: kept,
  };
}

function blocksOf(token: Token, out: Block[]): void {
  switch (token.type) {
    case 'heading':
      out.push({ kind: 'heading', level: Math.min(6, Math.max(1, (token as Tokens.Heading).depth)), text: inline(token) });
      return;
    case 'paragraph': {
      // An image alone in its paragraph is an image block; mixed with words, its alt text stays inline.
      const children = (token as Tokens.Paragraph).tokens ?? [];
      const images = children.filter((t) => t.type === 'image') as Tokens.Image[];
      if (images.length > 0 && children.every((t) => t.type === 'image' || (t.type === 'text' && t.raw.trim() === ''))) {
        for (const img of images) out.push({ kind: 'image', src: img.href, text: clean(img.text) });
      } else out.push({ kind: 'paragraph', text: inline(token) });
      return;
    }
    case 'blockquote':
      for (const child of (token as Tokens.Blockquote).tokens) {
        const inner: Block[] = [];
        blocksOf(child, inner);
        for (const b of inner) out.push(b.kind === 'paragraph' ? { kind: 'quote', text: b.text } : b);
      }
      return;
    case 'list':
      for (const item of (token as Tokens.List).items) {
        out.push({ kind: 'listItem', ordered: (token as Tokens.List).ordered, text: clean(item.tokens.map(plain).join(' ')) });
      }
      return;
    case 'code':
      out.push({ kind: 'paragraph', text: (token as Tokens.Code).text.replace(/\n{2,}/g, '\n') });
      return;
    case 'table': {
      const table = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((c) => clean(c.tokens.map(plain).join(''))).join(' | ');
      out.push({ kind: 'paragraph', text: row(table.header) });
      for (const r of table.rows) out.push({ kind: 'paragraph', text: row(r) });
      return;
    }
    case 'text':
      out.push({ kind: 'paragraph', text: inline(token) });
      return;
    default:
      // space, hr, html (raw markup is never kept), def, …
      return;
  }
}

function inline(token: Token): string {
  const children = 'tokens' in token && Array.isArray(token.tokens) ? token.tokens : null;
  return clean(children ? children.map(plain).join('') : decode('text' in token ? String(token.text) : ''));
}

/** The words of an inline token: emphasis, links and code lose their markers; raw HTML tags go. */
function plain(token: Token): string {
  switch (token.type) {
    case 'html':
      return '';
    case 'br':
      return '\n';
    case 'image':
      return (token as Tokens.Image).text;
    case 'codespan':
    case 'escape':
      return decode((token as Tokens.Codespan).text);
    default: {
      const children = 'tokens' in token && Array.isArray(token.tokens) ? token.tokens : null;
      return children ? children.map(plain).join('') : decode('text' in token ? String(token.text) : '');
    }
  }
}

/** marked escapes a few characters in some tokens' text; the stored text must be as written. */
function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? _);
}

function clean(text: string): string {
  return text.replace(/[ \t]*\n[ \t]*/g, '\n').replace(/\n{2,}/g, '\n').replace(/[ \t]+/g, ' ').trim();
}

function frontMatter(text: string): { meta: Record<string, string>; body: string } {
  const m = /^---\n([\s\S]*?)\n(?:---|\.\.\.)\n/.exec(text);
  if (!m) return { meta: {}, body: text };
  const meta: Record<string, string> = {};
  for (const line of (m[1] ?? '').split('\n')) {
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!kv) continue;
    const value = (kv[2] ?? '').trim().replace(/^(["'])(.*)\1$/, '$2');
    if (value && !value.startsWith('[') && !value.startsWith('{')) meta[(kv[1] ?? '').toLowerCase()] = value;
  }
  return { meta, body: text.slice(m[0].length) };
}

function isoDate(value: string | undefined): string | null {
  if (!value) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function httpUrl(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

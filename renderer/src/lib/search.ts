/**
 * Search as the window shows it: the filters a person sets (as form values)
 * turned into the contract's SearchFilters, and a snippet's ranges turned
 * into pieces of text to draw, some of them marked. No React here, so that
 * it is tested in plain Node.
 */
import type { Request } from '../../../electron/ipc/contract';
import type { LibraryArticleHit, LibraryClippingHit } from '../../../electron/library/library';
import type { IndexStatus } from '../../../electron/library/search/types';
import type { ArticleSummary, ReadingState } from '../../../electron/library/model';

export type SearchFilters = NonNullable<Request<'search:query'>['filters']>;
export type SearchRequest = Request<'search:query'>;

/** The filter controls' values: '' is "any". One tag, source and label at a time: what a person sets in a form. */
export type FilterState = {
  tag: string;
  source: string;
  /** YYYY-MM-DD, both included. */
  from: string;
  to: string;
  label: string;
  hasClippings: '' | 'yes' | 'no';
  reading: '' | ReadingState;
};

export const NO_FILTERS: FilterState = { tag: '', source: '', from: '', to: '', label: '', hasClippings: '', reading: '' };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The contract's filters for what the controls say, or undefined when they
 * say "everything". A date the browser's field has not finished (or that is
 * not a date) is left out rather than refused by main; a range typed the
 * wrong way round is put the right way round.
 */
export function toSearchFilters(state: FilterState): SearchFilters | undefined {
  const filters: SearchFilters = {};
  const tag = state.tag.trim().replace(/^\/+|\/+$/g, '');
  if (tag) filters.tags = [tag];
  const source = state.source.trim();
  if (source) filters.sources = [source];
  let from = DATE.test(state.from) ? state.from : '';
  let to = DATE.test(state.to) ? state.to : '';
  if (from && to && from > to) [from, to] = [to, from];
  if (from || to) filters.published = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  if (state.label) filters.labels = [state.label];
  if (state.hasClippings) filters.hasClippings = state.hasClippings === 'yes';
  if (state.reading) filters.readingStates = [state.reading];
  return Object.keys(filters).length > 0 ? filters : undefined;
}

/** How many of the controls narrow the search (for "Filters · 2" and Clear). */
export function activeFilterCount(state: FilterState): number {
  let n = 0;
  if (state.tag.trim()) n++;
  if (state.source.trim()) n++;
  if (DATE.test(state.from) || DATE.test(state.to)) n++;
  if (state.label) n++;
  if (state.hasClippings) n++;
  if (state.reading) n++;
  return n;
}

/** A piece of a snippet: text as text (never HTML), marked where a query word matched. */
export type Piece = { text: string; marked: boolean };

/**
 * Cuts `text` at the ranges ([start, end) offsets). Ranges from main are
 * trusted to be in order, but a range that overlaps, runs past the end or
 * is empty is clamped, merged or dropped rather than drawn twice or thrown on.
 */
export function markPieces(text: string, ranges: readonly (readonly [number, number])[] | null | undefined): Piece[] {
  if (!ranges || ranges.length === 0) return text ? [{ text, marked: false }] : [];
  const sorted = ranges
    .map(([s, e]) => [Math.max(0, Math.min(text.length, s)), Math.max(0, Math.min(text.length, e))] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const pieces: Piece[] = [];
  let at = 0;
  for (const [s, e] of sorted) {
    if (e <= at) continue;
    const start = Math.max(s, at);
    if (start > at) pieces.push({ text: text.slice(at, start), marked: false });
    const last = pieces[pieces.length - 1];
    // Two ranges that touch are one mark: a screen reader says "mark" once.
    if (last?.marked && start === at) last.text += text.slice(start, e);
    else pieces.push({ text: text.slice(start, e), marked: true });
    at = e;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), marked: false });
  return pieces;
}

/**
 * A snippet of a note (Markdown) without its emphasis and code markers, the
 * ranges moved with the text: "**harbour**" is shown as a marked "harbour".
 * Only the markers go; links and the rest stay as written.
 */
export function withoutMarkdownMarkers<T extends { text: string; ranges: [number, number][] }>(snippet: T): T {
  if (!/[*_~`]/.test(snippet.text)) return snippet;
  const markers = /\*\*|__|~~|\*|`/g;
  // Where each offset of the old text lands in the new one (one more entry: the end).
  const map: number[] = [];
  let text = '';
  let at = 0;
  for (const m of snippet.text.matchAll(markers)) {
    for (; at < m.index; at++) {
      map.push(text.length);
      text += snippet.text[at];
    }
    for (; at < m.index + m[0].length; at++) map.push(text.length);
  }
  for (; at < snippet.text.length; at++) {
    map.push(text.length);
    text += snippet.text[at];
  }
  map.push(text.length);
  const ranges = snippet.ranges
    .map(([s, e]) => [map[Math.max(0, Math.min(s, snippet.text.length))]!, map[Math.max(0, Math.min(e, snippet.text.length))]!] as [number, number])
    .filter(([s, e]) => e > s);
  return { ...snippet, text, ranges };
}

/** Every source in the library, most used first, for the source filter's suggestions. */
export function sourcesOf(articles: readonly Pick<ArticleSummary, 'source'>[] | null): string[] {
  const counts = new Map<string, number>();
  for (const a of articles ?? []) {
    const s = a.source?.trim();
    if (s) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([s]) => s);
}

/** A note's Markdown as one line of plain text: enough to recognise it in a row. */
export function plainExcerpt(markdown: string, max = 220): string {
  const flat = markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)/gm, '')
    .replace(/(\*\*|__|\*|_|`|~~)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

/** One entry of the palette's list, in the order the arrows walk it. */
export type PaletteItem =
  | { kind: 'article'; key: string; hit: LibraryArticleHit }
  | { kind: 'clipping'; key: string; hit: LibraryClippingHit }
  /** "Show more articles": loads the next page in place. */
  | { kind: 'more-articles'; key: string; remaining: number }
  /** "All N clippings in the clippings view". */
  | { kind: 'all-clippings'; key: string; total: number };

export function paletteItems(
  articles: readonly LibraryArticleHit[],
  clippings: readonly LibraryClippingHit[],
  totals: { articles: number; clippings: number },
): { articles: PaletteItem[]; clippings: PaletteItem[] } {
  const a: PaletteItem[] = articles.map((hit) => ({ kind: 'article', key: `a:${hit.articleId}`, hit }));
  if (totals.articles > articles.length) a.push({ kind: 'more-articles', key: 'more-articles', remaining: totals.articles - articles.length });
  const c: PaletteItem[] = clippings.map((hit) => ({ kind: 'clipping', key: `c:${hit.clippingId}`, hit }));
  if (totals.clippings > clippings.length) c.push({ kind: 'all-clippings', key: 'all-clippings', total: totals.clippings });
  return { articles: a, clippings: c };
}

/** Appends a page of hits, dropping any already there (a change between two pages can shift one). */
export function appendUnique<T>(list: readonly T[], page: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set(list.map(key));
  return [...list, ...page.filter((item) => !seen.has(key(item)))];
}

/** "12", or "up to 12" when main says the totals are upper bounds (a phrase). */
export function countText(n: number, approximate: boolean): string {
  return `${approximate ? 'up to ' : ''}${n.toLocaleString()}`;
}

/** "Indexing… 1,200 of 10,000 articles" while the index is not ready, else null. */
export function indexingText(status: IndexStatus | null, indexing: boolean): string | null {
  if (status && status.state !== 'ready') {
    const counts = status.total > 0 ? ` ${status.done.toLocaleString()} of ${status.total.toLocaleString()} articles` : '';
    const verb = status.state === 'building' ? 'Indexing' : 'Updating the index';
    return `${verb}…${counts}. Results may be incomplete until it is done.`;
  }
  return indexing ? 'Indexing… Results may be incomplete until it is done.' : null;
}

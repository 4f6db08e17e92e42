/**
 * What the article list shows: the library's summaries filtered (reading
 * state, tag, typed text) and sorted, and the tag tree of the tags browser.
 * Plain functions over plain data, so they cost nothing to test and can be
 * memoised on the list. Written for 100,000 articles: one pass to filter,
 * sort keys computed once per article, no allocation per comparison.
 */
import type { ArticleSummary, ReadingState } from '../../../electron/library/model';
import type { Responses } from '../../../electron/ipc/contract';

export type TagCount = Responses['tags:list'][number];

export type SortKey = 'published' | 'imported' | 'title' | 'clippings';
export type ReadingFilter = 'all' | 'unread' | 'read' | 'archived';

export const SORTS: readonly { value: SortKey; label: string; title: string }[] = [
  { value: 'published', label: 'Newest published', title: 'Newest published first' },
  { value: 'imported', label: 'Recently imported', title: 'Most recently imported first' },
  { value: 'title', label: 'Title A–Z', title: 'By title, A to Z' },
  { value: 'clippings', label: 'Most clippings', title: 'Most clippings first' },
];

export const READING_FILTERS: readonly { value: ReadingFilter; label: string; title: string }[] = [
  { value: 'all', label: 'All', title: 'Every article except the archived ones' },
  { value: 'unread', label: 'Unread', title: 'Articles not read to the end (new or started)' },
  { value: 'read', label: 'Read', title: 'Articles read to the end or marked read' },
  { value: 'archived', label: 'Archived', title: 'Archived articles (hidden from All)' },
];

export type ViewQuery = { reading: ReadingFilter; tag: string | null; text: string; sort: SortKey };

/** A tag and every tag below it (`place` covers `place/Syria`), as main's rename and delete treat them. */
export function isUnder(tag: string, root: string): boolean {
  return tag === root || (tag.length > root.length && tag.startsWith(root) && tag[root.length] === '/');
}

export function matchesReading(state: ReadingState, filter: ReadingFilter): boolean {
  switch (filter) {
    case 'all':
      return state !== 'archived';
    case 'unread':
      return state === 'unread' || state === 'reading';
    case 'read':
      return state === 'read';
    case 'archived':
      return state === 'archived';
  }
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** The articles the list shows, in order. */
export function viewArticles(articles: readonly ArticleSummary[], query: ViewQuery): ArticleSummary[] {
  const text = query.text.trim().toLowerCase();
  const tag = query.tag;
  const shown = articles.filter(
    (a) =>
      matchesReading(a.readingState, query.reading) &&
      (tag === null || a.tags.some((t) => isUnder(t, tag))) &&
      (!text || [a.title, a.source ?? '', a.dateline ?? '', ...a.tags].some((field) => field.toLowerCase().includes(text))),
  );
  return sortArticles(shown, query.sort);
}

/**
 * Newest first for dates and clipping counts, A–Z for titles; ties fall
 * back to the library's own order (published, imported, title) so the
 * order never jumps between two renders of the same data.
 */
export function sortArticles(list: ArticleSummary[], sort: SortKey): ArticleSummary[] {
  const byPublished = (a: ArticleSummary, b: ArticleSummary) => cmp(b.published ?? '', a.published ?? '') || cmp(b.importedAt, a.importedAt);
  switch (sort) {
    case 'published':
      return list.sort((a, b) => byPublished(a, b) || collator.compare(a.title, b.title));
    case 'imported':
      return list.sort((a, b) => cmp(b.importedAt, a.importedAt) || byPublished(a, b));
    case 'title':
      return list.sort((a, b) => collator.compare(a.title, b.title) || byPublished(a, b));
    case 'clippings':
      return list.sort((a, b) => b.clippingCount - a.clippingCount || byPublished(a, b));
  }
}

/** ISO dates compare as strings; a plain comparison is many times faster than localeCompare. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- the tag tree ---------------------------------------------------------

export type TagNode = {
  /** The full tag (`place/Syria`). */
  tag: string;
  /** The last segment (`Syria`). */
  name: string;
  /** On this exact tag. */
  own: { articles: number; clippings: number };
  /** On this tag and every tag below it. */
  total: { articles: number; clippings: number };
  children: TagNode[];
};

/**
 * The tree of `/`-separated tags. A parent that is never used on its own
 * (only `place/Syria` exists) is still a node, with no count of its own,
 * so that the hierarchy reads the same whichever tags happen to exist.
 */
export function tagTree(counts: readonly TagCount[]): TagNode[] {
  const roots: TagNode[] = [];
  const byTag = new Map<string, TagNode>();
  const node = (tag: string): TagNode => {
    const known = byTag.get(tag);
    if (known) return known;
    const slash = tag.lastIndexOf('/');
    const made: TagNode = { tag, name: tag.slice(slash + 1), own: { articles: 0, clippings: 0 }, total: { articles: 0, clippings: 0 }, children: [] };
    byTag.set(tag, made);
    (slash < 0 ? roots : node(tag.slice(0, slash)).children).push(made);
    return made;
  };
  for (const c of counts) {
    const n = node(c.tag);
    n.own = { articles: n.own.articles + c.articles, clippings: n.own.clippings + c.clippings };
  }
  const sum = (n: TagNode): TagNode['total'] => {
    let { articles, clippings } = n.own;
    for (const child of n.children) {
      const t = sum(child);
      articles += t.articles;
      clippings += t.clippings;
    }
    n.total = { articles, clippings };
    return n.total;
  };
  const order = (list: TagNode[]) => {
    list.sort((a, b) => collator.compare(a.name, b.name));
    for (const n of list) {
      sum(n);
      order(n.children);
    }
  };
  order(roots);
  return roots;
}

/** Every tag of the tree (for finding whether a typed name already exists). */
export function findNode(roots: readonly TagNode[], tag: string): TagNode | null {
  for (const n of roots) {
    if (n.tag === tag) return n;
    if (isUnder(tag, n.tag)) return findNode(n.children, tag);
  }
  return null;
}

/** `place/Syria/Aleppo` → [`place`, `place/Syria`]: the nodes to open to show a tag. */
export function ancestorsOf(tag: string): string[] {
  const parts = tag.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** The form main stores a typed tag in (see normalizeTag in the model), to tell "rename" from "merge" before asking. */
export function normalizeTag(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .split('/')
    .map((s) => s.trim())
    .filter(Boolean)
    .join('/');
}

/** "3 articles and 1 clipping", "2 clippings", "nothing". */
export function countWords(c: { articles: number; clippings: number }): string {
  const parts: string[] = [];
  if (c.articles) parts.push(`${c.articles} ${c.articles === 1 ? 'article' : 'articles'}`);
  if (c.clippings) parts.push(`${c.clippings} ${c.clippings === 1 ? 'clipping' : 'clippings'}`);
  return parts.join(' and ') || 'nothing';
}

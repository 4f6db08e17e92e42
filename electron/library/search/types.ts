import type { ArticleSummary, Clipping, ReadingState } from '../model';

/**
 * Where the index keeps its files. Bytes, not strings: the index is typed
 * arrays, and a string interface would mean base64 (a third larger, and a
 * decode at every open). The Library's Store fits as
 * `{ read: (p) => store.readBytes(p), write: (p, d) => store.write([{ path: p, data: d }]) }`.
 */
export interface IndexFiles {
  /** The whole file, or null when there is none. The index keeps the buffer and uses it in place: give it one nobody else holds. */
  read(path: string): Promise<Uint8Array | null>;
  write(path: string, data: Uint8Array): Promise<void>;
  /**
   * Part of a file (optional): lets queries made in the first moments after
   * open read the few postings blocks they need instead of waiting for the
   * whole postings file. Without it they wait.
   */
  readRange?(path: string, offset: number, length: number): Promise<Uint8Array | null>;
}

/**
 * Where the index reads texts it does not keep: to index an article whose
 * text changed, to check a phrase, to cut a snippet. The Library's
 * `getArticle` (one body file, cached) and `getClipping` (in memory) fit.
 */
export interface SearchTexts {
  article(id: string): Promise<{ title: string; text: string } | null>;
  clipping(id: string): Promise<{ quote: string; note: string } | null>;
  /**
   * An article's clippings, for a catalog entry given without them (a
   * library that reads records only when needed): asked only for articles
   * that changed since the index was saved, or when it is rebuilt.
   */
  clippings?(articleId: string): Promise<readonly IndexedClipping[]>;
}

/** What the index needs of an article: ArticleSummary fits. */
export type IndexedArticle = Pick<ArticleSummary, 'id' | 'title' | 'source' | 'tags' | 'published' | 'readingState' | 'textHash' | 'updatedAt'> & {
  byline?: string | null;
};

/** What the index needs of a clipping: Clipping fits. */
export type IndexedClipping = Pick<Clipping, 'id' | 'label' | 'note' | 'tags'> & {
  target: { quote: { exact: string }; position: { start: number; end: number } };
};

/** One article of the library as the catalog holds it (no body). */
export type CatalogEntry = { article: IndexedArticle; clippings: readonly IndexedClipping[] | null };

export type SearchFilters = {
  /** Each must match; `place` matches `place` and `place/Syria` (case ignored). A clipping matches by its own tags or its article's. */
  tags?: readonly string[];
  /** Any of these sources (exact, case ignored). */
  sources?: readonly string[];
  /** Published between these calendar dates, both included (YYYY-MM-DD); articles without a date are left out. */
  published?: { from?: string; to?: string };
  /** Any of these label ids. Articles have no label: with this filter only clippings are found. */
  labels?: readonly string[];
  /** Articles with (true) or without (false) clippings; clippings always have one. */
  hasClippings?: boolean;
  readingStates?: readonly ReadingState[];
};

export type SearchOptions = {
  filters?: SearchFilters;
  /** Hits of each kind to return (default 20). */
  limit?: number;
  /** Hits of each kind to skip (paging; default 0). */
  offset?: number;
  /** Which kinds to search (default both). */
  kinds?: readonly ('article' | 'clipping')[];
};

/** A piece of text with the matching words marked: [start, end) offsets into `text`. */
export type Snippet = {
  text: string;
  ranges: [number, number][];
  /** Where `text` starts in the field it was cut from (the canonical text for a body): maps ranges back. */
  offset: number;
  /** Text was cut before / after the snippet (show an ellipsis). */
  cutBefore: boolean;
  cutAfter: boolean;
};

export type ArticleHit = {
  kind: 'article';
  articleId: string;
  score: number;
  /** Matches in the title, as offsets into the title. */
  titleRanges: [number, number][];
  /** From the body; its lead when only the title, tags or source matched. Null when the text could not be read. */
  snippet: Snippet | null;
};

export type ClippingHit = {
  kind: 'clipping';
  clippingId: string;
  articleId: string;
  /** Where the clipping stands in its article's canonical text: open the article scrolled there. */
  position: { start: number; end: number };
  label: string;
  score: number;
  /** Which of the clipping's texts the snippet is cut from. */
  field: 'quote' | 'note';
  snippet: Snippet | null;
};

export type SearchResults = {
  articles: ArticleHit[];
  clippings: ClippingHit[];
  /** How many hits of each kind there are in all (for "1–20 of 312"). */
  totals: { articles: number; clippings: number };
  /** With a phrase only a bounded number of candidates is checked: the totals are then upper bounds. */
  approximate: boolean;
  /** The index terms the query matched (after prefix and typo expansion): what to highlight in an opened article. */
  terms: string[];
  /** The index is still being built or brought up to date: results may miss or misplace recent changes. */
  indexing: boolean;
};

export type IndexStatus = {
  state: 'ready' | 'building' | 'updating';
  /** Articles indexed so far in the current background job, and how many it has. */
  done: number;
  total: number;
  /** Why the index is being rebuilt (damaged file, new version…), when it is. */
  reason: string | null;
  /** Why it was last rebuilt since it was opened (stays after the rebuild): for diagnostics. */
  rebuildReason: string | null;
};

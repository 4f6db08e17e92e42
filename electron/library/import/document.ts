import type { Block } from '../model';

/**
 * What every importer produces and Library.importDocument stores: the
 * article's metadata and body blocks, and, for sources that carry their own
 * annotations (Kindle highlights), the clippings to create with it.
 */
export type ParsedDocument = {
  kind: 'news-text' | 'plain-text' | 'html' | 'markdown' | 'kindle' | 'readwise';
  title: string;
  source: string | null;
  byline: string | null;
  /** ISO date (YYYY-MM-DD) or ISO date-time with offset. */
  published: string | null;
  dateline: string | null;
  language: string | null;
  /** Where the article came from, when known (an http(s) URL). */
  url?: string | null;
  /** Text direction, when the source says. */
  dir?: 'ltr' | 'rtl' | null;
  blocks: Block[];
  /**
   * Identifies the same work across re-imports when its text may grow (a
   * Kindle book gains highlights): same key, different text = a new version
   * of the existing article, not a new article. Without it, articles are
   * matched by URL and by normalised text.
   */
  identity?: string;
  /** Clippings that come with the document; positions are in its canonical text. */
  clippings?: DocumentClipping[];
};

export type DocumentClipping = {
  start: number;
  end: number;
  note: string;
  tags: string[];
  /** A label id; one the library does not have becomes its first label. */
  label?: string;
  /** When the source says it was made (ISO date-time); else the import time. */
  createdAt?: string;
};

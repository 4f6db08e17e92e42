/**
 * What an export takes and gives. One selection and one format in; files
 * out (one, or one per article), never written by the exporter itself: the
 * CLI and the app decide where they go (atomically).
 */

export const EXPORT_FORMATS = ['md', 'html', 'pdf', 'jsonld', 'csv', 'txt'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * What to export. Everything named is included (union); nothing named means
 * the whole library (its articles that have clippings). `compositionId` exports a saved press review in its own
 * order, with its headings and introduction.
 */
export type ExportSelection = {
  articleIds?: readonly string[];
  clippingIds?: readonly string[];
  tag?: string;
  /** A search query (the same syntax as the search palette); its hits' clippings. */
  query?: string;
  compositionId?: string;
};

export type ExportGrouping = 'article' | 'tag' | 'source' | 'date';

export type ExportOptions = {
  format: ExportFormat;
  /** How a clip book is grouped (html, pdf, md clip book). Default 'article'. */
  grouping?: ExportGrouping;
  /** Markdown only: one clip-book file (default) or one file per article. */
  layout?: 'clipbook' | 'per-article';
  /** Title of a clip book (default "Clippings" or the composition's title). */
  title?: string;
  /**
   * Name who said each quote in its citation (md, html, pdf, txt), from the
   * article's analysis. Off by default: the analysis is CPU work, tens of
   * milliseconds per article.
   */
  speakers?: boolean;
};

export type ExportFile = { name: string; data: string | Uint8Array };
export type ExportResult = {
  files: ExportFile[];
  articleCount: number;
  clippingCount: number;
  /** Clippings the selection named that no longer exist (a press review that outlived them). */
  missingClippingIds: string[];
};

/** Where a quote came from, printed under every exported quote. */
export type Provenance = {
  source: string | null;
  byline: string | null;
  dateline: string | null;
  published: string | null;
  url: string | null;
  /** When the article was stored in the library (import time). */
  retrieved: string;
  /** SHA-256 of the stored article text the quote's positions refer to. */
  textSha256: string;
  /** 1-based paragraph (block) number of the quote's start. */
  paragraph: number;
};

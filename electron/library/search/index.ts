/**
 * Search over a library's articles and clippings (issue 5): see
 * search-index.ts for the service, state.ts for the index's shape, base.ts
 * for its file.
 */
export { SearchIndex, INDEX_FILE, POSTINGS_FILE, DELTA_FILE } from './search-index';
export { folderIndexFiles, memoryIndexFiles } from './files';
export { highlightRanges, makeSnippet } from './snippet';
export { parseQuery, type ParsedQuery, type QueryWord } from './tokenize';
export type {
  ArticleHit,
  CatalogEntry,
  ClippingHit,
  IndexFiles,
  IndexStatus,
  IndexedArticle,
  IndexedClipping,
  SearchFilters,
  SearchOptions,
  SearchResults,
  SearchTexts,
  Snippet,
} from './types';

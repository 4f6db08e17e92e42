export { Library, type TagCount, type TagUndo, type NewClipping, type ClippingPatch, type OpenOptions, type ImportOptions, type WebOptions } from './library';
export { LibraryError, isLibraryError, type LibraryErrorCode } from './errors';
export { renderMarkdown } from './export/markdown';
export { clippingToAnnotation, type WebAnnotation } from './export/web-annotation';
export { writeFileAtomic } from './storage/atomic-file';
export { userDataDir, defaultLibraryDir } from './paths';
export * from './model';

import type { Library } from './library';
import { renderMarkdown } from './export/markdown';

/** Markdown for the given articles' clippings, in the order given. */
export async function exportMarkdown(library: Library, articleIds: readonly string[]): Promise<string> {
  const details = [];
  for (const id of articleIds) details.push(await library.getArticle(id));
  return renderMarkdown(details);
}

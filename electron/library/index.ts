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
/**
 * Markdown of whole articles (`articleIds`) and of single clippings
 * (`clippingIds`: each under its article, only those named), articles in
 * the order first named.
 */
export async function exportMarkdown(library: Library, articleIds: readonly string[], clippingIds: readonly string[] = []): Promise<string> {
  const whole = new Set(articleIds);
  const picked = new Map<string, Set<string>>();
  const order = [...whole];
  for (const id of clippingIds) {
    const { articleId } = await library.getClipping(id);
    if (whole.has(articleId)) continue;
    if (!picked.has(articleId)) {
      picked.set(articleId, new Set());
      order.push(articleId);
    }
    picked.get(articleId)?.add(id);
  }
  const details = [];
  for (const id of order) {
    const detail = await library.getArticle(id);
    const only = picked.get(id);
    details.push(only ? { ...detail, clippings: detail.clippings.filter((c) => only.has(c.id)) } : detail);
  }
  return renderMarkdown(details);
}

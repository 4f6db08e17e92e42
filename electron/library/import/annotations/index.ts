/**
 * Annotation files: our own JSON-LD export, Hypothesis API JSON, other
 * tools' W3C Web Annotations, and Readwise CSV. They are recognised by name
 * (.jsonld, .json, .csv) or, for other names, by their first bytes; read
 * and validated whole (readAnnotationFile, no library needed: it runs where
 * files are parsed); then applied to the library (importAnnotationFile).
 *
 * A file that is bad (not JSON, not the shape it should be, too large, not
 * UTF-8/UTF-16) fails with a reason naming what is wrong, and the library
 * is not touched: nothing is written before the whole file has been read.
 */
import { basename, extname } from 'node:path';
import { dedupKey, sha256, canonicalText } from '../../text';
import { reanchorAll } from '../../anchoring';
import { LibraryError } from '../../errors';
import { normalizeTags, type ImportOutcome } from '../../model';
import type { Library } from '../../library';
import type { FileRead } from '../files';
import { decodeText } from '../files';
import { hasAnnotationContext, isCuttingsExport, parseCuttingsExport } from './cuttings-jsonld';
import { isHypothesisResponse, parseHypothesis } from './hypothesis';
import { isW3cAnnotations, parseW3c } from './w3c';
import { looksLikeReadwise, parseReadwiseCsv, readwiseDocument, readwiseIdentity } from './readwise';
import { attachAnnotations } from './attach';
import { AnnotationFileError, type AnnotationFile, type CuttingsExport, type PageAnnotations, type ReadwiseBook } from './types';

export type { AnnotationFile } from './types';

/**
 * Annotation files may be far larger than an article (an export of 50,000
 * clippings with their articles is tens of megabytes); past this they are
 * refused before being read.
 */
export const MAX_ANNOTATION_FILE_BYTES = 256 * 1024 * 1024;

const JSON_EXTENSIONS = new Set(['.jsonld', '.json']);

/** Whether a file's name says it is (or may be) an annotation file: it is then read with the larger size limit. */
export function isAnnotationFileName(path: string): boolean {
  const ext = extname(path).toLowerCase();
  return JSON_EXTENSIONS.has(ext) || ext === '.csv';
}

/**
 * The annotation file `bytes` holds, read and validated; null when it is not
 * one (then it is read as an article). A file named .jsonld, .json or .csv
 * is always taken as one, and fails with a reason when it is not valid; a
 * file of another name only when its first bytes and its shape say so.
 */
export function readAnnotationFile(path: string, bytes: Uint8Array): FileRead | null {
  const ext = extname(path).toLowerCase();
  const named = isAnnotationFileName(path);
  if (!named && !sniff(bytes)) return null;
  const fail = (reason: string): FileRead => ({ ok: false, path, reason });
  if (bytes.length === 0) return fail('the file is empty');
  if (bytes.length > MAX_ANNOTATION_FILE_BYTES) return fail(`too large (${(bytes.length / 1048576).toFixed(1)} MB; the limit for annotation files is ${MAX_ANNOTATION_FILE_BYTES / 1048576} MB)`);
  const text = decodeText(bytes);
  if (text === null) return named ? fail('not a text file (binary content or an unknown encoding; annotation files are UTF-8 or UTF-16)') : null;
  try {
    const file = ext === '.csv' || (!named && !JSON_EXTENSIONS.has(ext) && !text.trimStart().startsWith('{') && !text.trimStart().startsWith('[')) ? readCsv(text) : readJson(text);
    return { ok: true, path, docs: [], notes: file.kind === 'cuttings' ? [] : file.skipped, annotations: file };
  } catch (e) {
    if (!(e instanceof AnnotationFileError)) throw e;
    // A file recognised only by its content and then not valid is read as an article, as it was before.
    return named ? fail(e.message) : null;
  }
}

/** The first bytes of something we read: a JSON document with the annotation context or Hypothesis' rows, or a Readwise header. */
function sniff(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096)).replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return head.includes('"http://www.w3.org/ns/anno.jsonld"') || /"rows"\s*:\s*\[/.test(head);
  return looksLikeReadwise(head);
}

function readCsv(text: string): AnnotationFile {
  const { books, skipped } = parseReadwiseCsv(text);
  if (books.length === 0) throw new AnnotationFileError(`the CSV has no highlights${skipped.length ? ` (${skipped.join('; ')})` : ''}`);
  return { kind: 'readwise', books, skipped };
}

function readJson(text: string): AnnotationFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new AnnotationFileError(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (isCuttingsExport(value)) return { kind: 'cuttings', data: parseCuttingsExport(value) };
  if (isHypothesisResponse(value)) return { kind: 'hypothesis', ...parseHypothesis(value) };
  if (isW3cAnnotations(value) || hasAnnotationContext(value)) return { kind: 'w3c', ...parseW3c(value) };
  throw new AnnotationFileError(
    'it is JSON, but neither a Cuttings export (a W3C AnnotationCollection), W3C Web Annotations, nor Hypothesis annotations ({"total": …, "rows": […]})',
  );
}

/** Applies a file read by readAnnotationFile: one outcome per article it touched or created, and one per page it could not find. */
export async function importAnnotationFile(library: Library, file: AnnotationFile, path: string): Promise<ImportOutcome[]> {
  switch (file.kind) {
    case 'cuttings':
      return importCuttings(library, file.data, path);
    case 'hypothesis':
    case 'w3c':
      return importPages(library, file.pages, file.skipped, path, file.kind === 'hypothesis' ? 'Hypothesis' : 'W3C');
    case 'readwise':
      return importReadwise(library, file.books, file.skipped, path);
  }
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/**
 * Our own export. An article new to the library is stored exactly as it
 * was exported (id, dates, reading state, tags, clippings and all); one the
 * library already has (the same id, the same text, or the same web
 * address) keeps everything it has and gains the clippings it lacks (put
 * on its own text by the anchoring chain when the texts differ) and the
 * tags it lacks. Nothing is ever removed or overwritten.
 */
async function importCuttings(library: Library, data: CuttingsExport, path: string): Promise<ImportOutcome[]> {
  const labelIds = await library.mergeLabels(data.labels);
  const clippingIds = new Map<string, string>();
  const outcomes: ImportOutcome[] = [];
  for (const item of data.articles) {
    const clippings = item.clippings.map((c) => ({ ...c, label: labelIds.get(c.label) ?? c.label }));
    const text = canonicalText(item.blocks);
    const dedupHash = sha256(dedupKey(text));
    const found = await library.findArticle({ id: item.article.id, dedupHash, url: item.article.url });
    // The same id names the same article only if something else agrees (a crafted or unlucky id would merge strangers).
    const same = found && (found.by !== 'id' || (await sameArticle(library, found.id, item.article.textHash, dedupHash, item.article.url)));
    if (!found || !same) {
      const stored = await library.storeArticle({ article: item.article, blocks: item.blocks, clippings }, path);
      stored.clippings.forEach((c, i) => clippingIds.set(clippings[i]?.id ?? c.id, c.id));
      outcomes.push(stored.outcome);
      continue;
    }
    const detail = await library.getArticle(found.id);
    const placed = detail.article.textHash === item.article.textHash ? clippings : reanchorAll(clippings, detail.text);
    const { added, duplicates, ids } = await library.addClippings(found.id, placed);
    placed.forEach((c, i) => clippingIds.set(c.id, ids[i] ?? c.id));
    const tags = normalizeTags([...detail.article.tags, ...item.article.tags]);
    const newTags = tags.length - detail.article.tags.length;
    if (newTags > 0) await library.setArticleTags(found.id, tags);
    const orphans = added.filter((c) => c.anchor?.state === 'orphan').length;
    const what = [
      `${plural(added.length, 'clipping')} added`,
      ...(duplicates ? [`${duplicates} already there`] : []),
      ...(orphans && detail.article.textHash !== item.article.textHash ? [`${orphans} of them orphaned (their words are not in this library's version of the text)`] : []),
      ...(newTags ? [`${plural(newTags, 'tag')} added`] : []),
    ].join(', ');
    outcomes.push({ status: added.length + newTags > 0 ? 'updated' : 'duplicate', id: found.id, title: detail.article.title, path, detail: `merged into the article already in the library: ${what}` });
  }
  if (data.composition) {
    const c = data.composition;
    const exists = await library.getComposition(c.id).then(
      () => true,
      (e: unknown) => (e instanceof LibraryError && e.code === 'not-found' ? false : Promise.reject(e)),
    );
    if (!exists) {
      await library.saveComposition({
        id: c.id,
        title: c.title,
        introduction: c.introduction,
        items: c.items.map((i) => (i.kind === 'clipping' ? { kind: 'clipping', clippingId: clippingIds.get(i.clippingId) ?? i.clippingId } : i)),
      });
    }
  }
  return outcomes;
}

async function sameArticle(library: Library, id: string, textHash: string, dedupHash: string, url: string | null): Promise<boolean> {
  const held = await library.getSummary(id);
  return held.textHash === textHash || held.dedupHash === dedupHash || (url !== null && held.url !== null && held.url === url);
}

/** Hypothesis' and other tools' annotations: each page's go to the article with its address (else its title). */
async function importPages(library: Library, pages: readonly PageAnnotations[], skipped: readonly string[], path: string, tool: string): Promise<ImportOutcome[]> {
  const outcomes: ImportOutcome[] = [];
  const stamp = new Date().toISOString();
  for (const page of pages) {
    const found = (page.url ? await library.findArticle({ url: page.url }) : null) ?? (page.title ? await library.findArticle({ title: page.title }) : null);
    const n = page.annotations.length;
    const named = [page.url, page.title ? `“${page.title}”` : null].filter(Boolean).join(' ');
    if (!found) {
      outcomes.push({
        status: 'failed',
        path,
        reason: `${plural(n, `${tool} annotation`)} on ${named} not imported: that page is not in the library (no article with its address${page.title ? ' or title' : ''}). Import the page, then this file again.`,
      });
      continue;
    }
    const r = await attachAnnotations(library, found.id, page.annotations, stamp);
    const summary = await library.getSummary(found.id);
    const what = [
      ...(r.anchored + r.fuzzy ? [`${plural(r.anchored + r.fuzzy, `${tool} annotation`)} anchored${r.fuzzy ? ` (${r.fuzzy} approximately)` : ''}`] : []),
      ...(r.orphans.length ? [`${plural(r.orphans.length, 'orphan')} kept with ${r.orphans.length === 1 ? 'its' : 'their'} quote (the words are not in the stored article: ${r.orphans.join(', ')})`] : []),
      ...(r.duplicates ? [r.added ? `${r.duplicates} already there` : `all ${plural(r.duplicates, `${tool} annotation`)} already there`] : []),
    ].join('; ');
    outcomes.push({ status: r.added > 0 ? 'updated' : 'duplicate', id: found.id, title: summary.title, path, detail: what });
  }
  return withSkipped(outcomes, skipped, path);
}

/**
 * The article a Readwise book's highlights were made on, when the library
 * holds it: the same address, or (without one) the same title by the same
 * author or publication. A title alone is too weak: the highlights would
 * be orphans on a stranger.
 */
async function heldArticle(library: Library, book: ReadwiseBook): Promise<{ id: string } | null> {
  if (book.url) return library.findArticle({ url: book.url });
  if (!book.title || !book.author) return null;
  const found = await library.findArticle({ title: book.title });
  if (!found) return null;
  const summary = await library.getSummary(found.id);
  const author = book.author.toLocaleLowerCase();
  return summary.byline?.toLocaleLowerCase() === author || summary.source?.toLocaleLowerCase() === author ? found : null;
}

/**
 * What a file held that was not imported (page notes, rows without a
 * highlight…): said with the last article the file touched, or, when it
 * touched none, as the file's failure.
 */
function withSkipped(outcomes: ImportOutcome[], skipped: readonly string[], path: string): ImportOutcome[] {
  if (skipped.length === 0) return outcomes;
  const said = `not imported: ${skipped.join('; ')}`;
  const last = outcomes.findLastIndex((o) => o.status !== 'failed');
  const o = outcomes[last];
  if (o && o.status !== 'failed') outcomes[last] = { ...o, detail: o.detail ? `${o.detail}; ${said}` : said };
  else outcomes.push({ status: 'failed', path, reason: `nothing imported: ${skipped.join('; ')}` });
  return outcomes;
}

/**
 * Readwise books. One made from a Readwise file before (its identity)
 * gains the new highlights as a new version; one whose address is an
 * article we hold gets the highlights on that article's text (its whole
 * text stays, the highlights become its clippings); any other becomes an
 * article of its highlights, as a Kindle book does.
 */
async function importReadwise(library: Library, books: readonly ReadwiseBook[], skipped: readonly string[], path: string): Promise<ImportOutcome[]> {
  const outcomes: ImportOutcome[] = [];
  const stamp = new Date().toISOString();
  const origin = { kind: 'readwise' as const, name: basename(path), path };
  for (const book of books) {
    const doc = readwiseDocument(book);
    const own = await library.findArticle({ identity: readwiseIdentity(book) });
    const held = own ? null : await heldArticle(library, book);
    if (!held) {
      outcomes.push(await library.importDocument(doc, origin).catch((e: unknown): ImportOutcome => ({ status: 'failed', path, reason: e instanceof Error ? e.message : String(e) })));
      continue;
    }
    const annotations = book.highlights.map((h) => ({
      id: null,
      name: `row ${h.row}`,
      exact: h.text,
      prefix: '',
      suffix: '',
      start: null,
      end: null,
      note: h.note,
      tags: h.tags,
      createdAt: h.date,
      updatedAt: h.date,
    }));
    const r = await attachAnnotations(library, held.id, annotations, stamp);
    const summary = await library.getSummary(held.id);
    const what = [
      ...(r.anchored + r.fuzzy ? [`${plural(r.anchored + r.fuzzy, 'highlight')} put on the article's text`] : []),
      ...(r.orphans.length ? [`${plural(r.orphans.length, 'orphan')} (not found in its text: ${r.orphans.join(', ')})`] : []),
      ...(r.duplicates ? [r.added ? `${r.duplicates} already there` : `all ${plural(r.duplicates, 'highlight')} already there`] : []),
    ].join('; ');
    outcomes.push({ status: r.added > 0 ? 'updated' : 'duplicate', id: held.id, title: summary.title, path, detail: what });
  }
  return withSkipped(outcomes, skipped, path);
}

import { open, readdir, realpath, stat } from 'node:fs/promises';
import { closeSync, fstatSync, openSync, readSync, type Dirent } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { describeIoError } from '../errors';
import { NO_ARTICLE_REASON, parseHtmlArticle } from './html';
import { PagePool } from './html-pool';
import { parseNewsText, parsePlainText } from './news-text';
import { importKindleClippings, isKindleClippings } from './kindle';
import { parseMarkdown } from './markdown';
import type { ParsedDocument } from './document';
import { MAX_ANNOTATION_FILE_BYTES, isAnnotationFileName, readAnnotationFile, type AnnotationFile } from './annotations';

/** Larger text files are refused rather than read into memory whole. */
export const MAX_TEXT_FILE_BYTES = 20 * 1024 * 1024;
const HTML_EXTENSIONS = new Set(['.html', '.htm', '.xhtml']);
const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown']);
// .json and .csv are read only when named: a folder holds too many that are not annotations.
const WANTED_IN_FOLDERS = new Set(['.txt', '.text', '.news', '.jsonld', ...HTML_EXTENSIONS, ...MARKDOWN_EXTENSIONS]);

export type FileFailure = { ok: false; path: string; reason: string };
/**
 * One file gives one document, or several (a Kindle export: one per book), with notes on what was skipped;
 * or it is an annotation file (JSON-LD, Hypothesis, Readwise CSV: `annotations`), applied to the library as a whole.
 */
export type FileRead = { ok: true; path: string; docs: ParsedDocument[]; notes: string[]; annotations?: AnnotationFile } | FileFailure;

/**
 * Expands files and folders (recursively, skipping hidden entries and not
 * following symbolic links out of the tree) into the files to import, in a
 * stable order so that a batch imports the same way every time. Inside a
 * folder only text and HTML files are taken; a file named explicitly is
 * always tried.
 */
export async function collectFiles(paths: readonly string[]): Promise<{ files: string[]; failures: FileFailure[] }> {
  const files: string[] = [];
  const failures: FileFailure[] = [];
  const walkDir = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      // Entry types come with the listing: no stat per file.
      entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
    } catch (e) {
      failures.push({ ok: false, path: dir, reason: describeIoError(e) });
      return;
    }
    entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    for (const entry of entries) {
      const child = join(dir, entry.name);
      if (entry.isDirectory()) await walkDir(child);
      else if (entry.isFile() && WANTED_IN_FOLDERS.has(extname(entry.name).toLowerCase())) files.push(child);
      // Links inside a folder are not followed: they could lead anywhere.
    }
  };
  for (const given of paths) {
    const path = resolve(given);
    let info;
    try {
      info = await stat(path); // a link named explicitly is the user's choice: follow it
    } catch (e) {
      failures.push({ ok: false, path, reason: describeIoError(e) });
      continue;
    }
    if (info.isDirectory()) await walkDir(await realpath(path));
    else if (info.isFile()) files.push(path);
    else failures.push({ ok: false, path, reason: 'not a regular file' });
  }
  return { files, failures };
}

/**
 * How a batch reads its files. Synchronously while reads are quick: a small
 * file from a local disk takes tens of microseconds, and its four trips to
 * the I/O threads (open, stat, read, close) cost more than that in thread
 * hand-overs (an import of 5,000 news files: 12% faster, half the kernel
 * time). Once a few reads have taken longer than SLOW_READ_MS (a network
 * share, a waking disk), the rest of the batch reads asynchronously, so that
 * the process is not held up by them; files over 1 MB always are.
 */
export class FileReads {
  private slow = 0;

  /** `slowReadMs`: what counts as a slow read (tests make every read slow). */
  constructor(private readonly slowReadMs = SLOW_READ_MS) {}

  /** Whether reads are still synchronous (tests). */
  get sync(): boolean {
    return this.slow < SLOW_READS;
  }

  async read(path: string): Promise<FileRead> {
    const sync = this.sync;
    const started = performance.now();
    const bytes = (sync ? readBytesSync(path) : null) ?? (await readBytesAsync(path));
    if (sync && performance.now() - started > this.slowReadMs) this.slow++;
    if (!Buffer.isBuffer(bytes)) return bytes;
    // Pages are parsed off the main thread (see html-pool.ts); text files are quick to parse here.
    return bytes.length > 0 && isHtml(path, bytes) ? pages.parse(path, bytes) : parseArticleBytes(path, bytes);
  }
}

/** SLOW_READS synchronous reads that took longer than this turn a batch's reads asynchronous (one may be a pause for garbage collection). */
const SLOW_READ_MS = 20;
const SLOW_READS = 3;
/** Larger files are always read asynchronously. */
const SYNC_READ_MAX_BYTES = 1024 * 1024;

/** Reads and parses one file; every refusal says why in words a person can act on. */
export function readArticleFile(path: string): Promise<FileRead> {
  return new FileReads().read(path);
}

function sizeLimit(path: string): number {
  return isAnnotationFileName(path) ? MAX_ANNOTATION_FILE_BYTES : MAX_TEXT_FILE_BYTES;
}

/**
 * The file's bytes, in one read of the size fstat gave (readFile would stat
 * again and read once more to find the end), or why it cannot be had; null
 * for a file too large to read synchronously.
 */
function readBytesSync(path: string): Buffer | FileFailure | null {
  try {
    const fd = openSync(path, 'r');
    try {
      const { size } = fstatSync(fd);
      if (size > SYNC_READ_MAX_BYTES) return null;
      const buffer = Buffer.allocUnsafe(size);
      let got = 0;
      while (got < size) {
        const bytesRead = readSync(fd, buffer, got, size - got, got);
        if (bytesRead === 0) break; // shrank while being read: take what is there
        got += bytesRead;
      }
      return buffer.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    return { ok: false, path, reason: describeIoError(e) };
  }
}

async function readBytesAsync(path: string): Promise<Buffer | FileFailure> {
  try {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      if (size > sizeLimit(path)) return tooLarge(path, size, sizeLimit(path));
      const buffer = Buffer.allocUnsafe(size);
      let got = 0;
      while (got < size) {
        const { bytesRead } = await fh.read(buffer, got, size - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buffer.subarray(0, got);
    } finally {
      await fh.close();
    }
  } catch (e) {
    return { ok: false, path, reason: describeIoError(e) };
  }
}

const pages = new PagePool(parseArticleBytes);

function isHtml(path: string, bytes: Uint8Array): boolean {
  return HTML_EXTENSIONS.has(extname(path).toLowerCase()) || looksLikeHtml(bytes);
}

/** Parses the bytes of one file (from disk, a drop or the clipboard) into documents. */
export function parseArticleBytes(path: string, bytes: Uint8Array): FileRead {
  if (bytes.length === 0) return { ok: false, path, reason: 'the file is empty' };
  const annotations = readAnnotationFile(path, bytes);
  if (annotations) return annotations;
  if (bytes.length > MAX_TEXT_FILE_BYTES) {
    return tooLarge(path, bytes.length);
  }
  const ext = extname(path).toLowerCase();
  if (isHtml(path, bytes)) return readHtmlFile(path, bytes);
  const text = decodeText(bytes);
  if (text === null) return { ok: false, path, reason: 'not a text file (binary content or an unknown encoding)' };
  if (isKindleClippings(text)) return readKindle(path, text);
  const doc = parseNewsText(text) ?? (MARKDOWN_EXTENSIONS.has(ext) ? parseMarkdown(text, basename(path)) : parsePlainText(text, basename(path)));
  if (!doc) return { ok: false, path, reason: 'the file holds no text' };
  return { ok: true, path, docs: [doc], notes: [] };
}

function tooLarge(path: string, size: number, limit = MAX_TEXT_FILE_BYTES): FileFailure {
  return { ok: false, path, reason: `too large (${(size / 1048576).toFixed(1)} MB; the limit is ${limit / 1048576} MB)` };
}

function readKindle(path: string, text: string): FileRead {
  const { documents, skipped, warnings } = importKindleClippings(text, { fileName: basename(path) });
  const notes = [
    ...(skipped.bookmarks ? [`${skipped.bookmarks} bookmark${skipped.bookmarks === 1 ? '' : 's'} skipped`] : []),
    ...(skipped.duplicates ? [`${skipped.duplicates} superseded highlight${skipped.duplicates === 1 ? '' : 's'} skipped`] : []),
    ...skipped.problems,
    ...warnings,
  ];
  if (documents.length === 0) return { ok: false, path, reason: `no highlights or notes to import${notes.length ? ` (${notes.join('; ')})` : ''}` };
  return { ok: true, path, docs: documents, notes };
}

/**
 * UTF-8 (with or without BOM) and UTF-16 with a BOM; anything with NUL bytes
 * or invalid UTF-8 is refused rather than imported as mojibake.
 */
export function decodeText(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return safeDecode('utf-16le', bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return safeDecode('utf-16be', bytes.subarray(2));
  if (bytes.includes(0)) return null;
  return safeDecode('utf-8', bytes);
}

function safeDecode(encoding: string, bytes: Uint8Array): string | null {
  try {
    const text = new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
    return text.includes('\u0000') ? null : text;
  } catch {
    return null;
  }
}

/** A page saved from a browser, whatever its name: a doctype or <html> first (after a BOM, blanks, comments). */
export function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048)).replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '');
  return /^(?:\s|<!--[\s\S]*?-->)*<(?:!doctype\s+html|html[\s>])/i.test(head);
}

function readHtmlFile(path: string, bytes: Uint8Array): FileRead {
  const text = decodeHtml(bytes);
  if (text === null) return { ok: false, path, reason: 'not a text file (binary content or an unknown encoding)' };
  let doc: ParsedDocument | null;
  try {
    doc = parseHtmlArticle(text, { fileName: basename(path) });
  } catch (e) {
    return { ok: false, path, reason: `the page could not be read (${e instanceof Error ? e.message : String(e)})` };
  }
  return doc ? { ok: true, path, docs: [doc], notes: [] } : { ok: false, path, reason: NO_ARTICLE_REASON };
}

/**
 * UTF-8 (or UTF-16 with a BOM) when the bytes are valid as such, whatever the
 * page declares: pages are often re-saved as UTF-8 with the old declaration
 * left in. Otherwise the charset the page declares in its first 1024 bytes
 * (as a browser's prescan looks), and with no declaration windows-1252, the
 * browsers' default for unlabelled Western pages.
 */
export function decodeHtml(bytes: Uint8Array): string | null {
  const text = decodeText(bytes);
  if (text !== null) return text;
  if (bytes.includes(0)) return null;
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  const declared =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1] ?? 'windows-1252';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(declared, { fatal: true });
  } catch {
    return null;
  }
  // A page declaring UTF-8 (or UTF-16, which a meta cannot honestly declare) that is not: unknown encoding.
  if (decoder.encoding === 'utf-8' || decoder.encoding.startsWith('utf-16')) return null;
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

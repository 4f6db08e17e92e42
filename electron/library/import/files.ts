import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { describeIoError } from '../errors';
import { NO_ARTICLE_REASON, parseHtmlArticle } from './html';
import { parseNewsText, parsePlainText, type ParsedDocument } from './news-text';

/** Larger text files are refused rather than read into memory whole. */
export const MAX_TEXT_FILE_BYTES = 20 * 1024 * 1024;
const TEXT_EXTENSIONS = new Set(['.txt', '.text', '.news']);
const HTML_EXTENSIONS = new Set(['.html', '.htm', '.xhtml']);

export type FileRead = { ok: true; path: string; doc: ParsedDocument } | { ok: false; path: string; reason: string };

/**
 * Expands files and folders (recursively, skipping hidden entries and not
 * following symbolic links out of the tree) into the files to import, in a
 * stable order so that a batch imports the same way every time.
 */
export async function collectFiles(paths: readonly string[]): Promise<{ files: string[]; failures: FileRead[] }> {
  const files: string[] = [];
  const failures: FileRead[] = [];
  const walk = async (path: string, top: boolean): Promise<void> => {
    let info;
    try {
      info = await lstat(path);
    } catch (e) {
      failures.push({ ok: false, path, reason: describeIoError(e) });
      return;
    }
    if (info.isSymbolicLink()) {
      if (!top) return;
      try {
        return await walk(await realpath(path), true);
      } catch (e) {
        failures.push({ ok: false, path, reason: describeIoError(e) });
        return;
      }
    }
    if (info.isDirectory()) {
      let entries: string[];
      try {
        entries = (await readdir(path)).filter((n) => !n.startsWith('.')).sort();
      } catch (e) {
        failures.push({ ok: false, path, reason: describeIoError(e) });
        return;
      }
      for (const name of entries) {
        const child = join(path, name);
        // Inside a folder only text files are taken; a file named explicitly is always tried.
        const ext = extname(name).toLowerCase();
        if (TEXT_EXTENSIONS.has(ext) || HTML_EXTENSIONS.has(ext) || (await isDir(child))) await walk(child, false);
      }
      return;
    }
    if (info.isFile()) files.push(path);
    else failures.push({ ok: false, path, reason: 'not a regular file' });
  };
  for (const p of paths) await walk(resolve(p), true);
  return { files, failures };
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Reads and parses one file; every refusal says why in words a person can act on. */
export async function readArticleFile(path: string): Promise<FileRead> {
  let bytes: Buffer;
  try {
    const info = await lstat(path);
    if (info.size > MAX_TEXT_FILE_BYTES) {
      return { ok: false, path, reason: `too large (${(info.size / 1048576).toFixed(1)} MB; the limit is ${MAX_TEXT_FILE_BYTES / 1048576} MB)` };
    }
    bytes = await readFile(path);
  } catch (e) {
    return { ok: false, path, reason: describeIoError(e) };
  }
  if (bytes.length === 0) return { ok: false, path, reason: 'the file is empty' };
  if (HTML_EXTENSIONS.has(extname(path).toLowerCase()) || looksLikeHtml(bytes)) return readHtmlFile(path, bytes);
  const text = decodeText(bytes);
  if (text === null) return { ok: false, path, reason: 'not a text file (binary content or an unknown encoding)' };
  const doc = parseNewsText(text) ?? parsePlainText(text, basename(path));
  if (!doc) return { ok: false, path, reason: 'the file holds no text' };
  return { ok: true, path, doc };
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
  return doc ? { ok: true, path, doc } : { ok: false, path, reason: NO_ARTICLE_REASON };
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

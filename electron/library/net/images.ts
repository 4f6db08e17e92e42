/**
 * An article's pictures, made local: every image block's source is
 * downloaded (or, for a data: URL, decoded), checked to really be a raster
 * image, and named by its content, so the article reads offline and the
 * renderer never asks the web for anything.
 *
 * The images are checked by their bytes, not by what the server says: a
 * server's Content-Type is a claim, and an SVG (which can carry script) or an
 * HTML page served as image/png must never be stored as a picture.
 */
import { createHash } from 'node:crypto';
import type { ParsedDocument } from '../import/document';
import type { Block } from '../model';
import { FetchError, formatBytes } from './errors';
import { fetchResource, type FetchOptions } from './fetch-page';

export const MAX_IMAGES = 50;
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const MAX_IMAGES_TOTAL_BYTES = 50 * 1024 * 1024;
export const IMAGE_CONCURRENCY = 4;

/** What a localised image block's src looks like: `images/` + 16 hex digits of SHA-256 + the sniffed type's extension. */
export const LOCAL_IMAGE_SRC = /^images\/[0-9a-f]{16}\.(?:png|jpg|gif|webp|avif)$/;

const ACCEPT_IMAGE = 'image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1';

export type ImageType = { mime: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'image/avif'; ext: 'png' | 'jpg' | 'gif' | 'webp' | 'avif' };

export type LocalImageFile = {
  /** The same string as the block's new src: `images/<sha256-16>.<ext>`, relative to the article's folder. */
  name: string;
  bytes: Uint8Array;
  mime: ImageType['mime'];
};

export type ImageFailure = {
  /** The block's original src (a data: URL shortened to its head and size). */
  url: string;
  reason: string;
};

export type LocaliseOptions = {
  fetchImpl?: typeof fetch;
  /** Distinct image sources taken per article; the rest fail with a reason. */
  maxImages?: number;
  maxBytesEach?: number;
  /** All images of the article together; past it, further images fail. */
  maxTotalBytes?: number;
  /** Per image. */
  timeoutMs?: number;
  concurrency?: number;
  signal?: AbortSignal;
};

export type LocalisedImages = { doc: ParsedDocument; files: LocalImageFile[]; failures: ImageFailure[] };

/** The raster types we keep, by their magic bytes; anything else is null. */
export function sniffImage(bytes: Uint8Array): ImageType | null {
  const at = (offset: number, ascii: string) => [...ascii].every((c, i) => bytes[offset + i] === c.charCodeAt(0));
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) return { mime: 'image/png', ext: 'png' };
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { mime: 'image/jpeg', ext: 'jpg' };
  if (at(0, 'GIF87a') || at(0, 'GIF89a')) return { mime: 'image/gif', ext: 'gif' };
  if (at(0, 'RIFF') && at(8, 'WEBP')) return { mime: 'image/webp', ext: 'webp' };
  // AVIF: an ISO-BMFF 'ftyp' box whose major or a compatible brand is avif (still) or avis (sequence).
  if (bytes.length >= 16 && at(4, 'ftyp')) {
    const boxSize = ((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0);
    const end = Math.min(boxSize >= 16 ? boxSize : 16, bytes.length, 256);
    for (let offset = 8; offset + 4 <= end; offset += 4) {
      if (offset === 12) continue; // minor_version, not a brand
      if (at(offset, 'avif') || at(offset, 'avis')) return { mime: 'image/avif', ext: 'avif' };
    }
  }
  return null;
}

const NOT_AN_IMAGE = 'not a PNG, JPEG, GIF, WebP or AVIF image';

/** Why bytes that are not a kept image were refused; SVG named, since it looks like an image to a person. */
function refusal(bytes: Uint8Array, declaredType: string): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (declaredType === 'image/svg+xml' || /<svg[\s>]/i.test(head)) return 'SVG images are not kept (they can carry scripts)';
  return NOT_AN_IMAGE;
}

type Outcome = { ok: true; file: LocalImageFile } | { ok: false; reason: string };

/**
 * Downloads and checks the images of `doc`. Returns a new document (the
 * given one is not changed) in which every image block's src is either a
 * local `images/…` name or '' (a failed image keeps its block and its text,
 * so the canonical text, and every clipping position in it, stays the same).
 */
export async function localiseImages(doc: ParsedDocument, opts: LocaliseOptions = {}): Promise<LocalisedImages> {
  const maxImages = opts.maxImages ?? MAX_IMAGES;
  const maxBytesEach = opts.maxBytesEach ?? MAX_IMAGE_BYTES;
  const maxTotalBytes = opts.maxTotalBytes ?? MAX_IMAGES_TOTAL_BYTES;
  const concurrency = Math.max(1, opts.concurrency ?? IMAGE_CONCURRENCY);

  // Each distinct source once, in the order the article shows them.
  const sources: string[] = [];
  for (const block of doc.blocks) {
    if (block.kind === 'image' && block.src && !LOCAL_IMAGE_SRC.test(block.src) && !sources.includes(block.src)) sources.push(block.src);
  }

  const outcomes = new Map<string, Outcome>();
  let totalBytes = 0;
  const take = (bytes: Uint8Array, declaredType: string): Outcome => {
    const type = sniffImage(bytes);
    if (!type) return { ok: false, reason: refusal(bytes, declaredType) };
    if (totalBytes + bytes.length > maxTotalBytes) return { ok: false, reason: `the article's images together are larger than ${formatBytes(maxTotalBytes)}` };
    totalBytes += bytes.length;
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
    return { ok: true, file: { name: `images/${hash}.${type.ext}`, bytes, mime: type.mime } };
  };

  const load = async (src: string): Promise<Outcome> => {
    if (/^data:/i.test(src)) {
      const data = decodeDataUrl(src);
      if (!data) return { ok: false, reason: 'not a readable data: image' };
      if (data.bytes.length > maxBytesEach) return { ok: false, reason: `larger than ${formatBytes(maxBytesEach)}` };
      return take(data.bytes, data.mime);
    }
    let url: URL;
    try {
      url = new URL(src);
    } catch {
      return { ok: false, reason: 'a relative address with no page to resolve it against' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `only http and https images are fetched, not ${url.protocol}` };
    try {
      const fetchOpts: FetchOptions = { accept: ACCEPT_IMAGE, maxBytes: maxBytesEach };
      if (opts.fetchImpl) fetchOpts.fetchImpl = opts.fetchImpl;
      if (opts.timeoutMs !== undefined) fetchOpts.timeoutMs = opts.timeoutMs;
      if (opts.signal) fetchOpts.signal = opts.signal;
      const res = await fetchResource(url.href, fetchOpts);
      return take(res.bytes, res.contentType);
    } catch (e) {
      if (e instanceof FetchError) return { ok: false, reason: e.reason };
      return { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
  };

  const wanted = sources.slice(0, maxImages);
  for (const src of sources.slice(maxImages)) outcomes.set(src, { ok: false, reason: `more than ${maxImages} images in the article` });
  let next = 0;
  const worker = async () => {
    while (next < wanted.length) {
      const src = wanted[next++] as string;
      outcomes.set(src, await load(src));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, wanted.length) }, worker));

  const files = new Map<string, LocalImageFile>();
  const failures: ImageFailure[] = [];
  for (const src of sources) {
    const outcome = outcomes.get(src);
    if (outcome?.ok) files.set(outcome.file.name, outcome.file);
    else failures.push({ url: describeSource(src), reason: outcome?.reason ?? NOT_AN_IMAGE });
  }
  const blocks: Block[] = doc.blocks.map((block) => {
    if (block.kind !== 'image') return block;
    if (LOCAL_IMAGE_SRC.test(block.src)) return block;
    const outcome = block.src ? outcomes.get(block.src) : undefined;
    return { ...block, src: outcome?.ok ? outcome.file.name : '' };
  });
  return { doc: { ...doc, blocks }, files: [...files.values()], failures };
}

/** data:[<mime>][;base64],<data> → bytes; null when it is not well formed. */
export function decodeDataUrl(src: string): { mime: string; bytes: Uint8Array } | null {
  const m = /^data:([^,]*?),(.*)$/is.exec(src);
  if (!m) return null;
  const meta = (m[1] ?? '').split(';').map((s) => s.trim().toLowerCase());
  const mime = meta[0] ?? '';
  const payload = m[2] ?? '';
  try {
    if (meta.includes('base64')) {
      const clean = payload.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/\-_]*={0,2}$/.test(clean)) return null;
      return { mime, bytes: new Uint8Array(Buffer.from(clean, 'base64')) };
    }
    // Percent-encoded bytes (not UTF-8 text: decodeURIComponent would refuse binary).
    const latin1 = payload.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return { mime, bytes: new Uint8Array(Buffer.from(latin1, 'latin1')) };
  } catch {
    return null;
  }
}

/** A data: URL can be megabytes long; a failure names its head and size instead. */
function describeSource(src: string): string {
  if (!/^data:/i.test(src) || src.length <= 80) return src;
  return `${src.slice(0, src.indexOf(',') + 1 || 40)}… (${formatBytes(src.length)} of data)`;
}

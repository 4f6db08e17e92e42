import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import type { Article } from '../model';
import type { ArticleRecord } from './records';
import { normalizeUrl } from '../urls';

/**
 * What the Library keeps of an article without its record: the list's
 * metadata, what recognises a duplicate, and the ids, labels and tags of its
 * clippings (tag counts, label use, which article a clipping belongs to).
 * The record itself (notes, quotes, selectors) is read when the article is
 * opened or changed.
 */
export type ClippingHead = { id: string; label: string; tags: string[] };
export type ArticleHead = {
  article: Article;
  clippings: ClippingHead[];
  /** Dedup hashes of the earlier texts: a re-import of one of them is a duplicate too. */
  versionDedups: string[];
  identity: string | null;
};

export function headOf(record: ArticleRecord): ArticleHead {
  return {
    article: record.article,
    clippings: record.clippings.map((c) => ({ id: c.id, label: c.label, tags: c.tags })),
    versionDedups: record.versions.map((v) => v.dedupHash),
    identity: record.identity,
  };
}

/**
 * The keys every article needs from the moment the library opens, to list
 * the first page in order; and those needed soon after (to recognise a
 * duplicate, or which article a clipping is in), read in the background.
 */
export const LIST_KEYS = ['id', 'published', 'importedAt', 'title'] as const;
export const LATER_KEYS = ['dedupHash', 'url', 'identity', 'versionDedups', 'clippingIds'] as const;
export type ListKey = (typeof LIST_KEYS)[number];
export type LaterKey = (typeof LATER_KEYS)[number];
const LIST_AT = Object.fromEntries(LIST_KEYS.map((f, i) => [f, i])) as Record<ListKey, number>;
const LATER_AT = Object.fromEntries(LATER_KEYS.map((f, i) => [f, i])) as Record<LaterKey, number>;

export function keysOf(head: ArticleHead): Record<ListKey | LaterKey, string> {
  const a = head.article;
  return {
    id: a.id,
    published: a.published ?? '',
    importedAt: a.importedAt,
    title: a.title,
    dedupHash: a.dedupHash,
    // Normalised here, once, rather than at every open (URL parsing 100,000 times is most of a second).
    url: a.url ? normalizeUrl(a.url) : '',
    identity: head.identity ?? '',
    // Hex hashes and ids ([A-Za-z0-9_-]) never hold a space.
    versionDedups: head.versionDedups.join(' '),
    clippingIds: head.clippings.map((c) => c.id).join(' '),
  };
}

/**
 * The catalog cache: every article's head in one file, so that opening a
 * library of 100,000 articles reads one file instead of 100,000 records.
 * Derived data, written whole (temp file, rename) when the library closes
 * and now and then while it is open; a missing, damaged or other-version
 * cache means the records are read one by one, as they always can be.
 * Changes made after it was written are found through the change markers
 * (see Library), never by trusting it.
 *
 * Articles are kept in list order (the next open need not sort them). Two
 * sections, each under its own CRC-32. The first holds the list keys (id,
 * published, imported, title: ~60 bytes an article) and the first 200 heads
 * whole (the first page, without reading records), read at open; the
 * second the later keys and every head as JSON, read in the background and
 * parsed one head at a time when first needed. Each section: u32 end
 * offsets of its key strings (UTF-16 units), then (second only) u32 byte
 * ends of the heads, then the key strings as one UTF-8 run, then the heads.
 *
 * Why this shape: at 100,000 articles the heads are ~115 MB. JSON.parse of
 * all of them at once took 2.5 s here, decoding every field into strings
 * 1.4 s (mostly the garbage collector), reading and checking the file alone
 * ~1 s on a busy machine. The first section is ~6 MB.
 */
const MAGIC = Buffer.from('CUTCAT\u0000\u0004', 'latin1');
const FORMAT = 'cuttings-catalog-cache';
/** Bump when the layout, the keys or the shape of a head changes. */
export const CATALOG_CACHE_VERSION = 4;
export const CATALOG_CACHE_FILE = 'catalog.cache';

type Section = { offset: number; bytes: number; chars: number; textBytes: number; crc32: number };
type Header = { format: string; version: number; seq: number; count: number; problems: string[]; list: Section & { leadBytes: number }; later: Section & { headBytes: number } };
/** Heads kept whole in the first section: more than a window's first page. */
const LEAD_HEADS = 200;

export class CatalogCacheError extends Error {}

/** Every field of Article this cache was written for: an article with any other is refused (see encode). */
const ARTICLE_FIELDS = new Set(['id', 'title', 'source', 'byline', 'published', 'dateline', 'url', 'language', 'dir', 'tags', 'readingState', 'progress', 'importedAt', 'updatedAt', 'textHash', 'dedupHash', 'wordCount', 'origin']);

function keySection(strings: string[]): { ends: Buffer; text: Buffer; chars: number } {
  const ends = new Uint32Array(strings.length);
  let at = 0;
  strings.forEach((s, i) => {
    at += s.length;
    ends[i] = at;
  });
  return { ends: Buffer.from(ends.buffer), text: Buffer.from(strings.join(''), 'utf8'), chars: at };
}

/**
 * An article as the encoder takes it: a head, or (unchanged since the cache
 * it came from) that cache's own keys and bytes, copied as they are, so
 * that rewriting the cache of a large library costs copies, not JSON.
 */
export type CacheItem = ArticleHead | { keys: Record<ListKey | LaterKey, string>; json: Buffer };

export function encodeCatalogCache(input: { seq: number; heads: readonly CacheItem[]; problems: readonly string[] }): Buffer {
  return Buffer.concat(encodeCatalogCacheParts(input));
}

/** The file as the pieces to write one after the other (fh.writev): no copy of the whole made in memory. */
export function encodeCatalogCacheParts(input: { seq: number; heads: readonly CacheItem[]; problems: readonly string[] }): Buffer[] {
  const n = input.heads.length;
  const listKeys: string[] = new Array(n * LIST_KEYS.length);
  const laterKeys: string[] = new Array(n * LATER_KEYS.length);
  const heads: Buffer[] = new Array(n);
  const headEnds = new Uint32Array(n);
  let headBytes = 0;
  input.heads.forEach((item, i) => {
    let k: Record<ListKey | LaterKey, string>;
    let json: Buffer;
    if ('json' in item) ({ keys: k, json } = item);
    else {
      for (const key of Object.keys(item.article)) {
        // A field added to Article and not known here would be lost by a cache: refuse, and the records are read instead.
        if (!ARTICLE_FIELDS.has(key)) throw new CatalogCacheError(`the catalog cache does not know the article field ${key}`);
      }
      k = keysOf(item);
      json = Buffer.from(JSON.stringify(item), 'utf8');
    }
    LIST_KEYS.forEach((f, j) => (listKeys[i * LIST_KEYS.length + j] = k[f]));
    LATER_KEYS.forEach((f, j) => (laterKeys[i * LATER_KEYS.length + j] = k[f]));
    heads[i] = json;
    headBytes += json.length;
    headEnds[i] = headBytes;
  });
  const list = keySection(listKeys);
  const later = keySection(laterKeys);
  // The first page or so of heads, whole, in the first section: the list shows without reading a record.
  const leading = heads.slice(0, LEAD_HEADS);
  const lead = Buffer.concat([Buffer.from('['), ...leading.flatMap((h, i) => (i === 0 ? [h] : [Buffer.from(','), h])), Buffer.from(']')]);
  const listParts = [list.ends, list.text, lead];
  const laterParts = [later.ends, Buffer.from(headEnds.buffer), later.text, ...coalesce(heads)];
  const size = (parts: Buffer[]) => parts.reduce((n, p) => n + p.length, 0);
  const crcOf = (parts: Buffer[]) => parts.reduce((c, p) => crc32(p, c), 0);
  const listBody = { length: size(listParts), crc: crcOf(listParts) };
  const laterBody = { length: size(laterParts), crc: crcOf(laterParts) };
  const header = (offset: number): Header => ({
    format: FORMAT,
    version: CATALOG_CACHE_VERSION,
    seq: input.seq,
    count: n,
    problems: [...input.problems],
    list: { offset, bytes: listBody.length, chars: list.chars, textBytes: list.text.length, leadBytes: lead.length, crc32: listBody.crc },
    later: { offset: offset + listBody.length, bytes: laterBody.length, chars: later.chars, textBytes: later.text.length, headBytes, crc32: laterBody.crc },
  });
  // The header names where the sections start, which depends on its own length: measure once with a wide offset.
  const probe = Buffer.byteLength(JSON.stringify(header(1e12)));
  const start = MAGIC.length + 4 + probe + ((4 - ((MAGIC.length + 4 + probe) % 4)) % 4);
  const headerBytes = Buffer.from(JSON.stringify(header(start)), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(start - MAGIC.length - 4);
  return [MAGIC, length, headerBytes, Buffer.alloc(start - MAGIC.length - 4 - headerBytes.length, 0x20), ...listParts, ...laterParts];
}

/**
 * Neighbouring views of the same memory as one view: heads copied from the
 * cache being replaced mostly keep their order, so 100,000 small copies
 * become a few large ones (1.7 s → a tenth of that here).
 */
function coalesce(parts: readonly Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last && last.buffer === p.buffer && last.byteOffset + last.length === p.byteOffset) {
      out[out.length - 1] = Buffer.from(last.buffer, last.byteOffset, last.length + p.length);
    } else out.push(p);
  }
  return out;
}

function splitKeys(body: Buffer, count: number, section: Section, at: number): string[] {
  const ends = new Uint32Array(count);
  Buffer.from(ends.buffer).set(body.subarray(0, count * 4));
  const text = body.toString('utf8', at, at + section.textBytes);
  if (text.length !== section.chars) throw new CatalogCacheError('its keys are damaged');
  const keys = new Array<string>(count);
  let from = 0;
  for (let i = 0; i < count; i++) {
    const to = ends[i] as number;
    if (to < from || to > text.length) throw new CatalogCacheError('its keys are damaged');
    keys[i] = text.slice(from, to);
    from = to;
  }
  return keys;
}

/** A catalog cache as opened: its list keys now, the rest when `loadLater` has read it. */
export class CatalogCache {
  private constructor(
    private readonly path: string,
    private readonly header: Header,
    private readonly keys: string[],
    private readonly lead: ArticleHead[],
  ) {}

  /** The head of one of the first articles in list order (see LEAD_HEADS), or null. */
  leadHead(slot: number): ArticleHead | null {
    return this.lead[slot] ?? null;
  }

  get seq(): number {
    return this.header.seq;
  }
  get count(): number {
    return this.header.count;
  }
  get problems(): string[] {
    return Array.isArray(this.header.problems) ? this.header.problems.filter((p): p is string => typeof p === 'string') : [];
  }

  /** Reads the header and the list keys; null when there is no cache, CatalogCacheError when it cannot be used. */
  static async open(path: string): Promise<CatalogCache | null> {
    let fh;
    try {
      fh = await open(path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new CatalogCacheError(`it could not be read (${(e as Error).message})`);
    }
    try {
      const start = Buffer.alloc(MAGIC.length + 4);
      await fh.read(start, 0, start.length, 0);
      if (!start.subarray(0, MAGIC.length).equals(MAGIC)) throw new CatalogCacheError('it is not a catalog cache of this version');
      const headerLength = start.readUInt32LE(MAGIC.length);
      if (headerLength > 64 * 1024 * 1024) throw new CatalogCacheError('its header is damaged');
      const raw = Buffer.alloc(headerLength);
      await fh.read(raw, 0, headerLength, start.length);
      let header: Header;
      try {
        header = JSON.parse(raw.toString('utf8')) as Header;
      } catch {
        throw new CatalogCacheError('its header is damaged');
      }
      if (header.format !== FORMAT || header.version !== CATALOG_CACHE_VERSION) throw new CatalogCacheError(`it is of another version (${String(header.version)})`);
      const n = header.count;
      const { size } = await fh.stat();
      if (!Number.isInteger(n) || n < 0 || header.list.bytes !== n * LIST_KEYS.length * 4 + header.list.textBytes + header.list.leadBytes || header.later.offset + header.later.bytes !== size) {
        throw new CatalogCacheError('it is truncated');
      }
      const body = Buffer.allocUnsafe(header.list.bytes);
      const { bytesRead } = await fh.read(body, 0, body.length, header.list.offset);
      if (bytesRead !== body.length || crc32(body) !== header.list.crc32) throw new CatalogCacheError('its checksum does not match');
      const keysAt = n * LIST_KEYS.length * 4;
      let lead: ArticleHead[];
      try {
        lead = JSON.parse(body.toString('utf8', keysAt + header.list.textBytes)) as ArticleHead[];
      } catch {
        throw new CatalogCacheError('its first heads are damaged');
      }
      const cache = new CatalogCache(path, header, splitKeys(body, n * LIST_KEYS.length, header.list, keysAt), lead);
      lead.forEach((h, slot) => {
        if (h?.article?.id !== cache.listKey(slot, 'id')) throw new CatalogCacheError('its first heads are damaged');
      });
      return cache;
    } finally {
      await fh.close();
    }
  }

  listKey(slot: number, field: ListKey): string {
    return this.keys[slot * LIST_KEYS.length + LIST_AT[field]] as string;
  }

  /** Reads and checks the second section a slice at a time, so that the process stays responsive meanwhile. */
  async loadLater(): Promise<CatalogLater> {
    const { header } = this;
    const n = header.count;
    const fh = await open(this.path, 'r');
    let body: Buffer;
    try {
      body = Buffer.allocUnsafe(header.later.bytes);
      const { bytesRead } = await fh.read(body, 0, body.length, header.later.offset);
      if (bytesRead !== body.length) throw new CatalogCacheError('it is truncated');
    } finally {
      await fh.close();
    }
    let crc = 0;
    const SLICE = 8 * 1024 * 1024;
    for (let at = 0; at < body.length; at += SLICE) {
      crc = crc32(body.subarray(at, at + SLICE), crc);
      await new Promise((r) => setImmediate(r));
    }
    if (crc !== header.later.crc32) throw new CatalogCacheError('its checksum does not match');
    const keyCount = n * LATER_KEYS.length;
    const headEnds = new Uint32Array(n);
    Buffer.from(headEnds.buffer).set(body.subarray(keyCount * 4, keyCount * 4 + n * 4));
    const textAt = (keyCount + n) * 4;
    const keys = splitKeys(body, keyCount, header.later, textAt);
    return new CatalogLater(this, keys, headEnds, body.subarray(textAt + header.later.textBytes));
  }
}

export class CatalogLater {
  constructor(
    private readonly cache: CatalogCache,
    private readonly keys: string[],
    private readonly headEnds: Uint32Array,
    private readonly heads: Buffer,
  ) {}

  key(slot: number, field: LaterKey): string {
    return this.keys[slot * LATER_KEYS.length + LATER_AT[field]] as string;
  }

  /** Article `slot` as the encoder takes it unchanged: its keys and its head's bytes. */
  item(slot: number): CacheItem {
    const keys = {} as Record<ListKey | LaterKey, string>;
    for (const f of LIST_KEYS) keys[f] = this.cache.listKey(slot, f);
    for (const f of LATER_KEYS) keys[f] = this.key(slot, f);
    const from = slot === 0 ? 0 : (this.headEnds[slot - 1] as number);
    return { keys, json: this.heads.subarray(from, this.headEnds[slot]) };
  }

  /** Article `slot`'s head, parsed now (the caller keeps it). */
  head(slot: number): ArticleHead {
    const from = slot === 0 ? 0 : (this.headEnds[slot - 1] as number);
    const head = JSON.parse(this.heads.toString('utf8', from, this.headEnds[slot])) as ArticleHead;
    if (head?.article?.id !== this.cache.listKey(slot, 'id')) throw new CatalogCacheError(`its entry ${slot} is damaged`);
    return head;
  }
}

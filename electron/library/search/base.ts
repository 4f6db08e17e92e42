import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { endianness } from 'node:os';
import { PostingsBuilder, type Postings } from './postings';
import { SortedVocab } from './vocab';

/**
 * The base segment: the bulk of the index, immutable, written as one binary
 * file and loaded by wrapping its bytes in typed arrays (no parse per
 * posting, no object per term or document). Changes since it was written
 * live in the delta (see state.ts) until a compaction folds them in.
 */

/** Bump when tokenizing, weighting or the layout changes: an index of another version is rebuilt, never read. */
export const FORMAT_VERSION = 1;
const FORMAT = 'cuttings-search-index';

/** No published date: sorts last, and never inside a date range. */
export const NO_DATE = -2147483648;

export class IndexFileError extends Error {}

/** What the index keeps of an article's clipping, ready to apply (and the delta file's form). */
export type PreparedClipping = {
  id: string;
  /** Fingerprint of quote and note: their terms are recomputed only when it changes. */
  fp: number;
  label: string;
  tags: string[];
  start: number;
  end: number;
  /** [term, class, term, class, …] of quote and note; null: unchanged, the index already has them. */
  terms: (string | number)[] | null;
  len: number;
};

export type PreparedArticle = {
  id: string;
  /** The article's updatedAt: any change to it (tags, state, clippings) changes this. */
  updated: string;
  /** Fingerprint of text hash, title and byline (see textKeyOf): whether the text must be indexed again. */
  textKey: number;
  /** Days since 1970-01-01, or NO_DATE. */
  published: number;
  state: number;
  source: string | null;
  tags: string[];
  terms: (string | number)[] | null;
  len: number;
  clippings: PreparedClipping[];
};

/**
 * Many short strings (500,000 clipping ids) as one string and where each
 * starts: loading them is one decode, not an object per id.
 */
export type PackedStrings = { text: string; starts: Uint32Array };

export function packStrings(list: readonly string[]): PackedStrings {
  const starts = new Uint32Array(list.length + 1);
  let at = 0;
  list.forEach((s, i) => {
    starts[i] = at;
    at += s.length;
  });
  starts[list.length] = at;
  return { text: list.join(''), starts };
}

export type ArticleColumns = {
  ids: string[];
  updated: string[];
  textKeys: Float64Array;
  published: Int32Array;
  state: Uint8Array;
  source: Int32Array;
  len: Uint32Array;
  tagCount: Uint8Array;
  tagIds: Uint32Array;
};

export type ClippingColumns = {
  ids: PackedStrings;
  article: Uint32Array;
  start: Uint32Array;
  end: Uint32Array;
  label: Uint16Array;
  len: Uint16Array;
  fp: Uint32Array;
  tagCount: Uint8Array;
  tagIds: Uint32Array;
};

export type BaseData = {
  /** Random per written base: the postings file and the delta file name the base they belong to. */
  generation: string;
  vocab: SortedVocab;
  /** Postings bytes arrive separately (their own file, loaded after open): null until then, see attachPostings. */
  a: Postings;
  c: Postings;
  tables: { sources: string[]; tags: string[]; labels: string[] };
  articles: ArticleColumns;
  clippings: ClippingColumns;
};

export class Interner {
  readonly list: string[];
  private readonly ids = new Map<string, number>();

  constructor(list: readonly string[] = []) {
    this.list = [...list];
    this.list.forEach((s, i) => this.ids.set(s, i));
  }

  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  get(s: string): number | undefined {
    return this.ids.get(s);
  }
}

export function newGeneration(): string {
  return randomBytes(8).toString('hex');
}

/** An empty base: a new library, or one whose index is being rebuilt. */
export function emptyBase(): BaseData {
  return new BaseBuilder().finish();
}

/**
 * Builds a base from whole documents, in one pass, slots in the order
 * added. Used to build an index from scratch (first open, a damaged file,
 * the benchmark); changes to a built index go through the delta instead.
 */
export class BaseBuilder {
  private readonly postings = new PostingsBuilder();
  private readonly sources = new Interner();
  private readonly tags = new Interner();
  private readonly labels = new Interner();
  private readonly a = { ids: [] as string[], updated: [] as string[], textKeys: [] as number[], published: [] as number[], state: [] as number[], source: [] as number[], len: [] as number[], tagCount: [] as number[], tagIds: [] as number[] };
  private readonly c = { ids: [] as string[], article: [] as number[], start: [] as number[], end: [] as number[], label: [] as number[], len: [] as number[], fp: [] as number[], tagCount: [] as number[], tagIds: [] as number[] };

  get articleCount(): number {
    return this.a.ids.length;
  }

  add(p: PreparedArticle): void {
    const slot = this.a.ids.length;
    this.a.ids.push(p.id);
    this.a.updated.push(p.updated);
    this.a.textKeys.push(p.textKey);
    this.a.published.push(p.published);
    this.a.state.push(p.state);
    this.a.source.push(p.source === null ? -1 : this.sources.id(p.source));
    this.a.len.push(p.len);
    for (const t of p.tags) this.a.tagIds.push(this.tags.id(t));
    this.a.tagCount.push(p.tags.length);
    addTerms(this.postings, 0, slot, p.terms ?? []);
    for (const c of p.clippings) {
      const cs = this.c.ids.length;
      this.c.ids.push(c.id);
      this.c.article.push(slot);
      this.c.start.push(c.start);
      this.c.end.push(c.end);
      this.c.label.push(this.labels.id(c.label));
      this.c.len.push(Math.min(c.len, 65535));
      this.c.fp.push(c.fp);
      for (const t of c.tags) this.c.tagIds.push(this.tags.id(t));
      this.c.tagCount.push(c.tags.length);
      addTerms(this.postings, 1, cs, c.terms ?? []);
    }
  }

  finish(): BaseData {
    const { vocab, a, c } = this.postings.finish();
    return {
      generation: newGeneration(),
      vocab,
      a,
      c,
      tables: { sources: this.sources.list, tags: this.tags.list, labels: this.labels.list },
      articles: {
        ids: this.a.ids,
        updated: this.a.updated,
        textKeys: Float64Array.from(this.a.textKeys),
        published: Int32Array.from(this.a.published),
        state: Uint8Array.from(this.a.state),
        source: Int32Array.from(this.a.source),
        len: Uint32Array.from(this.a.len),
        tagCount: Uint8Array.from(this.a.tagCount),
        tagIds: Uint32Array.from(this.a.tagIds),
      },
      clippings: {
        ids: packStrings(this.c.ids),
        article: Uint32Array.from(this.c.article),
        start: Uint32Array.from(this.c.start),
        end: Uint32Array.from(this.c.end),
        label: Uint16Array.from(this.c.label),
        len: Uint16Array.from(this.c.len),
        fp: Uint32Array.from(this.c.fp),
        tagCount: Uint8Array.from(this.c.tagCount),
        tagIds: Uint32Array.from(this.c.tagIds),
      },
    };
  }
}

function addTerms(postings: PostingsBuilder, kind: 0 | 1, slot: number, flat: readonly (string | number)[]): void {
  for (let i = 0; i < flat.length; i += 2) postings.add(kind, flat[i] as string, slot, flat[i + 1] as number);
}

// ---------------------------------------------------------------- the files

/*
 * Two files: the index (vocabulary, posting offsets, per-document columns:
 * what opening and reconciling need) and the postings (most of the bytes,
 * needed only by queries). Opening reads the postings file while it decodes
 * the index and reconciles it with the library, so the larger read costs no
 * wall time of its own. Each file: 8-byte magic, u32 header length, header
 * JSON, then sections each on an 8-byte boundary so they are used in place
 * as typed arrays. Little-endian (every platform Electron ships for); a file
 * from a big-endian machine is rebuilt. CRC-32 of the body in the header:
 * the index is derived data, and CRC-32 catches torn writes and flipped bits
 * at a fifth of SHA-256's cost on 100 MB (measured here: 14 ms vs 47 ms per
 * 64 MB idle; several times that under load).
 */

type Typed = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array;
const TYPES = { u8: Uint8Array, u16: Uint16Array, i32: Int32Array, u32: Uint32Array, f64: Float64Array } as const;
type TypeName = keyof typeof TYPES;
type SectionEntry = [name: string, type: TypeName | 'text', offset: number, length: number];

const INDEX_MAGIC = 'CUTSRCH\n';
const POSTINGS_MAGIC = 'CUTSPST\n';

type IndexHeader = {
  format: string;
  version: number;
  generation: string;
  endianness: string;
  counts: { terms: number; articles: number; clippings: number };
  tables: BaseData['tables'];
  sections: SectionEntry[];
  crc32: number;
  /** Where the postings are in their file (absolute offsets) and how long; their blocks' CRCs are a section. */
  postings: { at: { a: number; c: number }; a: number; c: number; bodyAt: number; fileLength: number };
};

type PostingsHeader = { format: string; version: number; generation: string; sections: SectionEntry[]; crc32: number };

/**
 * The postings file is checked in blocks, each with its own CRC-32 (kept in
 * the index file): a query made before the whole file is loaded reads and
 * checks only the blocks its terms are in.
 */
export const POSTINGS_BLOCK = 65536;

const pad8 = (n: number) => (n + 7) & ~7;

function packFile(magic: string, header: Record<string, unknown>, parts: [string, TypeName | 'text', Uint8Array][]): { bytes: Uint8Array; crc: number; bodyAt: number; sections: SectionEntry[] } {
  if (new Set(parts.map((p) => p[0])).size !== parts.length) throw new Error('two index sections share a name');
  const sections: SectionEntry[] = [];
  let at = 0;
  for (const [name, type, bytes] of parts) {
    sections.push([name, type, at, type === 'text' ? bytes.length : bytes.length / TYPES[type].BYTES_PER_ELEMENT]);
    at = pad8(at + bytes.length);
  }
  const body = new Uint8Array(at);
  parts.forEach(([, , bytes], i) => body.set(bytes, (sections[i] as SectionEntry)[2]));
  const crc = crc32(body);
  const headerBytes = Buffer.from(JSON.stringify({ ...header, sections, crc32: crc }), 'utf8');
  const bodyAt = pad8(12 + headerBytes.length);
  const out = new Uint8Array(bodyAt + body.length);
  out.set(Buffer.from(magic, 'latin1'), 0);
  new DataView(out.buffer).setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 12);
  out.set(body, bodyAt);
  return { bytes: out, crc, bodyAt, sections };
}

function blockCrcs(file: Uint8Array, bodyAt: number): Uint32Array {
  const n = Math.ceil((file.length - bodyAt) / POSTINGS_BLOCK);
  const crcs = new Uint32Array(n);
  for (let i = 0; i < n; i++) crcs[i] = crc32(file.subarray(bodyAt + i * POSTINGS_BLOCK, Math.min(file.length, bodyAt + (i + 1) * POSTINGS_BLOCK)));
  return crcs;
}

const bytesOf = (a: Typed) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The two files of a base. The postings file is written first: an index file names the postings it needs. */
export function encodeBase(data: BaseData): { index: Uint8Array; postings: Uint8Array } {
  if (!data.a.bytes || !data.c.bytes) throw new Error('the postings are not loaded');
  const postings = packFile(POSTINGS_MAGIC, { format: POSTINGS_FORMAT, version: FORMAT_VERSION, generation: data.generation }, [
    ['a', 'u8', data.a.bytes],
    ['c', 'u8', data.c.bytes],
  ]);
  const a = data.articles;
  const c = data.clippings;
  const text = (name: string, value: string): [string, 'text', Uint8Array] => [name, 'text', Buffer.from(value, 'utf8')];
  const where = (name: string) => postings.bodyAt + ((postings.sections.find((x) => x[0] === name) as SectionEntry)[2]);
  const index = packFile(
    INDEX_MAGIC,
    {
      format: FORMAT,
      version: FORMAT_VERSION,
      generation: data.generation,
      endianness: endianness(),
      counts: { terms: data.vocab.size, articles: a.ids.length, clippings: c.ids.starts.length - 1 },
      tables: data.tables,
      postings: { at: { a: where('a'), c: where('c') }, a: data.a.bytes.length, c: data.c.bytes.length, bodyAt: postings.bodyAt, fileLength: postings.bytes.length },
    },
    [
      ['postings.blockCrc', 'u32', bytesOf(blockCrcs(postings.bytes, postings.bodyAt))],
      text('vocab', data.vocab.chars),
      ['vocabStarts', 'u32', bytesOf(data.vocab.starts)],
      ['a.postStart', 'u32', bytesOf(data.a.start)],
      ['a.df', 'u32', bytesOf(data.a.df)],
      ['c.postStart', 'u32', bytesOf(data.c.start)],
      ['c.df', 'u32', bytesOf(data.c.df)],
      text('a.ids', a.ids.join('\n')),
      text('a.updated', a.updated.join('\n')),
      ['a.textKeys', 'f64', bytesOf(a.textKeys)],
      ['a.published', 'i32', bytesOf(a.published)],
      ['a.state', 'u8', bytesOf(a.state)],
      ['a.source', 'i32', bytesOf(a.source)],
      ['a.len', 'u32', bytesOf(a.len)],
      ['a.tagCount', 'u8', bytesOf(a.tagCount)],
      ['a.tagIds', 'u32', bytesOf(a.tagIds)],
      text('c.ids', c.ids.text),
      ['c.idStarts', 'u32', bytesOf(c.ids.starts)],
      ['c.article', 'u32', bytesOf(c.article)],
      ['c.start', 'u32', bytesOf(c.start)],
      ['c.end', 'u32', bytesOf(c.end)],
      ['c.label', 'u16', bytesOf(c.label)],
      ['c.len', 'u16', bytesOf(c.len)],
      ['c.fp', 'u32', bytesOf(c.fp)],
      ['c.tagCount', 'u8', bytesOf(c.tagCount)],
      ['c.tagIds', 'u32', bytesOf(c.tagIds)],
    ],
  );
  return { index: index.bytes, postings: postings.bytes };
}

const POSTINGS_FORMAT = 'cuttings-search-postings';

type Unpacked<H> = { header: H; section: <T extends TypeName>(name: string, type: T) => InstanceType<(typeof TYPES)[T]>; text: (name: string) => string };

function unpackFile<H extends { format: string; version: number; sections: SectionEntry[]; crc32: number }>(file: Uint8Array, magic: string, format: string): Unpacked<H> {
  // Sections are used in place as typed arrays, which need aligned offsets.
  const bytes = file.byteOffset % 8 === 0 ? file : new Uint8Array(file);
  if (bytes.length < 12 || Buffer.from(bytes.buffer, bytes.byteOffset, 8).toString('latin1') !== magic) throw new IndexFileError('not a search index file');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  if (12 + headerLength > bytes.length) throw new IndexFileError('the file is cut short (header)');
  let header: H;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 12, headerLength).toString('utf8')) as H;
  } catch {
    throw new IndexFileError('the header does not parse');
  }
  if (header.format !== format) throw new IndexFileError('not a search index file');
  if (header.version !== FORMAT_VERSION) throw new IndexFileError(`written by index format ${String(header.version)}, this is ${FORMAT_VERSION}`);
  const body = bytes.subarray(pad8(12 + headerLength));
  if (crc32(body) !== header.crc32) throw new IndexFileError('the checksum does not match (damaged or cut short)');
  const map = new Map((Array.isArray(header.sections) ? header.sections : []).map((s) => [s[0], s]));
  const entry = (name: string): SectionEntry => {
    const s = map.get(name);
    if (!s) throw new IndexFileError(`section ${name} is missing`);
    return s;
  };
  return {
    header,
    section: <T extends TypeName>(name: string, type: T) => {
      const [, t, offset, length] = entry(name);
      const Ctor = TYPES[type];
      if (t !== type || offset % 8 !== 0 || offset + length * Ctor.BYTES_PER_ELEMENT > body.length) throw new IndexFileError(`section ${name} is malformed`);
      return new Ctor(body.buffer as ArrayBuffer, body.byteOffset + offset, length) as InstanceType<(typeof TYPES)[T]>;
    },
    text: (name: string) => {
      const [, t, offset, length] = entry(name);
      if (t !== 'text' || offset + length > body.length) throw new IndexFileError(`section ${name} is malformed`);
      return Buffer.from(body.buffer, body.byteOffset + offset, length).toString('utf8');
    },
  };
}

/** What an index file says its postings file must be, and where each kind's postings are in it. */
export type PostingsExpectation = { generation: string; at: { a: number; c: number }; a: number; c: number; bodyAt: number; fileLength: number; blockCrc: Uint32Array };

/**
 * Reads an index file; throws IndexFileError saying why it cannot be used.
 * Its postings are empty until `attachPostings` adds them (or queries read
 * the blocks they need: `postingsRange`).
 */
export function decodeIndex(file: Uint8Array): { data: BaseData; postings: PostingsExpectation } {
  const { header, section, text } = unpackFile<IndexHeader>(file, INDEX_MAGIC, FORMAT);
  if (header.endianness !== endianness()) throw new IndexFileError('written on a machine of another byte order');
  const { terms, articles, clippings } = header.counts;
  const lines = (name: string, count: number): string[] => (count === 0 ? [] : text(name).split('\n'));
  const data: BaseData = {
    generation: header.generation,
    vocab: new SortedVocab(text('vocab'), section('vocabStarts', 'u32')),
    a: { start: section('a.postStart', 'u32'), bytes: null, df: section('a.df', 'u32') },
    c: { start: section('c.postStart', 'u32'), bytes: null, df: section('c.df', 'u32') },
    tables: header.tables,
    articles: {
      ids: lines('a.ids', articles),
      updated: lines('a.updated', articles),
      textKeys: section('a.textKeys', 'f64'),
      published: section('a.published', 'i32'),
      state: section('a.state', 'u8'),
      source: section('a.source', 'i32'),
      len: section('a.len', 'u32'),
      tagCount: section('a.tagCount', 'u8'),
      tagIds: section('a.tagIds', 'u32'),
    },
    clippings: {
      ids: { text: text('c.ids'), starts: section('c.idStarts', 'u32') },
      article: section('c.article', 'u32'),
      start: section('c.start', 'u32'),
      end: section('c.end', 'u32'),
      label: section('c.label', 'u16'),
      len: section('c.len', 'u16'),
      fp: section('c.fp', 'u32'),
      tagCount: section('c.tagCount', 'u8'),
      tagIds: section('c.tagIds', 'u32'),
    },
  };
  checkShape(data, terms, articles, clippings);
  const p = header.postings;
  const blockCrc = section('postings.blockCrc', 'u32');
  const fits =
    p &&
    p.a === data.a.start[terms] &&
    p.c === data.c.start[terms] &&
    p.at.a >= p.bodyAt &&
    p.at.c >= p.at.a + p.a &&
    p.at.c + p.c <= p.fileLength &&
    blockCrc.length === Math.ceil((p.fileLength - p.bodyAt) / POSTINGS_BLOCK);
  if (!fits) throw new IndexFileError('its postings offsets do not fit');
  return { data, postings: { generation: header.generation, at: p.at, a: p.a, c: p.c, bodyAt: p.bodyAt, fileLength: p.fileLength, blockCrc } };
}

/** Adds the whole postings file to a decoded index; throws IndexFileError when it is not the one the index names, or is damaged. */
export function attachPostings(data: BaseData, expected: PostingsExpectation, file: Uint8Array): void {
  const bytes = file.byteOffset % 8 === 0 ? file : new Uint8Array(file);
  if (bytes.length !== expected.fileLength) throw new IndexFileError('the postings file is not the size its index says');
  checkPostingsHeader(bytes, expected);
  const crcs = blockCrcs(bytes, expected.bodyAt);
  for (let i = 0; i < crcs.length; i++) if (crcs[i] !== expected.blockCrc[i]) throw new IndexFileError('the postings checksum does not match (damaged)');
  data.a.bytes = bytes.subarray(expected.at.a, expected.at.a + expected.a);
  data.c.bytes = bytes.subarray(expected.at.c, expected.at.c + expected.c);
}

function checkPostingsHeader(bytes: Uint8Array, expected: PostingsExpectation): void {
  if (bytes.length < 12 || Buffer.from(bytes.buffer, bytes.byteOffset, 8).toString('latin1') !== POSTINGS_MAGIC) throw new IndexFileError('not a search postings file');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  let header: PostingsHeader;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 12, Math.min(headerLength, bytes.length - 12)).toString('utf8')) as PostingsHeader;
  } catch {
    throw new IndexFileError('the postings header does not parse');
  }
  if (header.format !== POSTINGS_FORMAT || header.generation !== expected.generation || pad8(12 + headerLength) !== expected.bodyAt) throw new IndexFileError('the postings file belongs to another index');
}

/** The byte range of the postings file holding one term's list of one kind, widened to whole checked blocks. */
export function postingsRange(expected: PostingsExpectation, kind: 'a' | 'c', from: number, to: number): { offset: number; length: number; skip: number } {
  const start = expected.at[kind] + from;
  const end = expected.at[kind] + to;
  const first = Math.floor((start - expected.bodyAt) / POSTINGS_BLOCK);
  const last = Math.floor((end - 1 - expected.bodyAt) / POSTINGS_BLOCK);
  const offset = expected.bodyAt + first * POSTINGS_BLOCK;
  return { offset, length: Math.min(expected.fileLength, expected.bodyAt + (last + 1) * POSTINGS_BLOCK) - offset, skip: start - offset };
}

/** Checks blocks read for `postingsRange` and returns the list's bytes; throws IndexFileError when they are damaged. */
export function checkedRange(expected: PostingsExpectation, range: { offset: number; length: number; skip: number }, bytes: Uint8Array, listLength: number): Uint8Array {
  if (bytes.length !== range.length) throw new IndexFileError('the postings file is cut short');
  const first = (range.offset - expected.bodyAt) / POSTINGS_BLOCK;
  for (let at = 0, i = first; at < bytes.length; at += POSTINGS_BLOCK, i++) {
    if (crc32(bytes.subarray(at, Math.min(bytes.length, at + POSTINGS_BLOCK))) !== expected.blockCrc[i]) throw new IndexFileError('the postings checksum does not match (damaged)');
  }
  return bytes.subarray(range.skip, range.skip + listLength);
}

function sumBelow(counts: Uint8Array, limit: number): boolean {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  return total === limit;
}

function allBelow(values: ArrayLike<number>, limit: number): boolean {
  for (let i = 0; i < values.length; i++) if (!((values[i] as number) < limit)) return false;
  return true;
}

/** Cheap consistency checks: the checksum says the bytes are what was written, these that what was written fits together. */
function checkShape(d: BaseData, terms: number, articles: number, clippings: number): void {
  const a = d.articles;
  const c = d.clippings;
  const ok =
    d.vocab.size === terms &&
    d.vocab.starts[terms] === d.vocab.chars.length &&
    [d.a, d.c].every((p) => p.start.length === terms + 1 && p.df.length === terms) &&
    a.ids.length === articles &&
    a.updated.length === articles &&
    [a.textKeys, a.published, a.state, a.source, a.len, a.tagCount].every((l) => l.length === articles) &&
    sumBelow(a.tagCount, a.tagIds.length) &&
    c.ids.starts.length === clippings + 1 &&
    c.ids.starts[clippings] === c.ids.text.length &&
    [c.article, c.start, c.end, c.label, c.len, c.fp, c.tagCount].every((l) => l.length === clippings) &&
    sumBelow(c.tagCount, c.tagIds.length) &&
    allBelow(a.tagIds, d.tables.tags.length) &&
    allBelow(c.tagIds, d.tables.tags.length) &&
    allBelow(c.article, articles) &&
    allBelow(c.label, d.tables.labels.length) &&
    allBelow(a.source, d.tables.sources.length);
  if (!ok) throw new IndexFileError('its sections do not fit together');
}

import { SortedVocab } from './vocab';

/**
 * Postings: for each term, the documents that hold it, as one varint per
 * document: (gap from the previous document) × 2 + 1 if a term-frequency
 * class byte follows (frequency above 1). No positions: a phrase is checked
 * against the text of the best candidates instead (positions would triple
 * the index for a feature used by a small share of queries). Documents are
 * numbered densely, so gaps in a common term's list are small and most
 * postings take one byte.
 *
 * The frequency is weighted by field before it is classed (a title word
 * counts 4, a note word 2) and classed into 16 steps: BM25 saturates, so
 * telling 60 from 100 occurrences changes nothing a reader would see.
 * Measured on the 100,000-article benchmark: 89% of article postings have
 * class 0; packing the class into every varint (gap × 16 + class) took 18%
 * more bytes than this flag.
 */
export const TF_OF_CLASS = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 27, 38, 60, 100);
const CLASS_FLOOR = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 14, 18, 24, 33, 49, 80];

export function tfClass(tf: number): number {
  let c = 15;
  while (c > 0 && tf < (CLASS_FLOOR[c] as number)) c--;
  return c;
}

/** A term's postings of one kind, appended in increasing document order. */
export class PostingWriter {
  bytes = new Uint8Array(8);
  length = 0;
  last = -1;
  count = 0;

  push(doc: number, cls: number): void {
    if (this.length + 6 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    let v = (doc - this.last) * 2 + (cls > 0 ? 1 : 0);
    this.last = doc;
    this.count++;
    while (v >= 128) {
      this.bytes[this.length++] = (v & 127) | 128;
      v >>>= 7;
    }
    this.bytes[this.length++] = v;
    if (cls > 0) this.bytes[this.length++] = cls;
  }
}

/**
 * All postings of one kind (articles or clippings): term i's are
 * bytes[start[i], start[i + 1]). `bytes` is null while the postings file is
 * still loading; `fetched` then holds the lists queries read on their own.
 */
export type Postings = { start: Uint32Array; bytes: Uint8Array | null; df: Uint32Array; fetched?: Map<number, Uint8Array> };

/**
 * Decodes bytes[from, to) into docs and classes; returns how many (the
 * term's df: `docs`/`classes` must be that large). Shifts are safe because
 * slots stay below 2^26 (see MAX_SLOTS), so a varint never passes 31 bits.
 */
export function decode(bytes: Uint8Array, from: number, to: number, docs: Int32Array, classes: Uint8Array): number {
  let n = 0;
  let doc = -1;
  let i = from;
  while (i < to) {
    let b = bytes[i++] as number;
    let v = b & 127;
    let shift = 7;
    while (b >= 128) {
      b = bytes[i++] as number;
      v |= (b & 127) << shift;
      shift += 7;
    }
    doc += v >>> 1;
    docs[n] = doc;
    classes[n++] = v & 1 ? (bytes[i++] as number) : 0;
  }
  return n;
}

/** Documents of one kind an index can number: keeps every varint within 31 bits. */
export const MAX_SLOTS = 1 << 26;

/**
 * Postings lists of both kinds, by term, while an index is built. Each
 * (term, kind) list must receive documents in increasing order: builders
 * add documents in slot order.
 */
export class PostingsBuilder {
  private readonly lists = new Map<string, [PostingWriter | null, PostingWriter | null]>();

  add(kind: 0 | 1, term: string, doc: number, cls: number): void {
    let pair = this.lists.get(term);
    if (!pair) {
      pair = [null, null];
      this.lists.set(term, pair);
    }
    let writer = pair[kind];
    if (!writer) writer = pair[kind] = new PostingWriter();
    writer.push(doc, cls);
  }

  /** Appends a whole list that is already in order (a merge's output). */
  set(term: string, lists: [PostingWriter | null, PostingWriter | null]): void {
    this.lists.set(term, lists);
  }

  finish(): { vocab: SortedVocab; a: Postings; c: Postings } {
    const terms = [...this.lists.keys()].filter((t) => {
      const [a, c] = this.lists.get(t) as [PostingWriter | null, PostingWriter | null];
      return (a?.count ?? 0) + (c?.count ?? 0) > 0;
    });
    terms.sort();
    const kinds = [0, 1].map((kind) => {
      const start = new Uint32Array(terms.length + 1);
      const df = new Uint32Array(terms.length);
      let total = 0;
      terms.forEach((t, i) => {
        start[i] = total;
        const w = (this.lists.get(t) as [PostingWriter | null, PostingWriter | null])[kind];
        total += w?.length ?? 0;
        df[i] = w?.count ?? 0;
      });
      start[terms.length] = total;
      const bytes = new Uint8Array(total);
      terms.forEach((t, i) => {
        const w = (this.lists.get(t) as [PostingWriter | null, PostingWriter | null])[kind];
        if (w) bytes.set(w.bytes.subarray(0, w.length), start[i]);
      });
      return { start, bytes, df };
    }) as [Postings, Postings];
    return { vocab: SortedVocab.from(terms), a: kinds[0], c: kinds[1] };
  }
}

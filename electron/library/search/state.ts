import { normalizeTag, type ReadingState } from '../model';
import { IndexFileError, Interner, NO_DATE, newGeneration, packStrings, type BaseData, type PackedStrings, type PreparedArticle, type PreparedClipping } from './base';
import { MAX_SLOTS, PostingWriter, PostingsBuilder, TF_OF_CLASS, decode, type Postings } from './postings';
import { tokens, type QueryWord } from './tokenize';
import { SortedVocab, boundedDistance } from './vocab';
import type { SearchFilters } from './types';

/**
 * The live index: the base segment (immutable postings, loaded from the
 * file) plus a delta (postings of documents changed since, in plain Maps),
 * plus per-document columns (metadata for filters, and which of base or
 * delta holds each document's current text).
 *
 * Documents are numbered by slot, per kind (articles, clippings). A slot's
 * base postings count only while `inBase[slot]`; its delta postings only
 * while `delta[slot]` names that delta document. Changing a document
 * therefore costs its own terms, never a rewrite of the lists it was in;
 * stale postings are skipped at query time and dropped by `compact`.
 */

export const READING_STATES: readonly ReadingState[] = ['unread', 'reading', 'read', 'archived'];
export const UNKNOWN_STATE = 255;

/** BM25's usual constants. */
const K1 = 1.2;
const B = 0.75;
/**
 * A completion or a typo is weaker evidence than the word itself: "gover"
 * should rank "government" below an exact "gover", and "syira" (one edit)
 * a little above "syria" seen only by two edits.
 */
const PREFIX_WEIGHT = 0.6;
const FUZZY_WEIGHT = [1, 0.45, 0.25];
/**
 * At most this many completions and this many near-misses per word. Keeps a
 * short prefix in a large vocabulary from summing thousands of lists; the
 * most frequent completions are kept (the likeliest meant).
 */
const MAX_PREFIX_TERMS = 48;
const MAX_FUZZY_TERMS = 24;
/** A word found in a tag or the source: about what a title word scores. */
const TAG_SCORE = 3;
const SOURCE_SCORE = 2;

type Typed = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

function grown<T extends Typed>(a: T, cap: number, fill = 0): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}


/** An int list reused across queries. */
class IntList {
  items = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.items.length) this.items = grown(this.items, this.items.length * 2);
    this.items[this.length++] = v;
  }
}

/**
 * The best `size` of a stream of (key, slot), larger key first; equal keys
 * are ordered by `before` (true: x goes first). A min-heap of the best so
 * far, in typed arrays: no array of all candidates, no closure but on ties.
 */
class TopK {
  private readonly keys: Float64Array;
  private readonly slots: Int32Array;
  private n = 0;
  total = 0;

  constructor(
    private readonly size: number,
    private readonly before: (x: number, y: number) => boolean,
  ) {
    this.keys = new Float64Array(Math.max(0, size));
    this.slots = new Int32Array(Math.max(0, size));
  }

  /** Entry i ranks below entry j. */
  private worse(i: number, j: number): boolean {
    const ki = this.keys[i] as number;
    const kj = this.keys[j] as number;
    return ki < kj || (ki === kj && this.before(this.slots[j] as number, this.slots[i] as number));
  }

  private swap(i: number, j: number): void {
    const k = this.keys[i] as number;
    this.keys[i] = this.keys[j] as number;
    this.keys[j] = k;
    const s = this.slots[i] as number;
    this.slots[i] = this.slots[j] as number;
    this.slots[j] = s;
  }

  offer(key: number, slot: number): void {
    this.total++;
    if (this.size <= 0) return;
    if (this.n < this.size) {
      this.keys[this.n] = key;
      this.slots[this.n] = slot;
      for (let k = this.n++; k > 0; ) {
        const p = (k - 1) >> 1;
        if (!this.worse(k, p)) break;
        this.swap(k, p);
        k = p;
      }
      return;
    }
    const top = this.keys[0] as number;
    if (key < top || (key === top && !this.before(slot, this.slots[0] as number))) return;
    this.keys[0] = key;
    this.slots[0] = slot;
    for (let k = 0; ; ) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < this.n && this.worse(l, m)) m = l;
      if (r < this.n && this.worse(r, m)) m = r;
      if (m === k) return;
      this.swap(k, m);
      k = m;
    }
  }

  /** Best first. */
  result(): Ranked {
    const order = Array.from({ length: this.n }, (_, i) => i).sort((i, j) => (this.worse(i, j) ? 1 : this.worse(j, i) ? -1 : 0));
    return { slots: order.map((i) => this.slots[i] as number), scores: order.map((i) => this.keys[i] as number), total: this.total };
  }
}

/** Ids by slot: those of the base packed in one string (sliced when asked for), later ones in an array. */
class Ids {
  private readonly extra: string[] = [];
  private readonly baseCount: number;

  constructor(private readonly base: PackedStrings | readonly string[]) {
    this.baseCount = Array.isArray(base) ? base.length : (base as PackedStrings).starts.length - 1;
  }

  get(slot: number): string {
    if (slot >= this.baseCount) return this.extra[slot - this.baseCount] as string;
    if (Array.isArray(this.base)) return this.base[slot] as string;
    const { text, starts } = this.base as PackedStrings;
    return text.slice(starts[slot], starts[slot + 1]);
  }

  /** Slots are added in order: `slot` is always the next one. */
  add(slot: number, id: string): void {
    this.extra[slot - this.baseCount] = id;
  }
}

/** What articles and clippings share: slots, text location, length norm, tags, delta postings. */
class Table {
  count: number;
  live: number;
  cap: number;
  alive: Uint8Array;
  inBase: Uint8Array;
  /** The slot's current delta document, or -1 (its text is in the base, or it is gone). */
  delta: Int32Array;
  /** Words per document (u16 for clippings, as on disk). */
  len: Uint32Array | Uint16Array;
  norm: Float32Array;
  avgLen: number;
  /** Tags of base slots (fixed), and the slots whose tags changed since (`overridden`). */
  readonly tagStart: Uint32Array;
  readonly tagIds: Uint32Array;
  overridden: Uint8Array;
  readonly tagOverride = new Map<number, number[]>();
  readonly ids: Ids;
  /** Delta postings: term → [delta doc, class, delta doc, class, …]. */
  readonly dTerms = new Map<string, number[]>();
  readonly ddSlot: number[] = [];
  readonly ddFlat: (string | number)[][] = [];
  // Query scratch, one entry per slot, all back to zero after each query.
  acc: Float32Array;
  best: Float32Array;
  hits: Uint8Array;

  constructor(
    readonly base: Postings,
    ids: PackedStrings | readonly string[],
    n: number,
    len: Uint32Array | Uint16Array,
    tagCount: Uint8Array,
    tagIds: Uint32Array,
  ) {
    // Columns read from the file are used in place (no copy at open); the
    // first new slot grows them all into arrays with room (growTo).
    this.count = n;
    this.live = n;
    this.cap = n;
    this.ids = new Ids(ids);
    this.alive = new Uint8Array(this.cap).fill(1);
    this.inBase = new Uint8Array(this.cap).fill(1);
    this.delta = new Int32Array(this.cap).fill(-1);
    this.len = len;
    let total = 0;
    for (let i = 0; i < n; i++) total += len[i] as number;
    this.avgLen = n > 0 ? Math.max(1, total / n) : 100;
    this.norm = new Float32Array(this.cap);
    // normOf, inlined: one multiply-add per document.
    const flat = K1 * (1 - B);
    const perWord = (K1 * B) / this.avgLen;
    for (let i = 0; i < n; i++) this.norm[i] = flat + perWord * (len[i] as number);
    this.tagStart = new Uint32Array(n + 1);
    for (let i = 0; i < n; i++) this.tagStart[i + 1] = (this.tagStart[i] as number) + (tagCount[i] as number);
    this.tagIds = tagIds;
    this.overridden = new Uint8Array(this.cap);
    this.acc = new Float32Array(this.cap);
    this.best = new Float32Array(this.cap);
    this.hits = new Uint8Array(this.cap);
  }

  normOf(len: number): number {
    return K1 * (1 - B + (B * len) / this.avgLen);
  }

  private owned = false;

  /**
   * Before the first change: copies the columns read from the file, which
   * are also the base that `save` may still write. Changing them in place
   * would put changes into a base whose postings do not have them; lose the
   * delta file, and reconciling at open would take them as indexed.
   */
  own(): void {
    if (this.owned) return;
    this.owned = true;
    this.cap = Math.min(MAX_SLOTS, this.cap + 256);
    this.growTo(this.cap);
  }

  protected growTo(cap: number): void {
    this.alive = grown(this.alive, cap);
    this.inBase = grown(this.inBase, cap);
    this.delta = grown(this.delta, cap, -1);
    this.len = grown(this.len, cap);
    this.norm = grown(this.norm, cap);
    this.overridden = grown(this.overridden, cap);
    this.acc = new Float32Array(cap);
    this.best = new Float32Array(cap);
    this.hits = new Uint8Array(cap);
  }

  newSlot(id: string): number {
    this.own();
    if (this.count === this.cap) {
      if (this.cap >= MAX_SLOTS) throw new Error('The search index is full');
      this.cap = Math.min(MAX_SLOTS, Math.max(256, this.cap * 2));
      this.growTo(this.cap);
    }
    const slot = this.count++;
    this.ids.add(slot, id);
    this.alive[slot] = 1;
    this.live++;
    return slot;
  }

  kill(slot: number): void {
    if (!this.alive[slot]) return;
    this.alive[slot] = 0;
    this.inBase[slot] = 0;
    this.delta[slot] = -1;
    this.live--;
  }

  setText(slot: number, flat: (string | number)[], len: number, isNewTerm: (t: string) => boolean): void {
    const dd = this.ddSlot.length;
    this.ddSlot.push(slot);
    this.ddFlat.push(flat);
    this.inBase[slot] = 0;
    this.delta[slot] = dd;
    this.len[slot] = Math.min(len, this.len instanceof Uint16Array ? 65535 : len);
    this.norm[slot] = this.normOf(len);
    for (let i = 0; i < flat.length; i += 2) {
      const term = flat[i] as string;
      let list = this.dTerms.get(term);
      if (!list) {
        list = [];
        this.dTerms.set(term, list);
        isNewTerm(term);
      }
      list.push(dd, flat[i + 1] as number);
    }
  }

  setTags(slot: number, ids: number[]): void {
    this.overridden[slot] = 1;
    this.tagOverride.set(slot, ids);
  }

  tagsOf(slot: number): ArrayLike<number> {
    if (this.overridden[slot]) return this.tagOverride.get(slot) as number[];
    return slot < this.tagStart.length - 1 ? this.tagIds.subarray(this.tagStart[slot], this.tagStart[slot + 1]) : [];
  }

  /** The best weight among the slot's tags (0: none matches). */
  tagWeight(slot: number, weights: Float32Array): number {
    let w = 0;
    if (this.overridden[slot]) {
      for (const t of this.tagOverride.get(slot) as number[]) w = Math.max(w, weights[t] as number);
      return w;
    }
    if (slot >= this.tagStart.length - 1) return 0;
    for (let i = this.tagStart[slot] as number, e = this.tagStart[slot + 1] as number; i < e; i++) w = Math.max(w, weights[this.tagIds[i] as number] as number);
    return w;
  }
}

class Articles extends Table {
  updated: string[];
  textKeys: Float64Array;
  published: Int32Array;
  state: Uint8Array;
  source: Int32Array;
  clipCount: Uint32Array;
  readonly slotOf = new Map<string, number>();

  constructor(d: BaseData) {
    const a = d.articles;
    super(d.a, a.ids, a.ids.length, a.len, a.tagCount, a.tagIds);
    this.updated = a.updated;
    this.textKeys = a.textKeys;
    this.published = a.published;
    this.state = a.state;
    this.source = a.source;
    this.clipCount = new Uint32Array(this.cap);
    a.ids.forEach((id, slot) => this.slotOf.set(id, slot));
  }

  protected override growTo(cap: number): void {
    super.growTo(cap);
    this.updated = this.updated.slice();
    this.textKeys = grown(this.textKeys, cap);
    this.published = grown(this.published, cap);
    this.state = grown(this.state, cap);
    this.source = grown(this.source, cap);
    this.clipCount = grown(this.clipCount, cap);
  }
}

class Clippings extends Table {
  article: Uint32Array;
  start: Uint32Array;
  end: Uint32Array;
  label: Uint16Array;
  fp: Uint32Array;

  constructor(d: BaseData) {
    const c = d.clippings;
    const n = c.ids.starts.length - 1;
    super(d.c, c.ids, n, c.len, c.tagCount, c.tagIds);
    this.article = c.article;
    this.start = c.start;
    this.end = c.end;
    this.label = c.label;
    this.fp = c.fp;
  }

  protected override growTo(cap: number): void {
    super.growTo(cap);
    this.article = grown(this.article, cap);
    this.start = grown(this.start, cap);
    this.end = grown(this.end, cap);
    this.label = grown(this.label, cap);
    this.fp = grown(this.fp, cap);
  }
}

/** One way a query word matched an index term, and how much that match is worth. */
type Expansion = { term: string; idx: number; weight: number };

/** Per word: its expansions, and the tags and sources (by id) its text matches with their weights. */
type WordPlan = { exps: Expansion[]; tagWeights: Float32Array | null; sourceWeights: Float32Array | null };

export type CompiledFilters = {
  articles: boolean;
  clippings: boolean;
  article: ((slot: number) => boolean) | null;
  clipping: ((slot: number) => boolean) | null;
};

/** The best `n` hits of a kind after `skip`, and how many matched in all. */
export type Ranked = { slots: number[]; scores: number[]; total: number };

export class IndexState {
  readonly generation: string;
  readonly vocab: SortedVocab;
  readonly a: Articles;
  readonly c: Clippings;
  readonly sources: Interner;
  readonly tags: Interner;
  readonly labels: Interner;
  /** Articles changed since the base was written: what the delta file holds. */
  readonly dirty = new Set<string>();
  /** Terms that only the delta has, and a sorted view of them for prefix and typo search. */
  private readonly newTerms = new Set<string>();
  private newVocab: SortedVocab | null = null;
  /** article slot → its clipping slots, built on the first change (one pass over the clippings). */
  private clipIndex: { start: Uint32Array; slots: Uint32Array; extra: Map<number, number[]> } | null = null;
  private tagTerms: { list: { term: string; ids: number[] }[]; size: number } | null = null;
  private sourceTerms: { list: { term: string; ids: number[] }[]; size: number } | null = null;

  constructor(readonly baseData: BaseData) {
    this.generation = baseData.generation;
    this.vocab = baseData.vocab;
    this.a = new Articles(baseData);
    this.c = new Clippings(baseData);
    this.sources = new Interner(baseData.tables.sources);
    this.tags = new Interner(baseData.tables.tags);
    this.labels = new Interner(baseData.tables.labels);
  }

  /** Clippings per article, counted on first need (the has-clippings filter): a pass over 500,000 clippings is not worth doing at open. */
  private clipCountsReady = false;
  private clipCounts(): Uint32Array {
    if (!this.clipCountsReady) {
      const { a, c } = this;
      a.clipCount.fill(0);
      for (let s = 0; s < c.count; s++) {
        if (!c.alive[s]) continue;
        const as = c.article[s] as number;
        a.clipCount[as] = (a.clipCount[as] as number) + 1;
      }
      this.clipCountsReady = true;
    }
    return this.a.clipCount;
  }

  // ---------------------------------------------------------------- changes

  /** Counts toward compaction: documents in the delta, current or superseded. */
  get deltaDocs(): number {
    return this.a.ddSlot.length + this.c.ddSlot.length;
  }

  stamp(id: string): { updated: string; textKey: number } | null {
    const slot = this.a.slotOf.get(id);
    return slot === undefined ? null : { updated: this.a.updated[slot] as string, textKey: this.a.textKeys[slot] as number };
  }

  /**
   * Compares the index with the library's catalog: calls `changed` for each
   * article it lacks or holds in another state (its updatedAt differs),
   * removes the articles the catalog no longer has. One map lookup and one
   * string comparison per article: what opening a large library costs.
   */
  reconcile(catalog: Iterable<{ article: { id: string; updatedAt: string } }>, changed: (index: number, held: boolean) => void): number {
    const a = this.a;
    const seen = new Uint8Array(a.count);
    let i = 0;
    for (const { article } of catalog) {
      const slot = a.slotOf.get(article.id);
      if (slot !== undefined) {
        seen[slot] = 1;
        if (a.updated[slot] !== article.updatedAt) changed(i, true);
      } else changed(i, false);
      i++;
    }
    let removed = 0;
    for (let slot = 0; slot < a.count; slot++) {
      if (a.alive[slot] && !seen[slot]) {
        this.remove(a.ids.get(slot));
        removed++;
      }
    }
    return removed;
  }

  /** The clippings the index holds for an article, by id, with their text fingerprints. */
  clippingFingerprints(articleId: string): Map<string, number> {
    const out = new Map<string, number>();
    const slot = this.a.slotOf.get(articleId);
    if (slot !== undefined) for (const cs of this.clipsOf(slot)) out.set(this.c.ids.get(cs), this.c.fp[cs] as number);
    return out;
  }

  get articleIds(): IterableIterator<string> {
    return this.a.slotOf.keys();
  }

  private isNewTerm = (t: string): boolean => {
    if (this.vocab.find(t) >= 0) return false;
    if (!this.newTerms.has(t)) {
      this.newTerms.add(t);
      this.newVocab = null;
    }
    return true;
  };

  /**
   * Makes the index hold `p` (a new article, or a new state of one): its
   * metadata, its text when `p.terms` is given, its clippings (those not in
   * `p` are removed). Throws on a record that leaves text unindexed (a new
   * article or clipping without terms): a delta file that does not fit.
   */
  apply(p: PreparedArticle): void {
    this.a.own();
    this.c.own();
    const a = this.a;
    let slot = a.slotOf.get(p.id);
    const isNew = slot === undefined;
    if (isNew && p.terms === null) throw new IndexFileError(`article ${p.id} has no indexed text`);
    if (slot === undefined) {
      slot = a.newSlot(p.id);
      a.slotOf.set(p.id, slot);
    }
    a.updated[slot] = p.updated;
    a.textKeys[slot] = p.textKey;
    a.published[slot] = p.published;
    a.state[slot] = p.state;
    a.source[slot] = p.source === null ? -1 : this.sources.id(p.source);
    a.setTags(slot, p.tags.map((t) => this.tags.id(t)));
    if (p.terms) a.setText(slot, p.terms, p.len, this.isNewTerm);

    const held = new Map<string, number>();
    if (!isNew) for (const cs of this.clipsOf(slot)) held.set(this.c.ids.get(cs), cs);
    for (const pc of p.clippings) {
      let cs = held.get(pc.id);
      if (cs === undefined) {
        if (pc.terms === null) throw new IndexFileError(`clipping ${pc.id} has no indexed text`);
        cs = this.c.newSlot(pc.id);
        this.c.article[cs] = slot;
        this.noteClipping(slot, cs);
      } else held.delete(pc.id);
      this.setClipping(cs, pc);
    }
    for (const cs of held.values()) this.c.kill(cs);
    if (this.clipCountsReady) a.clipCount[slot] = p.clippings.length;
    this.dirty.add(p.id);
  }

  private setClipping(cs: number, pc: PreparedClipping): void {
    const c = this.c;
    c.start[cs] = pc.start;
    c.end[cs] = pc.end;
    c.label[cs] = this.labels.id(pc.label);
    c.fp[cs] = pc.fp;
    c.setTags(cs, pc.tags.map((t) => this.tags.id(t)));
    if (pc.terms) c.setText(cs, pc.terms, pc.len, this.isNewTerm);
  }

  remove(id: string): boolean {
    const slot = this.a.slotOf.get(id);
    if (slot === undefined) return false;
    for (const cs of this.clipsOf(slot)) this.c.kill(cs);
    this.a.kill(slot);
    this.a.clipCount[slot] = 0;
    this.a.slotOf.delete(id);
    this.dirty.add(id);
    return true;
  }

  private clipsOf(aSlot: number): number[] {
    if (!this.clipIndex) {
      // Counting sort of clipping slots by article: two passes, no per-article arrays.
      const n = this.c.count;
      const start = new Uint32Array(this.a.count + 1);
      for (let s = 0; s < n; s++) {
        const k = (this.c.article[s] as number) + 1;
        if (this.c.alive[s]) start[k] = (start[k] as number) + 1;
      }
      for (let i = 0; i < this.a.count; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
      const slots = new Uint32Array(start[this.a.count] as number);
      const fill = start.slice(0, this.a.count);
      for (let s = 0; s < n; s++) {
        if (!this.c.alive[s]) continue;
        const k = this.c.article[s] as number;
        const at = fill[k] as number;
        fill[k] = at + 1;
        slots[at] = s;
      }
      this.clipIndex = { start, slots, extra: new Map() };
    }
    const { start, slots, extra } = this.clipIndex;
    const out: number[] = [];
    if (aSlot < start.length - 1) {
      for (let i = start[aSlot] as number; i < (start[aSlot + 1] as number); i++) {
        const s = slots[i] as number;
        if (this.c.alive[s] && this.c.article[s] === aSlot) out.push(s);
      }
    }
    for (const s of extra.get(aSlot) ?? []) if (this.c.alive[s]) out.push(s);
    return out;
  }

  private noteClipping(aSlot: number, cs: number): void {
    if (!this.clipIndex) return; // built later from the columns, which already say it
    const list = this.clipIndex.extra.get(aSlot);
    if (list) list.push(cs);
    else this.clipIndex.extra.set(aSlot, [cs]);
  }

  /** The changed articles as records (null: removed): the delta file's content. */
  deltaRecords(): Record<string, PreparedArticle | null> {
    const out: Record<string, PreparedArticle | null> = {};
    for (const id of this.dirty) {
      const slot = this.a.slotOf.get(id);
      if (slot === undefined) {
        out[id] = null;
        continue;
      }
      const a = this.a;
      const dd = a.delta[slot] as number;
      out[id] = {
        id,
        updated: a.updated[slot] as string,
        textKey: a.textKeys[slot] as number,
        published: a.published[slot] as number,
        state: a.state[slot] as number,
        source: (a.source[slot] as number) < 0 ? null : (this.sources.list[a.source[slot] as number] as string),
        tags: Array.from(a.tagsOf(slot), (t) => this.tags.list[t] as string),
        terms: dd >= 0 ? (a.ddFlat[dd] as (string | number)[]) : null,
        len: a.len[slot] as number,
        clippings: this.clipsOf(slot).map((cs) => {
          const c = this.c;
          const cdd = c.delta[cs] as number;
          return {
            id: c.ids.get(cs),
            fp: c.fp[cs] as number,
            label: this.labels.list[c.label[cs] as number] as string,
            tags: Array.from(c.tagsOf(cs), (t) => this.tags.list[t] as string),
            start: c.start[cs] as number,
            end: c.end[cs] as number,
            terms: cdd >= 0 ? (c.ddFlat[cdd] as (string | number)[]) : null,
            len: c.len[cs] as number,
          };
        }),
      };
    }
    return out;
  }

  // ---------------------------------------------------------------- queries

  get articleCount(): number {
    return this.a.live;
  }

  get clippingCount(): number {
    return this.c.live;
  }

  private sortedNewTerms(): SortedVocab {
    if (!this.newVocab) this.newVocab = SortedVocab.from([...this.newTerms].sort());
    return this.newVocab;
  }

  private dfOf(idx: number): number {
    return (this.a.base.df[idx] as number) + (this.c.base.df[idx] as number);
  }

  /** The index terms a query word stands for, each with its weight. */
  expand(w: QueryWord): Expansion[] {
    const found = new Map<string, Expansion>();
    const put = (term: string, idx: number, weight: number) => {
      const e = found.get(term);
      if (!e || e.weight < weight) found.set(term, { term, idx, weight });
    };
    const sources: [SortedVocab, boolean][] = [
      [this.vocab, true],
      [this.sortedNewTerms(), false],
    ];
    for (const [vocab, isBase] of sources) {
      if (vocab.size === 0) continue;
      const at = (i: number) => (isBase ? i : -1);
      const df = (i: number) => (isBase ? this.dfOf(i) : 0);
      const exact = vocab.find(w.term);
      if (exact >= 0) put(w.term, at(exact), 1);
      if (w.prefix) {
        const [from, to] = vocab.prefixRange(w.term);
        let list: number[] = [];
        for (let i = from; i < to; i++) if (i !== exact) list.push(i);
        if (list.length > MAX_PREFIX_TERMS) list = list.sort((x, y) => df(y) - df(x)).slice(0, MAX_PREFIX_TERMS);
        for (const i of list) put(vocab.term(i), at(i), PREFIX_WEIGHT);
      }
      if (w.fuzzy > 0) {
        const near: [number, number][] = [];
        vocab.fuzzy(w.term, w.fuzzy, (i, d) => {
          if (d > 0) near.push([i, d]);
        });
        near.sort((x, y) => x[1] - y[1] || df(y[0]) - df(x[0]));
        for (const [i, d] of near.slice(0, MAX_FUZZY_TERMS)) put(vocab.term(i), at(i), FUZZY_WEIGHT[d] as number);
      }
    }
    return [...found.values()];
  }

  /** Terms of the tags (or sources) table, rebuilt when the table has grown. */
  private tableTerms(which: 'tags' | 'sources') {
    const table = which === 'tags' ? this.tags : this.sources;
    const cached = which === 'tags' ? this.tagTerms : this.sourceTerms;
    if (cached && cached.size === table.list.length) return cached.list;
    const byTerm = new Map<string, number[]>();
    table.list.forEach((value, id) => {
      for (const t of tokens(value)) {
        const ids = byTerm.get(t.term);
        if (!ids) byTerm.set(t.term, [id]);
        else if (ids[ids.length - 1] !== id) ids.push(id);
      }
    });
    const list = [...byTerm].map(([term, ids]) => ({ term, ids }));
    if (which === 'tags') this.tagTerms = { list, size: table.list.length };
    else this.sourceTerms = { list, size: table.list.length };
    return list;
  }

  /** Weights by tag (or source) id for one query word; null when none matches. */
  private tableWeights(which: 'tags' | 'sources', w: QueryWord): Float32Array | null {
    let weights: Float32Array | null = null;
    const size = (which === 'tags' ? this.tags : this.sources).list.length;
    for (const { term, ids } of this.tableTerms(which)) {
      let weight = 0;
      if (term === w.term) weight = 1;
      else if (w.prefix && term.startsWith(w.term)) weight = PREFIX_WEIGHT;
      else if (w.fuzzy > 0) {
        const d = boundedDistance(term, w.term, w.fuzzy);
        if (d <= w.fuzzy) weight = FUZZY_WEIGHT[d] as number;
      }
      if (weight === 0) continue;
      weights ??= new Float32Array(size);
      for (const id of ids) weights[id] = Math.max(weights[id] as number, weight);
    }
    return weights;
  }

  plan(words: readonly QueryWord[]): WordPlan[] {
    return words.map((w) => ({ exps: this.expand(w), tagWeights: this.tableWeights('tags', w), sourceWeights: this.tableWeights('sources', w) }));
  }

  /**
   * Filters as masks computed once per query (one pass over the articles),
   * so that testing a hit is an array lookup: a closure per condition per
   * document cost ~150 ms listing 500,000 clippings.
   */
  compileFilters(f: SearchFilters, kinds: { articles: boolean; clippings: boolean }): CompiledFilters {
    const a = this.a;
    const c = this.c;
    let articles = kinds.articles;
    let clippings = kinds.clippings;
    const from = f.published?.from ? dayOf(f.published.from) : null;
    const to = f.published?.to ? dayOf(f.published.to) : null;
    const states = f.readingStates ? new Uint8Array(256) : null;
    for (const st of f.readingStates ?? []) {
      const k = READING_STATES.indexOf(st);
      if (k >= 0 && states) states[k] = 1;
    }
    let sources: Uint8Array | null = null;
    if (f.sources) {
      const wanted = new Set(f.sources.map((x) => x.trim().toLocaleLowerCase()));
      sources = new Uint8Array(this.sources.list.length);
      this.sources.list.forEach((name, id) => {
        if (wanted.has(name.toLocaleLowerCase()) && sources) sources[id] = 1;
      });
    }
    const has = f.hasClippings;
    if (has === false) clippings = false;
    const metaTests = from !== null || to !== null || states !== null || sources !== null || has !== undefined;
    const counts = has !== undefined ? this.clipCounts() : a.clipCount;
    // Which article slots pass the conditions on the article itself (not tags: a clipping may carry the tag instead).
    let meta: Uint8Array | null = null;
    if (metaTests) {
      meta = new Uint8Array(a.count);
      for (let s = 0; s < a.count; s++) {
        if (!a.alive[s]) continue;
        const day = a.published[s] as number;
        if ((from !== null || to !== null) && (day === NO_DATE || (from !== null && day < from) || (to !== null && day > to))) continue;
        if (states && states[a.state[s] as number] !== 1) continue;
        if (sources && sources[a.source[s] as number] !== 1) continue;
        if (has !== undefined && (counts[s] as number) > 0 !== has) continue;
        meta[s] = 1;
      }
    }
    // One flag set per filter tag (`place` flags place, place/Syria…), and which articles carry it.
    const tagFlags = (f.tags ?? []).map((raw) => {
      const tag = normalizeTag(raw).toLocaleLowerCase();
      const flags = new Float32Array(this.tags.list.length);
      this.tags.list.forEach((t, id) => {
        const lower = t.toLocaleLowerCase();
        if (lower === tag || lower.startsWith(tag + '/')) flags[id] = 1;
      });
      const tagged = new Uint8Array(a.count);
      for (let s = 0; s < a.count; s++) if (a.alive[s] && a.tagWeight(s, flags) > 0) tagged[s] = 1;
      return { flags, tagged };
    });
    let articleOk: Uint8Array | null = meta;
    if (tagFlags.length) {
      articleOk = new Uint8Array(a.count);
      for (let s = 0; s < a.count; s++) articleOk[s] = (!meta || meta[s] === 1) && tagFlags.every((t) => t.tagged[s] === 1) ? 1 : 0;
    }
    let labels: Uint8Array | null = null;
    if (f.labels) {
      articles = false;
      const wanted = new Set(f.labels);
      labels = new Uint8Array(this.labels.list.length);
      this.labels.list.forEach((l, id) => {
        if (wanted.has(l) && labels) labels[id] = 1;
      });
    }
    const okArticles = articleOk;
    return {
      articles,
      clippings,
      article: okArticles ? (s) => okArticles[s] === 1 : null,
      clipping:
        meta || tagFlags.length || labels
          ? (s) => {
              if (labels && labels[c.label[s] as number] !== 1) return false;
              const as = c.article[s] as number;
              if (meta && meta[as] !== 1) return false;
              // A clipping is "tagged place" when it or its article is.
              for (const t of tagFlags) if (t.tagged[as] !== 1 && c.tagWeight(s, t.flags) === 0) return false;
              return true;
            }
          : null,
    };
  }

  /**
   * Scores one kind: every word must match (AND); a word's score in a
   * document is its best expansion's BM25 (or its tag or source match);
   * a document's score is the sum over words. Returns the best `want`
   * after filtering, and how many passed the filter.
   */
  rank(kind: 'a' | 'c', plans: readonly WordPlan[], filter: ((slot: number) => boolean) | null, want: number): Ranked {
    const t = kind === 'a' ? this.a : this.c;
    if (plans.length === 0) return this.browse(kind, filter, want);
    // The rarest word first: its matches are the candidates the others can only narrow.
    const cost = (p: WordPlan) => p.exps.reduce((n, e) => n + (e.idx >= 0 ? (t.base.df[e.idx] as number) : 0) + (t.dTerms.get(e.term)?.length ?? 0) / 2, 0);
    const ordered = [...plans].sort((x, y) => cost(x) - cost(y));
    const first = new IntList();
    const touched = new IntList();
    for (let wi = 0; wi < ordered.length; wi++) {
      this.scoreWord(t, kind, ordered[wi] as WordPlan, wi, first, touched);
      if (first.length === 0) break;
    }
    const n = ordered.length;
    const top = new TopK(want, this.tieBreak(kind));
    const { acc, hits } = t;
    for (let i = 0; i < first.length; i++) {
      const s = first.items[i] as number;
      if (hits[s] === n && (!filter || filter(s))) top.offer(acc[s] as number, s);
      acc[s] = 0;
      hits[s] = 0;
    }
    return top.result();
  }

  /** Between equal scores: newer first; then (clippings) earlier in the article; then the earlier slot. */
  private tieBreak(kind: 'a' | 'c'): (x: number, y: number) => boolean {
    const published = this.a.published;
    const article = this.c.article;
    const start = this.c.start;
    if (kind === 'a') return (x, y) => (published[x] as number) > (published[y] as number) || (published[x] === published[y] && x < y);
    return (x, y) => {
      const dx = published[article[x] as number] as number;
      const dy = published[article[y] as number] as number;
      if (dx !== dy) return dx > dy;
      if (start[x] !== start[y]) return (start[x] as number) < (start[y] as number);
      return x < y;
    };
  }

  private scoreWord(t: Table, kind: 'a' | 'c', plan: WordPlan, wi: number, first: IntList, touched: IntList): void {
    const { inBase, norm, hits, best, delta, ddSlot } = t;
    const N = Math.max(1, t.live);
    const all = t.base.bytes;
    const starts = t.base.start;
    for (const e of plan.exps) {
      const dl = t.dTerms.get(e.term);
      const df = (e.idx >= 0 ? (t.base.df[e.idx] as number) : 0) + (dl ? dl.length / 2 : 0);
      if (df === 0) continue;
      // Stale postings can make df exceed N: keep idf positive.
      const idf = Math.max(0.05, Math.log(1 + (N - df + 0.5) / (df + 0.5)));
      const c = e.weight * idf * (K1 + 1);
      // The whole postings file, or (while it loads) the list this query read on its own.
      const fetched = all ? null : t.base.fetched?.get(e.idx);
      const bytes = all ?? fetched;
      if (e.idx >= 0 && bytes) {
        let i = all ? (starts[e.idx] as number) : 0;
        const end = all ? (starts[e.idx + 1] as number) : bytes.length;
        let slot = -1;
        // Inlined varint decoding (see postings.decode): this loop is the query's cost.
        while (i < end) {
          let b = bytes[i++] as number;
          let v = b & 127;
          let shift = 7;
          while (b >= 128) {
            b = bytes[i++] as number;
            v |= (b & 127) << shift;
            shift += 7;
          }
          slot += v >>> 1;
          const cls = v & 1 ? (bytes[i++] as number) : 0;
          if (!inBase[slot] || (wi > 0 && hits[slot] !== wi)) continue;
          const tf = TF_OF_CLASS[cls] as number;
          const s = (c * tf) / (tf + (norm[slot] as number));
          if (s > (best[slot] as number)) {
            if (best[slot] === 0) touched.push(slot);
            best[slot] = s;
          }
        }
      }
      if (dl) {
        for (let j = 0; j < dl.length; j += 2) {
          const dd = dl[j] as number;
          const slot = ddSlot[dd] as number;
          if (delta[slot] !== dd || (wi > 0 && hits[slot] !== wi)) continue;
          const tf = TF_OF_CLASS[dl[j + 1] as number] as number;
          const s = (c * tf) / (tf + (norm[slot] as number));
          if (s > (best[slot] as number)) {
            if (best[slot] === 0) touched.push(slot);
            best[slot] = s;
          }
        }
      }
    }
    const tagW = plan.tagWeights;
    const srcW = kind === 'a' ? plan.sourceWeights : null;
    if (tagW || srcW) {
      const source = this.a.source;
      const consider = (slot: number) => {
        let s = tagW ? TAG_SCORE * t.tagWeight(slot, tagW) : 0;
        if (srcW && (source[slot] as number) >= 0) s = Math.max(s, SOURCE_SCORE * (srcW[source[slot] as number] as number));
        if (s > (best[slot] as number)) {
          if (best[slot] === 0) touched.push(slot);
          best[slot] = s;
        }
      };
      if (wi === 0) {
        for (let slot = 0; slot < t.count; slot++) if (t.alive[slot]) consider(slot);
      } else {
        for (let i = 0; i < first.length; i++) {
          const slot = first.items[i] as number;
          if (hits[slot] === wi) consider(slot);
        }
      }
    }
    const { acc } = t;
    for (let i = 0; i < touched.length; i++) {
      const slot = touched.items[i] as number;
      if (wi === 0) {
        acc[slot] = best[slot] as number;
        hits[slot] = 1;
        first.push(slot);
      } else {
        acc[slot] = (acc[slot] as number) + (best[slot] as number);
        hits[slot] = wi + 1;
      }
      best[slot] = 0;
    }
    touched.length = 0;
  }

  /**
   * No words (filters only): everything that passes, newest first (a
   * clipping: its article's date, then its place in the article). One pass
   * with a numeric key into a small heap: the clippings view lists from
   * 500,000 clippings, where gathering every candidate and comparing with
   * closures cost 150–250 ms.
   */
  private browse(kind: 'a' | 'c', filter: ((slot: number) => boolean) | null, want: number): Ranked {
    const t = kind === 'a' ? this.a : this.c;
    const top = new TopK(want, this.tieBreak(kind));
    const published = this.a.published;
    const article = this.c.article;
    for (let s = 0; s < t.count; s++) {
      if (!t.alive[s] || (filter && !filter(s))) continue;
      // The published day is the key; equal days go to the tie-break (position, slot).
      top.offer(published[kind === 'a' ? s : (article[s] as number)] as number, s);
    }
    const ranked = top.result();
    return { ...ranked, scores: ranked.scores.map(() => 0) };
  }

  // ---------------------------------------------------------------- compaction

  /**
   * Folds the delta into a new base: live slots renumbered densely (in their
   * old order, so every list stays sorted), superseded postings dropped.
   * One pass over every posting list; the caller writes the result.
   */
  compact(): BaseData {
    const remap = (t: Table) => {
      const m = new Int32Array(t.count).fill(-1);
      let n = 0;
      for (let s = 0; s < t.count; s++) if (t.alive[s]) m[s] = n++;
      return { m, n };
    };
    const ra = remap(this.a);
    const rc = remap(this.c);
    const tags = new Interner();
    const sources = new Interner();
    const labels = new Interner();
    const a = this.a;
    const c = this.c;
    const aCols = { ids: [] as string[], updated: [] as string[], textKeys: new Float64Array(ra.n), published: new Int32Array(ra.n), state: new Uint8Array(ra.n), source: new Int32Array(ra.n), len: new Uint32Array(ra.n), tagCount: new Uint8Array(ra.n), tagIds: [] as number[] };
    for (let s = 0; s < a.count; s++) {
      const k = ra.m[s] as number;
      if (k < 0) continue;
      aCols.ids.push(a.ids.get(s));
      aCols.updated.push(a.updated[s] as string);
      aCols.textKeys[k] = a.textKeys[s] as number;
      aCols.published[k] = a.published[s] as number;
      aCols.state[k] = a.state[s] as number;
      aCols.source[k] = (a.source[s] as number) < 0 ? -1 : sources.id(this.sources.list[a.source[s] as number] as string);
      aCols.len[k] = a.len[s] as number;
      const aTags = Array.from(a.tagsOf(s));
      for (const t of aTags) aCols.tagIds.push(tags.id(this.tags.list[t] as string));
      aCols.tagCount[k] = aTags.length;
    }
    const cCols = { ids: [] as string[], article: new Uint32Array(rc.n), start: new Uint32Array(rc.n), end: new Uint32Array(rc.n), label: new Uint16Array(rc.n), len: new Uint16Array(rc.n), fp: new Uint32Array(rc.n), tagCount: new Uint8Array(rc.n), tagIds: [] as number[] };
    for (let s = 0; s < c.count; s++) {
      const k = rc.m[s] as number;
      if (k < 0) continue;
      cCols.ids.push(c.ids.get(s));
      cCols.article[k] = ra.m[c.article[s] as number] as number;
      cCols.start[k] = c.start[s] as number;
      cCols.end[k] = c.end[s] as number;
      cCols.label[k] = labels.id(this.labels.list[c.label[s] as number] as string);
      cCols.len[k] = Math.min(65535, c.len[s] as number);
      cCols.fp[k] = c.fp[s] as number;
      const cTags = Array.from(c.tagsOf(s));
      for (const t of cTags) cCols.tagIds.push(tags.id(this.tags.list[t] as string));
      cCols.tagCount[k] = cTags.length;
    }

    const terms = mergeSorted(this.vocab, [...this.newTerms].sort());
    const builder = new PostingsBuilder();
    let maxDf = 1;
    for (const p of [a.base, c.base]) for (let i = 0; i < p.df.length; i++) maxDf = Math.max(maxDf, p.df[i] as number);
    const docs = new Int32Array(maxDf);
    const classes = new Uint8Array(maxDf);
    const listOf = (t: Table, m: Int32Array, term: string, idx: number): PostingWriter | null => {
      const out = new PostingWriter();
      const fromDelta: number[] = [];
      const dl = t.dTerms.get(term);
      if (dl) {
        for (let j = 0; j < dl.length; j += 2) {
          const dd = dl[j] as number;
          const slot = t.ddSlot[dd] as number;
          if (t.delta[slot] === dd) fromDelta.push((m[slot] as number) * 16 + (dl[j + 1] as number));
        }
        fromDelta.sort((x, y) => x - y);
      }
      let k = 0;
      if (idx >= 0) {
        if (!t.base.bytes) throw new Error('compaction needs the postings loaded');
        const n = decode(t.base.bytes, t.base.start[idx] as number, t.base.start[idx + 1] as number, docs, classes);
        for (let i = 0; i < n; i++) {
          const slot = docs[i] as number;
          if (!t.inBase[slot]) continue;
          const to = m[slot] as number;
          while (k < fromDelta.length && (fromDelta[k] as number) < to * 16) {
            out.push(Math.floor((fromDelta[k] as number) / 16), (fromDelta[k] as number) % 16);
            k++;
          }
          out.push(to, classes[i] as number);
        }
      }
      for (; k < fromDelta.length; k++) out.push(Math.floor((fromDelta[k] as number) / 16), (fromDelta[k] as number) % 16);
      return out.count > 0 ? out : null;
    };
    for (const [term, idx] of terms) {
      const wa = listOf(a, ra.m, term, idx);
      const wc = listOf(c, rc.m, term, idx);
      if (wa || wc) builder.set(term, [wa, wc]);
    }
    const { vocab, a: pa, c: pc } = builder.finish();
    return {
      generation: newGeneration(),
      vocab,
      a: pa,
      c: pc,
      tables: { sources: sources.list, tags: tags.list, labels: labels.list },
      articles: { ...aCols, tagIds: Uint32Array.from(aCols.tagIds) },
      clippings: { ...cCols, ids: packStrings(cCols.ids), tagIds: Uint32Array.from(cCols.tagIds) },
    };
  }
}

/** The base's terms (with their index) and the delta's new ones (index -1), in one sorted sequence. */
function* mergeSorted(vocab: SortedVocab, extra: readonly string[]): Generator<[string, number]> {
  let j = 0;
  for (let i = 0; i < vocab.size; i++) {
    const t = vocab.term(i);
    while (j < extra.length && (extra[j] as string) < t) yield [extra[j++] as string, -1];
    yield [t, i];
  }
  while (j < extra.length) yield [extra[j++] as string, -1];
}

/** Days since 1970-01-01 of a calendar date or timestamp (its date part); NO_DATE when it is none. */
export function dayOf(value: string | null | undefined): number {
  if (!value) return NO_DATE;
  const t = Date.parse(value.slice(0, 10) + 'T00:00:00Z');
  return Number.isFinite(t) ? Math.floor(t / 86_400_000) : NO_DATE;
}

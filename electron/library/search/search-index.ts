import { BaseBuilder, IndexFileError, POSTINGS_BLOCK, attachPostings, checkedRange, decodeIndex, emptyBase, encodeBase, postingsRange, FORMAT_VERSION, type PostingsExpectation, type PreparedArticle } from './base';
import { prepareArticle, textKeyOf, type Held } from './prepare';
import { highlightRanges, makeSnippet, matchCount, phraseTester } from './snippet';
import { IndexState, type Ranked } from './state';
import { parseQuery } from './tokenize';
import type {
  ArticleHit,
  CatalogEntry,
  ClippingHit,
  IndexFiles,
  IndexStatus,
  IndexedArticle,
  IndexedClipping,
  SearchOptions,
  SearchResults,
  SearchTexts,
} from './types';

export const INDEX_FILE = 'index.bin';
export const POSTINGS_FILE = 'postings.bin';
export const DELTA_FILE = 'delta.json';
const DELTA_FORMAT = 'cuttings-search-delta';

/**
 * Compaction bounds. The delta lives in Maps and is saved as JSON: past
 * these it costs more to load and to query than folding it into the base
 * (a full pass over the postings, about a second per 100,000 articles here).
 */
const COMPACT_DELTA_DOCS = 20_000;
const COMPACT_DELTA_FRACTION = 0.1;
/**
 * Past this many articles to index again at open (an index much older than
 * the library), rebuilding from scratch is cheaper than the delta path.
 */
const REBUILD_FRACTION = 0.25;
/** With a phrase, candidates checked against their text, at most (each may be a file read). */
const PHRASE_CHECKS = 400;
/** Background work runs in slices this long, so that the main process keeps answering. */
const SLICE_MS = 12;

const DEFAULT_LIMIT = 20;

type Job = { article: IndexedArticle; clippings: readonly IndexedClipping[] | null; text?: string };

/**
 * Full-text search over a library's articles and clippings (issue 5).
 *
 * Plain Node, no Electron. The Library owns the truth; this index is derived
 * data it keeps current by calling `upsertArticle` / `removeArticle` after
 * each change, and `save` when idle and on close. A missing, damaged or
 * stale index file is never trusted: it is rebuilt, in the background.
 */
export class SearchIndex {
  private state: IndexState;
  /** Mutations run one at a time, in the order called, so that none is lost to a race. */
  private tail: Promise<unknown> = Promise.resolve();
  private current: IndexStatus = { state: 'ready', done: 0, total: 0, reason: null, rebuildReason: null };
  private background: Promise<void> = Promise.resolve();
  /** Articles queued for the background job at open; a newer upsert or removal takes an id out. */
  private pending = new Set<string>();
  /** While rebuilding: changes made meanwhile, replayed onto the rebuilt index. */
  private rebuildLog: Map<string, Job | null> | null = null;
  private baseOnDisk: boolean;
  private changes = 0;
  private savedChanges = 0;
  private closed = false;

  private constructor(
    private readonly files: IndexFiles | null,
    private readonly texts: SearchTexts,
    private readonly dir: string,
    state: IndexState,
    baseOnDisk: boolean,
  ) {
    this.state = state;
    this.baseOnDisk = baseOnDisk;
  }

  /**
   * Loads the persisted index and brings it up to date with `catalog` (the
   * library's articles and clippings, no bodies): an article whose
   * updatedAt is unchanged costs one lookup; changed metadata and clippings
   * are applied at once; changed texts are read and indexed in the
   * background (status 'updating'). With no usable index file, returns at
   * once and rebuilds in the background (status 'building', with the
   * reason). Without a catalog the saved index is taken as it is (tools,
   * benchmarks), or starts empty.
   */
  static async open(options: { files: IndexFiles; texts: SearchTexts; catalog?: Iterable<CatalogEntry>; dir?: string }): Promise<SearchIndex> {
    const dir = options.dir ?? 'search';
    const { files } = options;
    const entries = options.catalog ? [...options.catalog] : null;
    let reason: string;
    try {
      const bytes = await files.read(`${dir}/${INDEX_FILE}`);
      if (bytes === null) reason = 'there was no search index yet';
      else {
        const { data, postings } = decodeIndex(bytes);
        let state = new IndexState(data);
        try {
          const raw = await files.read(`${dir}/${DELTA_FILE}`);
          if (raw !== null) applyDelta(state, raw);
        } catch {
          // A damaged delta: start again from the base; reconciling below re-indexes what it held.
          state = new IndexState(data);
        }
        const index = new SearchIndex(files, options.texts, dir, state, true);
        const needText = entries ? index.reconcile(entries) : [];
        index.loadPostings(postings, entries ?? []);
        if (entries) index.catchUp(entries, needText);
        return index;
      }
    } catch (e) {
      reason = `the search index file could not be used: ${e instanceof Error ? e.message : String(e)}`;
    }
    const index = new SearchIndex(files, options.texts, dir, new IndexState(emptyBase()), false);
    index.startRebuild(entries ?? [], reason);
    return index;
  }

  /** While the postings file loads: where its lists are, and the changes since open (replayed if it proves damaged). */
  private loading: { expected: PostingsExpectation; entries: readonly CatalogEntry[]; sinceOpen: Map<string, Job | null>; done: Promise<void> } | null = null;

  /**
   * Reads the postings file after open (it is most of the index's bytes and
   * only queries need it), checks it block by block and attaches it. Queries
   * meanwhile read the blocks they need (`fetchLists`). A damaged file means
   * a rebuild, with the changes made since open replayed onto it.
   */
  private loadPostings(expected: PostingsExpectation, entries: readonly CatalogEntry[]): void {
    const data = this.state.baseData;
    const sinceOpen = new Map<string, Job | null>();
    const done = (async () => {
      try {
        const bytes = await this.files?.read(`${this.dir}/${POSTINGS_FILE}`);
        if (!bytes) throw new IndexFileError('its postings file is missing');
        attachPostings(data, expected, bytes);
        data.a.fetched = undefined;
        data.c.fetched = undefined;
        this.loading = null;
      } catch (e) {
        this.loading = null;
        this.postingsFailed(e, entries, sinceOpen);
      }
    })();
    this.loading = { expected, entries, sinceOpen, done };
    this.background = done;
  }

  private postingsFailed(e: unknown, entries: readonly CatalogEntry[], sinceOpen: Map<string, Job | null>): void {
    if (this.rebuildLog) return; // already rebuilding
    const log = this.startRebuild(entries, `the search index file could not be used: ${e instanceof Error ? e.message : String(e)}`);
    for (const [id, job] of sinceOpen) log.set(id, job);
  }

  /** Before the postings file is loaded: reads and checks the lists a query needs, or waits for the load. */
  private async fetchLists(state: IndexState, idxs: number[], kinds: ('a' | 'c')[]): Promise<void> {
    const loading = this.loading;
    if (!loading || state.baseData.a.bytes) return;
    const readRange = this.files?.readRange?.bind(this.files);
    if (!readRange) {
      await loading.done;
      return;
    }
    // The blocks holding every list this query needs, merged into a few reads (prefix expansions are
    // neighbours in the file); a query needing a good part of the file waits for the whole instead.
    const wanted: { kind: 'a' | 'c'; idx: number; at: number; length: number }[] = [];
    for (const kind of kinds) {
      const p = state.baseData[kind];
      p.fetched ??= new Map();
      for (const idx of idxs) {
        const from = p.start[idx] as number;
        const to = p.start[idx + 1] as number;
        if (to > from && !p.fetched.has(idx)) wanted.push({ kind, idx, at: loading.expected.at[kind] + from, length: to - from });
      }
    }
    if (wanted.length === 0) return;
    wanted.sort((x, y) => x.at - y.at);
    const reads: { offset: number; length: number; lists: typeof wanted }[] = [];
    for (const w of wanted) {
      const range = postingsRange(loading.expected, w.kind, w.at - loading.expected.at[w.kind], w.at - loading.expected.at[w.kind] + w.length);
      const last = reads[reads.length - 1];
      if (last && range.offset <= last.offset + last.length + 4 * POSTINGS_BLOCK) {
        last.length = Math.max(last.length, range.offset + range.length - last.offset);
        last.lists.push(w);
      } else reads.push({ offset: range.offset, length: range.length, lists: [w] });
    }
    if (reads.reduce((n, r) => n + r.length, 0) > Math.max(8 * 2 ** 20, loading.expected.fileLength / 4)) {
      await loading.done;
      return;
    }
    const jobs = reads.map(async (r) => {
      const bytes = await readRange(`${this.dir}/${POSTINGS_FILE}`, r.offset, r.length);
      if (!bytes) throw new IndexFileError('its postings file is missing');
      const checked = checkedRange(loading.expected, { offset: r.offset, length: r.length, skip: 0 }, bytes, r.length);
      // The whole file may have arrived meanwhile (and `fetched` been dropped): then the lists are there already.
      for (const w of r.lists) state.baseData[w.kind].fetched?.set(w.idx, checked.subarray(w.at - r.offset, w.at - r.offset + w.length));
    });
    try {
      await Promise.all(jobs);
    } catch (e) {
      // Damaged: nothing read from it is used; this query goes without those lists, and the index is
      // rebuilt from the catalog it was opened with (changes since replayed). Anything else (a read that
      // failed): wait for the whole file, whose load decides.
      if (e instanceof IndexFileError) this.postingsFailed(e, loading.entries, loading.sinceOpen);
      else await loading.done;
    }
  }

  /**
   * Builds an index from whole articles with their texts, synchronously
   * (a new library, tests, the benchmark). `save` writes it.
   */
  static build(entries: Iterable<CatalogEntry & { text: string }>, options: { files?: IndexFiles; texts: SearchTexts; dir?: string }): SearchIndex {
    const builder = new BaseBuilder();
    for (const e of entries) builder.add(prepareArticle(e.article, e.clippings ?? [], e.text, null));
    return new SearchIndex(options.files ?? null, options.texts, options.dir ?? 'search', new IndexState(builder.finish()), false);
  }

  get status(): IndexStatus {
    return { ...this.current };
  }

  get articleCount(): number {
    return this.state.articleCount;
  }

  get clippingCount(): number {
    return this.state.clippingCount;
  }

  /** Resolves when background indexing (rebuild or catch-up) is done. */
  async whenIdle(): Promise<void> {
    // Background work may start more (a damaged postings file starts a rebuild): wait until it stops changing.
    for (;;) {
      const job = this.background;
      await job.catch(() => undefined);
      await this.tail;
      if (job === this.background) return;
    }
  }

  private enqueue<T>(work: () => T | Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  // ---------------------------------------------------------------- changes

  /**
   * Makes the index hold this article as it is now, with exactly these
   * clippings (removed ones disappear). Call after every import or change.
   * `text` (the canonical text) saves a read when the caller has it; it is
   * only needed when the text, title or byline changed, and is read through
   * `texts` otherwise.
   */
  upsertArticle(article: IndexedArticle, clippings: readonly IndexedClipping[], text?: string): Promise<void> {
    const job: Job = { article, clippings, ...(text !== undefined ? { text } : {}) };
    this.pending.delete(article.id);
    this.rebuildLog?.set(article.id, job);
    this.loading?.sinceOpen.set(article.id, job);
    return this.enqueue(() => this.applyJob(job));
  }

  removeArticle(id: string): Promise<void> {
    this.pending.delete(id);
    this.rebuildLog?.set(id, null);
    this.loading?.sinceOpen.set(id, null);
    return this.enqueue(() => {
      if (this.state.remove(id)) this.changes++;
    });
  }

  private async applyJob(job: Job): Promise<void> {
    const { article } = job;
    const clippings = job.clippings ?? (await this.readClippings(article.id));
    const held = this.held(article.id);
    let text: string | null = null;
    if (!held || held.textKey !== textKeyOf(article)) {
      text = job.text ?? (await this.readText(article.id));
    }
    this.state.apply(prepareArticle(article, clippings, text, held));
    this.changes++;
  }

  private held(id: string): Held {
    const stamp = this.state.stamp(id);
    return stamp ? { textKey: stamp.textKey, clippings: this.state.clippingFingerprints(id) } : null;
  }

  /** A catalog entry given without its clippings: asked for now (none, if they cannot be read). */
  private async readClippings(id: string): Promise<readonly IndexedClipping[]> {
    try {
      return (await this.texts.clippings?.(id)) ?? [];
    } catch {
      return [];
    }
  }

  /** An article whose text cannot be read is still found by its title, tags and clippings. */
  private async readText(id: string): Promise<string> {
    try {
      return (await this.texts.article(id))?.text ?? '';
    } catch {
      return '';
    }
  }

  // ---------------------------------------------------------------- open

  /**
   * Brings the index in line with the catalog at open: removed articles go;
   * changed metadata and clippings are applied now (no text is read); the
   * articles whose text must be indexed again are returned for `catchUp`.
   */
  private reconcile(entries: readonly CatalogEntry[]): Job[] {
    const state = this.state;
    const needText: Job[] = [];
    // Every change to an article's record (tags, state, clippings, a new text) gives it a new updatedAt.
    this.changes += state.reconcile(entries, (i, held) => {
      const { article, clippings } = entries[i] as CatalogEntry;
      const h = held ? this.held(article.id) : null;
      if (h && h.textKey === textKeyOf(article) && clippings) {
        state.apply(prepareArticle(article, clippings, null, h));
        this.changes++;
      } else needText.push({ article, clippings });
    });
    return needText;
  }

  /** Indexes the texts that changed while the index was not saved, in the background (or rebuilds, when that is most of them). */
  private catchUp(entries: readonly CatalogEntry[], needText: Job[]): void {
    if (needText.length === 0) return;
    if (needText.length > Math.max(1000, REBUILD_FRACTION * entries.length)) {
      this.startRebuild(entries, `${needText.length} articles changed since the search index was saved`);
      return;
    }
    this.current = { state: 'updating', done: 0, total: needText.length, reason: null, rebuildReason: this.current.rebuildReason };
    for (const job of needText) this.pending.add(job.article.id);
    const before = this.background;
    this.background = (async () => {
      await before.catch(() => undefined);
      let sliceStart = performance.now();
      for (const job of needText) {
        if (this.closed) return;
        if (this.pending.has(job.article.id)) {
          this.pending.delete(job.article.id);
          await this.enqueue(() => this.applyJob(job));
        }
        this.current.done++;
        if (performance.now() - sliceStart > SLICE_MS) {
          await yieldToLoop();
          sliceStart = performance.now();
        }
      }
      this.current = { ...this.current, state: 'ready', done: 0, total: 0 };
    })();
  }

  /**
   * Builds a new base from the catalog in the background, reading each text
   * through `texts`, a slice at a time. Searches meanwhile see the old (or
   * an empty) index and say `indexing`; changes meanwhile are applied to it
   * and replayed onto the new one, which is then saved.
   */
  private startRebuild(entries: readonly CatalogEntry[], reason: string | null): Map<string, Job | null> {
    this.current = { state: 'building', done: 0, total: entries.length, reason, rebuildReason: reason };
    const log = new Map<string, Job | null>();
    this.rebuildLog = log;
    this.background = (async () => {
      const builder = new BaseBuilder();
      let sliceStart = performance.now();
      for (const { article, clippings } of entries) {
        if (this.closed) return;
        builder.add(prepareArticle(article, clippings ?? (await this.readClippings(article.id)), await this.readText(article.id), null));
        this.current.done++;
        if (performance.now() - sliceStart > SLICE_MS) {
          await yieldToLoop();
          sliceStart = performance.now();
        }
      }
      const built = builder.finish();
      await this.enqueue(async () => {
        const log = this.rebuildLog ?? new Map<string, Job | null>();
        this.rebuildLog = null;
        this.state = new IndexState(built);
        this.baseOnDisk = false;
        for (const [id, job] of log) {
          if (job) await this.applyJob(job);
          else this.state.remove(id);
        }
        this.changes++;
      });
      this.current = { state: 'ready', done: 0, total: 0, reason: null, rebuildReason: reason };
      if (this.files && !this.closed) await this.save().catch(() => undefined);
    })();
    return log;
  }

  // ---------------------------------------------------------------- saving

  /**
   * Writes what changed: the delta file (small) after ordinary changes; the
   * base file after a rebuild or a compaction, which runs here when the
   * delta has grown past its bounds (or when `compact` is asked). The base
   * is written before the delta that names it, so a crash between the two
   * leaves a delta that is ignored, and the next open catches up.
   */
  save(options: { compact?: boolean } = {}): Promise<void> {
    return this.enqueue(async () => {
      if (!this.files || this.rebuildLog) return; // a rebuild saves when it is done
      const docs = this.state.articleCount + this.state.clippingCount;
      const compact = options.compact || this.state.deltaDocs > Math.min(COMPACT_DELTA_DOCS, Math.max(2000, docs * COMPACT_DELTA_FRACTION));
      if ((compact || !this.baseOnDisk) && this.loading) {
        await this.loading.done; // a compaction reads every list
        if (this.rebuildLog) return;
      }
      if (compact) this.compactNow();
      if (!this.baseOnDisk) {
        const { index, postings } = encodeBase(this.state.baseData);
        // Postings first: an index file names the postings it needs, so a crash between the two is caught at open.
        await this.files.write(`${this.dir}/${POSTINGS_FILE}`, postings);
        await this.files.write(`${this.dir}/${INDEX_FILE}`, index);
        this.baseOnDisk = true;
        this.savedChanges = -1; // the delta file names the old base: rewrite it
      }
      if (this.savedChanges !== this.changes) {
        const changes = this.changes;
        const delta = { format: DELTA_FORMAT, version: FORMAT_VERSION, base: this.state.generation, articles: this.state.deltaRecords() };
        await this.files.write(`${this.dir}/${DELTA_FILE}`, Buffer.from(JSON.stringify(delta), 'utf8'));
        this.savedChanges = changes;
      }
    });
  }

  /** Folds the delta into a new base now (synchronous: about a second per 100,000 articles). */
  compact(): Promise<void> {
    return this.enqueue(async () => {
      await this.loading?.done;
      if (!this.rebuildLog) this.compactNow();
    });
  }

  private compactNow(): void {
    this.state = new IndexState(this.state.compact());
    this.baseOnDisk = false;
  }

  /** Stops background work, waits for pending changes, saves. */
  async close(): Promise<void> {
    this.closed = true;
    await this.background.catch(() => undefined);
    await this.save();
  }

  /** Sizes, for the benchmark and diagnostics. */
  stats() {
    const s = this.state;
    return { articles: s.articleCount, clippings: s.clippingCount, terms: s.vocab.size, postingBytes: (s.baseData.a.bytes?.length ?? 0) + (s.baseData.c.bytes?.length ?? 0), deltaDocs: s.deltaDocs };
  }

  // ---------------------------------------------------------------- search

  /**
   * Article and clipping hits for a query: words (all must match; prefixes
   * and typos allowed), "quoted phrases" (words adjacent in the text), and
   * filters. An empty query lists what the filters let through, newest
   * first. Snippets are cut from texts read through `texts` for the hits
   * returned only.
   */
  async search(query: string, options: SearchOptions = {}): Promise<SearchResults> {
    const state = this.state;
    const limit = Math.max(0, Math.floor(options.limit ?? DEFAULT_LIMIT));
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const kinds = options.kinds ?? ['article', 'clipping'];
    const parsed = parseQuery(query);
    const filters = state.compileFilters(options.filters ?? {}, { articles: kinds.includes('article'), clippings: kinds.includes('clipping') });
    const indexing = this.current.state !== 'ready';
    const none: SearchResults = { articles: [], clippings: [], totals: { articles: 0, clippings: 0 }, approximate: false, terms: [], indexing };
    // Typed but holding nothing searchable (punctuation): nothing, rather than everything.
    if (parsed.words.length === 0 && query.trim() !== '') return none;

    const plans = state.plan(parsed.words);
    if (this.loading) {
      const kinds = [...(filters.articles ? (['a'] as const) : []), ...(filters.clippings ? (['c'] as const) : [])];
      await this.fetchLists(state, [...new Set(plans.flatMap((p) => p.exps.filter((e) => e.idx >= 0).map((e) => e.idx)))], kinds);
    }
    const terms = [...new Set([...plans.flatMap((p) => p.exps.map((e) => e.term)), ...parsed.phrases.flat()])];
    const termSet = new Set(terms);
    const phrases = parsed.phrases;
    const want = phrases.length > 0 ? Math.max(PHRASE_CHECKS, offset + limit) : offset + limit;
    const empty: Ranked = { slots: [], scores: [], total: 0 };
    const ra = filters.articles ? state.rank('a', plans, filters.article, want) : empty;
    const rc = filters.clippings ? state.rank('c', plans, filters.clipping, want) : empty;
    // Ids and positions now: a compaction while texts are read below replaces the state.
    const aHits = ra.slots.map((slot, i) => ({ articleId: state.a.ids.get(slot), score: ra.scores[i] as number }));
    const cHits = rc.slots.map((slot, i) => ({
      clippingId: state.c.ids.get(slot),
      articleId: state.a.ids.get(state.c.article[slot] as number),
      position: { start: state.c.start[slot] as number, end: state.c.end[slot] as number },
      label: state.labels.list[state.c.label[slot] as number] as string,
      score: rc.scores[i] as number,
    }));

    let approximate = false;
    let totals = { articles: ra.total, clippings: rc.total };
    let aPage = aHits.slice(offset, offset + limit);
    let cPage = cHits.slice(offset, offset + limit);
    const articleTexts = new Map<string, Promise<{ title: string; text: string } | null>>();
    const articleText = (id: string) => {
      let p = articleTexts.get(id);
      if (!p) articleTexts.set(id, (p = this.texts.article(id).catch(() => null)));
      return p;
    };
    const clippingText = (id: string) => this.texts.clipping(id).catch(() => null);
    if (phrases.length > 0) {
      // Postings have no positions: the candidates (all words present) are checked against their text, best first.
      const testers = phrases.map(phraseTester);
      const check = async <H>(hits: H[], total: number, text: (h: H) => Promise<string[]>) => {
        const kept: H[] = [];
        let checked = 0;
        for (const h of hits) {
          if (kept.length >= offset + limit) break;
          checked++;
          const fields = await text(h);
          if (testers.every((holds) => fields.some(holds))) kept.push(h);
        }
        const all = checked === total;
        if (!all) approximate = true;
        return { page: kept.slice(offset, offset + limit), total: all ? kept.length : Math.max(kept.length, total) };
      };
      const [pa, pc] = await Promise.all([
        check(aHits, ra.total, async (h) => {
          const t = await articleText(h.articleId);
          return t ? [t.title, t.text] : [];
        }),
        check(cHits, rc.total, async (h) => {
          const t = await clippingText(h.clippingId);
          return t ? [t.quote, t.note] : [];
        }),
      ]);
      aPage = pa.page;
      cPage = pc.page;
      totals = { articles: pa.total, clippings: pc.total };
    }

    const [articles, clippings] = await Promise.all([
      Promise.all(
        aPage.map(async (h): Promise<ArticleHit> => {
          const t = await articleText(h.articleId);
          return {
            kind: 'article',
            articleId: h.articleId,
            score: h.score,
            titleRanges: t ? highlightRanges(t.title, termSet, phrases) : [],
            snippet: t ? makeSnippet(t.text, termSet, phrases) : null,
          };
        }),
      ),
      Promise.all(
        cPage.map(async (h): Promise<ClippingHit> => {
          const t = await clippingText(h.clippingId);
          // The note when it holds more of the query (a word only in the note must show), else the quote.
          const field = t && t.note && matchCount(t.note, termSet, phrases) > matchCount(t.quote, termSet, phrases) ? 'note' : 'quote';
          return { kind: 'clipping', ...h, field, snippet: t ? makeSnippet(field === 'note' ? t.note : t.quote, termSet, phrases) : null };
        }),
      ),
    ]);
    return { articles, clippings, totals, approximate, terms, indexing };
  }
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Applies a delta file onto the base it names; throws on anything that does not fit. */
function applyDelta(state: IndexState, raw: Uint8Array): void {
  const delta = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8')) as {
    format?: unknown;
    version?: unknown;
    base?: unknown;
    articles?: unknown;
  };
  if (delta.format !== DELTA_FORMAT || delta.version !== FORMAT_VERSION) throw new IndexFileError('not a delta of this format');
  // A delta of another base (a crash between writing the base and the delta): its changes are in that base or caught up at open.
  if (delta.base !== state.generation) return;
  if (typeof delta.articles !== 'object' || delta.articles === null) throw new IndexFileError('malformed delta');
  for (const [id, record] of Object.entries(delta.articles as Record<string, unknown>)) {
    if (record === null) state.remove(id);
    else if (isRecord(record) && record.id === id) state.apply(record);
    else throw new IndexFileError(`malformed delta record for ${id}`);
  }
}

function isRecord(r: unknown): r is PreparedArticle {
  if (typeof r !== 'object' || r === null) return false;
  const p = r as Record<string, unknown>;
  const terms = (t: unknown) => t === null || (Array.isArray(t) && t.length % 2 === 0 && t.every((x, i) => (i % 2 === 0 ? typeof x === 'string' : Number.isInteger(x) && (x as number) >= 0 && (x as number) < 16)));
  const strings = (t: unknown) => Array.isArray(t) && t.every((x) => typeof x === 'string');
  return (
    typeof p.id === 'string' &&
    typeof p.updated === 'string' &&
    Number.isSafeInteger(p.textKey) &&
    Number.isInteger(p.published) &&
    Number.isInteger(p.state) &&
    (p.source === null || typeof p.source === 'string') &&
    strings(p.tags) &&
    terms(p.terms) &&
    Number.isInteger(p.len) &&
    Array.isArray(p.clippings) &&
    p.clippings.every((c: unknown) => {
      if (typeof c !== 'object' || c === null) return false;
      const q = c as Record<string, unknown>;
      return typeof q.id === 'string' && Number.isInteger(q.fp) && typeof q.label === 'string' && strings(q.tags) && Number.isInteger(q.start) && Number.isInteger(q.end) && terms(q.terms) && Number.isInteger(q.len);
    })
  );
}

import { open as openFile, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Low } from 'lowdb';
import { StoredJsonFile, parseStored, serialize } from './storage/atomic-file';
import { Store, isJournalFile, parallel, type FileWrite, type StoreOptions } from './storage/store';
import { LOCK_FILE } from './storage/lock';
import { readArticleRecord, validArticleRecord } from './storage/article-record';
import { SNAPSHOT_INTERVAL_MS, SnapshotReader, listSnapshots, restoreFromSnapshots, takeSnapshot } from './storage/snapshots';
import { normalizeUrl } from './urls';
import { CATALOG_CACHE_FILE, CatalogCache, encodeCatalogCacheParts, headOf, type ArticleHead, type CatalogLater } from './storage/catalog-cache';
import {
  ARTICLES_DIR,
  ARTICLE_FILE,
  ArticleRecordSchema,
  BODY_FILE,
  BodyRecordSchema,
  IMAGES_DIR,
  MANIFEST_FILE,
  ManifestSchema,
  SCHEMA_VERSION,
  VERSIONS_DIR,
  versioned,
  type ArticleRecord,
  type BodyRecord,
  type Manifest,
} from './storage/records';
import { LibraryError, describeIoError } from './errors';
import {
  normalizeTag,
  ClippingSchema,
  DEFAULT_LABELS,
  LabelListSchema,
  normalizeTags,
  LIMITS,
  type Article,
  type Composition,
  type ArticleAnalysis,
  type ArticleDetail,
  type ArticleSummary,
  type Block,
  type Clipping,
  type Label,
  type ReadingState,
  type FeedSummary,
  type ImportOutcome,
} from './model';
import { canonicalText, countWords, dedupKey, quoteSelector, sha256 } from './text';
import { reanchorAll } from './anchoring';
import { FileReads, collectFiles, parseArticleBytes } from './import/files';
import { FEEDS_FILE, FeedList } from './feeds';
import { LABELS_FILE, LabelList } from './labels';
import { COMPOSITIONS_FILE, CompositionList, type CompositionInput } from './compositions';
import { importAnnotationFile, type AnnotationFile } from './import/annotations';
import { fetchArticle, fetchFeed, isFetchError, localiseImages, type FetchOptions } from './net';
import type { ParsedDocument } from './import/document';
import { SearchIndex, folderIndexFiles, type ArticleHit, type ClippingHit, type IndexStatus, type SearchOptions, type SearchResults } from './search';

export type OpenOptions = {
  /** Folder of sample articles imported into a library the first time it is created. */
  seedDir?: string;
  /** Refuse to create a library where none exists (the CLI's `show` on a wrong path, say). */
  mustExist?: boolean;
  now?: () => Date;
  /** Passed to the Store (fault injection in tests). */
  store?: StoreOptions;
  /**
   * Keep a full-text index (search/ in the library folder) current and
   * answer `search`. The app and `cuttings search` do; a library opened
   * without it (other CLI commands, most tests) leaves the index as it was,
   * and the next open with it catches up with what changed meanwhile.
   */
  search?: boolean;
  /** Who has the library open, as another process finding it locked is told ("the Cuttings app"). */
  purpose?: string;
};

export type NewClipping = {
  articleId: string;
  start: number;
  end: number;
  /** The text the user saw selected; refused if the article no longer says exactly that. */
  exact?: string;
  /** A label id; it must be one of the library's labels. */
  label: string;
  note?: string;
  tags?: string[];
};

export type ClippingPatch = { label?: string; note?: string; tags?: string[] };

/** Where an imported document came from, as the article records it. */
export type ImportOrigin = { kind: Article['origin']['kind']; name: string; path: string };

/** Files that travel with a document (its images), stored in the article's folder. */
export type AttachedFile = { name: string; bytes: Uint8Array };

export type ImportProgress = { done: number; total: number; outcome: ImportOutcome };

export type ImportOptions = {
  /** Called as each item finishes, in completion order. */
  onProgress?: (progress: ImportProgress) => void;
  /** Called with each outcome in input order (for line-by-line output). */
  onOutcome?: (outcome: ImportOutcome) => void;
  /** Stops starting new items; items already under way finish. */
  signal?: AbortSignal;
  /** Files read and parsed at once (default 8); their writes share group commits. */
  concurrency?: number;
};

/** An article's record as lowdb holds it, with the adapter that knows its file. */
type RecordDb = Low<ArticleRecord> & { adapter: StoredJsonFile<ArticleRecord> };
/**
 * An article of the library. Its record (notes, quotes, selectors: the
 * catalog proper, a lowdb file) is read when the article is opened or
 * changed; until then what the list and the library-wide maps need is its
 * head, from the record or parsed from the catalog cache.
 */
type Entry = {
  db: RecordDb | null;
  head: ArticleHead | null;
  /** Its place in the catalog cache it was opened from, or -1. */
  slot: number;
};

/**
 * Changes made since the catalog cache was written: an empty file
 * `<article id>.<change number>` per change, written in the same
 * transaction as the record (see `load`). Names, not contents, so that
 * removing the ones a new cache covers can never remove a newer one.
 */
const CHANGES_DIR = 'changes';
const MARKER_NAME = /^([A-Za-z0-9_-]+)\.(\d{1,15})$/;
/** Past this many changes since the cache was written, it is written again when the library is idle. */
const CACHE_REWRITE_CHANGES = 5_000;
/** Records read at once when the whole catalog must be read (no usable cache). */
const PARALLEL_READS = 64;

/** Tags used in the library, each with how many articles and clippings carry it. */
export type TagCount = { tag: string; articles: number; clippings: number };

/**
 * What a library-wide tag change did: every article and clipping it touched,
 * with the tags they had before. Handing it back to restoreTags undoes the
 * change exactly (a merge included, which a rename back could not undo).
 */
export type TagUndo = { articles: { id: string; tags: string[] }[]; clippings: { id: string; tags: string[] }[] };

/** True when `tag` is `root` or below it (`place/Syria` is below `place`). */
function isUnder(tag: string, root: string): boolean {
  return tag === root || tag.startsWith(`${root}/`);
}

/** For what the library fetches from the web. */
/** A search hit as the window shows it: with what it needs to draw the row. */
export type LibraryArticleHit = ArticleHit & Pick<ArticleSummary, 'title' | 'source' | 'published' | 'readingState' | 'clippingCount'>;
export type LibraryClippingHit = ClippingHit & { articleTitle: string; quote: string; note: string; tags: string[]; createdAt: string };
export type LibrarySearchResults = Omit<SearchResults, 'articles' | 'clippings'> & { articles: LibraryArticleHit[]; clippings: LibraryClippingHit[] };

export type WebOptions = Pick<FetchOptions, 'fetchImpl' | 'signal' | 'timeoutMs'>;

/** Imports from files and pasted content never reach out to the web. */
const refuseFetch = (async () => {
  throw new Error('remote images are not fetched for files and pasted content');
}) as unknown as typeof fetch;

/** Images that came with a file: keep what it carries (data:), drop what would need the web or a folder beside it. */
function offlineImages(doc: ParsedDocument): ParsedDocument {
  return { ...doc, blocks: doc.blocks.map((b) => (b.kind === 'image' && !b.src.startsWith('data:') ? { ...b, src: '' } : b)) };
}

/** Imports parsed and waiting for their write to be acknowledged, at most. */
const MAX_UNACKNOWLEDGED = 1024;

/**
 * A library folder: a manifest, and one folder per article holding its
 * catalog record (metadata + clippings, a lowdb file) and its body. A change
 * to one article rewrites only that article's small record, so a save costs
 * the same in a library of ten articles or a hundred thousand, and folder
 * sync tools (Syncthing, Dropbox) see one small file change.
 *
 * Every change is validated, written through the Store (one queue, group
 * commit, journal), and only then made visible in memory: if the write
 * fails, the library is exactly as it was.
 */
export class Library {
  private readonly entries = new Map<string, Entry>();
  /** Normalised text of every version of every article → its article. */
  private readonly byDedup = new Map<string, string>();
  private readonly byUrl = new Map<string, string>();
  private readonly byIdentity = new Map<string, string>();
  private readonly clippingArticle = new Map<string, string>();
  /** New articles being stored right now, by id. */
  private readonly importing = new Map<string, Promise<ImportOutcome>>();
  private readonly bodies = new Map<string, { blocks: Block[]; text: string }>();
  /** Per-article read-modify-write steps run one at a time so that no change is lost to a race. */
  private readonly locks = new Map<string, Promise<unknown>>();
  /** Analyses of recently opened texts, by text hash. */
  private readonly analyses = new Map<string, ArticleAnalysis>();
  /** Article records that could not be read; they are left on disk untouched. */
  readonly problems: string[] = [];
  /** Folder names of those records, kept in the cache so that each open tries them again. */
  private readonly problemIds = new Set<string>();
  /** The catalog cache the library was opened from, and its second half once read. */
  private cache: CatalogCache | null = null;
  private later: CatalogLater | null = null;
  /** Resolves once every head can be had and the maps (duplicates, urls, clippings) are complete. */
  private ready: Promise<void> = Promise.resolve();
  /** Why the catalog cache could not be used at open, if it could not (diagnostics). */
  cacheProblem: string | null = null;
  /** Numbers every change to a record (see the change markers); the cache names the last one it holds. */
  private seq = 0;
  private changesSinceCache = 0;
  /** Record writes issued and not yet settled: the cache is only taken between them. */
  private inflight = 0;
  private readonly reading = new Map<string, Promise<RecordDb>>();
  /** The list's order (ids), kept until something changes it. */
  private order: string[] | null = null;
  private cacheWrite: Promise<void> | null = null;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly store: Store,
    private manifest: Manifest,
    private readonly now: () => Date,
    private readonly feedList: FeedList,
    private readonly labelList: LabelList,
    private readonly snapshots: SnapshotReader,
  ) {}

  static async open(dir: string, options: OpenOptions = {}): Promise<Library> {
    const now = options.now ?? (() => new Date());
    const existing = await readManifest(dir);
    if (!existing) {
      if (options.mustExist) throw new LibraryError('not-a-library', `No Cuttings library at ${dir}`);
      if (!(await isEmptyOrMissing(dir))) {
        throw new LibraryError(
          'not-a-library',
          `${dir} is not empty and holds no Cuttings library (no ${MANIFEST_FILE}); choose an empty folder or an existing library`,
        );
      }
    }
    const store = await Store.open(dir, { ...options.store, ...(options.purpose ? { purpose: options.purpose } : {}) });
    let manifest = existing ?? (await readManifest(dir)); // the journal may have held it
    if (!manifest) {
      manifest = { format: 'cuttings-library', schemaVersion: SCHEMA_VERSION, createdAt: now().toISOString(), seededAt: null };
      await store.write([{ path: MANIFEST_FILE, data: serialize(manifest) }]);
    }
    const backups: Backups = { store, snapshots: new SnapshotReader(dir), now, told: [] };
    let library: Library;
    try {
      const feeds = await openRestoring(backups, () => FeedList.open(store), FEEDS_FILE, FeedList.parse);
      const labels = await openRestoring(backups, () => LabelList.open(store), LABELS_FILE, LabelList.parse);
      library = new Library(dir, store, manifest, now, feeds, labels, backups.snapshots);
      library.problems.push(...backups.told);
      await library.load();
    } catch (e) {
      // Refused (damaged beyond the backups, or from a newer Cuttings): the library is let go, not left locked.
      await store.close().catch(() => undefined);
      throw e;
    }
    if (options.search) library.openSearch();
    if (!manifest.seededAt && options.seedDir) {
      await library.importPaths([options.seedDir]);
      library.manifest = { ...library.manifest, seededAt: now().toISOString() };
      await store.write([{ path: MANIFEST_FILE, data: serialize(library.manifest) }]);
    }
    return library;
  }

  /** Makes everything written so far durable in place and empties the journal. */
  flush(): Promise<void> {
    return this.store.checkpoint();
  }

  /**
   * Waits for pending writes, saves the search index and the catalog cache
   * (when something changed), and makes everything durable in place.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.cacheTimer) clearTimeout(this.cacheTimer);
    if (this.searchTimer) clearTimeout(this.searchTimer);
    if (this.searchIndex) {
      try {
        const index = await this.searchIndex;
        await index.save();
        await index.close();
      } catch {
        // Derived data: the next open rebuilds what could not be saved.
      }
    }
    await this.cacheWrite?.catch(() => undefined);
    if (this.changesSinceCache > 0 || !this.cache) await this.writeCache().catch(() => undefined);
    // A backup that cannot be made must not stop the library closing; the next close tries again.
    await this.backUpCatalog().catch(() => undefined);
    await this.store.close();
  }

  /**
   * A rotating backup of the catalog (storage/snapshots.ts) when the library
   * changed since it was opened and its newest backup is an hour old or
   * more: every record, the labels, the feeds and the press reviews, as
   * they are in place once the journal is checkpointed.
   */
  private async backUpCatalog(): Promise<void> {
    if (this.store.changes === 0) return;
    const newest = (await listSnapshots(this.dir))[0];
    if (newest && this.now().getTime() - Date.parse(newest.takenAt) < SNAPSHOT_INTERVAL_MS) return;
    await this.store.checkpoint();
    const files: Record<string, string> = {};
    const take = async (path: string) => {
      try {
        files[path] = await readFile(join(this.dir, path), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    };
    for (const path of [FEEDS_FILE, LABELS_FILE, COMPOSITIONS_FILE]) await take(path);
    await parallel(await this.articleFolders(), (id) => take(join(ARTICLES_DIR, id, ARTICLE_FILE)), PARALLEL_READS);
    await takeSnapshot(this.dir, files, this.now());
  }

  /**
   * Writes the catalog cache: every head, and the number of the last change
   * it holds. Taken between record writes, so that every change numbered up
   * to that is in it; later ones have markers with higher numbers.
   */
  private async writeCache(): Promise<void> {
    await this.ready.catch(() => undefined);
    while (this.inflight > 0) await new Promise((r) => setImmediate(r));
    // In list order: the next open then lists without sorting (see orderFromCache). An article whose
    // record was never read since the cache was opened is copied from it as it is.
    const later = this.later;
    const heads = this.listOrder().map((id) => {
      const entry = this.entry(id);
      return entry.db === null && later && entry.slot >= 0 ? later.item(entry.slot) : this.headOf(id, entry);
    });
    const seq = this.seq;
    const counted = this.changesSinceCache;
    const parts = encodeCatalogCacheParts({ seq, heads, problems: [...this.problemIds] });
    const target = join(this.dir, CATALOG_CACHE_FILE);
    const temp = `${target}.${randomId()}.tmp`;
    try {
      const fh = await openFile(temp, 'wx', 0o644);
      try {
        for (let i = 0; i < parts.length; i += 512) {
          const group = parts.slice(i, i + 512);
          const { bytesWritten } = await fh.writev(group);
          if (bytesWritten !== group.reduce((n, p) => n + p.length, 0)) throw new Error(`short write to ${temp}`);
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(temp, target);
    } catch (e) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw e;
    }
    this.changesSinceCache = Math.max(0, this.changesSinceCache - counted);
    // The markers this cache holds are no longer needed; later ones have higher numbers, other names.
    const covered = (await this.markerFiles()).filter((m) => m.seq <= seq);
    await parallel(covered, (m) => rm(join(this.dir, CHANGES_DIR, m.name), { force: true })).catch(() => undefined);
  }

  private cacheTimer: NodeJS.Timeout | null = null;
  /** After many changes, the cache is written again once the library has been idle a few seconds. */
  private scheduleCacheWrite(): void {
    if (this.closed || this.changesSinceCache < CACHE_REWRITE_CHANGES) return;
    if (this.cacheTimer) clearTimeout(this.cacheTimer);
    this.cacheTimer = setTimeout(() => {
      this.cacheTimer = null;
      if (this.closed || this.cacheWrite) return;
      this.cacheWrite = this.writeCache()
        .catch(() => undefined)
        .finally(() => {
          this.cacheWrite = null;
        });
    }, 5_000);
    this.cacheTimer.unref();
  }

  /**
   * Opening: with a usable catalog cache, its list keys give every article at
   * once; the records changed since it was written (their change markers
   * carry a number past the cache's) are read now, and the rest of the cache
   * (the other keys, the heads) in the background (`ready`). Without one,
   * every record is read, a bounded number at a time.
   */
  private async load(): Promise<void> {
    const markers = await this.readMarkers();
    let cache: CatalogCache | null = null;
    try {
      cache = await CatalogCache.open(join(this.dir, CATALOG_CACHE_FILE));
      if (cache === null) this.cacheProblem = 'there was no catalog cache';
    } catch (e) {
      this.cacheProblem = `the catalog cache could not be used: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (!cache) {
      await this.readAllRecords(await this.articleFolders());
      this.seq = Math.max(0, ...markers.values());
      // Every record was read: the markers are all covered by the cache the next close writes.
      this.changesSinceCache = CACHE_REWRITE_CHANGES;
      return;
    }
    this.cache = cache;
    this.seq = Math.max(cache.seq, ...markers.values());
    for (let slot = 0; slot < cache.count; slot++) {
      const id = cache.listKey(slot, 'id');
      this.entries.set(id, { db: null, head: null, slot });
    }
    const changed = [...markers].filter(([, seq]) => seq > cache.seq).map(([id]) => id);
    this.changesSinceCache = changed.length;
    await this.readAllRecords([...new Set([...changed, ...cache.problems])]);
    this.orderFromCache(cache);
    // (Markers the cache already holds are removed when the next cache is written: opening never writes.)
    this.ready = this.readLater(cache);
  }

  /** The second half of the cache, then the maps; if it proves unusable, the records themselves. */
  private async readLater(cache: CatalogCache): Promise<void> {
    try {
      this.later = await cache.loadLater();
    } catch (e) {
      this.cacheProblem = `the catalog cache could not be used: ${e instanceof Error ? e.message : String(e)}`;
      const unread = [...this.entries].filter(([, e]) => e.head === null).map(([id]) => id);
      for (const id of unread) this.entries.delete(id);
      this.order = null;
      await this.readAllRecords(unread);
      this.changesSinceCache = CACHE_REWRITE_CHANGES;
      return;
    }
    const later = this.later;
    // A slice at a time, so that the window's requests are answered meanwhile.
    let sliceStart = performance.now();
    for (const [id, entry] of this.entries) {
      if (performance.now() - sliceStart > 25) {
        await new Promise((r) => setImmediate(r));
        sliceStart = performance.now();
      }
      if (entry.db) continue; // read from its record: indexed then (a head parsed from the cache is not)
      const slot = entry.slot;
      this.byDedup.set(later.key(slot, 'dedupHash'), id);
      for (const h of splitKey(later.key(slot, 'versionDedups'))) this.byDedup.set(h, id);
      const url = later.key(slot, 'url');
      if (url) this.byUrl.set(url, id); // kept normalised in the cache
      const identity = later.key(slot, 'identity');
      if (identity) this.byIdentity.set(identity, id);
      for (const c of splitKey(later.key(slot, 'clippingIds'))) this.clippingArticle.set(c, id);
    }
  }

  /** The change markers: each article's highest change number. */
  private async readMarkers(): Promise<Map<string, number>> {
    const markers = new Map<string, number>();
    for (const { id, seq } of await this.markerFiles()) markers.set(id, Math.max(seq, markers.get(id) ?? 0));
    return markers;
  }

  private async markerFiles(): Promise<{ name: string; id: string; seq: number }[]> {
    let names: string[];
    try {
      names = await readdir(join(this.dir, CHANGES_DIR));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new LibraryError('io', `Could not read ${join(this.dir, CHANGES_DIR)}: ${describeIoError(e)}`, { cause: e });
    }
    return names.flatMap((name) => {
      const m = MARKER_NAME.exec(name);
      return m ? [{ name, id: m[1] as string, seq: Number(m[2]) }] : [];
    });
  }

  private async articleFolders(): Promise<string[]> {
    const root = join(this.dir, ARTICLES_DIR);
    try {
      return (await readdir(root)).filter((n) => !n.startsWith('.'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new LibraryError('io', `Could not read ${root}: ${describeIoError(e)}`, { cause: e });
    }
  }

  /** Reads records (validated), a bounded number at a time; what cannot be read is reported and left untouched. */
  private async readAllRecords(names: readonly string[]): Promise<void> {
    const root = join(this.dir, ARTICLES_DIR);
    await parallel(names, async (name) => {
      this.problemIds.delete(name);
      const db = this.recordDb(name);
      try {
        await db.read();
      } catch (e) {
        // A newer-schema file in a library we otherwise read is a sync from a newer Cuttings: refuse the lot.
        if (e instanceof LibraryError && e.code === 'newer-schema') throw e;
        const fix = await this.restoreRecord(name, e);
        if (fix) db.data = fix;
        else {
          this.entries.delete(name);
          this.problems.push(e instanceof Error ? e.message : String(e));
          this.problemIds.add(name);
          return;
        }
      }
      if (!db.data) {
        // A folder with no record (nothing acknowledged there): nothing to show.
        this.entries.delete(name);
        return;
      }
      if (db.data.article.id !== name) {
        this.entries.delete(name);
        this.problems.push(`${join(root, name, ARTICLE_FILE)} holds article ${db.data.article.id}, not ${name}; it was left untouched`);
        this.problemIds.add(name);
        return;
      }
      this.index(name, { db, head: null, slot: -1 });
    }, PARALLEL_READS);
  }

  /** A damaged record put right from the backups (reported in `problems`); null when no backup has a good copy. */
  private async restoreRecord(id: string, error: unknown): Promise<ArticleRecord | null> {
    const path = join(ARTICLES_DIR, id, ARTICLE_FILE);
    const fix = await restoreFromSnapshots(this.store, this.snapshots, path, error, (raw, fullPath) => readArticleRecord(raw, fullPath, id), this.now());
    if (!fix) return null;
    this.problems.push(fix.message);
    this.problemIds.delete(id);
    return fix.value;
  }

  private recordDb(id: string): RecordDb {
    const path = join(ARTICLES_DIR, id, ARTICLE_FILE);
    const adapter = new StoredJsonFile(this.store, path, validArticleRecord);
    return Object.assign(new Low(adapter, null as unknown as ArticleRecord), { adapter });
  }

  /** Makes a record (just read, or just written) the article's current state, and indexes it. */
  private index(id: string, entry: Entry & { db: RecordDb }): void {
    const before = this.order && this.entries.has(id) ? this.listRow(id) : null;
    this.entries.set(id, entry);
    const record = entry.db.data;
    const previous = entry.head;
    entry.head = headOf(record);
    if (this.order) this.place(id, before);
    if (previous) for (const c of previous.clippings) this.clippingArticle.delete(c.id);
    this.byDedup.set(record.article.dedupHash, id);
    for (const v of record.versions) this.byDedup.set(v.dedupHash, id);
    if (record.article.url) this.byUrl.set(normalizeUrl(record.article.url), id);
    if (record.identity) this.byIdentity.set(record.identity, id);
    for (const c of record.clippings) this.clippingArticle.set(c.id, id);
  }

  /** The article's head: from its record or the cache's second half (call after `ready`, or when it was read). */
  private headOf(id: string, entry: Entry): ArticleHead {
    if (entry.head) return entry.head;
    if (!this.later) throw new LibraryError('io', `The catalog of ${this.dir} is still being read`);
    try {
      entry.head = this.later.head(entry.slot);
    } catch (e) {
      throw new LibraryError('corrupt', `The catalog cache's entry for article ${id} is damaged; reopen the library to read its record`, { cause: e });
    }
    return entry.head;
  }

  /** The article's record, read (and validated) the first time it is needed. */
  private async record(id: string): Promise<{ entry: Entry & { db: RecordDb }; record: ArticleRecord }> {
    const entry = this.entry(id);
    if (!entry.db) {
      let reading = this.reading.get(id);
      if (!reading) {
        reading = (async () => {
          const db = this.recordDb(id);
          try {
            await db.read();
          } catch (e) {
            const fix = await this.restoreRecord(id, e);
            if (!fix) throw e;
            db.data = fix;
          }
          if (!db.data || db.data.article.id !== id) throw new LibraryError('corrupt', `The record of article ${id} is missing or names another article (${join(this.dir, ARTICLES_DIR, id, ARTICLE_FILE)})`);
          return db;
        })();
        this.reading.set(id, reading);
        void reading.finally(() => this.reading.delete(id)).catch(() => undefined);
      }
      const db = await reading;
      if (!entry.db) {
        entry.db = db;
        // The record is the truth: a head from the cache gives way to it.
        this.index(id, entry as Entry & { db: RecordDb });
      }
    }
    const loaded = entry as Entry & { db: RecordDb };
    return { entry: loaded, record: loaded.db.data };
  }

  /** The file that tells the next open this article changed after the catalog cache was written. */
  private marker(id: string): FileWrite {
    return { path: join(CHANGES_DIR, `${id}.${++this.seq}`), data: '' };
  }

  /** A record write, counted so that the cache is taken only between writes. */
  private async writeRecords(files: FileWrite[]): Promise<void> {
    this.inflight++;
    try {
      await this.store.write(files);
    } finally {
      this.inflight--;
    }
    for (const f of files) if (f.path.startsWith(CHANGES_DIR)) this.changesSinceCache++;
    this.scheduleCacheWrite();
  }

  // ---------------------------------------------------------------- search

  private searchIndex: Promise<SearchIndex> | null = null;
  private searchTimer: NodeJS.Timeout | null = null;

  /**
   * Opens the search index once the catalog is at hand, in the background:
   * the list shows meanwhile, and searches wait for it. Articles that
   * changed since the index was saved are brought up to date by the index
   * itself (see SearchIndex.open), reading their records and texts here.
   */
  private openSearch(): void {
    this.searchIndex = this.ready.then(() =>
      SearchIndex.open({
        files: folderIndexFiles(this.dir),
        texts: {
          article: async (id) => {
            if (!this.entries.has(id)) return null;
            const { record } = await this.record(id);
            return { title: record.article.title, text: (await this.body(id)).text };
          },
          clipping: async (id) => {
            const articleId = this.clippingArticle.get(id);
            const c = articleId ? (await this.record(articleId)).record.clippings.find((x) => x.id === id) : undefined;
            return c ? { quote: c.target.quote.exact, note: c.note } : null;
          },
          clippings: async (articleId) => (this.entries.has(articleId) ? (await this.record(articleId)).record.clippings : []),
        },
        catalog: [...this.entries].map(([id, entry]) => ({ article: this.headOf(id, entry).article, clippings: entry.db ? entry.db.data.clippings : null })),
      }),
    );
    this.searchIndex.catch(() => undefined);
  }

  /** Brings the search index up to date with an article just written (its text given when new). */
  private indexForSearch(id: string, text?: string): void {
    const record = this.entries.get(id)?.db?.data;
    const opening = this.searchIndex;
    if (!record || !opening) return;
    // Chained, so that a search waits for every change made before it (see search).
    this.searchUpdates = this.searchUpdates
      .then(() => opening)
      .then((index) => index.upsertArticle(record.article, record.clippings, text))
      .then(() => this.scheduleSearchSave())
      .catch(() => undefined);
  }

  /** The index updates queued by changes, in order. */
  private searchUpdates: Promise<void> = Promise.resolve();

  private scheduleSearchSave(): void {
    if (this.closed || this.searchTimer) return;
    this.searchTimer = setTimeout(() => {
      this.searchTimer = null;
      void this.searchIndex?.then((index) => index.save()).catch(() => undefined);
    }, 2_000);
    this.searchTimer.unref();
  }

  /** Resolves once the search index has caught up with the library (built, or brought up to date). */
  async searchIdle(): Promise<void> {
    if (!this.searchIndex) throw new LibraryError('invalid-input', 'This library was opened without search');
    await (await this.searchIndex).whenIdle();
  }

  /** Where the search index is: ready, or being built or brought up to date. */
  async searchStatus(): Promise<IndexStatus> {
    if (!this.searchIndex) throw new LibraryError('invalid-input', 'This library was opened without search');
    return (await this.searchIndex).status;
  }

  /**
   * Full text over titles, bodies, clipping quotes and notes (prefix and
   * typo matching), filtered; with an empty query, what the filters keep,
   * newest first. Hits come with what a result row shows.
   */
  async search(query: string, options: SearchOptions = {}): Promise<LibrarySearchResults> {
    if (!this.searchIndex) throw new LibraryError('invalid-input', 'This library was opened without search');
    const index = await this.searchIndex;
    await this.searchUpdates; // what was changed before this search is found by it
    const found = await index.search(query, options);
    const articles: LibraryArticleHit[] = [];
    for (const hit of found.articles) {
      const entry = this.entries.get(hit.articleId);
      if (!entry) continue;
      const a = summaryOf(this.headOf(hit.articleId, entry));
      articles.push({ ...hit, title: a.title, source: a.source, published: a.published, readingState: a.readingState, clippingCount: a.clippingCount });
    }
    const clippings = (
      await Promise.all(
        found.clippings.map(async (hit): Promise<LibraryClippingHit | null> => {
          if (!this.entries.has(hit.articleId)) return null;
          const { record } = await this.record(hit.articleId);
          const c = record.clippings.find((x) => x.id === hit.clippingId);
          return c ? { ...hit, articleTitle: record.article.title, quote: c.target.quote.exact, note: c.note, tags: c.tags, createdAt: c.createdAt } : null;
        }),
      )
    ).filter((h): h is LibraryClippingHit => h !== null);
    return { ...found, articles, clippings };
  }

  // ---------------------------------------------------------------- reading

  get articleCount(): number {
    return this.entries.size;
  }

  /** Complete once `whenReady` has resolved (the catalog cache's second half read). */
  get clippingCount(): number {
    return this.clippingArticle.size;
  }

  /** Resolves once the whole catalog is at hand (at once for a library opened without a cache). */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /**
   * The ids in list order: newest first by published date, then by import
   * time, then by title. Kept until something changes; sorted on the keys,
   * so the first page needs no head but its own.
   */
  private listOrder(): string[] {
    if (this.order) return this.order;
    const rows = [...this.entries.keys()].map((id) => this.listRow(id));
    rows.sort(compareRows);
    this.order = rows.map((r) => r.id);
    return this.order;
  }

  private listRow(id: string): ListRow {
    const e = this.entry(id);
    const cache = this.cache;
    if (e.head || !cache) {
      const a = (e.head as ArticleHead).article;
      return { id, published: a.published ?? '', importedAt: a.importedAt, title: a.title };
    }
    return { id, published: cache.listKey(e.slot, 'published'), importedAt: cache.listKey(e.slot, 'importedAt'), title: cache.listKey(e.slot, 'title') };
  }

  /** Keeps the list order as an article's keys change (or it arrives), without sorting the whole list again. */
  private place(id: string, before: ListRow | null): void {
    const order = this.order as string[];
    const row = this.listRow(id);
    if (before) {
      if (compareRows(before, row) === 0) return;
      const at = order.indexOf(id);
      if (at >= 0) order.splice(at, 1);
    }
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareRows(this.listRow(order[mid] as string), row) <= 0) lo = mid + 1;
      else hi = mid;
    }
    order.splice(lo, 0, id);
  }

  /**
   * The list order at open from a cache: the cache keeps its articles in list
   * order, so only the articles read from their records (changed since) are
   * placed, each by a binary search, instead of sorting them all.
   */
  private orderFromCache(cache: CatalogCache): void {
    const order: string[] = [];
    for (let slot = 0; slot < cache.count; slot++) {
      const id = cache.listKey(slot, 'id');
      const e = this.entries.get(id);
      if (e && e.head === null) order.push(id);
    }
    this.order = order;
    for (const [id, e] of this.entries) if (e.head !== null) this.place(id, null);
  }

  /** Every article, in list order (see listOrder). */
  async listArticles(): Promise<ArticleSummary[]> {
    await this.ready;
    return this.listOrder().map((id) => summaryOf(this.headOf(id, this.entry(id))));
  }

  /**
   * One page of the list. The first page of a library just opened from its
   * cache needs only that page's heads: read from their records when the
   * rest of the cache is not in yet.
   */
  async listPage(offset: number, limit: number): Promise<{ total: number; articles: ArticleSummary[] }> {
    const ids = this.listOrder().slice(offset, offset + limit);
    const articles = await Promise.all(
      ids.map(async (id) => {
        const entry = this.entry(id);
        if (!entry.head && !this.later) {
          const lead = this.cache?.leadHead(entry.slot);
          if (lead) return summaryOf(lead);
        }
        return summaryOf(entry.head ?? (this.later ? this.headOf(id, entry) : headOf((await this.record(id)).record)));
      }),
    );
    return { total: this.entries.size, articles };
  }

  async getSummary(id: string): Promise<ArticleSummary> {
    const entry = this.entry(id);
    if (!entry.head && !this.later) await this.record(id);
    else await this.ready;
    return summaryOf(this.headOf(id, entry));
  }

  async getArticle(id: string): Promise<ArticleDetail> {
    const { record } = await this.record(id);
    const body = await this.body(id);
    return {
      article: summary(record),
      blocks: body.blocks,
      text: body.text,
      clippings: [...record.clippings].sort((a, b) => a.target.position.start - b.target.position.start),
    };
  }

  /** Earlier texts of an article, oldest first. */
  async versions(id: string) {
    return [...(await this.record(id)).record.versions];
  }

  async getClipping(id: string): Promise<Clipping> {
    await this.ready;
    const articleId = this.clippingArticle.get(id);
    const clipping = articleId ? (await this.record(articleId)).record.clippings.find((c) => c.id === id) : undefined;
    if (!clipping) throw new LibraryError('not-found', `No clipping with id ${id}`);
    return clipping;
  }

  /**
   * A file stored with an article (an image), by its name inside the
   * article's folder; null when there is none. Names are checked: nothing
   * outside the article's images folder can be read this way.
   */
  async readAttachment(articleId: string, name: string): Promise<Buffer | null> {
    if (!this.entries.has(articleId) || !/^[A-Za-z0-9_-]{1,80}\.[a-z0-9]{1,5}$/.test(name)) return null;
    return this.store.readBytes(join(ARTICLES_DIR, articleId, IMAGES_DIR, name));
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry) throw new LibraryError('not-found', `No article with id ${id}`);
    return entry;
  }

  private async body(id: string): Promise<{ blocks: Block[]; text: string }> {
    const cached = this.bodies.get(id);
    if (cached) return cached;
    const { textHash } = (await this.record(id)).record.article;
    const path = join(ARTICLES_DIR, id, BODY_FILE);
    const raw = await this.store.read(path);
    const full = join(this.dir, path);
    if (raw === null) throw new LibraryError('corrupt', `The text of article ${id} is missing (${full})`);
    const stored = parseStored(raw, full, versioned(BodyRecordSchema));
    const text = canonicalText(stored.blocks);
    if (sha256(text) !== textHash) {
      throw new LibraryError('corrupt', `The text of article ${id} does not match its checksum (${full}); it was left untouched`);
    }
    const body = { blocks: stored.blocks, text };
    this.cacheBody(id, body);
    return body;
  }

  private cacheBody(id: string, body: { blocks: Block[]; text: string }): void {
    this.bodies.delete(id);
    // A handful of open articles is all a reader needs at hand.
    if (this.bodies.size >= 32) this.bodies.delete(this.bodies.keys().next().value as string);
    this.bodies.set(id, body);
  }

  // ---------------------------------------------------------------- importing

  /**
   * Imports files and folders: one outcome per file, in input order. Never
   * throws for a bad file. Items run `concurrency` at a time so that their
   * writes share group commits; a signal stops new items from starting.
   */
  async importPaths(paths: readonly string[], options: ImportOptions = {}): Promise<ImportOutcome[]> {
    const { files, failures } = await collectFiles(paths);
    const total = files.length + failures.length;
    // One slot per input file; a file may give several outcomes (a Kindle export: one per book).
    const slots: (ImportOutcome[] | undefined)[] = new Array(total);
    let done = 0;
    let emitted = 0;
    const settle = (i: number, list: ImportOutcome[]) => {
      slots[i] = list;
      done++;
      for (const o of list) options.onProgress?.({ done, total, outcome: o });
      // (Not `onOutcome?.(slots[emitted++])`: an absent callback would skip the increment.)
      while (emitted < total && slots[emitted]) {
        const ready = slots[emitted++] as ImportOutcome[];
        for (const o of ready) options.onOutcome?.(o);
      }
    };
    failures.forEach((f, i) => settle(i, [{ status: 'failed', path: f.path, reason: f.reason }]));
    // Readers read and parse a few files at a time; they do not wait for an
    // item's write to be acknowledged before taking the next, so that many
    // items share each group commit (one fdatasync for all of them).
    const inFlight = new Set<Promise<void>>();
    const reads = new FileReads();
    let next = 0;
    const reader = async () => {
      while (next < files.length && !options.signal?.aborted) {
        const i = next++;
        const path = files[i] as string;
        const at = failures.length + i;
        const read = await reads.read(path);
        if (!read.ok) {
          settle(at, [{ status: 'failed', path, reason: read.reason }]);
          continue;
        }
        if (read.annotations) {
          annotationFiles.push({ at, path, file: read.annotations });
          continue;
        }
        const stored = Promise.all(
          read.docs.map((doc) =>
            this.importOffline(doc, { kind: doc.kind, name: basename(path), path }).catch(
              (e: unknown): ImportOutcome => ({ status: 'failed', path, reason: e instanceof Error ? e.message : String(e) }),
            ),
          ),
        ).then((list) => settle(at, list));
        inFlight.add(stored);
        void stored.finally(() => inFlight.delete(stored));
        if (inFlight.size >= MAX_UNACKNOWLEDGED) await Promise.race(inFlight);
        // Parsing is synchronous work: let other requests (the window's) in between items.
        await new Promise((r) => setImmediate(r));
      }
    };
    // Annotation files (JSON-LD, Hypothesis, Readwise) attach to articles: they go after the batch's articles are in.
    const annotationFiles: { at: number; path: string; file: AnnotationFile }[] = [];
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, files.length)) }, reader));
    await Promise.all(inFlight);
    for (const { at, path, file } of annotationFiles) {
      if (options.signal?.aborted) break;
      settle(at, await this.importAnnotations(file, path));
    }
    return slots.flatMap((list) => list ?? []);
  }

  private importAnnotations(file: AnnotationFile, path: string): Promise<ImportOutcome[]> {
    return importAnnotationFile(this, file, path).catch((e: unknown): ImportOutcome[] => [{ status: 'failed', path, reason: e instanceof Error ? e.message : String(e) }]);
  }

  /**
   * Fetches a web page, extracts its article, saves its images into the
   * library (so it reads offline) and stores it. A page already held is a
   * duplicate; the same URL with a changed text, a new version.
   */
  async importUrl(url: string, options: WebOptions = {}): Promise<ImportOutcome> {
    let doc: ParsedDocument;
    try {
      doc = await fetchArticle(url, options);
    } catch (e) {
      return { status: 'failed', path: url, reason: isFetchError(e) ? e.reason : e instanceof Error ? e.message : String(e) };
    }
    // A page that names no publication is credited to its site.
    if (!doc.source) doc = { ...doc, source: siteName(doc.url ?? url) };
    const { doc: local, files } = await localiseImages(doc, { ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}), ...(options.signal ? { signal: options.signal } : {}) });
    try {
      return await this.importDocument(local, { kind: 'url', name: url, path: url }, attachedImages(files));
    } catch (e) {
      return { status: 'failed', path: url, reason: e instanceof Error ? e.message : String(e) };
    }
  }

  /**
   * Imports content handed over whole (a dropped file, the clipboard): the
   * same parsers as files on disk, by name and content. Images are kept
   * only when the content carries them (data: URLs); nothing is fetched.
   */
  async importContent(items: readonly { name: string; bytes: Uint8Array }[], options: ImportOptions = {}): Promise<ImportOutcome[]> {
    const outcomes: ImportOutcome[] = [];
    let done = 0;
    for (const item of items) {
      if (options.signal?.aborted) break;
      const read = parseArticleBytes(item.name, item.bytes);
      const list: ImportOutcome[] = [];
      if (!read.ok) list.push({ status: 'failed', path: item.name, reason: read.reason });
      else if (read.annotations) list.push(...(await this.importAnnotations(read.annotations, item.name)));
      else {
        for (const doc of read.docs) {
          try {
            list.push(await this.importOffline(doc, { kind: doc.kind, name: item.name, path: item.name }));
          } catch (e) {
            list.push({ status: 'failed', path: item.name, reason: e instanceof Error ? e.message : String(e) });
          }
        }
      }
      done++;
      for (const o of list) {
        outcomes.push(o);
        options.onProgress?.({ done, total: items.length, outcome: o });
        options.onOutcome?.(o);
      }
    }
    return outcomes;
  }

  private async importOffline(doc: ParsedDocument, origin: ImportOrigin): Promise<ImportOutcome> {
    const hasImages = doc.blocks.some((b) => b.kind === 'image');
    if (!hasImages) return this.importDocument(doc, origin);
    const { doc: local, files } = await localiseImages(offlineImages(doc), { fetchImpl: refuseFetch });
    return this.importDocument(local, origin, attachedImages(files));
  }

  // ---------------------------------------------------------------- feeds

  listFeeds(): FeedSummary[] {
    return this.feedList.list();
  }

  /** Subscribes to an RSS or Atom feed (fetched once to check it and learn its title); nothing is imported yet. */
  async addFeed(url: string, options: WebOptions = {}): Promise<FeedSummary> {
    const parsed = await fetchFeed(url, options).catch((e: unknown) => {
      throw new LibraryError('invalid-input', isFetchError(e) ? e.message : `Could not add the feed ${url}: ${String(e)}`);
    });
    const existing = this.feedList.findByUrl(parsed.finalUrl) ?? this.feedList.findByUrl(url);
    if (existing) throw new LibraryError('conflict', `The feed ${url} is already in the library ("${existing.title}")`);
    return this.feedList.add({
      url: parsed.finalUrl,
      title: (parsed.title || new URL(parsed.finalUrl).hostname).slice(0, 500),
      siteUrl: parsed.siteUrl,
      addedAt: this.now().toISOString(),
      lastRefresh: null,
      lastError: null,
      seen: [],
    });
  }

  /** Imports the feed's items not seen before, each fetched as an article. A failed item is tried again next time. */
  async refreshFeed(id: string, options: ImportOptions & WebOptions = {}): Promise<{ feed: FeedSummary; outcomes: ImportOutcome[] }> {
    const feed = this.feedList.get(id);
    let parsed;
    try {
      parsed = await fetchFeed(feed.url, options);
    } catch (e) {
      const reason = isFetchError(e) ? e.message : String(e);
      const summary = await this.feedList.update(id, (f) => ({ ...f, lastRefresh: this.now().toISOString(), lastError: reason }));
      return { feed: summary, outcomes: [{ status: 'failed', path: feed.url, reason }] };
    }
    const seen = new Set(feed.seen);
    const fresh = parsed.items.filter((item) => !seen.has(item.id));
    const outcomes: ImportOutcome[] = [];
    const taken: string[] = [];
    let done = 0;
    for (const item of fresh) {
      if (options.signal?.aborted) break;
      const outcome = await this.importUrl(item.url, options);
      if (outcome.status !== 'failed') taken.push(item.id);
      outcomes.push(outcome);
      options.onProgress?.({ done: ++done, total: fresh.length, outcome });
      options.onOutcome?.(outcome);
    }
    const summary = await this.feedList.update(id, (f) => ({
      ...f,
      title: f.title || parsed.title,
      lastRefresh: this.now().toISOString(),
      lastError: null,
      seen: [...f.seen, ...taken],
    }));
    return { feed: summary, outcomes };
  }

  removeFeed(id: string): Promise<FeedSummary> {
    return this.feedList.remove(id);
  }

  /**
   * Stores a parsed document. The same text (by normalised content) is a
   * duplicate; the same URL or identity with a different text becomes a new
   * version of that article, its earlier text kept and its clippings
   * re-attached; anything else is a new article.
   */
  async importDocument(doc: ParsedDocument, origin: ImportOrigin, files: AttachedFile[] = []): Promise<ImportOutcome> {
    const text = canonicalText(doc.blocks);
    if (text.trim() === '') return { status: 'failed', path: origin.path, reason: 'the document holds no text' };
    const dedupHash = sha256(dedupKey(text));
    await this.ready; // the duplicate maps are complete
    const same = this.byDedup.get(dedupHash);
    if (same) {
      const underway = this.importing.get(same);
      if (underway) {
        // The same text is being stored right now (twice in one batch): wait for it, then it is a duplicate of it.
        const first = await underway.catch((): ImportOutcome => ({ status: 'failed', path: '', reason: '' }));
        if (first.status !== 'failed') return { status: 'duplicate', id: same, title: first.title, path: origin.path };
        return this.importDocument(doc, origin, files);
      }
      return { status: 'duplicate', id: same, title: this.headOf(same, this.entry(same)).article.title, path: origin.path };
    }
    const earlier = (doc.identity && this.byIdentity.get(doc.identity)) || (doc.url && this.byUrl.get(normalizeUrl(doc.url)));
    if (earlier) return this.addVersion(earlier, doc, text, dedupHash, origin, files);

    const id = this.newId((candidate) => this.entries.has(candidate) || this.importing.has(candidate));
    // Claimed before the first await, so a concurrent import of the same text is a duplicate.
    this.byDedup.set(dedupHash, id);
    const stored = this.storeNew(id, doc, text, dedupHash, origin, files);
    this.importing.set(id, stored);
    try {
      return await stored;
    } finally {
      this.importing.delete(id);
    }
  }

  private async storeNew(id: string, doc: ParsedDocument, text: string, dedupHash: string, origin: ImportOrigin, files: AttachedFile[]): Promise<ImportOutcome> {
    try {
      const stamp = this.now().toISOString();
      const article: Article = {
        id,
        title: (doc.title.trim() || origin.name).slice(0, LIMITS.titleChars),
        source: doc.source,
        byline: doc.byline,
        published: doc.published,
        dateline: doc.dateline,
        url: doc.url ?? null,
        language: doc.language,
        dir: doc.dir ?? null,
        tags: [],
        readingState: 'unread',
        importedAt: stamp,
        updatedAt: stamp,
        textHash: sha256(text),
        dedupHash,
        wordCount: countWords(text),
        origin: { kind: origin.kind, name: origin.name.slice(0, 500) },
      };
      const clippings = (doc.clippings ?? []).map((c) => this.documentClipping(id, text, c, stamp));
      // One validation of the whole record (the article inside it included).
      const record = ArticleRecordSchema.parse({ schemaVersion: SCHEMA_VERSION, article, clippings, versions: [], identity: doc.identity ?? null });
      const dir = join(ARTICLES_DIR, id);
      const body: BodyRecord = { schemaVersion: SCHEMA_VERSION, textHash: article.textHash, blocks: doc.blocks };
      const db = this.recordDb(id);
      db.data = record;
      // One transaction: the body, its images and the record arrive together or not at all.
      await this.writeRecords([
        { path: join(dir, BODY_FILE), data: JSON.stringify(body) + '\n' },
        ...files.map((f) => attachment(dir, f)),
        { path: join(dir, ARTICLE_FILE), data: serialize(record) },
        this.marker(id),
      ]);
      this.index(id, { db, head: null, slot: -1 });
      this.indexForSearch(id, text);
      this.cacheBody(id, { blocks: doc.blocks, text });
      return { status: 'imported', id, title: article.title, path: origin.path };
    } catch (e) {
      this.byDedup.delete(dedupHash);
      throw e;
    }
  }

  private addVersion(id: string, doc: Pick<ParsedDocument, 'blocks' | 'url' | 'clippings'>, text: string, dedupHash: string, origin: ImportOrigin, files: AttachedFile[]): Promise<ImportOutcome> {
    return this.exclusive(id, async () => {
      const { entry, record: before } = await this.record(id);
      const previous = await this.body(id);
      const stamp = this.now().toISOString();
      const kept = reanchorAll(before.clippings, text);
      // Clippings the source brings (new Kindle highlights): those already held are not added twice.
      const held = new Set(kept.map((c) => `${c.target.position.start}:${c.target.position.end}`));
      const added = (doc.clippings ?? []).filter((c) => !held.has(`${c.start}:${c.end}`)).map((c) => this.documentClipping(id, text, c, stamp));
      const record = ArticleRecordSchema.parse({
        ...before,
        article: {
          ...before.article,
          textHash: sha256(text),
          dedupHash,
          wordCount: countWords(text),
          updatedAt: stamp,
          ...(doc.url ? { url: doc.url } : {}),
        },
        clippings: [...kept, ...added],
        versions: [
          ...before.versions,
          { textHash: before.article.textHash, dedupHash: before.article.dedupHash, importedAt: before.article.updatedAt, wordCount: before.article.wordCount },
        ],
      });
      const oldBody: BodyRecord = { schemaVersion: SCHEMA_VERSION, textHash: before.article.textHash, blocks: previous.blocks };
      const body: BodyRecord = { schemaVersion: SCHEMA_VERSION, textHash: record.article.textHash, blocks: doc.blocks };
      await this.writeRecords([
        { path: join(ARTICLES_DIR, id, VERSIONS_DIR, `${before.article.textHash}.json`), data: JSON.stringify(oldBody) + '\n' },
        { path: join(ARTICLES_DIR, id, BODY_FILE), data: JSON.stringify(body) + '\n' },
        ...files.map((f) => attachment(join(ARTICLES_DIR, id), f)),
        { path: join(ARTICLES_DIR, id, ARTICLE_FILE), data: serialize(record) },
        this.marker(id),
      ]);
      entry.db.data = record;
      this.index(id, entry);
      this.cacheBody(id, { blocks: doc.blocks, text });
      this.indexForSearch(id, text);
      return { status: 'updated', id, title: record.article.title, path: origin.path } as const;
    });
  }

  private documentClipping(articleId: string, text: string, c: NonNullable<ParsedDocument['clippings']>[number], stamp: string): Clipping {
    return ClippingSchema.parse({
      id: this.newId((x) => this.clippingArticle.has(x)),
      articleId,
      target: { quote: quoteSelector(text, c.start, c.end), position: { start: c.start, end: c.end } },
      label: c.label && this.labelList.has(c.label) ? c.label : this.labelList.first.id,
      note: c.note,
      tags: normalizeTags(c.tags),
      createdAt: c.createdAt ?? stamp,
      updatedAt: stamp,
    });
  }

  // ---------------------------------------------------------------- changing

  // ---------------------------------------------------------------- tags, library-wide

  /** Every tag in use, with its counts, in alphabetical order (so `place/…` sit under `place`). */
  async tagCounts(): Promise<TagCount[]> {
    await this.ready;
    const counts = new Map<string, TagCount>();
    const count = (tag: string, key: 'articles' | 'clippings') => {
      const c = counts.get(tag) ?? { tag, articles: 0, clippings: 0 };
      c[key]++;
      counts.set(tag, c);
    };
    for (const [id, entry] of this.entries) {
      const head = this.headOf(id, entry);
      for (const t of head.article.tags) count(t, 'articles');
      for (const c of head.clippings) for (const t of c.tags) count(t, 'clippings');
    }
    return [...counts.values()].sort((a, b) => a.tag.localeCompare(b.tag));
  }

  /**
   * Renames a tag, and the tags below it (`place` → `places` makes
   * `place/Syria` `places/Syria`), on every article and clipping. Renaming
   * onto a tag that exists merges the two. One transaction: all or nothing.
   */
  async renameTag(from: string, to: string): Promise<TagUndo> {
    const source = normalizeTag(from);
    const target = normalizeTag(to);
    if (!source || !target) throw new LibraryError('invalid-input', 'A tag cannot be renamed to or from nothing; delete it instead');
    if (isUnder(target, source) && target !== source) {
      throw new LibraryError('invalid-input', `“${source}” cannot be moved below itself (“${target}”)`);
    }
    const rename = (tags: readonly string[]) => normalizeTags(tags.map((t) => (isUnder(t, source) ? target + t.slice(source.length) : t)));
    return this.changeTags((t) => isUnder(t, source), rename);
  }

  /** Deletes a tag, and the tags below it, from every article and clipping. */
  async deleteTag(tag: string): Promise<TagUndo> {
    const root = normalizeTag(tag);
    if (!root) throw new LibraryError('invalid-input', 'No tag given');
    return this.changeTags((t) => isUnder(t, root), (tags) => tags.filter((t) => !isUnder(t, root)));
  }

  /** Adds tags to many articles and clippings at once (bulk tagging). */
  async addTags(target: { articleIds?: readonly string[]; clippingIds?: readonly string[] }, tags: readonly string[]): Promise<TagUndo> {
    const adding = normalizeTags(tags);
    if (adding.length === 0) throw new LibraryError('invalid-input', 'No tag given');
    const articles = new Set(target.articleIds ?? []);
    const clippings = new Set(target.clippingIds ?? []);
    await this.ready;
    for (const id of articles) this.entry(id);
    for (const id of clippings) if (!this.clippingArticle.has(id)) throw new LibraryError('not-found', `No clipping with id ${id}`);
    const add = (current: readonly string[]) => normalizeTags([...current, ...adding]);
    return this.changeTags(null, add, { articles, clippings });
  }

  /** Puts back the tags a renameTag, deleteTag or addTags changed (its undo). */
  async restoreTags(undo: TagUndo): Promise<void> {
    const articleTags = new Map(undo.articles.map((a) => [a.id, normalizeTags(a.tags)]));
    const clippingTags = new Map(undo.clippings.map((c) => [c.id, normalizeTags(c.tags)]));
    const ids = new Set([...articleTags.keys()]);
    for (const id of clippingTags.keys()) ids.add((await this.getClipping(id)).articleId);
    await this.mutateMany([...ids], (r) => ({
      ...r,
      article: articleTags.has(r.article.id) ? { ...r.article, tags: articleTags.get(r.article.id) as string[] } : r.article,
      clippings: r.clippings.map((c) => (clippingTags.has(c.id) ? { ...c, tags: clippingTags.get(c.id) as string[] } : c)),
    }));
  }

  /**
   * Applies `change` to the tags of every article and clipping that has a tag
   * matching `affects` (or, for bulk tagging, to those named), in one
   * transaction, and returns what they were before.
   */
  private async changeTags(
    affects: ((tag: string) => boolean) | null,
    change: (tags: readonly string[]) => string[],
    only?: { articles: Set<string>; clippings: Set<string> },
  ): Promise<TagUndo> {
    const hit = (tags: readonly string[]) => affects !== null && tags.some(affects);
    await this.ready;
    const ids: string[] = [];
    for (const [id, entry] of this.entries) {
      const r = this.headOf(id, entry);
      if (only ? only.articles.has(id) || r.clippings.some((c) => only.clippings.has(c.id)) : hit(r.article.tags) || r.clippings.some((c) => hit(c.tags))) ids.push(id);
    }
    const undo: TagUndo = { articles: [], clippings: [] };
    await this.mutateMany(ids, (r) => {
      const articleChanges = only ? only.articles.has(r.article.id) : hit(r.article.tags);
      if (articleChanges) undo.articles.push({ id: r.article.id, tags: r.article.tags });
      return {
        ...r,
        article: articleChanges ? { ...r.article, tags: change(r.article.tags) } : r.article,
        clippings: r.clippings.map((c) => {
          if (!(only ? only.clippings.has(c.id) : hit(c.tags))) return c;
          undo.clippings.push({ id: c.id, tags: c.tags });
          return { ...c, tags: change(c.tags), updatedAt: this.now().toISOString() };
        }),
      };
    });
    return undo;
  }

  /**
   * Reading state (unread, reading, read, archived) and how far the reader
   * got. Progress alone does not touch updatedAt's meaning for the user, but
   * it is a change of the record like any other, so the renderer sends it
   * sparingly (when leaving an article, not on every scroll).
   */
  async setReading(id: string, change: { readingState?: ReadingState; progress?: number }): Promise<ArticleSummary> {
    const record = await this.mutate(id, (r) => ({
      ...r,
      article: {
        ...r.article,
        ...(change.readingState !== undefined ? { readingState: change.readingState } : {}),
        ...(change.progress !== undefined ? { progress: Math.round(change.progress * 1000) / 1000 } : {}),
      },
    }));
    return summary(record);
  }

  async setArticleTags(id: string, tags: readonly string[]): Promise<ArticleSummary> {
    const record = await this.mutate(id, (r) => ({ ...r, article: { ...r.article, tags: normalizeTags(tags) } }));
    return summary(record);
  }

  async createClipping(input: NewClipping): Promise<Clipping> {
    await this.ready; // new ids are checked against every clipping's
    this.entry(input.articleId); // not-found before anything else
    const { text } = await this.body(input.articleId);
    const { start, end } = input;
    const quote = this.selectedQuote(input.articleId, text, start, end, input.exact);
    const stamp = this.now().toISOString();
    const clipping: Clipping = ClippingSchema.parse({
      id: this.newId((c) => this.clippingArticle.has(c)),
      articleId: input.articleId,
      target: { quote, position: { start, end } },
      label: this.knownLabel(input.label),
      note: input.note ?? '',
      tags: normalizeTags(input.tags ?? []),
      createdAt: stamp,
      updatedAt: stamp,
    });
    await this.mutate(input.articleId, (r) => ({ ...r, clippings: [...r.clippings, clipping] }));
    return clipping;
  }

  async updateClipping(id: string, patch: ClippingPatch): Promise<Clipping> {
    const articleId = (await this.getClipping(id)).articleId;
    let updated: Clipping | undefined;
    await this.mutate(articleId, (r) => ({
      ...r,
      clippings: r.clippings.map((c) => {
        if (c.id !== id) return c;
        updated = ClippingSchema.parse({
          ...c,
          ...(patch.label !== undefined ? { label: this.knownLabel(patch.label) } : {}),
          ...(patch.note !== undefined ? { note: patch.note } : {}),
          ...(patch.tags !== undefined ? { tags: normalizeTags(patch.tags) } : {}),
          updatedAt: this.now().toISOString(),
        });
        return updated;
      }),
    }));
    if (!updated) throw new LibraryError('not-found', `No clipping with id ${id}`);
    return updated;
  }

  /** Returns the deleted clipping, so that the caller can offer to undo. */
  async deleteClipping(id: string): Promise<Clipping> {
    const clipping = await this.getClipping(id);
    await this.mutate(clipping.articleId, (r) => ({ ...r, clippings: r.clippings.filter((c) => c.id !== id) }));
    return clipping;
  }

  /**
   * Puts a clipping back exactly as it was, id included: undo of a delete,
   * or of any change (the earlier state replaces the current one). Refused
   * when its words are no longer where it says, unless it is an orphan.
   */
  async restoreClipping(clipping: Clipping): Promise<Clipping> {
    const valid = ClippingSchema.parse(clipping);
    await this.ready;
    const current = this.clippingArticle.get(valid.id);
    if (current !== undefined && current !== valid.articleId) {
      throw new LibraryError('conflict', `Clipping ${valid.id} belongs to article ${current}, not ${valid.articleId}`);
    }
    const { text } = await this.body(valid.articleId);
    const { start, end } = valid.target.position;
    if (valid.anchor?.state !== 'orphan' && text.slice(start, end) !== valid.target.quote.exact) {
      throw new LibraryError('conflict', `Clipping ${valid.id} no longer matches the text of article ${valid.articleId}`);
    }
    const restored = { ...valid, label: this.knownLabel(valid.label) };
    await this.mutate(valid.articleId, (r) => ({
      ...r,
      clippings: r.clippings.some((c) => c.id === restored.id) ? r.clippings.map((c) => (c.id === restored.id ? restored : c)) : [...r.clippings, restored],
    }));
    return restored;
  }

  /**
   * Attaches a clipping to words the user selected: how an orphan (whose
   * words a new version lost) gets a home again, or how a clipping is moved.
   * Its note, label and tags stay; its quote becomes the selected words.
   */
  async reattachClipping(id: string, start: number, end: number, exact?: string): Promise<Clipping> {
    const articleId = (await this.getClipping(id)).articleId;
    const { text } = await this.body(articleId);
    const quote = this.selectedQuote(articleId, text, start, end, exact);
    let updated: Clipping | undefined;
    await this.mutate(articleId, (r) => ({
      ...r,
      clippings: r.clippings.map((c) => {
        if (c.id !== id) return c;
        const { anchor: _previous, ...rest } = c;
        updated = ClippingSchema.parse({ ...rest, target: { quote, position: { start, end } }, updatedAt: this.now().toISOString() });
        return updated;
      }),
    }));
    if (!updated) throw new LibraryError('not-found', `No clipping with id ${id}`);
    return updated;
  }

  /**
   * Stores the user's correction of an article's text as its new version
   * (the old text is kept) and re-attaches its clippings to it. Paragraphs
   * are separated by blank lines; one that is unchanged keeps its block's
   * kind, so a heading or an image caption stays what it was.
   */
  async reviseArticle(id: string, revised: string): Promise<ArticleDetail> {
    this.entry(id); // not-found before anything else
    const current = await this.body(id);
    const blocks = revisedBlocks(current.blocks, revised);
    const text = canonicalText(blocks);
    if (text.trim() === '') throw new LibraryError('invalid-input', `The revised text of article ${id} is empty; the article was left as it was`);
    if (text === current.text) return this.getArticle(id);
    const dedupHash = sha256(dedupKey(text));
    await this.ready;
    const other = this.byDedup.get(dedupHash);
    if (other !== undefined && other !== id) throw new LibraryError('conflict', `The revised text is the text of another article (${other}); article ${id} was left as it was`);
    const { origin } = (await this.record(id)).record.article;
    await this.addVersion(id, { blocks }, text, dedupHash, { ...origin, path: origin.name }, []);
    return this.getArticle(id);
  }

  /**
   * The direct quotations in an article with their speakers, and the people,
   * places and organisations it names. Computed from the text (offline NLP),
   * remembered per text so that opening the article again costs nothing.
   */
  async analyseArticle(id: string): Promise<ArticleAnalysis> {
    const { record } = await this.record(id);
    const { text } = await this.body(id);
    const key = record.article.textHash;
    const cached = this.analyses.get(key);
    if (cached) return cached;
    // Loaded when first needed: the NLP model takes ~0.5 s to load, which every CLI command and every start would pay.
    const { analyseText } = await import('./analysis');
    const analysis = analyseText(text);
    if (this.analyses.size >= 32) this.analyses.delete(this.analyses.keys().next().value as string);
    this.analyses.set(key, analysis);
    return analysis;
  }

  // ---------------------------------------------------------------- labels

  labels(): Label[] {
    return this.labelList.list();
  }

  /**
   * Replaces the library's labels (rename, recolour, add, reorder, remove).
   * Ids are what clippings keep, so a label still used by a clipping cannot
   * be removed: the user moves those clippings to another label first.
   */
  async saveLabels(labels: readonly Label[]): Promise<Label[]> {
    const keep = new Set(labels.map((l) => l.id));
    const inUse = new Map<string, number>();
    await this.ready;
    for (const [id, entry] of this.entries) {
      for (const c of this.headOf(id, entry).clippings) if (!keep.has(c.label)) inUse.set(c.label, (inUse.get(c.label) ?? 0) + 1);
    }
    if (inUse.size > 0) {
      const names = new Map(this.labelList.list().map((l) => [l.id, l.name]));
      const what = [...inUse].map(([id, n]) => `“${names.get(id) ?? id}” (${n} clipping${n === 1 ? '' : 's'})`).join(', ');
      throw new LibraryError('conflict', `Labels still in use cannot be removed: ${what}. Give those clippings another label first.`);
    }
    return this.labelList.save(labels);
  }

  // ---------------------------------------------------------------- press reviews

  private compositionList: Promise<CompositionList> | null = null;

  /** The press reviews' file, read the first time one is asked for (a failed read is tried again next time). */
  private compositions(): Promise<CompositionList> {
    if (!this.compositionList) {
      const backups: Backups = { store: this.store, snapshots: this.snapshots, now: this.now, told: this.problems };
      const opening = openRestoring(backups, () => CompositionList.open(this.store), COMPOSITIONS_FILE, CompositionList.parse);
      this.compositionList = opening;
      opening.catch(() => {
        if (this.compositionList === opening) this.compositionList = null;
      });
    }
    return this.compositionList;
  }

  /** Saved press reviews, newest (last changed) first. */
  async listCompositions(): Promise<Composition[]> {
    return (await this.compositions()).list();
  }

  async getComposition(id: string): Promise<Composition> {
    return (await this.compositions()).get(id);
  }

  /** Creates (no id) or replaces a press review; with the id of a deleted one (and its createdAt) it comes back as it was. updatedAt is now. */
  async saveComposition(input: CompositionInput): Promise<Composition> {
    return (await this.compositions()).save(input, this.now().toISOString());
  }

  /** Returns the deleted press review, so that the caller can offer to undo (saveComposition with it). */
  async deleteComposition(id: string): Promise<Composition> {
    return (await this.compositions()).remove(id);
  }

  // ---------------------------------------------------------------- interchange

  /**
   * The article something imported belongs to: by id, by the work's
   * identity, by its text (normalised), by its web address (normalised),
   * then by its title (only when exactly one article has it). `by` says
   * which matched. Null when none does.
   */
  async findArticle(keys: ArticleKeys): Promise<{ id: string; by: keyof ArticleKeys } | null> {
    await this.ready;
    if (keys.id && this.entries.has(keys.id)) return { id: keys.id, by: 'id' };
    const identity = keys.identity && this.byIdentity.get(keys.identity);
    if (identity) return { id: identity, by: 'identity' };
    const dedup = keys.dedupHash && this.byDedup.get(keys.dedupHash);
    if (dedup && this.entries.has(dedup)) return { id: dedup, by: 'dedupHash' };
    const url = keys.url && this.byUrl.get(normalizeUrl(keys.url));
    if (url) return { id: url, by: 'url' };
    if (keys.title) {
      const folded = foldTitle(keys.title);
      const hits: string[] = [];
      for (const [id, entry] of this.entries) if (foldTitle(this.headOf(id, entry).article.title) === folded) hits.push(id);
      // Two articles of the same title: nothing says which, so neither is guessed.
      if (hits.length === 1) return { id: hits[0] as string, by: 'title' };
    }
    return null;
  }

  /**
   * Adds clippings that come from elsewhere (an export, another tool) to an
   * article, never twice: one whose id the article already has, or whose
   * words (the same range and quote) it already has clipped, is left out.
   * An id in use elsewhere in the library is replaced, as is a missing one;
   * a label the library lacks becomes its first. Orphans keep their quote
   * and position; the others must match the article's text. One write.
   * `ids[i]` is the id drafts[i] has in the library now (its own, a new one,
   * or that of the clipping it duplicates).
   */
  async addClippings(articleId: string, drafts: readonly ClippingDraft[]): Promise<{ added: Clipping[]; duplicates: number; ids: string[] }> {
    await this.ready;
    this.entry(articleId);
    const { text } = await this.body(articleId);
    for (const d of drafts) {
      const { start, end } = d.target.position;
      if (d.anchor?.state !== 'orphan' && text.slice(start, end) !== d.target.quote.exact) {
        throw new LibraryError('invalid-input', `A clipping to add does not match the text of article ${articleId} at ${start}–${end}`);
      }
    }
    let result = { added: [] as Clipping[], duplicates: 0, ids: [] as string[] };
    const plan = (current: readonly Clipping[]) => {
      const byId = new Set(current.map((c) => c.id));
      const byWords = new Map(current.filter((c) => c.anchor?.state !== 'orphan').map((c) => [wordsKey(c.target), c.id]));
      const orphanWords = new Map(current.filter((c) => c.anchor?.state === 'orphan').map((c) => [`${c.target.quote.exact}\u0000${c.note}`, c.id]));
      const taken = new Set<string>();
      const stamp = this.now().toISOString();
      const out = { added: [] as Clipping[], duplicates: 0, ids: [] as string[] };
      for (const d of drafts) {
        const same = (d.id !== undefined && byId.has(d.id) ? d.id : undefined) ?? (d.anchor?.state === 'orphan' ? orphanWords.get(`${d.target.quote.exact}\u0000${d.note}`) : byWords.get(wordsKey(d.target)));
        if (same !== undefined) {
          out.duplicates++;
          out.ids.push(same);
          continue;
        }
        const free = (x: string) => !this.clippingArticle.has(x) && !byId.has(x) && !taken.has(x);
        const id = d.id !== undefined && free(d.id) ? d.id : this.newId((x) => !free(x));
        taken.add(id);
        const clipping = ClippingSchema.parse({
          ...d,
          id,
          articleId,
          label: d.label && this.labelList.has(d.label) ? d.label : this.labelList.first.id,
          tags: normalizeTags(d.tags),
          createdAt: d.createdAt || stamp,
          updatedAt: d.updatedAt || d.createdAt || stamp,
        });
        out.added.push(clipping);
        out.ids.push(id);
        if (clipping.anchor?.state === 'orphan') orphanWords.set(`${clipping.target.quote.exact}\u0000${clipping.note}`, id);
        else byWords.set(wordsKey(clipping.target), id);
      }
      return out;
    };
    // Nothing new: no write (a second import of the same file changes nothing, not even a date).
    const preview = plan((await this.record(articleId)).record.clippings);
    if (preview.added.length === 0) return preview;
    await this.mutate(articleId, (r) => {
      result = plan(r.clippings);
      return { ...r, clippings: [...r.clippings, ...result.added] };
    });
    return result;
  }

  /**
   * Stores an article exactly as an export describes it (its id, metadata,
   * dates, reading state, tags and clippings): how an export comes back into
   * a library that does not have it. Its id, and its clippings' ids, are
   * kept when free, else replaced. Refused when its text does not match its
   * checksum, or is already in the library (the caller merges into that
   * article instead).
   */
  async storeArticle(input: { article: Article; blocks: Block[]; clippings: readonly Clipping[] }, path: string): Promise<{ outcome: ImportOutcome; clippings: Clipping[] }> {
    await this.ready;
    const text = canonicalText(input.blocks);
    if (text.trim() === '') throw new LibraryError('invalid-input', `Article ${input.article.id} has no text`);
    if (sha256(text) !== input.article.textHash) throw new LibraryError('corrupt', `The text of article ${input.article.id} does not match its checksum`);
    const dedupHash = sha256(dedupKey(text));
    const other = this.byDedup.get(dedupHash);
    if (other !== undefined) throw new LibraryError('conflict', `The text of article ${input.article.id} is already in the library (article ${other})`);
    const id = this.entries.has(input.article.id) || this.importing.has(input.article.id) ? this.newId((x) => this.entries.has(x) || this.importing.has(x)) : input.article.id;
    this.byDedup.set(dedupHash, id); // claimed before the first await, as importDocument does
    const store = async () => {
      const taken = new Set<string>();
      const free = (x: string) => !this.clippingArticle.has(x) && !taken.has(x);
      const clippings = input.clippings.map((c) => {
        const { start, end } = c.target.position;
        if (c.anchor?.state !== 'orphan' && text.slice(start, end) !== c.target.quote.exact) {
          throw new LibraryError('invalid-input', `Clipping ${c.id} does not match the text of article ${input.article.id} at ${start}–${end}`);
        }
        const clippingId = free(c.id) ? c.id : this.newId((x) => !free(x));
        taken.add(clippingId);
        return ClippingSchema.parse({ ...c, id: clippingId, articleId: id, label: this.labelList.has(c.label) ? c.label : this.labelList.first.id });
      });
      // The derived counts are recomputed (a newer Cuttings may count words differently); the rest is kept as it came.
      const article: Article = { ...input.article, id, dedupHash, wordCount: countWords(text) };
      const record = ArticleRecordSchema.parse({ schemaVersion: SCHEMA_VERSION, article, clippings, versions: [], identity: null });
      const dir = join(ARTICLES_DIR, id);
      const body: BodyRecord = { schemaVersion: SCHEMA_VERSION, textHash: article.textHash, blocks: input.blocks };
      const db = this.recordDb(id);
      db.data = record;
      await this.writeRecords([
        { path: join(dir, BODY_FILE), data: JSON.stringify(body) + '\n' },
        { path: join(dir, ARTICLE_FILE), data: serialize(record) },
        this.marker(id),
      ]);
      this.index(id, { db, head: null, slot: -1 });
      this.indexForSearch(id, text);
      this.cacheBody(id, { blocks: input.blocks, text });
      return { outcome: { status: 'imported', id, title: article.title, path } as ImportOutcome, clippings };
    };
    const stored = store();
    this.importing.set(id, stored.then((s) => s.outcome));
    try {
      return await stored;
    } catch (e) {
      this.byDedup.delete(dedupHash);
      throw e;
    } finally {
      this.importing.delete(id);
    }
  }

  /**
   * Makes room for the labels an import brings, and says which of this
   * library's labels each one became. A library that has no clipping and
   * still its default labels takes the imported ones as they are (an export
   * into a new library comes back identical). Otherwise a label is matched
   * by id, then by name, and one the library lacks is added while there is
   * room (else its clippings get the first label). Nothing the library has
   * is renamed or removed.
   */
  async mergeLabels(incoming: readonly Label[]): Promise<Map<string, string>> {
    await this.ready;
    const current = this.labelList.list();
    const untouched = this.clippingArticle.size === 0 && JSON.stringify(current) === JSON.stringify(DEFAULT_LABELS);
    if (untouched && LabelListSchema.safeParse(incoming).success) {
      await this.labelList.save(incoming);
      return new Map(incoming.map((l) => [l.id, l.id]));
    }
    const map = new Map<string, string>();
    const next = [...current];
    for (const label of incoming) {
      const same = next.find((l) => l.id === label.id) ?? next.find((l) => l.name.toLocaleLowerCase() === label.name.toLocaleLowerCase());
      if (same) map.set(label.id, same.id);
      else if (next.length < LIMITS.labels) {
        next.push(label);
        map.set(label.id, label.id);
      } else map.set(label.id, (next[0] as Label).id);
    }
    if (next.length > current.length) await this.labelList.save(next);
    return map;
  }

  /** The quote for a range the user selected, checked against the text they saw. */
  private selectedQuote(articleId: string, text: string, start: number, end: number, exact: string | undefined) {
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= text.length)) {
      throw new LibraryError('invalid-input', `The range ${start}–${end} is outside article ${articleId} (its text is ${text.length} characters long)`);
    }
    const quote = quoteSelector(text, start, end);
    if (exact !== undefined && exact !== quote.exact) {
      throw new LibraryError('conflict', `The selected text no longer matches article ${articleId} at ${start}–${end}`);
    }
    if (quote.exact.trim() === '') throw new LibraryError('invalid-input', 'A clipping needs some text, not only white space');
    return quote;
  }

  private knownLabel(id: string): string {
    if (!this.labelList.has(id)) throw new LibraryError('invalid-input', `There is no label ${JSON.stringify(id)} in this library`);
    return id;
  }

  /**
   * Applies `change` to a copy of an article's record, validates it, writes
   * it, and only then makes it the current state.
   */
  private mutate(id: string, change: (r: ArticleRecord) => ArticleRecord): Promise<ArticleRecord> {
    return this.exclusive(id, async () => {
      const { entry, record: before } = await this.record(id);
      const next = change(structuredClone(before));
      const after = ArticleRecordSchema.parse({
        ...next,
        article: { ...next.article, updatedAt: this.now().toISOString() },
      });
      // Through the record's own adapter, with its change marker, and visible only once acknowledged.
      await this.writeRecords([entry.db.adapter.fileWrite(after), this.marker(id)]);
      entry.db.data = after;
      this.index(id, entry);
      this.indexForSearch(id);
      return after;
    });
  }

  /**
   * `mutate` for several articles in one transaction: all their records are
   * written together or none is. It waits for each article's pending change
   * and holds them all while it runs (taken at once, so two such changes
   * cannot wait on each other).
   */
  private mutateMany(ids: readonly string[], change: (r: ArticleRecord) => ArticleRecord): Promise<void> {
    const unique = [...new Set(ids)];
    const before = Promise.all(unique.map((id) => this.locks.get(id)?.catch(() => undefined)));
    const run = before.then(async () => {
      const stamp = this.now().toISOString();
      const records: { id: string; entry: Entry & { db: RecordDb }; record: ArticleRecord }[] = [];
      await parallel(unique, async (id) => void records.push({ id, ...(await this.record(id)) }), PARALLEL_READS);
      const updates = records.map(({ id, entry, record }) => {
        const next = change(structuredClone(record));
        return { id, entry, after: ArticleRecordSchema.parse({ ...next, article: { ...next.article, updatedAt: stamp } }) };
      });
      if (updates.length === 0) return;
      await this.writeRecords(updates.flatMap(({ id, entry, after }) => [entry.db.adapter.fileWrite(after), this.marker(id)]));
      for (const { id, entry, after } of updates) {
        entry.db.data = after;
        this.index(id, entry);
        this.indexForSearch(id);
      }
    });
    const settled = run.catch(() => undefined);
    for (const id of unique) {
      this.locks.set(id, settled);
      void settled.then(() => {
        if (this.locks.get(id) === settled) this.locks.delete(id);
      });
    }
    return run;
  }

  private exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.catch(() => undefined);
    this.locks.set(id, settled);
    void settled.then(() => {
      if (this.locks.get(id) === settled) this.locks.delete(id);
    });
    return run;
  }

  private newId(taken: (id: string) => boolean): string {
    for (;;) {
      const id = randomId();
      if (!taken(id)) return id;
    }
  }
}

/**
 * 48 random bits as 12 hex digits. Drawn from a pool refilled 8 KB at a time:
 * a call into the system's random source per id cost more than parsing the
 * article it names when importing thousands of files.
 */
let idPool = Buffer.alloc(0);
let idAt = 0;
function randomId(): string {
  if (idAt + 6 > idPool.length) {
    idPool = randomBytes(8192);
    idAt = 0;
  }
  idAt += 6;
  return idPool.toString('hex', idAt - 6, idAt);
}

/** Blocks for a revised text: unchanged paragraphs keep their block (and kind), the others become paragraphs. */
function revisedBlocks(current: readonly Block[], revised: string): Block[] {
  const unused = new Map<string, Block[]>();
  for (const b of current) unused.set(b.text, [...(unused.get(b.text) ?? []), b]);
  return revised
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p): Block => unused.get(p)?.shift() ?? { kind: 'paragraph', text: p });
}

function summary(record: ArticleRecord): ArticleSummary {
  return { ...record.article, clippingCount: record.clippings.length };
}

function summaryOf(head: ArticleHead): ArticleSummary {
  return { ...head.article, clippingCount: head.clippings.length };
}

type ListRow = { id: string; published: string; importedAt: string; title: string };
// One collator for every comparison: localeCompare builds one per call (most of a second for 100,000 titles).
const byTitle = new Intl.Collator().compare;
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Newest first by published date, then by import time, then by title. */
function compareRows(a: ListRow, b: ListRow): number {
  return byCode(b.published, a.published) || byCode(b.importedAt, a.importedAt) || byTitle(a.title, b.title) || byCode(a.id, b.id);
}

/** A space-separated list of ids or hashes from the catalog cache's keys. */
function splitKey(value: string): string[] {
  return value ? value.split(' ') : [];
}

/** Localised images as attachments: their src is `images/<name>`, stored in the article's images/ folder. */
function attachedImages(files: readonly { name: string; bytes: Uint8Array }[]): AttachedFile[] {
  return files.map((f) => ({ name: f.name.replace(/^images\//, ''), bytes: f.bytes }));
}

function attachment(dir: string, f: AttachedFile): FileWrite {
  if (!/^[A-Za-z0-9_-]{1,80}\.[a-z0-9]{1,5}$/.test(f.name)) throw new LibraryError('invalid-input', `Refused an attachment named ${JSON.stringify(f.name)}`);
  return { path: join(dir, IMAGES_DIR, f.name), data: f.bytes };
}

/** What identifies an article when something imported names it. */
export type ArticleKeys = { id?: string; identity?: string; dedupHash?: string; url?: string | null; title?: string };

/** A clipping brought from elsewhere: the id (one to keep, if free) and the label (if the library has it) are wishes. */
export type ClippingDraft = Omit<Clipping, 'id' | 'articleId' | 'label'> & { id?: string; label?: string };

/** Titles compared as a person would: case, Unicode form and white space aside. */
function foldTitle(title: string): string {
  return title.normalize('NFKC').toLocaleLowerCase().replace(/\s+/g, ' ').trim();
}

/** The same words clipped: the same range and the same quote. */
function wordsKey(target: Clipping['target']): string {
  return `${target.position.start}:${target.position.end}:${target.quote.exact}`;
}

function siteName(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}


/** Read before the store opens, so a folder that is not a library is refused without being touched. */
/** What restoring a catalog file from the backups needs, and where what was done is told. */
type Backups = { store: Store; snapshots: SnapshotReader; now: () => Date; told: string[] };

/** Opens a catalog file; a damaged one is first put right from the backups (storage/snapshots.ts), and the user told. */
async function openRestoring<T>(backups: Backups, open: () => Promise<T>, path: string, parse: (raw: string, fullPath: string) => unknown): Promise<T> {
  try {
    return await open();
  } catch (e) {
    const fix = await restoreFromSnapshots(backups.store, backups.snapshots, path, e, parse, backups.now());
    if (!fix) throw e;
    backups.told.push(fix.message);
    return open();
  }
}

async function readManifest(dir: string): Promise<Manifest | null> {
  const path = join(dir, MANIFEST_FILE);
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') throw new LibraryError('not-a-library', `${dir} is a file, not a library folder`);
    throw new LibraryError('io', `Could not read ${path}: ${describeIoError(e)}`, { cause: e });
  }
  return parseStored(raw, path, versioned(ManifestSchema));
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    if (!(await stat(dir)).isDirectory()) return false;
    // A journal alone is a library whose first writes were cut short by a crash: the Store replays it.
    return (await readdir(dir)).filter((n) => n !== '.DS_Store' && n !== LOCK_FILE && !isJournalFile(n)).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw new LibraryError('io', `Could not open ${dir}: ${describeIoError(e)}`, { cause: e });
  }
}

import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Low } from 'lowdb';
import { AtomicJsonFile, writeFileAtomic, serialized } from './storage/atomic-file';
import {
  ARTICLES_DIR,
  ARTICLE_FILE,
  ArticleRecordSchema,
  BODY_FILE,
  BodyRecordSchema,
  MANIFEST_FILE,
  ManifestSchema,
  SCHEMA_VERSION,
  versioned,
  type ArticleRecord,
  type BodyRecord,
  type Manifest,
} from './storage/records';
import { LibraryError, describeIoError } from './errors';
import {
  ArticleSchema,
  ClippingSchema,
  normalizeTags,
  LIMITS,
  type Article,
  type ArticleDetail,
  type ArticleSummary,
  type Block,
  type Clipping,
  type Color,
  type ImportOutcome,
} from './model';
import { canonicalText, countWords, dedupKey, quoteSelector, sha256 } from './text';
import { collectFiles, readArticleFile } from './import/files';
import type { ParsedDocument } from './import/document';

export type OpenOptions = {
  /** Folder of sample articles imported into a library the first time it is created. */
  seedDir?: string;
  /** Refuse to create a library where none exists (the CLI's `show` on a wrong path, say). */
  mustExist?: boolean;
  now?: () => Date;
};

export type NewClipping = {
  articleId: string;
  start: number;
  end: number;
  /** The text the user saw selected; refused if the article no longer says exactly that. */
  exact?: string;
  color: Color;
  note?: string;
  tags?: string[];
};

export type ClippingPatch = { color?: Color; note?: string; tags?: string[] };

type Entry = { db: Low<ArticleRecord>; dir: string };

/**
 * A library folder: a manifest, and one folder per article holding its
 * catalog record (metadata + clippings, a lowdb file) and its body. A change
 * to one article rewrites only that article's small record, so a save costs
 * the same in a library of ten articles or a hundred thousand, and folder
 * sync tools (Syncthing, Dropbox) see one small file change.
 *
 * Every change is validated, written atomically, and only then made visible
 * in memory: if the write fails the library is exactly as it was.
 */
export class Library {
  private readonly entries = new Map<string, Entry>();
  private readonly byDedup = new Map<string, string>();
  private readonly clippingArticle = new Map<string, string>();
  private readonly bodies = new Map<string, { blocks: Block[]; text: string }>();
  /** Read-modify-write steps run one at a time so that no change is lost to a race. */
  private mutations: Promise<unknown> = Promise.resolve();
  /** Article records that could not be read; they are left on disk untouched. */
  readonly problems: string[] = [];

  private constructor(
    readonly dir: string,
    private manifest: Manifest,
    private readonly now: () => Date,
  ) {}

  static async open(dir: string, options: OpenOptions = {}): Promise<Library> {
    const now = options.now ?? (() => new Date());
    const manifestFile = new AtomicJsonFile(join(dir, MANIFEST_FILE), versioned(ManifestSchema));
    let manifest = await manifestFile.read().catch((e: unknown) => {
      if (e instanceof LibraryError && e.code === 'io' && (e.cause as NodeJS.ErrnoException)?.code === 'ENOTDIR') {
        throw new LibraryError('not-a-library', `${dir} is a file, not a library folder`);
      }
      throw e;
    });
    if (!manifest) {
      if (options.mustExist) throw new LibraryError('not-a-library', `No Cuttings library at ${dir}`);
      if (!(await isEmptyOrMissing(dir))) {
        throw new LibraryError(
          'not-a-library',
          `${dir} is not empty and holds no Cuttings library (no ${MANIFEST_FILE}); choose an empty folder or an existing library`,
        );
      }
      try {
        await mkdir(join(dir, ARTICLES_DIR), { recursive: true });
      } catch (e) {
        throw new LibraryError('io', `Could not create the library at ${dir}: ${describeIoError(e)}`, { cause: e });
      }
      manifest = { format: 'cuttings-library', schemaVersion: SCHEMA_VERSION, createdAt: now().toISOString(), seededAt: null };
      await manifestFile.write(manifest);
    }
    const library = new Library(dir, manifest, now);
    await library.load();
    if (!manifest.seededAt && options.seedDir) {
      await library.importPaths([options.seedDir]);
      library.manifest = { ...library.manifest, seededAt: now().toISOString() };
      await manifestFile.write(library.manifest);
    }
    return library;
  }

  private async load(): Promise<void> {
    const root = join(this.dir, ARTICLES_DIR);
    let names: string[];
    try {
      names = (await readdir(root)).filter((n) => !n.startsWith('.'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new LibraryError('io', `Could not read ${root}: ${describeIoError(e)}`, { cause: e });
    }
    await Promise.all(
      names.map(async (name) => {
        const dir = join(root, name);
        const db = new Low(new AtomicJsonFile(join(dir, ARTICLE_FILE), versioned(ArticleRecordSchema)), null as unknown as ArticleRecord);
        try {
          await db.read();
        } catch (e) {
          // A newer-schema file in a library we otherwise read is a sync from a newer Cuttings: refuse the lot.
          if (e instanceof LibraryError && e.code === 'newer-schema') throw e;
          this.problems.push(e instanceof Error ? e.message : String(e));
          return;
        }
        if (!db.data) return; // a folder left by an import that never finished: no record, nothing to show
        this.index(db.data.article.id, { db, dir });
      }),
    );
  }

  private index(id: string, entry: Entry): void {
    this.entries.set(id, entry);
    const record = entry.db.data;
    this.byDedup.set(record.article.dedupHash, id);
    for (const c of record.clippings) this.clippingArticle.set(c.id, id);
  }

  // ---------------------------------------------------------------- reading

  get articleCount(): number {
    return this.entries.size;
  }

  get clippingCount(): number {
    return this.clippingArticle.size;
  }

  /** Newest first by published date, then by import time. */
  listArticles(): ArticleSummary[] {
    return [...this.entries.values()]
      .map(({ db }) => summary(db.data))
      .sort(
        (a, b) =>
          (b.published ?? '').localeCompare(a.published ?? '') ||
          b.importedAt.localeCompare(a.importedAt) ||
          a.title.localeCompare(b.title),
      );
  }

  async getArticle(id: string): Promise<ArticleDetail> {
    const entry = this.entry(id);
    const body = await this.body(id, entry);
    const record = entry.db.data;
    return {
      article: summary(record),
      blocks: body.blocks,
      text: body.text,
      clippings: [...record.clippings].sort((a, b) => a.target.position.start - b.target.position.start),
    };
  }

  getClipping(id: string): Clipping {
    const articleId = this.clippingArticle.get(id);
    const clipping = articleId ? this.entries.get(articleId)?.db.data.clippings.find((c) => c.id === id) : undefined;
    if (!clipping) throw new LibraryError('not-found', `No clipping with id ${id}`);
    return clipping;
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry) throw new LibraryError('not-found', `No article with id ${id}`);
    return entry;
  }

  private async body(id: string, entry: Entry): Promise<{ blocks: Block[]; text: string }> {
    const cached = this.bodies.get(id);
    if (cached) return cached;
    const file = new AtomicJsonFile(join(entry.dir, BODY_FILE), versioned(BodyRecordSchema));
    const record = await file.read();
    if (!record) throw new LibraryError('corrupt', `The text of article ${id} is missing (${file.path})`);
    const text = canonicalText(record.blocks);
    if (sha256(text) !== entry.db.data.article.textHash) {
      throw new LibraryError('corrupt', `The text of article ${id} does not match its checksum (${file.path}); it was left untouched`);
    }
    const body = { blocks: record.blocks, text };
    // A handful of open articles is all a reader needs at hand.
    if (this.bodies.size >= 32) this.bodies.delete(this.bodies.keys().next().value as string);
    this.bodies.set(id, body);
    return body;
  }

  // ---------------------------------------------------------------- importing

  /** Imports files and folders; one outcome per file, in order. Never throws for a bad file. */
  async importPaths(paths: readonly string[], onOutcome?: (o: ImportOutcome) => void): Promise<ImportOutcome[]> {
    const { files, failures } = await collectFiles(paths);
    const outcomes: ImportOutcome[] = [];
    const report = (o: ImportOutcome) => {
      outcomes.push(o);
      onOutcome?.(o);
    };
    for (const f of failures) if (!f.ok) report({ status: 'failed', path: f.path, reason: f.reason });
    for (const path of files) {
      const read = await readArticleFile(path);
      if (!read.ok) {
        report({ status: 'failed', path, reason: read.reason });
        continue;
      }
      try {
        report(await this.importDocument(read.doc, basename(path), path));
      } catch (e) {
        report({ status: 'failed', path, reason: e instanceof Error ? e.message : String(e) });
      }
    }
    return outcomes;
  }

  async importDocument(doc: ParsedDocument, name: string, path: string): Promise<ImportOutcome> {
    return this.exclusive(async () => {
      const text = canonicalText(doc.blocks);
      const dedupHash = sha256(dedupKey(text));
      const existing = this.byDedup.get(dedupHash);
      if (existing) {
        return { status: 'duplicate', id: existing, title: this.entry(existing).db.data.article.title, path } as const;
      }
      const id = this.newId((candidate) => this.entries.has(candidate));
      const stamp = this.now().toISOString();
      const article: Article = ArticleSchema.parse({
        id,
        title: doc.title.slice(0, LIMITS.titleChars) || name,
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
        origin: { kind: doc.kind, name: name.slice(0, 500) },
      });
      const dir = join(this.dir, ARTICLES_DIR, id);
      const db = new Low(new AtomicJsonFile(join(dir, ARTICLE_FILE), versioned(ArticleRecordSchema)), null as unknown as ArticleRecord);
      db.data = { schemaVersion: SCHEMA_VERSION, article, clippings: [] };
      const body: BodyRecord = { schemaVersion: SCHEMA_VERSION, textHash: article.textHash, blocks: doc.blocks };
      try {
        await mkdir(dir, { recursive: true });
        // Body first: a record never points at a body that is not there.
        await serialized(() => writeFileAtomic(join(dir, BODY_FILE), JSON.stringify(body) + '\n'));
        await db.write();
      } catch (e) {
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
        throw e instanceof LibraryError ? e : new LibraryError('io', `Could not store ${name}: ${describeIoError(e)}`, { cause: e });
      }
      this.index(id, { db, dir });
      return { status: 'imported', id, title: article.title, path } as const;
    });
  }

  // ---------------------------------------------------------------- changing

  async setArticleTags(id: string, tags: readonly string[]): Promise<ArticleSummary> {
    const record = await this.mutate(id, (r) => ({ ...r, article: { ...r.article, tags: normalizeTags(tags) } }));
    return summary(record);
  }

  async createClipping(input: NewClipping): Promise<Clipping> {
    const entry = this.entry(input.articleId);
    const { text } = await this.body(input.articleId, entry);
    const { start, end } = input;
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= text.length)) {
      throw new LibraryError(
        'invalid-input',
        `The range ${start}–${end} is outside article ${input.articleId} (its text is ${text.length} characters long)`,
      );
    }
    const quote = quoteSelector(text, start, end);
    if (input.exact !== undefined && input.exact !== quote.exact) {
      throw new LibraryError('conflict', `The selected text no longer matches article ${input.articleId} at ${start}–${end}`);
    }
    if (quote.exact.trim() === '') throw new LibraryError('invalid-input', 'A clipping needs some text, not only white space');
    const stamp = this.now().toISOString();
    const clipping: Clipping = ClippingSchema.parse({
      id: this.newId((c) => this.clippingArticle.has(c)),
      articleId: input.articleId,
      target: { quote, position: { start, end } },
      color: input.color,
      note: input.note ?? '',
      tags: normalizeTags(input.tags ?? []),
      createdAt: stamp,
      updatedAt: stamp,
    });
    await this.mutate(input.articleId, (r) => ({ ...r, clippings: [...r.clippings, clipping] }));
    this.clippingArticle.set(clipping.id, input.articleId);
    return clipping;
  }

  async updateClipping(id: string, patch: ClippingPatch): Promise<Clipping> {
    const articleId = this.getClipping(id).articleId;
    let updated: Clipping | undefined;
    await this.mutate(articleId, (r) => ({
      ...r,
      clippings: r.clippings.map((c) => {
        if (c.id !== id) return c;
        updated = ClippingSchema.parse({
          ...c,
          ...(patch.color !== undefined ? { color: patch.color } : {}),
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
    const clipping = this.getClipping(id);
    await this.mutate(clipping.articleId, (r) => ({ ...r, clippings: r.clippings.filter((c) => c.id !== id) }));
    this.clippingArticle.delete(id);
    return clipping;
  }

  /** Puts a deleted clipping back as it was, id included (undo of a delete). */
  async restoreClipping(clipping: Clipping): Promise<Clipping> {
    const valid = ClippingSchema.parse(clipping);
    if (this.clippingArticle.has(valid.id)) throw new LibraryError('conflict', `Clipping ${valid.id} already exists`);
    const { text } = await this.body(valid.articleId, this.entry(valid.articleId));
    const { start, end } = valid.target.position;
    if (text.slice(start, end) !== valid.target.quote.exact) {
      throw new LibraryError('conflict', `Clipping ${valid.id} no longer matches the text of article ${valid.articleId}`);
    }
    await this.mutate(valid.articleId, (r) => ({ ...r, clippings: [...r.clippings, valid] }));
    this.clippingArticle.set(valid.id, valid.articleId);
    return valid;
  }

  /**
   * Applies `change` to a copy of an article's record, validates it, writes
   * it, and only then makes it the current state.
   */
  private mutate(id: string, change: (r: ArticleRecord) => ArticleRecord): Promise<ArticleRecord> {
    return this.exclusive(async () => {
      const { db } = this.entry(id);
      const before = db.data;
      const next = change(structuredClone(before));
      const after = ArticleRecordSchema.parse({
        ...next,
        article: { ...next.article, updatedAt: this.now().toISOString() },
      });
      db.data = after;
      try {
        await db.write();
      } catch (e) {
        db.data = before;
        throw e;
      }
      return after;
    });
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.mutations.then(work, work);
    this.mutations = run.catch(() => undefined);
    return run;
  }

  private newId(taken: (id: string) => boolean): string {
    for (;;) {
      const id = randomBytes(6).toString('hex');
      if (!taken(id)) return id;
    }
  }
}

function summary(record: ArticleRecord): ArticleSummary {
  return { ...record.article, clippingCount: record.clippings.length };
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    if (!(await stat(dir)).isDirectory()) return false;
    return (await readdir(dir)).filter((n) => n !== '.DS_Store').length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw new LibraryError('io', `Could not open ${dir}: ${describeIoError(e)}`, { cause: e });
  }
}

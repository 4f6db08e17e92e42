import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { LibraryError } from './errors';
import { FeedSchema, type Feed, type FeedSummary } from './model';
import { parseStored, serialize } from './storage/atomic-file';
import { SCHEMA_VERSION, versioned } from './storage/records';
import type { Store } from './storage/store';

export const FEEDS_FILE = 'feeds.json';

const FeedsFileSchema = z.object({ schemaVersion: z.number().int(), feeds: z.array(FeedSchema) });
type FeedsFile = z.infer<typeof FeedsFileSchema>;

/** Seen ids kept per feed: plenty for any feed's window, bounded for the file's size. */
const MAX_SEEN = 5_000;

/** The library's feed subscriptions, one small file written through the library's Store. */
export class FeedList {
  private constructor(
    private readonly store: Store,
    private data: FeedsFile,
  ) {}

  static async open(store: Store): Promise<FeedList> {
    const raw = await store.read(FEEDS_FILE);
    const data = raw === null ? { schemaVersion: SCHEMA_VERSION, feeds: [] } : FeedList.parse(raw, `${store.root}/${FEEDS_FILE}`);
    return new FeedList(store, data);
  }
  /** The file's contents, validated (and brought up to date): what open reads, and what a backup's copy must read as. */
  static parse(raw: string, fullPath: string): FeedsFile {
    return parseStored(raw, fullPath, versioned(FeedsFileSchema));
  }


  list(): FeedSummary[] {
    return this.data.feeds.map(summarize);
  }

  get(id: string): Feed {
    const feed = this.data.feeds.find((f) => f.id === id);
    if (!feed) throw new LibraryError('not-found', `No feed with id ${id}`);
    return feed;
  }

  findByUrl(url: string): Feed | undefined {
    return this.data.feeds.find((f) => f.url === url);
  }

  async add(feed: Omit<Feed, 'id'>): Promise<FeedSummary> {
    const full = FeedSchema.parse({ ...feed, id: randomBytes(6).toString('hex') });
    await this.save({ ...this.data, feeds: [...this.data.feeds, full] });
    return summarize(full);
  }

  async update(id: string, change: (f: Feed) => Feed): Promise<FeedSummary> {
    const next = FeedSchema.parse(change(this.get(id)));
    next.seen = next.seen.slice(-MAX_SEEN);
    await this.save({ ...this.data, feeds: this.data.feeds.map((f) => (f.id === id ? next : f)) });
    return summarize(next);
  }

  async remove(id: string): Promise<FeedSummary> {
    const feed = this.get(id);
    await this.save({ ...this.data, feeds: this.data.feeds.filter((f) => f.id !== id) });
    return summarize(feed);
  }

  private async save(next: FeedsFile): Promise<void> {
    await this.store.write([{ path: FEEDS_FILE, data: serialize(next) }]);
    this.data = next;
  }
}

function summarize({ seen, ...feed }: Feed): FeedSummary {
  return { ...feed, seenCount: seen.length };
}

import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { LibraryError } from './errors';
import { CompositionSchema, type Composition, type CompositionItem } from './model';
import { parseStored, serialize } from './storage/atomic-file';
import { SCHEMA_VERSION, versioned } from './storage/records';
import type { Store } from './storage/store';

export const COMPOSITIONS_FILE = 'compositions.json';

const CompositionsFileSchema = z
  .object({ schemaVersion: z.number().int(), compositions: z.array(CompositionSchema).max(10_000) })
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    for (const [i, c] of file.compositions.entries()) {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['compositions', i, 'id'], message: `composition id ${c.id} is used twice` });
      ids.add(c.id);
    }
  });
type CompositionsFile = z.infer<typeof CompositionsFileSchema>;

export type CompositionInput = {
  id?: string;
  title: string;
  introduction: string;
  items: CompositionItem[];
  /** Kept when a deleted composition is saved back (undo); otherwise the time it is first saved. */
  createdAt?: string;
};

/**
 * The library's press reviews, one small file written through the library's
 * Store (atomic, journaled), as the labels and feeds are. One file rather
 * than one per review: the Store writes whole files and never deletes one,
 * and a review is a list of ids, so even a hundred of them are a few
 * hundred kilobytes. They live in the library, not the app's settings,
 * because they name its clippings: a backup or a synced library carries them.
 */
export class CompositionList {
  private constructor(
    private readonly store: Store,
    private data: CompositionsFile,
  ) {}

  static async open(store: Store): Promise<CompositionList> {
    const raw = await store.read(COMPOSITIONS_FILE);
    const data = raw === null ? { schemaVersion: SCHEMA_VERSION, compositions: [] } : CompositionList.parse(raw, `${store.root}/${COMPOSITIONS_FILE}`);
    return new CompositionList(store, data);
  }
  /** The file's contents, validated (and brought up to date): what open reads, and what a backup's copy must read as. */
  static parse(raw: string, fullPath: string): CompositionsFile {
    return parseStored(raw, fullPath, versioned(CompositionsFileSchema));
  }


  /** Newest first (last changed). */
  list(): Composition[] {
    return [...this.data.compositions].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0)).map(copy);
  }

  get(id: string): Composition {
    const found = this.data.compositions.find((c) => c.id === id);
    if (!found) throw new LibraryError('not-found', `No press review with id ${id}`);
    return copy(found);
  }

  /** Creates (no id, or an id not in use: an undo of a delete) or replaces one; updatedAt is now either way. */
  save(input: CompositionInput, now: string): Promise<Composition> {
    return this.exclusive(() => this.saveNow(input, now));
  }

  private async saveNow(input: CompositionInput, now: string): Promise<Composition> {
    const existing = input.id === undefined ? undefined : this.data.compositions.find((c) => c.id === input.id);
    const id = input.id ?? this.newId();
    const parsed = CompositionSchema.safeParse({
      id,
      title: input.title.trim(),
      introduction: input.introduction,
      items: input.items,
      createdAt: existing?.createdAt ?? input.createdAt ?? now,
      updatedAt: now,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LibraryError('invalid-input', `The press review cannot be saved: ${issue?.path.join('.') || 'it'}: ${issue?.message}`);
    }
    const next = parsed.data;
    const compositions = existing ? this.data.compositions.map((c) => (c.id === id ? next : c)) : [...this.data.compositions, next];
    await this.write({ ...this.data, compositions });
    return copy(next);
  }

  /** Removes one and returns it as it was, for undo (save it again with its id). */
  remove(id: string): Promise<Composition> {
    return this.exclusive(async () => {
      const found = this.get(id);
      await this.write({ ...this.data, compositions: this.data.compositions.filter((c) => c.id !== id) });
      return found;
    });
  }

  /** Changes one at a time: each rewrites the whole file from the state the one before left. */
  private turn: Promise<unknown> = Promise.resolve();
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work, work);
    this.turn = run.catch(() => undefined);
    return run;
  }

  private async write(next: CompositionsFile): Promise<void> {
    const valid = CompositionsFileSchema.parse({ ...next, schemaVersion: SCHEMA_VERSION });
    await this.store.write([{ path: COMPOSITIONS_FILE, data: serialize(valid) }]);
    this.data = valid;
  }

  private newId(): string {
    for (;;) {
      const id = randomBytes(6).toString('hex');
      if (!this.data.compositions.some((c) => c.id === id)) return id;
    }
  }
}

function copy(c: Composition): Composition {
  return structuredClone(c);
}

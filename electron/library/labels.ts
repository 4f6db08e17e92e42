import { z } from 'zod';
import { DEFAULT_LABELS, LabelListSchema, type Label } from './model';
import { parseStored, serialize } from './storage/atomic-file';
import { SCHEMA_VERSION, versioned } from './storage/records';
import type { Store } from './storage/store';

export const LABELS_FILE = 'labels.json';

const LabelsFileSchema = z.object({ schemaVersion: z.number().int(), labels: LabelListSchema });
type LabelsFile = z.infer<typeof LabelsFileSchema>;

/**
 * The library's labels, one small file written through the library's Store.
 * They live in the library rather than in the app's settings because they
 * give its clippings their meaning: a library synced to another machine, or
 * exported, must carry them.
 */
export class LabelList {
  private constructor(
    private readonly store: Store,
    private data: LabelsFile,
  ) {}

  static async open(store: Store): Promise<LabelList> {
    const raw = await store.read(LABELS_FILE);
    // A library from before labels (schema 1) has none stored: the defaults are its labels,
    // the same ones its clippings' colours were migrated to.
    const data = raw === null ? { schemaVersion: SCHEMA_VERSION, labels: [...DEFAULT_LABELS] } : LabelList.parse(raw, `${store.root}/${LABELS_FILE}`);
    return new LabelList(store, data);
  }
  /** The file's contents, validated (and brought up to date): what open reads, and what a backup's copy must read as. */
  static parse(raw: string, fullPath: string): LabelsFile {
    return parseStored(raw, fullPath, versioned(LabelsFileSchema));
  }


  list(): Label[] {
    return this.data.labels.map((l) => ({ ...l }));
  }

  has(id: string): boolean {
    return this.data.labels.some((l) => l.id === id);
  }

  /** The label a clipping gets when nobody chose one (a Kindle highlight): the first. */
  get first(): Label {
    return this.data.labels[0] as Label;
  }

  async save(labels: readonly Label[]): Promise<Label[]> {
    const next = LabelsFileSchema.parse({ schemaVersion: SCHEMA_VERSION, labels });
    await this.store.write([{ path: LABELS_FILE, data: serialize(next) }]);
    this.data = next;
    return this.list();
  }
}

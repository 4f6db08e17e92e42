import { z } from 'zod';
import { ArticleSchema, BlockSchema, ClippingSchema } from '../model';
import { LibraryError } from '../errors';

/**
 * The files of a library folder and their schema versions. Each file carries
 * its own version so that a library written by a newer Cuttings is refused
 * file by file instead of being downgraded by an older one.
 */
export const SCHEMA_VERSION = 1;

export const MANIFEST_FILE = 'library.json';
export const ARTICLES_DIR = 'articles';
export const ARTICLE_FILE = 'article.json';
export const BODY_FILE = 'body.json';

export const ManifestSchema = z.object({
  format: z.literal('cuttings-library'),
  schemaVersion: z.number().int(),
  createdAt: z.iso.datetime({ offset: true }),
  /** Set once the sample articles have been imported into a new library. */
  seededAt: z.iso.datetime({ offset: true }).nullable(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** One article's catalog record: metadata and its clippings, small enough to rewrite on every change. */
export const ArticleRecordSchema = z.object({
  schemaVersion: z.number().int(),
  article: ArticleSchema,
  clippings: z.array(ClippingSchema),
});
export type ArticleRecord = z.infer<typeof ArticleRecordSchema>;

/** The body: written once per version of the text, never on a metadata change. */
export const BodyRecordSchema = z.object({
  schemaVersion: z.number().int(),
  textHash: z.string(),
  blocks: z.array(BlockSchema),
});
export type BodyRecord = z.infer<typeof BodyRecordSchema>;

/** Builds a validator for AtomicJsonFile: newer schema refused, anything malformed reported as corrupt. */
export function versioned<T>(schema: z.ZodType<T>) {
  return (value: unknown, path: string): T => {
    const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (typeof version === 'number' && version > SCHEMA_VERSION) {
      throw new LibraryError(
        'newer-schema',
        `${path} was written by a newer version of Cuttings (schema ${version}; this one reads ${SCHEMA_VERSION}). Update Cuttings to open it; the file was left untouched.`,
      );
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || '(root)';
      throw new LibraryError('corrupt', `${path} is damaged (${where}: ${issue?.message}); it was left untouched`);
    }
    return parsed.data;
  };
}

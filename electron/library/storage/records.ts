import { z } from 'zod';
import { ArticleSchema, BlockSchema, ClippingSchema } from '../model';
import { LibraryError } from '../errors';
import { migrate, type Migrations } from './migrations';

/**
 * The files of a library folder and their schema versions. Each file carries
 * its own version so that a library written by a newer Cuttings is refused
 * file by file instead of being downgraded by an older one.
 */
export const SCHEMA_VERSION = 2;

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

export const VERSIONS_DIR = 'versions';
export const IMAGES_DIR = 'images';

/** An earlier text of an article, kept in versions/<textHash>.json when a re-import changed it. */
export const VersionSchema = z.object({
  textHash: z.string().regex(/^[0-9a-f]{64}$/),
  dedupHash: z.string().regex(/^[0-9a-f]{64}$/),
  importedAt: z.iso.datetime({ offset: true }),
  wordCount: z.number().int().min(0),
});
export type Version = z.infer<typeof VersionSchema>;

/** One article's catalog record: metadata and its clippings, small enough to rewrite on every change. */
export const ArticleRecordSchema = z.object({
  schemaVersion: z.number().int(),
  article: ArticleSchema,
  clippings: z.array(ClippingSchema),
  /** Earlier texts, oldest first (the current one is body.json). */
  versions: z.array(VersionSchema).default([]),
  /** Recognises the same work across re-imports whose text grew (a Kindle book): see ParsedDocument.identity. */
  identity: z.string().max(1000).nullable().default(null),
});
export type ArticleRecord = z.infer<typeof ArticleRecordSchema>;

/** The body: written once per version of the text, never on a metadata change. */
export const BodyRecordSchema = z.object({
  schemaVersion: z.number().int(),
  textHash: z.string(),
  blocks: z.array(BlockSchema),
});
export type BodyRecord = z.infer<typeof BodyRecordSchema>;

/**
 * Builds a validator for stored files: a newer schema is refused, an older one
 * brought up to date in memory by `migrations` (see migrations.ts; the file on
 * disk is rewritten in the new form only by the next change to it, so opening
 * a library never writes), anything malformed reported as corrupt.
 */
export function versioned<T>(schema: z.ZodType<T>, migrations: Migrations = {}) {
  return (value: unknown, path: string): T => {
    const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (typeof version === 'number' && version > SCHEMA_VERSION) {
      throw new LibraryError(
        'newer-schema',
        `${path} was written by a newer version of Cuttings (schema ${version}; this one reads ${SCHEMA_VERSION}). Update Cuttings to open it; the file was left untouched.`,
      );
    }
    const parsed = schema.safeParse(typeof version === 'number' ? migrate(value, version, SCHEMA_VERSION, migrations, path) : value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || '(root)';
      throw new LibraryError('corrupt', `${path} is damaged (${where}: ${issue?.message}); it was left untouched`);
    }
    return parsed.data;
  };
}

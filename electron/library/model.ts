/**
 * The domain model, as zod schemas so that the same definition checks what
 * comes off disk, what comes over IPC, and gives the TypeScript types.
 *
 * Positions (TextPositionSelector) count UTF-16 code units of the article's
 * canonical text, as JavaScript strings and the DOM do (Hypothesis does the
 * same); the canonical text is the blocks' text joined by blank lines.
 */
import { z } from 'zod';

export const LIMITS = {
  titleChars: 500,
  tagChars: 100,
  tagsPerItem: 100,
  noteChars: 20_000,
  quoteChars: 50_000,
  /** Context kept on each side of a quote, as in Hypothesis' TextQuoteSelector. */
  contextChars: 32,
  idChars: 64,
  labelChars: 40,
  /** A corrected article text, in UTF-16 code units (the import limit is 20 MB of file). */
  revisedTextChars: 10_000_000,
  labels: 24,
} as const;

export const IdSchema = z
  .string()
  .min(1)
  .max(LIMITS.idChars)
  .regex(/^[A-Za-z0-9_-]+$/, 'ids are letters, digits, - and _');

/**
 * A tag is a plain string; `/` makes a hierarchy (`place/Syria`). Stored tags
 * are always in normal form (see normalizeTag), so the schema checks that form.
 */
export const TagSchema = z
  .string()
  .min(1)
  .max(LIMITS.tagChars)
  .refine((t) => normalizeTag(t) === t, 'tags are trimmed, single-spaced, with no empty / segments');

export const TagListSchema = z.array(TagSchema).max(LIMITS.tagsPerItem);

export function normalizeTag(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .split('/')
    .map((segment) => segment.trim())
    .filter((segment) => segment.length > 0)
    .join('/');
}

/** Normalises, drops empties and exact duplicates, keeps the user's order. */
export function normalizeTags(raw: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const tag of raw.map(normalizeTag)) {
    if (tag && !seen.has(tag)) {
      seen.add(tag);
      out.push(tag);
    }
  }
  return out;
}

export const BlockSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('paragraph'), text: z.string() }),
  z.object({ kind: z.literal('heading'), level: z.number().int().min(1).max(6), text: z.string() }),
  z.object({ kind: z.literal('quote'), text: z.string() }),
  z.object({ kind: z.literal('listItem'), ordered: z.boolean(), text: z.string() }),
  /** `text` is the caption or alt text, so that it is part of the canonical text. */
  z.object({ kind: z.literal('image'), src: z.string(), text: z.string() }),
]);
export type Block = z.infer<typeof BlockSchema>;

export const BLOCK_SEPARATOR = '\n\n';

export const ReadingStateSchema = z.enum(['unread', 'reading', 'read', 'archived']);
export type ReadingState = z.infer<typeof ReadingStateSchema>;

const IsoDateTime = z.iso.datetime({ offset: true });
/** A published date is a calendar date or a full timestamp, as sources give it. */
const PublishedSchema = z.union([z.iso.date(), IsoDateTime]);

export const ArticleSchema = z.object({
  id: IdSchema,
  title: z.string().min(1).max(LIMITS.titleChars),
  source: z.string().max(300).nullable(),
  byline: z.string().max(300).nullable(),
  published: PublishedSchema.nullable(),
  dateline: z.string().max(200).nullable(),
  url: z.string().max(4000).nullable(),
  language: z.string().max(35).nullable(),
  dir: z.enum(['ltr', 'rtl']).nullable(),
  tags: TagListSchema,
  readingState: ReadingStateSchema,
  /** How far the reader got, 0 to 1 (absent: never opened). */
  progress: z.number().min(0).max(1).optional(),
  importedAt: IsoDateTime,
  updatedAt: IsoDateTime,
  /** SHA-256 of the canonical text: provenance, and the key of the body file. */
  textHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** SHA-256 of the whitespace- and case-folded text: how duplicates are recognised. */
  dedupHash: z.string().regex(/^[0-9a-f]{64}$/),
  wordCount: z.number().int().min(0),
  origin: z.object({
    kind: z.enum(['news-text', 'plain-text', 'html', 'markdown', 'kindle', 'readwise', 'url', 'feed']),
    /** The file name it came from (never a full path: paths are private to one machine). */
    name: z.string().max(500),
  }),
});
export type Article = z.infer<typeof ArticleSchema>;

export const ColorSchema = z.enum(['yellow', 'green', 'blue', 'pink', 'orange', 'purple', 'teal', 'grey']);
export type Color = z.infer<typeof ColorSchema>;
export const COLORS = ColorSchema.options;

/**
 * What a highlight means (quote, fact, claim…), named by the user, with the
 * colour it is drawn in. Clippings keep the label's id, so renaming a label
 * or changing its colour changes every clipping that has it; the id itself
 * never changes once given.
 */
export const LabelIdSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'label ids are lower-case letters, digits and -');
export const LabelSchema = z.object({
  id: LabelIdSchema,
  name: z
    .string()
    .min(1)
    .max(LIMITS.labelChars)
    .refine((n) => n.trim() === n && n.length > 0, 'label names are trimmed and not empty'),
  color: ColorSchema,
});
export type Label = z.infer<typeof LabelSchema>;
export const LabelListSchema = z
  .array(LabelSchema)
  .min(1)
  .max(LIMITS.labels)
  .superRefine((labels, ctx) => {
    const ids = new Set<string>();
    const names = new Set<string>();
    for (const [i, l] of labels.entries()) {
      if (ids.has(l.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `label id ${l.id} is used twice` });
      const folded = l.name.toLocaleLowerCase();
      if (names.has(folded)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `two labels are named ${l.name}` });
      ids.add(l.id);
      names.add(folded);
    }
  });

/** A new library's labels: what press officers and journalists mark most. */
export const DEFAULT_LABELS: readonly Label[] = [
  { id: 'quote', name: 'quote', color: 'yellow' },
  { id: 'fact', name: 'fact', color: 'green' },
  { id: 'claim', name: 'claim', color: 'pink' },
  { id: 'background', name: 'background', color: 'blue' },
  { id: 'follow-up', name: 'follow-up', color: 'orange' },
];

export const TextQuoteSelectorSchema = z.object({
  exact: z.string().min(1).max(LIMITS.quoteChars),
  prefix: z.string().max(LIMITS.contextChars),
  suffix: z.string().max(LIMITS.contextChars),
});
export const TextPositionSelectorSchema = z
  .object({ start: z.number().int().min(0), end: z.number().int().min(1) })
  .refine((p) => p.end > p.start, 'end must be after start');

/**
 * Where a clipping stands after the article's text changed: still on its
 * words (`anchored`, the default when absent), found again elsewhere
 * (`reanchored`, with how sure we are), or not found (`orphan`: kept and
 * shown with its quote, never attached to other words).
 */
export const AnchorSchema = z.object({
  state: z.enum(['anchored', 'reanchored', 'orphan']),
  confidence: z.number().min(0).max(1).optional(),
});
export type Anchor = z.infer<typeof AnchorSchema>;

export const ClippingSchema = z.object({
  id: IdSchema,
  articleId: IdSchema,
  target: z.object({ quote: TextQuoteSelectorSchema, position: TextPositionSelectorSchema }),
  anchor: AnchorSchema.optional(),
  /** The id of one of the library's labels. */
  label: LabelIdSchema,
  note: z.string().max(LIMITS.noteChars),
  tags: TagListSchema,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Clipping = z.infer<typeof ClippingSchema>;

/** What the article list shows: the metadata plus counts, never the body. */
export type ArticleSummary = Article & { clippingCount: number };

export type ArticleDetail = {
  article: ArticleSummary;
  blocks: Block[];
  /** The canonical text every selector refers to. */
  text: string;
  clippings: Clipping[];
};

/** A direct quotation found in an article's text, and who said it. */
export type QuoteFinding = {
  /** The quoted words, without the quotation marks: [start, end) in the canonical text. */
  start: number;
  end: number;
  exact: string;
  /** The speaker's full name as the article first gives it, or null when nobody can be named. */
  speaker: string | null;
  /** 'explicit' ("…," Guterres said), 'pronoun' ("he said" → the last named person), or 'none'. */
  attribution: 'explicit' | 'pronoun' | 'none';
  /** The quotation runs over several paragraphs. */
  multiParagraph: boolean;
};

/** A person, place or organisation named in an article, offered as a one-click tag. */
export type TagSuggestion = { tag: string; kind: 'person' | 'place' | 'organization'; count: number };

export type ArticleAnalysis = { quotes: QuoteFinding[]; suggestions: TagSuggestion[] };

/** `detail`: what else happened, when there is more to say (annotations attached or orphaned, what a file held that was left out). */
export type ImportOutcome =
  | { status: 'imported'; id: string; title: string; path: string; detail?: string }
  | { status: 'duplicate'; id: string; title: string; path: string; detail?: string }
  /** The same URL or work with a changed text: stored as a new version, clippings re-attached; or clippings added from an annotation file. */
  | { status: 'updated'; id: string; title: string; path: string; detail?: string }
  | { status: 'failed'; path: string; reason: string };

/** A feed subscription (RSS, Atom or RDF). */
export const FeedSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{12}$/),
  url: z.string().max(4000),
  title: z.string().max(500),
  siteUrl: z.string().max(4000),
  addedAt: z.iso.datetime({ offset: true }),
  lastRefresh: z.iso.datetime({ offset: true }).nullable(),
  /** Why the last refresh failed, or null when it worked. */
  lastError: z.string().max(2000).nullable(),
  /** Items already imported (or found to be duplicates): a refresh takes only the others. */
  seen: z.array(z.string().max(4000)),
});
export type Feed = z.infer<typeof FeedSchema>;
/** What the UI lists: the feed without its (long) list of seen items. */
export type FeedSummary = Omit<Feed, 'seen'> & { seenCount: number };


/**
 * A press review being composed: an introduction, then section headings and
 * clippings (from any articles) in the order the user arranged them. It
 * holds clipping ids only; exporting it reads the clippings as they are then.
 */
export const CompositionItemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('heading'), text: z.string().min(1).max(LIMITS.titleChars) }).strict(),
  z.object({ kind: z.literal('clipping'), clippingId: IdSchema }).strict(),
]);
export type CompositionItem = z.infer<typeof CompositionItemSchema>;
export const CompositionSchema = z
  .object({
    id: IdSchema,
    title: z.string().min(1).max(LIMITS.titleChars),
    introduction: z.string().max(LIMITS.noteChars),
    items: z.array(CompositionItemSchema).max(10_000),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .strict();
export type Composition = z.infer<typeof CompositionSchema>;

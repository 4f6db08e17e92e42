/**
 * The one contract between the renderer and the main process: every channel,
 * its request schema (checked in main on every call) and its response type.
 * Channel names are `area:verb`. The preload API, the Electron transport and
 * the test bridge are all derived from this table.
 */
import { z } from 'zod';
import {
  ClippingSchema,
  CompositionItemSchema,
  IdSchema,
  LabelIdSchema,
  LabelListSchema,
  ReadingStateSchema,
  LIMITS,
  type Label,
  type ArticleAnalysis,
  type ArticleDetail,
  type ArticleSummary,
  type FeedSummary,
  type Clipping,
  type ImportOutcome,
  type Composition,
} from '../library/model';
import { EXPORT_FORMATS, type ExportFormat } from '../library/export/types';
import { SettingsPatchSchema, type Settings } from '../settings/settings';
import type { TagCount, TagUndo, LibrarySearchResults } from '../library/library';
import type { IndexStatus } from '../library/search';


/** Tags as the user typed them: main normalises them; only their size is bounded here. */
const TagInput = z.string().max(LIMITS.tagChars * 2);
const TagsInput = z.array(TagInput).max(LIMITS.tagsPerItem);
const Empty = z.object({}).strict();
const TagUndoSchema = z
  .object({
    articles: z.array(z.object({ id: IdSchema, tags: TagsInput }).strict()).max(100_000),
    clippings: z.array(z.object({ id: IdSchema, tags: TagsInput }).strict()).max(1_000_000),
  })
  .strict();
/** Search filters (see SearchFilters in library/search/types.ts); all optional, all must hold. */
const SearchFiltersSchema = z
  .object({
    tags: z.array(TagInput).max(20).optional(),
    sources: z.array(z.string().max(300)).max(50).optional(),
    published: z.object({ from: z.iso.date().optional(), to: z.iso.date().optional() }).strict().optional(),
    labels: z.array(LabelIdSchema).max(LIMITS.labels).optional(),
    hasClippings: z.boolean().optional(),
    readingStates: z.array(ReadingStateSchema).max(4).optional(),
  })
  .strict();
/** Chosen by the renderer so it can match progress events and cancel; never a path or anything main acts on. */
const JobId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const HttpUrl = z
  .string()
  .max(4000)
  .refine((u) => /^https?:\/\//i.test(u.trim()), 'only http and https addresses can be imported');
/** A dropped or pasted item: its name (for the type) and its bytes, base64. ~50 MB of base64 at most per call. */
const ContentItem = z
  .object({ name: z.string().min(1).max(300), base64: z.string().max(70_000_000) })
  .strict();

/**
 * What to export: articles, clippings, a tag, a search (with the palette's
 * filters), a saved press review; `all` for the whole library. Naming
 * nothing at all is refused, so that an empty selection never becomes the
 * whole library by mistake.
 */
const ExportSelectionInput = z
  .object({
    all: z.literal(true).optional(),
    articleIds: z.array(IdSchema).max(10_000).optional(),
    clippingIds: z.array(IdSchema).max(100_000).optional(),
    tag: TagInput.min(1).optional(),
    query: z.string().max(500).optional(),
    filters: SearchFiltersSchema.optional(),
    /** With `query` or `filters`: only articles, or only clippings (the clippings view). */
    kinds: z.array(z.enum(['article', 'clipping'])).min(1).max(2).optional(),
    compositionId: IdSchema.optional(),
  })
  .strict()
  .refine(
    (s) => {
      const named = (s.articleIds?.length ?? 0) + (s.clippingIds?.length ?? 0) > 0 || s.tag !== undefined || s.query !== undefined || s.filters !== undefined || s.kinds !== undefined || s.compositionId !== undefined;
      return s.all === true ? !named : named;
    },
    'name what to export (articles, clippings, a tag, a search, a press review), or all: true for the whole library, not both',
  );
export type ExportSelectionRequest = z.input<typeof ExportSelectionInput>;

export const EXPORT_GROUPINGS = ['article', 'tag', 'source', 'date'] as const;
export const EXPORT_LAYOUTS = ['clipbook', 'per-article'] as const;
const ExportOptionsInput = z
  .object({
    format: z.enum(EXPORT_FORMATS),
    grouping: z.enum(EXPORT_GROUPINGS).optional(),
    layout: z.enum(EXPORT_LAYOUTS).optional(),
    title: z.string().trim().min(1).max(LIMITS.titleChars).optional(),
    /** Name who said each quote in its citation (the articles' analysis: slower on large exports). */
    speakers: z.boolean().optional(),
  })
  .strict()
  .refine((o) => o.layout !== 'per-article' || o.format === 'md', { message: 'one file per article is for Markdown only', path: ['layout'] });
export type ExportOptionsRequest = z.input<typeof ExportOptionsInput>;

export const requests = {
  'library:info': Empty,
  /** Opens the system file dialog in main; the renderer never names a path. Progress comes as import:progress events. */
  'library:import': z.object({ jobId: JobId.optional() }).strict(),
  /** Fetches a web page and stores it with its images. */
  'import:url': z.object({ url: HttpUrl, jobId: JobId.optional() }).strict(),
  /** Dropped files and clipboard content, handed over whole. */
  'import:content': z.object({ items: z.array(ContentItem).min(1).max(1000), jobId: JobId.optional() }).strict(),
  /** Stops an import: items under way finish, no new one starts. */
  'import:cancel': z.object({ jobId: JobId }).strict(),
  'feeds:list': Empty,
  'feeds:add': z.object({ url: HttpUrl }).strict(),
  'feeds:refresh': z.object({ id: z.string().regex(/^[0-9a-f]{12}$/), jobId: JobId.optional() }).strict(),
  'feeds:remove': z.object({ id: z.string().regex(/^[0-9a-f]{12}$/) }).strict(),
  'articles:list': Empty,
  /** One page of the list, in list order: what the window shows first, before the whole list is in. */
  'articles:page': z.object({ offset: z.number().int().min(0).max(10_000_000), limit: z.number().int().min(1).max(500) }).strict(),
  'articles:get': z.object({ id: IdSchema }).strict(),
  'articles:setTags': z.object({ id: IdSchema, tags: TagsInput }).strict(),
  'articles:setReading': z
    .object({ id: IdSchema, readingState: ReadingStateSchema.optional(), progress: z.number().min(0).max(1).optional() })
    .strict()
    .refine((r) => r.readingState !== undefined || r.progress !== undefined, 'give a reading state, a progress, or both'),
  'clippings:create': z
    .object({
      articleId: IdSchema,
      start: z.number().int().min(0),
      end: z.number().int().min(1),
      exact: z.string().min(1).max(LIMITS.quoteChars),
      label: LabelIdSchema,
      note: z.string().max(LIMITS.noteChars).optional(),
      tags: TagsInput.optional(),
    })
    .strict()
    .refine((r) => r.end > r.start, { message: 'end must be after start', path: ['end'] }),
  'clippings:update': z
    .object({
      id: IdSchema,
      label: LabelIdSchema.optional(),
      note: z.string().max(LIMITS.noteChars).optional(),
      tags: TagsInput.optional(),
    })
    .strict(),
  'clippings:delete': z.object({ id: IdSchema }).strict(),
  /** Undo: the clipping exactly as it was before a delete or a change (it replaces the current one). */
  'clippings:restore': z.object({ clipping: ClippingSchema }).strict(),
  /** Attaches a clipping (an orphan, say) to the words the user selected. */
  'clippings:reattach': z
    .object({ id: IdSchema, start: z.number().int().min(0), end: z.number().int().min(1), exact: z.string().min(1).max(LIMITS.quoteChars) })
    .strict()
    .refine((r) => r.end > r.start, { message: 'end must be after start', path: ['end'] }),
  /** The user's correction of an article's text: a new version, clippings re-attached. */
  'articles:revise': z.object({ id: IdSchema, text: z.string().min(1).max(LIMITS.revisedTextChars) }).strict(),
  /** Direct quotations with their speakers, and suggested tags (people, places, organisations). */
  'articles:analyse': z.object({ id: IdSchema }).strict(),
  'tags:list': Empty,
  /** Renames a tag and those below it everywhere; onto an existing tag it merges. Answers with its undo. */
  'tags:rename': z.object({ from: TagInput.min(1), to: TagInput.min(1) }).strict(),
  'tags:delete': z.object({ tag: TagInput.min(1) }).strict(),
  /** Bulk tagging of selected articles and clippings. */
  'tags:add': z
    .object({ articleIds: z.array(IdSchema).max(100_000).default([]), clippingIds: z.array(IdSchema).max(100_000).default([]), tags: TagsInput.min(1) })
    .strict(),
  /** Undo of any of the three: the tags exactly as they were. */
  'tags:restore': z.object({ undo: TagUndoSchema }).strict(),
  /**
   * Full text over titles, bodies, clipping quotes and notes, with prefix and
   * typo matching, filtered; an empty query lists what the filters keep
   * (newest first): the clippings view.
   */
  'search:query': z
    .object({
      query: z.string().max(500),
      filters: SearchFiltersSchema.optional(),
      kinds: z.array(z.enum(['article', 'clipping'])).min(1).max(2).optional(),
      limit: z.number().int().min(1).max(200).optional(),
      offset: z.number().int().min(0).max(1_000_000).optional(),
    })
    .strict(),
  /** Whether the index is ready, or being built or brought up to date (with a count). */
  'search:status': Empty,
  'labels:list': Empty,
  /** The whole list, in order: renames, colours, new labels; a label in use cannot be dropped. */
  'labels:save': z.object({ labels: LabelListSchema }).strict(),
  /**
   * Asks how many articles and clippings an export would hold (the export
   * dialog shows it before anything is written), and a title for it.
   */
  'export:preview': z.object({ selection: ExportSelectionInput }).strict(),
  /**
   * Opens a save dialog in main (a folder for Markdown one file per article)
   * and writes the export there atomically. Progress comes as export:progress
   * events under the job id.
   */
  'export:run': z.object({ selection: ExportSelectionInput, options: ExportOptionsInput, jobId: JobId.optional() }).strict(),
  /** Saved press reviews, newest first. */
  'compositions:list': Empty,
  'compositions:get': z.object({ id: IdSchema }).strict(),
  /** Creates (no id) or replaces a press review; replacing with the id of a deleted one brings it back (undo). */
  'compositions:save': z
    .object({
      id: IdSchema.optional(),
      title: z.string().trim().min(1).max(LIMITS.titleChars),
      introduction: z.string().max(LIMITS.noteChars),
      items: z.array(CompositionItemSchema).max(10_000),
    })
    .strict(),
  /** Answers with the press review as it was, for undo. */
  'compositions:delete': z.object({ id: IdSchema }).strict(),
  /** What the composer shows of its clippings: quote, article, source. Clippings that are gone are listed as missing. */
  'clippings:lookup': z.object({ ids: z.array(IdSchema).max(10_000) }).strict(),
  /** A clipping as a citation (“quote” — speaker, source, dateline, date, URL), for the clipboard. */
  'clippings:citation': z.object({ id: IdSchema }).strict(),
  /** Saves the whole library as one file where the person chooses. */
  'library:backup': Empty,
  /**
   * Restores a backup the person chooses. Main asks before anything is
   * replaced, naming the library and where the current one is moved.
   */
  'library:restore': Empty,
  /** Opens the library's export templates folder, writing the default templates there first if missing. */
  'templates:open': Empty,
  /** Puts the default templates back (main asks first). */
  'templates:reset': Empty,
  'settings:get': Empty,
  'settings:update': SettingsPatchSchema,
} as const;

export type LibraryInfo = { path: string; articleCount: number; clippingCount: number; problems: string[] };
export type ImportSummary = { canceled: boolean; outcomes: ImportOutcome[] };
export type FeedRefresh = { feed: FeedSummary; canceled: boolean; outcomes: ImportOutcome[] };
export type SaveResult = { canceled: true } | { canceled: false; path: string; bytes: number };
/** What an export wrote: one file, or a folder of them (Markdown one file per article). */
export type ExportSaved =
  | { canceled: true }
  | { canceled: false; format: ExportFormat; path: string; files: number; bytes: number; articleCount: number; clippingCount: number };
/** What an export would hold; `missingClippings`: clippings a press review names that were deleted since. */
export type ExportPreview = { articleCount: number; clippingCount: number; missingClippings: number; title: string };
/** A clipping as a list of clippings from many articles shows it (the press-review composer). */
export type ClippingRef = {
  id: string;
  articleId: string;
  quote: string;
  note: string;
  label: string;
  tags: string[];
  articleTitle: string;
  source: string | null;
  published: string | null;
};
export type Citation = { text: string; speaker: string | null };
export type RestoreResult =
  | { canceled: true }
  | { canceled: false; from: string; library: string; previousMovedTo: string | null; articleCount: number; clippingCount: number };
export type TemplatesFolder = { path: string; written: string[] };
export type TemplatesReset = { canceled: true } | { canceled: false; path: string; files: string[] };

export type Responses = {
  'library:info': LibraryInfo;
  'library:import': ImportSummary;
  'import:url': ImportSummary;
  'import:content': ImportSummary;
  'import:cancel': { canceled: boolean };
  'feeds:list': FeedSummary[];
  'feeds:add': FeedSummary;
  'feeds:refresh': FeedRefresh;
  'feeds:remove': FeedSummary;
  'articles:list': ArticleSummary[];
  'articles:page': { total: number; articles: ArticleSummary[] };
  'articles:get': ArticleDetail;
  'articles:setTags': ArticleSummary;
  'articles:setReading': ArticleSummary;
  'clippings:create': Clipping;
  'clippings:update': Clipping;
  'clippings:delete': Clipping;
  'clippings:restore': Clipping;
  'clippings:reattach': Clipping;
  'articles:revise': ArticleDetail;
  'articles:analyse': ArticleAnalysis;
  'tags:list': TagCount[];
  'tags:rename': TagUndo;
  'tags:delete': TagUndo;
  'tags:add': TagUndo;
  'tags:restore': { restored: true };
  'search:query': LibrarySearchResults;
  'search:status': IndexStatus;
  'labels:list': Label[];
  'labels:save': Label[];
  'export:preview': ExportPreview;
  'export:run': ExportSaved;
  'compositions:list': Composition[];
  'compositions:get': Composition;
  'compositions:save': Composition;
  'compositions:delete': Composition;
  'clippings:lookup': { found: ClippingRef[]; missing: string[] };
  'clippings:citation': Citation;
  'library:backup': SaveResult;
  'library:restore': RestoreResult;
  'templates:open': TemplatesFolder;
  'templates:reset': TemplatesReset;
  'settings:get': Settings;
  'settings:update': Settings;
};

export type Channel = keyof typeof requests;
export const CHANNELS = Object.keys(requests) as Channel[];
export type Request<C extends Channel> = z.input<(typeof requests)[C]>;
export type ParsedRequest<C extends Channel> = z.output<(typeof requests)[C]>;
export type Response<C extends Channel> = Responses[C];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(requests, value);
}

export type ErrorCode =
  | 'unknown-channel'
  | 'forbidden-sender'
  | 'invalid-payload'
  | 'not-found'
  | 'invalid-input'
  | 'conflict'
  | 'not-a-library'
  | 'newer-schema'
  | 'corrupt'
  | 'io'
  | 'locked'
  | 'internal';

export type IpcError = { code: ErrorCode; message: string; issues?: { path: string; message: string }[] };

/** Every answer: a value, or a typed error the renderer can show. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export type Invoke = <C extends Channel>(channel: C, payload: Request<C>) => Promise<Envelope<Response<C>>>;

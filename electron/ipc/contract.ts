/**
 * The one contract between the renderer and the main process: every channel,
 * its request schema (checked in main on every call) and its response type.
 * Channel names are `area:verb`. The preload API, the Electron transport and
 * the test bridge are all derived from this table.
 */
import { z } from 'zod';
import {
  ClippingSchema,
  ColorSchema,
  IdSchema,
  LIMITS,
  type ArticleDetail,
  type ArticleSummary,
  type Clipping,
  type ImportOutcome,
} from '../library/model';
import { SettingsPatchSchema, type Settings } from '../settings/settings';

/** Tags as the user typed them: main normalises them; only their size is bounded here. */
const TagInput = z.string().max(LIMITS.tagChars * 2);
const TagsInput = z.array(TagInput).max(LIMITS.tagsPerItem);
const Empty = z.object({}).strict();

export const requests = {
  'library:info': Empty,
  /** Opens the system file dialog in main; the renderer never names a path. */
  'library:import': Empty,
  'articles:list': Empty,
  'articles:get': z.object({ id: IdSchema }).strict(),
  'articles:setTags': z.object({ id: IdSchema, tags: TagsInput }).strict(),
  'clippings:create': z
    .object({
      articleId: IdSchema,
      start: z.number().int().min(0),
      end: z.number().int().min(1),
      exact: z.string().min(1).max(LIMITS.quoteChars),
      color: ColorSchema,
      note: z.string().max(LIMITS.noteChars).optional(),
      tags: TagsInput.optional(),
    })
    .strict()
    .refine((r) => r.end > r.start, { message: 'end must be after start', path: ['end'] }),
  'clippings:update': z
    .object({
      id: IdSchema,
      color: ColorSchema.optional(),
      note: z.string().max(LIMITS.noteChars).optional(),
      tags: TagsInput.optional(),
    })
    .strict(),
  'clippings:delete': z.object({ id: IdSchema }).strict(),
  /** Undo of a delete: the clipping exactly as `clippings:delete` returned it. */
  'clippings:restore': z.object({ clipping: ClippingSchema }).strict(),
  /** Opens a save dialog in main and writes the Markdown there. */
  'export:markdown': z.object({ articleIds: z.array(IdSchema).min(1).max(10_000) }).strict(),
  'settings:get': Empty,
  'settings:update': SettingsPatchSchema,
} as const;

export type LibraryInfo = { path: string; articleCount: number; clippingCount: number; problems: string[] };
export type ImportSummary = { canceled: boolean; outcomes: ImportOutcome[] };
export type SaveResult = { canceled: true } | { canceled: false; path: string; bytes: number };

export type Responses = {
  'library:info': LibraryInfo;
  'library:import': ImportSummary;
  'articles:list': ArticleSummary[];
  'articles:get': ArticleDetail;
  'articles:setTags': ArticleSummary;
  'clippings:create': Clipping;
  'clippings:update': Clipping;
  'clippings:delete': Clipping;
  'clippings:restore': Clipping;
  'export:markdown': SaveResult;
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
  | 'internal';

export type IpcError = { code: ErrorCode; message: string; issues?: { path: string; message: string }[] };

/** Every answer: a value, or a typed error the renderer can show. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export type Invoke = <C extends Channel>(channel: C, payload: Request<C>) => Promise<Envelope<Response<C>>>;

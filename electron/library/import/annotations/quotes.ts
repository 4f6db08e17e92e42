/** What the importers of other tools' annotations share: reading selectors, and making a quote annotation fit our limits. */
import { z } from 'zod';
import { LIMITS, normalizeTags } from '../../model';
import { normalizeUrl } from '../../urls';
import type { PageAnnotations, QuoteAnnotation } from './types';

const QuoteSchema = z.object({ type: z.literal('TextQuoteSelector'), exact: z.string().min(1), prefix: z.string().optional(), suffix: z.string().optional() });
const PositionSchema = z.object({ type: z.literal('TextPositionSelector'), start: z.number().int().min(0), end: z.number().int().min(0) });
const DateTime = z.iso.datetime({ offset: true });

export type Quote = { exact: string; prefix: string; suffix: string };
export type Position = { start: number; end: number };

/** The TextQuoteSelector and TextPositionSelector among a target's selectors, if any (other kinds are ignored). */
export function selectorsOf(selectors: readonly unknown[]): { quote: Quote | null; position: Position | null } {
  let quote: Quote | null = null;
  let position: Position | null = null;
  for (const s of selectors) {
    const q = QuoteSchema.safeParse(s);
    if (q.success && !quote) quote = { exact: q.data.exact, prefix: q.data.prefix ?? '', suffix: q.data.suffix ?? '' };
    const p = PositionSchema.safeParse(s);
    if (p.success && !position && p.data.end > p.data.start) position = { start: p.data.start, end: p.data.end };
  }
  return { quote, position };
}

/** Another tool's id as one of ours (letters, digits, - and _), or null when it cannot be one. */
export function ownId(prefix: string, sourceId: string | null): string | null {
  if (!sourceId) return null;
  const id = `${prefix}${sourceId}`;
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
}

/**
 * A quote annotation within our limits. What does not fit is said in
 * `problems` (a note cut to the limit, tags too long to keep), never
 * dropped silently; a date we cannot read becomes the import time.
 */
export function quoteAnnotation(
  input: { sourceId: string | null; idPrefix: string; name: string; quote: Quote; position: Position | null; note: string; tags: readonly string[]; created?: string | undefined; updated?: string | undefined },
  problems: string[],
): QuoteAnnotation {
  const { name } = input;
  let note = input.note;
  if (note.length > LIMITS.noteChars) {
    problems.push(`the note of annotation ${name} was cut to ${LIMITS.noteChars} characters`);
    note = note.slice(0, LIMITS.noteChars);
  }
  const tags = normalizeTags(input.tags);
  const kept = tags.filter((t) => t.length <= LIMITS.tagChars).slice(0, LIMITS.tagsPerItem);
  if (kept.length < tags.length) problems.push(`annotation ${name}: ${tags.length - kept.length} tag(s) too long or too many were left out`);
  let exact = input.quote.exact;
  if (exact.length > LIMITS.quoteChars) {
    problems.push(`the quote of annotation ${name} was cut to ${LIMITS.quoteChars} characters`);
    exact = exact.slice(0, LIMITS.quoteChars);
  }
  const date = (s: string | undefined) => (s && DateTime.safeParse(s).success ? s : null);
  return {
    id: ownId(input.idPrefix, input.sourceId),
    name,
    exact,
    prefix: input.quote.prefix,
    suffix: input.quote.suffix,
    start: input.position?.start ?? null,
    end: input.position?.end ?? null,
    note,
    tags: kept,
    createdAt: date(input.created),
    updatedAt: date(input.updated) ?? date(input.created),
  };
}

/** Annotations grouped by their page (its normalised address, else its title), in the order first met. */
export function groupByPage(found: readonly { page: { url: string | null; title: string | null }; annotation: QuoteAnnotation }[]): PageAnnotations[] {
  const pages = new Map<string, PageAnnotations>();
  for (const { page, annotation } of found) {
    const key = page.url ? `url:${normalizeUrl(page.url)}` : `title:${(page.title ?? '').trim().toLocaleLowerCase()}`;
    let entry = pages.get(key);
    if (!entry) pages.set(key, (entry = { url: page.url, title: page.title, annotations: [] }));
    else if (!entry.title && page.title) entry.title = page.title;
    entry.annotations.push(annotation);
  }
  return [...pages.values()];
}

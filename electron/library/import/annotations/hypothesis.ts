/**
 * Hypothesis annotations as its API returns them (`GET /api/search`:
 * `{ total, rows: [...] }`, as in hypothesis/client's html-baselines) or as
 * the client's export writes them (`{ annotations: [...] }`). Each row
 * names its page (`uri`, `target[].source`, `document.title`) and its words
 * (a TextQuoteSelector, usually with a TextPositionSelector and a
 * RangeSelector); `text` is the note (Markdown), `tags` the tags.
 *
 * Rows without a quoted passage (page notes, replies) have nothing to
 * attach to in an article's text: they are counted and reported, not
 * imported. The RangeSelector (an XPath into the page as it was) means
 * nothing in our blocks and is not used.
 */
import { z } from 'zod';
import { quoteAnnotation, groupByPage, selectorsOf } from './quotes';
import { AnnotationFileError, type PageAnnotations, type QuoteAnnotation } from './types';

const RowSchema = z.object({
  id: z.string().max(200).optional(),
  uri: z.string().max(4000).optional(),
  text: z.string().optional(),
  tags: z.array(z.string()).optional(),
  created: z.string().optional(),
  updated: z.string().optional(),
  references: z.array(z.string()).optional(),
  document: z.object({ title: z.union([z.array(z.string()), z.string()]).optional() }).optional(),
  target: z.array(z.object({ source: z.string().max(4000).optional(), selector: z.array(z.unknown()).optional() })).optional(),
});
type Row = z.infer<typeof RowSchema>;

/** The API's shape, or the client's export's: either list of annotations. */
export function isHypothesisResponse(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as { rows?: unknown; annotations?: unknown };
  return Array.isArray(v.rows) || (Array.isArray(v.annotations) && !('@context' in v));
}

export function parseHypothesis(value: unknown): { pages: PageAnnotations[]; skipped: string[] } {
  const v = value as { rows?: unknown; annotations?: unknown };
  const list = (Array.isArray(v.rows) ? v.rows : v.annotations) as unknown[];
  const skipped: string[] = [];
  const found: { page: { url: string | null; title: string | null }; annotation: QuoteAnnotation }[] = [];
  let pageNotes = 0;
  list.forEach((raw, i) => {
    const parsed = RowSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AnnotationFileError(`annotation ${i + 1} is not a Hypothesis annotation (${issue?.path.join('.') || 'it'}: ${issue?.message})`);
    }
    const row: Row = parsed.data;
    const name = row.id ?? `number ${i + 1}`;
    const target = row.target?.find((t) => t.selector) ?? row.target?.[0];
    const { quote, position } = selectorsOf(target?.selector ?? []);
    if (!quote) {
      pageNotes++;
      return;
    }
    const title = Array.isArray(row.document?.title) ? (row.document?.title[0] ?? null) : (row.document?.title ?? null);
    const url = row.uri ?? target?.source ?? null;
    if (!url && !title) {
      skipped.push(`annotation ${name} names no page (no uri, source or document title)`);
      return;
    }
    found.push({
      page: { url, title },
      annotation: quoteAnnotation({ sourceId: row.id ?? null, idPrefix: 'hyp_', name, quote, position, note: row.text ?? '', tags: row.tags ?? [], created: row.created, updated: row.updated }, skipped),
    });
  });
  if (pageNotes > 0) skipped.push(`${pageNotes} page note${pageNotes === 1 ? '' : 's'} or repl${pageNotes === 1 ? 'y' : 'ies'} without a quoted passage`);
  return { pages: groupByPage(found), skipped };
}

/**
 * Attaching annotations made elsewhere (Hypothesis, another W3C tool, a
 * Readwise highlight of an article we hold) to an article's text, with the
 * anchoring chain that re-attaches our own clippings (anchoring.ts):
 * position, then quote with context, then fuzzy. Their positions count in
 * the page as the other tool saw it (navigation, footer and all), not in
 * our extracted article, so it is usually the quote that places them.
 *
 * What cannot be placed with confidence is kept as an orphan with its
 * quote and note (shown, never dropped, never put on other words).
 */
import { locate, type Located } from '../../anchoring';
import { LIMITS, type Anchor, type Clipping } from '../../model';
import { quoteSelector } from '../../text';
import type { Library, ClippingDraft } from '../../library';
import type { QuoteAnnotation } from './types';

export type AttachResult = { added: number; duplicates: number; anchored: number; fuzzy: number; orphans: string[] };

/** Runs of white space as one space: a page's source text is full of line breaks and tabs our blocks do not have. */
const collapse = (s: string) => s.replace(/\s+/g, ' ');

/**
 * A highlight with no context at all (Readwise keeps none) cannot pass the
 * chain's bar on its words alone unless it is long: its context scores
 * count half. Found verbatim exactly once in the one article it was matched
 * to (by address, or title and author), and not a mere word or two, it is
 * those words.
 */
const UNIQUE_QUOTE_CHARS = 12;

function placeWithoutContext(a: QuoteAnnotation, text: string): Located | null {
  if (a.prefix !== '' || a.suffix !== '' || a.exact.trim().length < UNIQUE_QUOTE_CHARS) return null;
  const at = text.indexOf(a.exact);
  if (at < 0 || text.indexOf(a.exact, at + 1) >= 0) return null;
  return { via: 'quote', start: at, end: at + a.exact.length, quote: 1, prefix: 1, suffix: 1, confidence: 1 };
}

function place(a: QuoteAnnotation, text: string): Located {
  const unique = placeWithoutContext(a, text);
  if (unique) return unique;
  const prefix = a.prefix.slice(-LIMITS.contextChars);
  const suffix = a.suffix.slice(0, LIMITS.contextChars);
  const start = a.start ?? 0;
  const end = a.end ?? start + a.exact.length;
  const first = locate({ target: { quote: { exact: a.exact, prefix, suffix }, position: { start, end } } }, text, start);
  if (first.via !== 'none') return first;
  // The same words with the page's white space folded (only if that changes anything).
  const exact = collapse(a.exact).trim();
  if (exact === a.exact || exact === '') return first;
  const cPrefix = collapse(a.prefix).slice(-LIMITS.contextChars);
  const cSuffix = collapse(a.suffix).slice(0, LIMITS.contextChars);
  return locate({ target: { quote: { exact, prefix: cPrefix, suffix: cSuffix }, position: { start, end: start + exact.length } } }, text, start);
}

export function draftFor(a: QuoteAnnotation, text: string, stamp: string): { draft: ClippingDraft; found: Located } {
  const found = place(a, text);
  const common = {
    ...(a.id ? { id: a.id } : {}),
    label: '',
    note: a.note,
    tags: a.tags,
    createdAt: a.createdAt ?? stamp,
    updatedAt: a.updatedAt ?? a.createdAt ?? stamp,
  };
  if (found.via === 'none') {
    const start = a.start ?? 0;
    const end = a.end !== null && a.end > start ? a.end : start + a.exact.length;
    const target: Clipping['target'] = {
      quote: { exact: a.exact, prefix: a.prefix.slice(-LIMITS.contextChars), suffix: a.suffix.slice(0, LIMITS.contextChars) },
      position: { start, end },
    };
    return { draft: { ...common, target, anchor: { state: 'orphan' } }, found };
  }
  // The words found as they are (at their position, or by quote): anchored. Found approximately: say how sure.
  const anchor: Anchor | undefined = found.via === 'fuzzy' ? { state: 'reanchored', confidence: Math.round(found.confidence * 100) / 100 } : undefined;
  const target = { quote: quoteSelector(text, found.start, found.end), position: { start: found.start, end: found.end } };
  return { draft: { ...common, target, ...(anchor ? { anchor } : {}) }, found };
}

/** Places each annotation in the article's text and adds them in one change (those already there are not added again). */
export async function attachAnnotations(library: Library, articleId: string, annotations: readonly QuoteAnnotation[], stamp: string): Promise<AttachResult> {
  const { text } = await library.getArticle(articleId);
  const drafts = annotations.map((a) => draftFor(a, text, stamp).draft);
  const { added, duplicates } = await library.addClippings(articleId, drafts);
  return {
    added: added.length,
    duplicates,
    anchored: added.filter((c) => !c.anchor).length,
    fuzzy: added.filter((c) => c.anchor?.state === 'reanchored').length,
    orphans: added.filter((c) => c.anchor?.state === 'orphan').map((c) => `“${excerpt(c.target.quote.exact)}”`),
  };
}

export function excerpt(s: string, max = 60): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

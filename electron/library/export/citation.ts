/**
 * A clipping as a citation a person pastes into their own text:
 *
 *   “It is time for serious dialogue” — Antonio Guterres, Xinhua, United Nations, 2024-12-06, https://…
 *
 * Pure (no Node, no DOM): the renderer imports it for "copy as citation",
 * the exporters for the line under every quote.
 */
import type { QuoteFinding } from '../model';

export type CitationParts = {
  exact: string;
  speaker?: string | null;
  source?: string | null;
  dateline?: string | null;
  /** A calendar date or a timestamp, as the article gives it; printed as its date. */
  published?: string | null;
  url?: string | null;
};

/**
 * `“quote” — speaker, source, dateline, date, URL`, missing parts skipped.
 * The quote is kept whole however long (a citation that cuts words is a
 * misquotation), its white space collapsed, and quotation marks inside it
 * become single ones so that the outer pair still closes where it should.
 */
export function formatCitation(parts: CitationParts): string {
  const quote = `“${citationQuote(parts.exact)}”`;
  const after = formatAttribution(parts);
  return after ? `${quote} — ${after}` : quote;
}

/** What follows the quote in a citation: `speaker, source, dateline, date, URL`, missing parts skipped ('' when none). */
export function formatAttribution(parts: Omit<CitationParts, 'exact'>): string {
  let out = '';
  for (const part of [parts.speaker, parts.source, parts.dateline, citationDate(parts.published), parts.url]) {
    const p = part ? part.replace(/\s+/g, ' ').trim() : '';
    if (p) out += out ? `, ${p}` : p;
  }
  return out;
}

/**
 * The quoted words as they go between the outer marks: the quote's own
 * enclosing marks dropped (a clipping often includes them), the marks
 * inside made single.
 */
export function citationQuote(exact: string): string {
  let t = exact.replace(/\s+/g, ' ').trim();
  const opens = /^["“„]/.test(t);
  const closes = /["”]$/.test(t);
  const inner = (s: string) => /["“”„]/.test(s);
  if (opens && closes && t.length > 1) t = t.slice(1, -1);
  else if (opens && !inner(t.slice(1))) t = t.slice(1);
  else if (closes && !inner(t.slice(0, -1))) t = t.slice(0, -1);
  return t
    .trim()
    .replace(/"([^"]*)"/g, '‘$1’')
    .replace(/[“„]/g, '‘')
    .replace(/[”"]/g, '’');
}

/** The date part of an ISO date or timestamp; anything else as it is. */
export function citationDate(published: string | null | undefined): string | null {
  if (!published) return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:T|$)/.exec(published);
  return m ? (m[1] as string) : published;
}

/**
 * Who said the words of a clipping: the speaker of the quotation found in
 * the article (its analysis) that overlaps the clipping most. Null when no
 * quotation overlaps, or the one that does has no speaker; a tie goes to
 * the earlier quotation.
 */
export function speakerOf(position: { start: number; end: number }, quotes: readonly Pick<QuoteFinding, 'start' | 'end' | 'speaker'>[]): string | null {
  let best: Pick<QuoteFinding, 'start' | 'end' | 'speaker'> | null = null;
  let bestOverlap = 0;
  for (const q of quotes) {
    const overlap = Math.min(q.end, position.end) - Math.max(q.start, position.start);
    if (overlap > bestOverlap) {
      best = q;
      bestOverlap = overlap;
    }
  }
  return best?.speaker ?? null;
}

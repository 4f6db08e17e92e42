/**
 * Re-attaching clippings when an article's text changes (a re-import brings a
 * new version). A clipping carries two selectors, as Hypothesis' annotations
 * do: a TextPositionSelector (offsets into the canonical text) and a
 * TextQuoteSelector (the exact words with 32 characters of context each
 * side). The chain, cheapest and surest first:
 *
 *   1. position — the words are still at the stored offsets: `anchored`;
 *   2. quote    — the exact words occur elsewhere: the occurrence whose
 *                 context fits best (then the one nearest where it was
 *                 expected): `reanchored`;
 *   3. fuzzy    — approximate matches of the words (approx-string-match, as
 *                 Hypothesis' match-quote.ts), scored on the words, the
 *                 context and the position: `reanchored`;
 *   4. orphan   — nothing scored above the bar: the clipping keeps its old
 *                 quote and position and is shown as an orphan, never dropped.
 *
 * The bar is set for precision rather than recall: a clipping attached to
 * the wrong words silently misquotes the article, while an orphan is visible
 * and still carries its quote. tests/anchoring/edit-corpus.ts measures both
 * (tests/unit/anchoring.test.ts, `npm run -s bench -- anchor`).
 */
import approxSearch from 'approx-string-match';
import type { Anchor, Clipping } from './model';
import { quoteSelector } from './text';

/** What re-anchoring reads and writes; the rest of a clipping is carried through untouched. */
export type Anchorable = Pick<Clipping, 'target' | 'anchor'>;
export type Target = Clipping['target'];

export const ANCHORING = {
  /**
   * Below this confidence a clipping becomes an orphan. Chosen on the edit
   * corpus (tests/anchoring/edit-corpus.ts): with no bar at all, the best
   * wrong candidate there scores 0.73 and the weakest right one 0.81 (the
   * benchmark prints both); the bar sits just under the right ones, as far
   * from the wrong ones as they allow.
   */
  confidenceBar: 0.8,
  /**
   * A fuzzy match may differ from the quote in this share of its length; more
   * than that and it is not "the same words reworded" but other words, unless
   * both sides of the context are intact (see `acceptable`).
   */
  maxErrorRatio: 0.25,
  /**
   * The search itself allows half the quote's length, as Hypothesis does, so
   * that a short quote whose context is intact on both sides can still be
   * found after a rewording (see `acceptable`).
   */
  searchErrorRatio: 0.5,
  /** Both sides of the context at least this similar pin a fuzzy match down (see `acceptable`). */
  pinnedContext: 0.9,
  /**
   * Hypothesis' cap on the edit budget, for the cost of long quotes: a quote
   * of several thousand characters edited in more than 256 places is orphaned.
   */
  maxErrors: 256,
  /**
   * A verbatim quote that occurs only once in the new text is its own
   * evidence, in proportion to its length: from this many characters on it
   * counts as much as a fully matching context (a moved paragraph changes
   * both sides of a quote that is a whole paragraph, yet the words are surely
   * the same). Shorter quotes ("the minister") lean on their context.
   */
  selfEvidentChars: 64,
  /**
   * Two occurrences of the exact quote whose context scores are this close
   * cannot be told apart by context; see `pickOccurrence`.
   */
  contextTie: 0.05,
  /** The words still at their offset count as in place when one side of their context is at least this similar. */
  positionContext: 0.5,
  /** An orphan comes back only with its context: (prefix + suffix) / 2 at least this. */
  orphanContext: 0.8,
  /**
   * The fuzzy search looks first this far (plus twice the quote's length)
   * either side of where the clipping is expected, and over the whole text
   * only if nothing there clears the bar: most edits are local, and the
   * search's cost is proportional to the length searched.
   */
  windowChars: 2048,
} as const;

/** Hypothesis' weights (match-quote.ts): the words count most, then each side of the context; position only breaks ties. */
const WEIGHT = { quote: 50, prefix: 20, suffix: 20, position: 2 } as const;
const WEIGHT_SUM = WEIGHT.quote + WEIGHT.prefix + WEIGHT.suffix + WEIGHT.position;

/** How a candidate scored: each part in [0, 1], `confidence` the weighted sum. */
export type Scores = { quote: number; prefix: number; suffix: number; confidence: number };

export type Located =
  | ({ via: 'position' | 'quote' | 'fuzzy'; start: number; end: number } & Scores)
  /** `best` is the best candidate turned down, if any: for diagnostics (scripts/bench-anchor.ts prints the margins). */
  | { via: 'none'; best: ({ start: number; end: number } & Scores) | null };

export type LocateOptions = { bar?: number };

type Quote = Target['quote'];
/** `edges`: how many of the match's ends (0–2) meet the stored context exactly. */
type Scored = { start: number; end: number; edges: number } & Scores;

/**
 * Re-attaches one clipping to a changed text. The state says how: `anchored`
 * (unchanged: a clipping that was `reanchored` before keeps that state and
 * its confidence, since nobody has confirmed it since), `reanchored` with a
 * confidence in [0, 1], or `orphan` with its old target kept as it was.
 */
export function reanchor<T extends Anchorable>(clipping: T, text: string): T {
  return apply(clipping, text, locate(clipping, text, clipping.target.position.start));
}

/**
 * Re-attaches all of an article's clippings: the same chain as `reanchor`,
 * but where each clipping is expected is learned from its neighbours. After
 * an insertion near the top every later position is off by the same amount,
 * so the shift of the previous clipping (in text order) says where to look
 * first. Most clippings are then confirmed in place, context and all,
 * without scanning the whole text for other occurrences (about 3× faster
 * on 1,000 clippings, see scripts/bench-anchor.ts), and two copies of a passage
 * with the same context, which a lone clipping cannot tell apart (it is
 * orphaned), are told apart by where the neighbours went.
 */
export function reanchorAll<T extends Anchorable>(clippings: readonly T[], text: string): T[] {
  const order = clippings.map((_, i) => i).sort((a, b) => clippings[a]!.target.position.start - clippings[b]!.target.position.start);
  const out: T[] = new Array<T>(clippings.length);
  let shift = 0;
  for (const i of order) {
    const clipping = clippings[i]!;
    const old = clipping.target.position.start;
    const found = locate(clipping, text, Math.max(0, old + shift));
    if (found.via !== 'none') shift = found.start - old;
    out[i] = apply(clipping, text, found);
  }
  return out;
}

/**
 * Where a clipping's words are in `text`, trying the selectors in order.
 * `hint` is where the quote is expected to start (its old position, or that
 * shifted as its neighbours moved).
 */
export function locate(clipping: Anchorable, text: string, hint: number, options: LocateOptions = {}): Located {
  const bar = options.bar ?? ANCHORING.confidenceBar;
  const { quote, position } = clipping.target;
  const { exact } = quote;
  const orphan = clipping.anchor?.state === 'orphan';

  // 1. Position. An orphan's position is from an older text, so it proves nothing.
  if (!orphan && position.end - position.start === exact.length && text.startsWith(exact, position.start)) {
    const c = score(text, quote, position.start, position.end, 0, hint);
    // The same characters at the same offset but in other surroundings are a
    // coincidence for a short quote ("the"), not the clipped words: then the
    // occurrence competes with the others below.
    if (Math.max(c.prefix, c.suffix) >= ANCHORING.positionContext || exact.length >= ANCHORING.selfEvidentChars) return { via: 'position', ...c, confidence: 1 };
  }

  // The expected place first: after an edit above, the words are usually
  // just shifted, with their context intact. No occurrence can score better,
  // so the text need not be scanned for others.
  if (!orphan && hint !== position.start && text.startsWith(exact, hint) && contextIntact(text, quote, hint, hint + exact.length)) {
    return { via: 'quote', ...score(text, quote, hint, hint + exact.length, 0, hint) };
  }

  // 2. The exact quote elsewhere.
  const occurrences: number[] = [];
  for (let at = text.indexOf(exact); at >= 0; at = text.indexOf(exact, at + 1)) occurrences.push(at);
  if (occurrences.length > 0) {
    // If the words are there verbatim but no occurrence fits, a fuzzy search
    // would only find the same occurrences again (it returns the matches with
    // the fewest edits): the clipping is an orphan.
    return pickOccurrence(text, quote, occurrences, hint, orphan, bar);
  }
  // An orphan comes back only when its exact words return with their context.
  if (orphan) return { via: 'none', best: null };

  // 3. Fuzzy, near the expected place first.
  const budget = Math.min(ANCHORING.maxErrors, Math.floor(exact.length * ANCHORING.searchErrorRatio));
  if (budget < 1) return { via: 'none', best: null };
  const reach = ANCHORING.windowChars + 2 * exact.length;
  const from = Math.max(0, hint - reach);
  const to = Math.min(text.length, hint + exact.length + reach);
  let best = fuzzy(text, quote, from, to, budget, hint);
  if ((!best || !acceptable(best, bar)) && (from > 0 || to < text.length)) {
    const wide = fuzzy(text, quote, 0, text.length, budget, hint);
    if (wide && (!best || rank(wide) > rank(best))) best = wide;
  }
  return best && acceptable(best, bar) ? { via: 'fuzzy', ...best } : { via: 'none', best };
}

function apply<T extends Anchorable>(clipping: T, text: string, found: Located): T {
  if (found.via === 'none') return { ...clipping, anchor: { state: 'orphan' } };
  const target: Target = { quote: quoteSelector(text, found.start, found.end), position: { start: found.start, end: found.end } };
  if (found.via === 'position') return { ...clipping, target };
  const anchor: Anchor = { state: 'reanchored', confidence: round(found.confidence) };
  return { ...clipping, target, anchor };
}

/**
 * Chooses among verbatim occurrences: the best context wins. When the two
 * best fit equally well (a passage repeated with its surroundings), or sit
 * side by side (see `adjacent`), the context cannot tell them apart, and the
 * old position is no guide either, since whatever made the copy also moved
 * the original: only an occurrence exactly where it was expected is taken
 * (the position with the shift of its neighbours, in `reanchorAll`),
 * otherwise the clipping is orphaned rather than put on a copy the user did
 * not clip.
 */
function pickOccurrence(text: string, quote: Quote, occurrences: number[], hint: number, orphan: boolean, bar: number): Located {
  const scored = occurrences.map((at) => score(text, quote, at, at + quote.exact.length, 0, hint));
  const ctx = (c: Scored) => (c.prefix + c.suffix) / 2;
  scored.sort((a, b) => ctx(b) - ctx(a) || Math.abs(a.start - hint) - Math.abs(b.start - hint));
  const best = scored[0]!;
  const second = scored[1];
  if (second && best.start !== hint && (ctx(second) > ctx(best) - ANCHORING.contextTie || adjacent(best, second, quote))) return { via: 'none', best };
  if (orphan) return ctx(best) >= ANCHORING.orphanContext ? { via: 'quote', ...best } : { via: 'none', best };
  // A long quote found exactly once stands in for its context (see selfEvidentChars).
  const selfEvidence = scored.length === 1 ? Math.min(1, quote.exact.length / ANCHORING.selfEvidentChars) : 0;
  const context = Math.max(ctx(best), selfEvidence);
  const confidence = (WEIGHT.quote + (WEIGHT.prefix + WEIGHT.suffix) * context + WEIGHT.position * positionScore(text, best.start, hint)) / WEIGHT_SUM;
  const found = { ...best, confidence };
  return confidence >= bar ? { via: 'quote', ...found } : { via: 'none', best: found };
}

/**
 * Two occurrences so close that one lies within the other's context: a
 * sentence repeated at the end of the paragraph before it takes over the
 * original's prefix, so the copy scores better on context than the words the
 * user clipped. Context is no evidence between those two.
 */
function adjacent(a: Scored, b: Scored, quote: Quote): boolean {
  const [first, second] = a.start < b.start ? [a, b] : [b, a];
  return second.start - first.end <= Math.max(quote.prefix.length, quote.suffix.length) + EDGE_CHARS;
}

/**
 * A fuzzy match is taken when its confidence clears the bar and either the
 * words are close (few edits for their length) or both sides of the context
 * are intact, which pins the place down even when a short quote lost half
 * its letters to a rewording ("a door to Sudan" → "a door to Kenya").
 */
function acceptable(c: Scored, bar: number): boolean {
  return c.confidence >= bar && (c.quote >= 1 - ANCHORING.maxErrorRatio || (c.prefix >= ANCHORING.pinnedContext && c.suffix >= ANCHORING.pinnedContext));
}

/**
 * The order candidates are chosen in: those acceptable in kind first; then
 * those whose ends meet the stored context (the context says where the
 * clipped words began and ended: a match that starts two letters into a
 * word, "ow shedding new" where the text now reads "is now shedding new",
 * loses little on the context score but is not where the quote is); then by
 * confidence. The bar is applied to the chosen one, never used to choose:
 * a candidate with the right ends but under the bar makes an orphan rather
 * than letting one with the wrong ends through.
 */
function rank(c: Scored): number {
  return (acceptable(c, 0) ? 4 : 0) + c.edges + c.confidence;
}

/**
 * The best approximate match of the quote within [from, to), or null.
 * approx-string-match returns the matches with the fewest edits, and of
 * those the longest; near an edit at the quote's edge that can clip a word
 * or take one too many ("is just matter now" where the quote "is just
 * matter of" now reads "is just matter now of").
 * So each match is also tried with its ends moved onto the stored context
 * (where the prefix ends and the suffix begins, if found close by), and the
 * better-ranked one (see `rank`) is kept.
 */
function fuzzy(text: string, quote: Quote, from: number, to: number, budget: number, hint: number): Scored | null {
  const matches = approxSearch(text.slice(from, to), quote.exact, budget);
  const digits = digitsOf(quote.exact);
  const tried = new Set<string>();
  let best: Scored | null = null;
  const consider = (start: number, end: number, errors: number) => {
    const key = `${start}:${end}`;
    if (tried.has(key) || end <= start) return;
    tried.add(key);
    // In news the figures are the facts: "6 dead" edited to "5 dead" is not
    // the clipped sentence reworded but another statement. Only digits are
    // compared (a thousands separator may come and go).
    if (digitsOf(text.slice(start, end)) !== digits) return;
    const c = score(text, quote, start, end, errors, hint);
    if (!best || rank(c) > rank(best)) best = c;
  };
  const measured = (start: number, end: number) => {
    const errors = editDistance(quote.exact, text.slice(start, end), budget);
    if (errors <= budget) consider(start, end, errors);
  };
  for (const m of matches) {
    const start = m.start + from;
    const end = m.end + from;
    consider(start, end, m.errors);
    if (contextIntact(text, quote, start, end)) continue;
    const edges = onContext(text, quote, start, end, budget);
    if (edges.start !== start || edges.end !== end) measured(edges.start, edges.end);
  }
  // The search returns only the matches with the fewest edits: a short quote
  // reworded where it stands ("are seeing the" → "are return the") can lose
  // to a closer spelling elsewhere in other surroundings. So the words
  // between the stored context, where it is found intact near the expected
  // place, are a candidate too.
  const between = betweenContext(text, quote, from, to, hint, budget);
  if (between) measured(between.start, between.end);
  return best;
}

/** Characters of the stored context that locate the words between prefix and suffix. */
const PIN_CHARS = 16;

/** The text between the stored prefix (its end nearest `hint`) and the next stored suffix, within [from, to) and about the quote's length. */
function betweenContext(text: string, quote: Quote, from: number, to: number, hint: number, budget: number): { start: number; end: number } | null {
  if (quote.prefix.length < PIN_CHARS || quote.suffix.length < PIN_CHARS) return null;
  const tail = quote.prefix.slice(-PIN_CHARS);
  const head = quote.suffix.slice(0, PIN_CHARS);
  const at = nearest(text, tail, hint - tail.length, Math.max(hint - from, to - hint));
  if (at === null || at < from) return null;
  const start = at + tail.length;
  const end = text.indexOf(head, start);
  if (end < 0 || end + head.length > to || Math.abs(end - start - quote.exact.length) > budget || end <= start) return null;
  return { start, end };
}

/** Characters of context that must match exactly to move a match's end onto it. */
const EDGE_CHARS = 8;

/** [start, end) with each end moved, within `radius`, to where the stored context meets it, when it is found there. */
function onContext(text: string, quote: Quote, start: number, end: number, radius: number): { start: number; end: number } {
  let s = start;
  let e = end;
  if (quote.prefix) {
    const tail = quote.prefix.slice(-EDGE_CHARS);
    const at = nearest(text, tail, start - tail.length, radius);
    if (at !== null) s = at + tail.length;
  }
  if (quote.suffix) {
    const head = quote.suffix.slice(0, EDGE_CHARS);
    const at = nearest(text, head, end, radius);
    if (at !== null) e = at;
  }
  return e > s ? { start: s, end: e } : { start, end };
}

/** The occurrence of `needle` starting nearest `around`, no further than `radius` from it. */
function nearest(text: string, needle: string, around: number, radius: number): number | null {
  let best: number | null = null;
  for (let at = text.indexOf(needle, Math.max(0, around - radius)); at >= 0 && at <= around + radius; at = text.indexOf(needle, at + 1)) {
    if (best === null || Math.abs(at - around) < Math.abs(best - around)) best = at;
  }
  return best;
}

function score(text: string, quote: Quote, start: number, end: number, errors: number, hint: number): Scored {
  const prefix = quote.prefix ? similarity(text.slice(Math.max(0, start - quote.prefix.length), start), quote.prefix) : start === 0 ? 1 : 0.5;
  const suffix = quote.suffix ? similarity(text.slice(end, end + quote.suffix.length), quote.suffix) : end === text.length ? 1 : 0.5;
  const q = Math.max(0, 1 - errors / quote.exact.length);
  const confidence = (WEIGHT.quote * q + WEIGHT.prefix * prefix + WEIGHT.suffix * suffix + WEIGHT.position * positionScore(text, start, hint)) / WEIGHT_SUM;
  const tail = quote.prefix.slice(-EDGE_CHARS);
  const head = quote.suffix.slice(0, EDGE_CHARS);
  const edges = (tail ? (text.slice(Math.max(0, start - tail.length), start) === tail ? 1 : 0) : start === 0 ? 1 : 0) + (head ? (text.startsWith(head, end) ? 1 : 0) : end === text.length ? 1 : 0);
  return { start, end, edges, quote: q, prefix, suffix, confidence };
}

/** As Hypothesis: 1 at the expected place, falling linearly to 0 a whole text away. */
function positionScore(text: string, start: number, hint: number): number {
  return text.length === 0 ? 1 : 1 - Math.min(1, Math.abs(start - hint) / text.length);
}

function contextIntact(text: string, quote: Quote, start: number, end: number): boolean {
  return text.slice(Math.max(0, start - quote.prefix.length), start) === quote.prefix && text.slice(end, end + quote.suffix.length) === quote.suffix;
}

/**
 * How much of `expected` is found in `actual`, 0..1: Hypothesis'
 * textMatchScore, 1 − (fewest edits to find `expected` inside `actual`) / length.
 */
function similarity(actual: string, expected: string): number {
  if (actual === expected) return 1;
  if (actual.length === 0) return 0;
  const [m] = approxSearch(actual, expected, expected.length);
  return m ? 1 - m.errors / expected.length : 0;
}

/**
 * Levenshtein distance of a and b, computed only within `limit` of the
 * diagonal (anything above `limit` is reported as limit + 1): O(length × limit).
 */
function editDistance(a: string, b: string, limit: number): number {
  const over = limit + 1;
  if (Math.abs(a.length - b.length) > limit) return over;
  let prev = new Int32Array(b.length + 1).fill(over);
  let cur = new Int32Array(b.length + 1).fill(over);
  for (let j = 0; j <= Math.min(b.length, limit); j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - limit);
    const hi = Math.min(b.length, i + limit);
    cur[lo - 1] = lo === 1 && i <= limit ? i : over;
    let rowMin = cur[lo - 1]!;
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1));
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi < b.length) cur[hi + 1] = over;
    if (rowMin > limit) return over;
    [prev, cur] = [cur, prev];
  }
  return Math.min(over, prev[b.length]!);
}

function digitsOf(s: string): string {
  return s.replace(/\D+/g, '');
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

import { type PreparedArticle, type PreparedClipping } from './base';
import { tfClass } from './postings';
import { READING_STATES, UNKNOWN_STATE, dayOf } from './state';
import { countTerms } from './tokenize';
import type { IndexedArticle, IndexedClipping } from './types';

/**
 * Field weights, applied to term counts before BM25: a word in the title
 * says more about an article than one in its ninth paragraph, and a note is
 * the user's own words about a passage.
 */
const TITLE_WEIGHT = 4;
const BYLINE_WEIGHT = 2;
const QUOTE_WEIGHT = 1;
const NOTE_WEIGHT = 2;

/** FNV-1a, 32 bits: a change detector for short texts, not a checksum against tampering. */
export function fnv1a(s: string, basis = 0x811c9dc5): number {
  let h = basis;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * What decides whether an article's text must be indexed again: its text
 * hash (the body), and its title and byline (indexed with it), folded into
 * 53 bits (two FNV-1a with different bases) so the index keeps a number
 * per article, not a 70-character string.
 */
export function textKeyOf(article: IndexedArticle): number {
  const key = `${article.textHash}\u0000${article.title}\u0000${article.byline ?? ''}`;
  return fnv1a(key) * 2 ** 21 + (fnv1a(key, 0x050c5d1f) & 0x1fffff);
}

/** Quote and note: a re-anchored clipping may change its quote without a new updatedAt. */
export function clippingFingerprint(c: IndexedClipping): number {
  return fnv1a(`${c.target.quote.exact}\u0000${c.note}`);
}

function flatten(counts: Map<string, number>): (string | number)[] {
  const flat: (string | number)[] = [];
  for (const [term, tf] of counts) flat.push(term, tfClass(tf));
  return flat;
}

/** What the index already holds of an article: its text key and its clippings' fingerprints. */
export type Held = { textKey: number; clippings: Map<string, number> } | null;

/**
 * The record the index applies for an article. `text` is the article's
 * canonical text, or null when the index already holds this text (same
 * text key); clippings are tokenized only when new or changed.
 */
export function prepareArticle(article: IndexedArticle, clippings: readonly IndexedClipping[], text: string | null, held: Held): PreparedArticle {
  let terms: (string | number)[] | null = null;
  let len = 0;
  if (text !== null) {
    const counts = new Map<string, number>();
    len += countTerms(article.title, TITLE_WEIGHT, counts);
    if (article.byline) len += countTerms(article.byline, BYLINE_WEIGHT, counts);
    len += countTerms(text, 1, counts);
    terms = flatten(counts);
  }
  const state = READING_STATES.indexOf(article.readingState);
  return {
    id: article.id,
    updated: article.updatedAt,
    textKey: textKeyOf(article),
    published: dayOf(article.published),
    state: state < 0 ? UNKNOWN_STATE : state,
    source: article.source,
    tags: [...article.tags],
    terms,
    len,
    clippings: clippings.map((c) => prepareClipping(c, held?.clippings.get(c.id))),
  };
}

function prepareClipping(c: IndexedClipping, heldFp: number | undefined): PreparedClipping {
  const fp = clippingFingerprint(c);
  let terms: (string | number)[] | null = null;
  let len = 0;
  if (heldFp !== fp) {
    const counts = new Map<string, number>();
    len += countTerms(c.target.quote.exact, QUOTE_WEIGHT, counts);
    len += countTerms(c.note, NOTE_WEIGHT, counts);
    terms = flatten(counts);
  }
  return { id: c.id, fp, label: c.label, tags: [...c.tags], start: c.target.position.start, end: c.target.position.end, terms, len };
}

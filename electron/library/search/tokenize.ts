/**
 * Words as the index sees them. One function folds a word for indexing,
 * querying, phrase checks and snippets alike: if they disagreed, a word
 * found by the index could not be highlighted, or a phrase not verified.
 *
 * Folding: lower case, accents removed (é → e, so "Pérez" is found by
 * "perez"), Unicode NFC. Chinese and Japanese have no spaces between words;
 * runs of Han or kana become overlapping pairs of characters (as Lucene's
 * CJK analyzer does), so a two-character word inside a sentence is found.
 * Other scripts (Thai, say) are still taken a whole run at a time.
 */

const CJK_CLASS = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;
const WORD_CLASS = /[\p{L}\p{N}\p{M}]/u;
const MARKS = /\p{M}+/gu;

/** Longer runs are identifiers, hashes or URLs glued together: not worth a term. */
export const MAX_TERM_CHARS = 40;

/**
 * Not indexed: they are in nearly every article, so they cost a posting per
 * article and rank nothing. They still count in phrases ("state of the
 * union"), which are checked against the text itself.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been but by for from had has have he her his i if in into is it its ' +
    'of on or our she so such that the their them then there these they this to was we were ' +
    'which who will with would you your not no than also can could may after before over about ' +
    'said says more most other some what when where while'
  ).split(' '),
);

/**
 * Character classes: 0 not part of a word, 1 a letter, digit or mark, 2 Han
 * or kana. Filled lazily from the two regular expressions above (the
 * definition), one code unit at a time: scanning with a table is about five
 * times faster than a Unicode-property regex, and tokenizing is most of the
 * cost of indexing and of cutting snippets.
 */
const CLASS = new Uint8Array(65536).fill(255);
for (let c = 0; c < 128; c++) CLASS[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 0;

function classOf(s: string): number {
  return CJK_CLASS.test(s) ? 2 : WORD_CLASS.test(s) ? 1 : 0;
}

/** The class of the character at i, and its length (2 for a surrogate pair), as class * 4 + length. */
function charAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return classOf(text.slice(i, i + 2)) * 4 + 2;
  }
  let k = CLASS[c] as number;
  if (k === 255) k = CLASS[c] = classOf(String.fromCharCode(c));
  return k * 4 + 1;
}

/** Whether a code unit is part of a word for the tokenizer (letters, digits, marks, CJK; a surrogate counts as one). */
export function isWordUnit(c: number): boolean {
  if (c >= 0xd800 && c <= 0xdfff) return true;
  let k = CLASS[c] as number;
  if (k === 255) k = CLASS[c] = classOf(String.fromCharCode(c));
  return k !== 0;
}

export function foldWord(raw: string): string {
  const lower = raw.toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    if (lower.charCodeAt(i) > 127) return lower.normalize('NFD').replace(MARKS, '').normalize('NFC');
  }
  return lower;
}

/** A single Latin letter ("s" of "Guterres's") says nothing; a single digit or ideograph may. */
function keep(term: string): boolean {
  if (term.length > MAX_TERM_CHARS || term.length === 0) return false;
  if (term.length > 1) return true;
  const c = term.charCodeAt(0);
  return !(c >= 97 && c <= 122);
}

/**
 * Calls `visit` for each word of `text`: its folded term and [start, end)
 * in `text`. Runs of Han or kana give overlapping pairs of characters.
 * The one tokenizer behind indexing, queries, phrases and snippets.
 */
function scan(text: string, visit: (term: string, start: number, end: number) => void): void {
  // Word by word: slices of a whole lower-cased text turned out ~30 times
  // slower to use here (V8), and lower-casing can change a text's length.
  const n = text.length;
  let i = 0;
  while (i < n) {
    // The common case inline (a known BMP character); surrogates and first sightings through charAt.
    const start = i;
    let c = text.charCodeAt(i);
    let k = CLASS[c] as number;
    if (k === 255 || (c >= 0xd800 && c <= 0xdfff)) {
      const x = charAt(text, i);
      k = x >> 2;
      i += x & 3;
      if (k === 0) continue;
    } else {
      i++;
      if (k === 0) continue;
    }
    let ascii = c < 128;
    while (i < n) {
      c = text.charCodeAt(i);
      const kk = CLASS[c] as number;
      if (kk === 255 || (c >= 0xd800 && c <= 0xdfff)) {
        const x = charAt(text, i);
        if (x >> 2 !== k) break;
        ascii = false;
        i += x & 3;
        continue;
      }
      if (kk !== k) break;
      if (c > 127) ascii = false;
      i++;
    }
    if (k === 2) {
      const run = text.slice(start, i);
      if (run.length === 1) visit(run, start, i);
      for (let j = 0; j + 1 < run.length; j++) visit(run.slice(j, j + 2), start + j, start + j + 2);
      continue;
    }
    const word = text.slice(start, i).toLowerCase();
    const term = ascii ? word : foldWord(word);
    if (keep(term)) visit(term, start, i);
  }
}

export type Token = { term: string; start: number; end: number };

/**
 * Every word of `text` with where it stands (UTF-16 offsets into `text`),
 * stopwords included: for phrases and snippets. CJK pairs overlap, so a pair's
 * range covers its two characters.
 */
export function tokens(text: string): Token[] {
  const out: Token[] = [];
  scan(text, (term, start, end) => out.push({ term, start, end }));
  return out;
}

/**
 * Adds each indexed word of `text` to `counts`, `weight` times. Returns how
 * many words it saw (the length BM25 normalises by).
 */
export function countTerms(text: string, weight: number, counts: Map<string, number>): number {
  let n = 0;
  scan(text, (term) => {
    n++;
    if (!STOPWORDS.has(term)) counts.set(term, (counts.get(term) ?? 0) + weight);
  });
  return n;
}

/** One word the user typed, and how loosely it may match. */
export type QueryWord = {
  term: string;
  /** Also matches longer words that start with it ("gover" → "government"). */
  prefix: boolean;
  /** Edits (insert, delete, substitute, swap two neighbours) allowed: typos. */
  fuzzy: number;
};

export type ParsedQuery = {
  /** Every one must match (AND): what people expect of a search box. */
  words: QueryWord[];
  /** Quoted phrases, as folded words (stopwords included), to find adjacent in the text. */
  phrases: string[][];
};

/**
 * Typo tolerance by length: a short word with one letter changed is usually
 * another word ("cat" → "car"), so short words must match exactly; longer
 * ones allow one edit, and from eight letters two (as MiniSearch's fuzzy 0.2
 * would, but never for words of three letters or fewer).
 */
export function fuzzyFor(term: string): number {
  if (term.length < 4 || /^\d+$/.test(term)) return 0;
  return term.length < 8 ? 1 : 2;
}

/** Prefixes shorter than this would expand to a large part of the vocabulary. */
export const MIN_PREFIX = 3;
/** A pasted paragraph is not a query: words past this many are ignored (each costs a pass over its lists). */
export const MAX_QUERY_WORDS = 16;

export function parseQuery(raw: string): ParsedQuery {
  const words: QueryWord[] = [];
  const phrases: string[][] = [];
  const free: Token[] = [];
  // A quote left open runs to the end: the user is still typing the phrase.
  const parts = raw.split('"');
  parts.forEach((part, i) => {
    const list = tokens(part);
    if (i % 2 === 1) {
      if (list.length > 1) phrases.push(list.map((t) => t.term));
      // A phrase's words must all be there, exactly as written.
      for (const t of list) if (!STOPWORDS.has(t.term)) words.push({ term: t.term, prefix: false, fuzzy: 0 });
    } else free.push(...list);
  });
  const content = free.filter((t) => !STOPWORDS.has(t.term));
  // A query of nothing but stopwords ("the who") is searched as prefixes of longer words rather than not at all.
  const chosen = content.length > 0 || words.length > 0 ? content : free;
  for (const t of chosen) {
    const cjk = CJK_CLASS.test(t.term);
    words.push({ term: t.term, prefix: !cjk && t.term.length >= MIN_PREFIX, fuzzy: cjk ? 0 : fuzzyFor(t.term) });
  }
  // The same word twice adds nothing to an AND.
  const seen = new Set<string>();
  return { words: words.filter((w) => (seen.has(w.term) ? false : (seen.add(w.term), true))).slice(0, MAX_QUERY_WORDS), phrases };
}

/**
 * The edit corpus: real article texts, clippings on them, and edited versions
 * of each text with the ground truth of where the clipped words went. It
 * measures re-anchoring (tests/unit/anchoring.test.ts asserts on it,
 * scripts/bench-anchor.ts reports it).
 *
 * Articles: the sample news article in seeds/ and the Readability test pages
 * (their expected.html, through the HTML importer's block mapping), every
 * page of at least MIN_ARTICLE_CHARS characters of text, once per distinct
 * text, in name order. Pages whose blocks cannot be read on a linkedom DOM
 * (tables: linkedom has no `table.rows`) are left out.
 *
 * Clippings: CLIPS_PER_ARTICLE per article, at pseudo-random places from a
 * generator seeded by the article's name, so the corpus is the same on every
 * run: half whole sentences, half phrases of 3–8 words. Only quotes that
 * occur once in their article are taken, so that "where the clipped words
 * are" has one answer (a repeated passage is made on purpose by the
 * `duplicate-passage` edit).
 *
 * Edits: one kind per case, each applied to each clipping (a kind that does
 * not apply, e.g. splitting an article with no multi-sentence paragraph, is
 * skipped), where a generator seeded by the case's id puts it. The truth is
 * computed by mapping the quote's ends through the edit, and checked: the
 * new text at the truth is the quote itself, or the quote with the edit
 * applied when the edit falls inside it.
 *
 * Outcomes (see `judge` and `tally`): re-attached and orphaned are counted
 * over the cases whose words still exist; wrong over all cases, since
 * attaching a clipping whose words were deleted is as wrong as attaching it
 * to other words; a deleted quote's orphan is the right outcome, counted
 * apart.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import type { Anchorable } from '../../electron/library/anchoring';
import { blocksFromHtml } from '../../electron/library/import/html-blocks';
import { parseNewsText } from '../../electron/library/import/news-text';
import { BLOCK_SEPARATOR, type Block } from '../../electron/library/model';
import { canonicalText, quoteSelector } from '../../electron/library/text';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SEED_FILE = join(ROOT, 'seeds', '000_980efc22cf33c08f.txt');
export const PAGES_DIR = join(ROOT, '..', 'shared', 'corpus', 'mozilla-readability', 'test', 'test-pages');

const MIN_ARTICLE_CHARS = 3000;
const CLIPS_PER_ARTICLE = 5;

export const EDIT_KINDS = [
  'insert-before',
  'insert-inside',
  'delete-sentence-elsewhere',
  'delete-quote-sentence',
  'reword-inside',
  'reword-outside',
  'move-paragraph',
  'split-paragraph',
  'typo-fixed',
  'whitespace-punctuation',
  'duplicate-passage',
] as const;
export type EditKind = (typeof EDIT_KINDS)[number];

export type Range = { start: number; end: number };

export type CorpusArticle = { name: string; blocks: Block[]; text: string };

export type EditCase = {
  /** `article#clip:kind`, stable across runs. */
  id: string;
  article: string;
  kind: EditKind;
  /** What was done, for a reader of a failure. */
  edit: string;
  /** The clipping, made on the old text (which for `typo-fixed` holds the typo). */
  clipping: Anchorable;
  oldText: string;
  newText: string;
  /** Where the clipped words are in the new text, or null when the edit removed them. */
  truth: Range | null;
};

/** A replacement in the old text's coordinates. */
type Splice = { at: number; remove: number; insert: string };

type Sentence = Range & { block: number };

type Ctx = {
  article: CorpusArticle;
  offsets: number[];
  sentences: Sentence[];
  clip: Range;
  rnd: Rng;
};

/** What an edit gives: splices on the old text, or a whole new text with its truth. */
type Edit =
  | { edit: string; splices: Splice[]; gone?: boolean; oldText?: string; clip?: Range }
  | { edit: string; newText: string; truth: Range | null };

// ---------------------------------------------------------------- articles

export function loadArticles(): CorpusArticle[] {
  const articles: CorpusArticle[] = [];
  const seed = parseNewsText(readFileSync(SEED_FILE, 'utf8'));
  if (!seed) throw new Error(`the sample article ${SEED_FILE} did not parse`);
  articles.push(article('seed-000', seed.blocks));
  if (!existsSync(PAGES_DIR)) return articles;
  const seen = new Set(articles.map((a) => a.text));
  for (const name of readdirSync(PAGES_DIR).sort()) {
    const file = join(PAGES_DIR, name, 'expected.html');
    if (!existsSync(file)) continue;
    const { document } = parseHTML(`<!doctype html><html><body>${readFileSync(file, 'utf8')}</body></html>`) as unknown as { document: Document };
    let blocks: Block[];
    try {
      blocks = blocksFromHtml(document.body);
    } catch {
      continue; // linkedom lacks table.rows; the app runs this mapping on jsdom
    }
    const a = article(name, blocks);
    if (a.text.length < MIN_ARTICLE_CHARS || seen.has(a.text)) continue;
    seen.add(a.text);
    articles.push(a);
  }
  return articles;
}

function article(name: string, blocks: Block[]): CorpusArticle {
  return { name, blocks, text: canonicalText(blocks) };
}

// ---------------------------------------------------------------- corpus

export function buildEditCorpus(articles: CorpusArticle[] = loadArticles()): EditCase[] {
  const cases: EditCase[] = [];
  for (const a of articles) {
    const rnd = rng(a.name);
    const offsets = blockStarts(a.blocks);
    const sentences = sentencesOf(a.blocks, offsets);
    const clips = chooseClips(a, sentences, rnd);
    clips.forEach((clip, n) => {
      for (const kind of EDIT_KINDS) {
        // A generator per case, so that changing one kind of edit leaves the others' cases as they were.
        const id = `${a.name}#${n}:${kind}`;
        const made = EDITS[kind]({ article: a, offsets, sentences, clip, rnd: rng(id) });
        if (made) cases.push(toCase(a, id, kind, clip, made));
      }
    });
  }
  return cases;
}

function toCase(a: CorpusArticle, id: string, kind: EditKind, clip: Range, made: Edit): EditCase {
  if ('newText' in made) {
    const c: EditCase = { id, article: a.name, kind, edit: made.edit, clipping: clipping(a.text, clip), oldText: a.text, newText: made.newText, truth: made.truth };
    if (c.truth && made.newText.slice(c.truth.start, c.truth.end) !== a.text.slice(clip.start, clip.end)) throw new Error(`${id}: truth does not hold the quote`);
    return c;
  }
  const oldText = made.oldText ?? a.text;
  const old = made.clip ?? clip;
  const splices = [...made.splices].sort((x, y) => x.at - y.at);
  const newText = applySplices(oldText, splices);
  const truth = made.gone ? null : { start: mapStart(splices, old.start), end: mapEnd(splices, old.end) };
  if (truth) {
    // The quote with the edits that fall inside it: what the truth must hold.
    const inside = splices.filter((s) => s.at >= old.start && s.at + s.remove <= old.end && !(s.remove === 0 && (s.at === old.start || s.at === old.end)));
    const words = applySplices(oldText.slice(old.start, old.end), inside.map((s) => ({ ...s, at: s.at - old.start })));
    if (newText.slice(truth.start, truth.end) !== words) throw new Error(`${id}: truth ${JSON.stringify(newText.slice(truth.start, truth.end))} is not ${JSON.stringify(words)}`);
  }
  return { id, article: a.name, kind, edit: made.edit, clipping: clipping(oldText, old), oldText, newText, truth };
}

function clipping(text: string, r: Range): Anchorable {
  return { target: { quote: quoteSelector(text, r.start, r.end), position: { start: r.start, end: r.end } } };
}

// ---------------------------------------------------------------- outcomes

/**
 * reattached: on the clipped words (the range overlaps the truth by ≥ 90% of
 * their union); orphaned: the words still exist but the clipping became an
 * orphan; wrong: attached anywhere else, or attached when the words are
 * gone; gone-orphaned: the words are gone and the clipping is an orphan (the
 * right outcome). An orphan must keep its old target.
 */
export type Outcome = 'reattached' | 'orphaned' | 'wrong' | 'gone-orphaned';

export function judge(c: EditCase, result: Anchorable): Outcome {
  if (result.anchor?.state === 'orphan') {
    if (JSON.stringify(result.target) !== JSON.stringify(c.clipping.target)) return 'wrong';
    return c.truth ? 'orphaned' : 'gone-orphaned';
  }
  if (!c.truth) return 'wrong';
  const { start, end } = result.target.position;
  return overlap({ start, end }, c.truth) >= 0.9 && result.target.quote.exact === c.newText.slice(start, end) ? 'reattached' : 'wrong';
}

export function overlap(a: Range, b: Range): number {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return union === 0 ? 1 : inter / union;
}

export type CorpusFigures = {
  cases: number;
  /** Cases whose words still exist in the new text: the base of reattached% and orphaned%. */
  present: number;
  /** Cases whose words were deleted: orphan is right for them. */
  gone: number;
  reattached: number;
  orphaned: number;
  wrong: number;
  goneOrphaned: number;
  reattachedPct: number;
  orphanedPct: number;
  /** Over all cases, present and gone. */
  wrongPct: number;
  byKind: Record<string, Record<Outcome, number>>;
};

export function tally(cases: readonly EditCase[], outcomes: readonly Outcome[]): CorpusFigures {
  const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
  const present = cases.filter((c) => c.truth).length;
  const byKind: CorpusFigures['byKind'] = {};
  cases.forEach((c, i) => {
    const k = (byKind[c.kind] ??= { reattached: 0, orphaned: 0, wrong: 0, 'gone-orphaned': 0 });
    k[outcomes[i]!]++;
  });
  const pct = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 10000) / 100);
  return {
    cases: cases.length,
    present,
    gone: cases.length - present,
    reattached: count('reattached'),
    orphaned: count('orphaned'),
    wrong: count('wrong'),
    goneOrphaned: count('gone-orphaned'),
    reattachedPct: pct(count('reattached'), present),
    orphanedPct: pct(count('orphaned'), present),
    wrongPct: pct(count('wrong'), cases.length),
    byKind,
  };
}

// ---------------------------------------------------------------- benchmark

export type BenchCase = { oldText: string; newText: string; clippings: Anchorable[]; truths: (Range | null)[]; words: number; reworded: number; deleted: number };

/**
 * One long article (the corpus articles' blocks, end to end, until `words`
 * words) with `clippings` clippings on distinct sentences, and a new version
 * of it where a paragraph was inserted after the first block (every later
 * position shifts), one word was reworded inside `reworded` of the quotes
 * (those go down the fuzzy path) and the sentences holding `deleted` others
 * were deleted (orphans: the costliest case, a search of the whole text).
 */
export function benchCase(options: { words: number; clippings: number; reworded: number; deleted: number }, articles: CorpusArticle[] = loadArticles()): BenchCase {
  const blocks: Block[] = [];
  let words = 0;
  for (const a of articles) {
    for (const b of a.blocks) {
      if (words >= options.words) break;
      blocks.push(b);
      words += [...WORDS.segment(b.text)].filter((w) => w.isWordLike).length;
    }
  }
  const long = article('bench', blocks);
  const offsets = blockStarts(blocks);
  const sentences = sentencesOf(blocks, offsets).filter((s) => s.end - s.start >= 25 && s.end - s.start <= 400);
  const rnd = rng('bench');
  const ranges: Range[] = [];
  const holding: Sentence[] = [];
  for (const s of rnd.sample(sentences, sentences.length)) {
    if (ranges.length === options.clippings) break;
    let r: Range = { start: s.start, end: s.end };
    const inside = wordsIn(long.text, s);
    if (ranges.length % 2 === 1 && inside.length >= 5) {
      const n = Math.min(inside.length, 3 + rnd.int(6));
      const first = rnd.int(inside.length - n + 1);
      r = { start: inside[first]!.start, end: inside[first + n - 1]!.end };
    }
    const quote = long.text.slice(r.start, r.end);
    if (quote.length < 12 || long.text.indexOf(quote) !== long.text.lastIndexOf(quote)) continue;
    ranges.push(r);
    holding.push(s);
  }
  if (ranges.length < options.clippings) throw new Error(`only ${ranges.length} clippings fit in ${words} words`);
  const first = blocks[0]!.text.length;
  const splices: Splice[] = [{ at: first + BLOCK_SEPARATOR.length, remove: 0, insert: FILLER.join(' ') + BLOCK_SEPARATOR }];
  // Spread over the article: every n-th clipping reworded, every m-th (offset by one) deleted.
  const gone = new Set<number>();
  let reworded = 0;
  const every = (n: number) => (n > 0 ? Math.max(2, Math.floor(ranges.length / n)) : Infinity);
  ranges.forEach((r, i) => {
    if (i % every(options.reworded) === 0 && reworded < options.reworded) {
      const w = rnd.pick(wordsIn(long.text, r).filter((x) => /^\p{L}{3,}$/u.test(long.text.slice(x.start, x.end))));
      if (w) {
        splices.push(replaceWord(long.text, sentences, w, rnd));
        reworded++;
      }
    } else if (i % every(options.deleted) === 1 && gone.size < options.deleted) {
      splices.push(deletion(long, offsets, holding[i]!));
      gone.add(i);
    }
  });
  splices.sort((x, y) => x.at - y.at);
  return {
    oldText: long.text,
    newText: applySplices(long.text, splices),
    clippings: ranges.map((r) => clipping(long.text, r)),
    truths: ranges.map((r, i) => (gone.has(i) ? null : { start: mapStart(splices, r.start), end: mapEnd(splices, r.end) })),
    words,
    reworded,
    deleted: gone.size,
  };
}

// ---------------------------------------------------------------- clippings

function chooseClips(a: CorpusArticle, sentences: Sentence[], rnd: Rng): Range[] {
  const usable = sentences.filter((s) => s.end - s.start >= 25 && s.end - s.start <= 400 && a.blocks[s.block]?.kind !== 'heading' && a.blocks[s.block]?.kind !== 'image');
  const clips: Range[] = [];
  const taken = new Set<number>();
  for (let attempt = 0; attempt < 200 && clips.length < CLIPS_PER_ARTICLE && taken.size < usable.length; attempt++) {
    const i = rnd.int(usable.length);
    if (taken.has(i)) continue;
    taken.add(i);
    const s = usable[i]!;
    let r: Range = { start: s.start, end: s.end };
    if (clips.length % 2 === 1) {
      const words = wordsIn(a.text, s);
      if (words.length < 5) continue;
      const n = Math.min(words.length, 3 + rnd.int(6));
      const first = rnd.int(words.length - n + 1);
      r = { start: words[first]!.start, end: words[first + n - 1]!.end };
    }
    const quote = a.text.slice(r.start, r.end);
    if (quote.length < 12 || a.text.indexOf(quote) !== a.text.lastIndexOf(quote)) continue;
    clips.push(r);
  }
  return clips;
}

// ---------------------------------------------------------------- edits

/** Sentences an editor might add: plain English, whatever the article's language. */
const FILLER = [
  'Officials said the figures would be revised later in the week.',
  'The report has been updated with new information.',
  'A spokesperson declined to comment further.',
  'This article was corrected after publication.',
  'Additional reporting was contributed by staff.',
];
const INSERTED_WORDS = ['now', 'also', 'still', 'again', 'indeed', 'largely', 'reportedly', 'according to officials,'];

const EDITS: Record<EditKind, (ctx: Ctx) => Edit | null> = {
  'insert-before': ({ article: a, offsets, sentences, clip, rnd }) => {
    const starts = [...offsets.filter((o) => o <= clip.start).map((at) => ({ at, paragraph: true })), ...sentences.filter((s) => s.start <= clip.start && !offsets.includes(s.start)).map((s) => ({ at: s.start, paragraph: false }))];
    const where = rnd.pick(starts);
    if (!where) return null;
    const filler = rnd.pick(FILLER)!;
    return where.paragraph
      ? { edit: `new paragraph at ${where.at}`, splices: [{ at: where.at, remove: 0, insert: filler + BLOCK_SEPARATOR }] }
      : { edit: `new sentence at ${where.at}${a.text.slice(where.at, clip.start).length === 0 ? ' (right before the quote)' : ''}`, splices: [{ at: where.at, remove: 0, insert: filler + ' ' }] };
  },

  // One word, or a short clause in a long quote: at most a fifth of the quote.
  'insert-inside': ({ article: a, clip, rnd }) => {
    const words = wordsIn(a.text, clip).slice(1);
    const at = rnd.pick(words)?.start;
    if (at === undefined) return null;
    const fitting = INSERTED_WORDS.filter((w) => w.length + 1 <= Math.max(4, (clip.end - clip.start) / 5));
    const word = rnd.pick(fitting) ?? 'now';
    return { edit: `"${word}" inserted at ${at}`, splices: [{ at, remove: 0, insert: word + ' ' }] };
  },

  'delete-sentence-elsewhere': ({ article: a, offsets, sentences, clip, rnd }) => {
    const s = rnd.pick(sentences.filter((x) => x.end <= clip.start || x.start >= clip.end));
    return s ? { edit: `sentence ${s.start}-${s.end} deleted`, splices: [deletion(a, offsets, s)] } : null;
  },

  'delete-quote-sentence': ({ article: a, offsets, sentences, clip }) => {
    const holding = sentences.filter((s) => s.start < clip.end && s.end > clip.start);
    const first = holding[0];
    const last = holding[holding.length - 1];
    if (!first || !last || first.block !== last.block) return null;
    return { edit: `sentence ${first.start}-${last.end} holding the quote deleted`, splices: [deletion(a, offsets, { start: first.start, end: last.end, block: first.block })], gone: true };
  },

  // One word (two in a quote of 12 words or more) replaced by another word of the article of about the same length.
  'reword-inside': ({ article: a, sentences, clip, rnd }) => {
    const words = wordsIn(a.text, clip).filter((w) => /^\p{L}{3,}$/u.test(a.text.slice(w.start, w.end)));
    if (words.length === 0) return null;
    const n = wordsIn(a.text, clip).length >= 12 ? 2 : 1;
    const chosen = rnd.sample(words, n);
    return { edit: `reworded ${chosen.map((w) => `"${a.text.slice(w.start, w.end)}"`).join(', ')}`, splices: chosen.map((w) => replaceWord(a.text, sentences, w, rnd)) };
  },

  // A word in the context (the 32 characters either side), else the nearest outside.
  'reword-outside': ({ article: a, sentences, clip, rnd }) => {
    const around = sentences.filter((s) => s.start < clip.end + 64 && s.end > clip.start - 64).flatMap((s) => wordsIn(a.text, s));
    const outside = around.filter((w) => (w.end <= clip.start || w.start >= clip.end) && /^\p{L}{3,}$/u.test(a.text.slice(w.start, w.end)));
    const w = rnd.pick(outside);
    return w ? { edit: `reworded "${a.text.slice(w.start, w.end)}" at ${w.start}`, splices: [replaceWord(a.text, sentences, w, rnd)] } : null;
  },

  // Either the quote's paragraph moves, or another paragraph moves across it.
  'move-paragraph': ({ article: a, offsets, clip, rnd }) => {
    if (a.blocks.length < 3) return null;
    const home = blockAt(offsets, clip.start);
    const texts = a.blocks.map((b) => b.text);
    const moveHome = rnd.int(2) === 0;
    const from = moveHome ? home : rnd.pick(texts.map((_, i) => i).filter((i) => i !== home))!;
    const rest = texts.map((_, i) => i).filter((i) => i !== from);
    // k: the place among the other paragraphs (rest.length = at the end); k === from puts it back where it was.
    const homeAt = rest.indexOf(home);
    const places = Array.from({ length: rest.length + 1 }, (_, k) => k);
    const targets = places.filter((k) => k !== from && (moveHome || (from < home ? k > homeAt : k <= homeAt)));
    const to = rnd.pick(targets);
    if (to === undefined) return null;
    const order = [...rest.slice(0, to), from, ...rest.slice(to)];
    const newText = order.map((i) => texts[i]).join(BLOCK_SEPARATOR);
    const newOffsets = blockStarts(order.map((i) => a.blocks[i]!));
    const start = newOffsets[order.indexOf(home)]! + clip.start - offsets[home]!;
    return { edit: `paragraph ${from} moved to place ${to}${moveHome ? ' (the quote\'s)' : ''}`, newText, truth: { start, end: start + clip.end - clip.start } };
  },

  // At the sentence boundary nearest the quote, in its paragraph when it has two sentences or more.
  'split-paragraph': ({ sentences, clip, rnd }) => {
    const gaps: Range[] = [];
    for (let i = 1; i < sentences.length; i++) {
      const prev = sentences[i - 1]!;
      const next = sentences[i]!;
      if (prev.block === next.block && next.start > prev.end) gaps.push({ start: prev.end, end: next.start });
    }
    if (gaps.length === 0) return null;
    const home = sentences.find((s) => s.start <= clip.start && s.end > clip.start)?.block;
    const local = gaps.filter((g) => sentences.find((s) => s.end === g.start)?.block === home);
    const distance = (g: Range) => Math.min(Math.abs(g.start - clip.start), Math.abs(g.start - clip.end));
    const gap = local.length > 0 ? [...local].sort((x, y) => distance(x) - distance(y))[0]! : rnd.pick(gaps)!;
    return { edit: `paragraph split at ${gap.start}`, splices: [{ at: gap.start, remove: gap.end - gap.start, insert: BLOCK_SEPARATOR }] };
  },

  // The old text had a typo inside the quote (letters swapped, dropped or doubled); the new one fixes it.
  'typo-fixed': ({ article: a, clip, rnd }) => {
    const words = wordsIn(a.text, clip).filter((w) => /^\p{L}{4,}$/u.test(a.text.slice(w.start, w.end)));
    const w = rnd.pick(words);
    if (!w) return null;
    const word = a.text.slice(w.start, w.end);
    const i = 1 + rnd.int(word.length - 2);
    const kind = rnd.int(3);
    const typo =
      kind === 0 && word.charAt(i) !== word.charAt(i + 1)
        ? word.slice(0, i) + word.charAt(i + 1) + word.charAt(i) + word.slice(i + 2)
        : kind === 1
          ? word.slice(0, i) + word.slice(i + 1)
          : word.slice(0, i) + word.charAt(i) + word.slice(i);
    if (typo === word) return null;
    const oldText = a.text.slice(0, w.start) + typo + a.text.slice(w.end);
    const delta = typo.length - word.length;
    return { edit: `typo "${typo}" fixed to "${word}"`, oldText, clip: { start: clip.start, end: clip.end + delta }, splices: [{ at: w.start, remove: typo.length, insert: word }] };
  },

  // Inside the quote: punctuation restyled or dropped (two times in three when the quote has any), else a space doubled.
  'whitespace-punctuation': ({ article: a, clip, rnd }) => {
    const punctuation: Splice[] = [];
    const spaces: Splice[] = [];
    const quote = a.text.slice(clip.start, clip.end);
    for (const m of quote.matchAll(/[,;'’"“”]|\s[-–—]\s| /g)) {
      const at = clip.start + (m.index ?? 0);
      const s = m[0];
      const insert =
        s === ',' ? '' : s === ';' ? ',' : s === "'" ? '’' : s === '’' ? "'" : s === '"' ? '“' : s === '“' || s === '”' ? '"' : s === ' ' ? '  ' : s.includes('—') ? ' – ' : ' — ';
      // Never at the quote's ends: there the change is outside the words as much as inside.
      if (at > clip.start && at + s.length < clip.end) (s === ' ' ? spaces : punctuation).push({ at, remove: s.length, insert });
    }
    const splice = punctuation.length > 0 && (spaces.length === 0 || rnd.int(3) > 0) ? rnd.pick(punctuation) : rnd.pick(spaces);
    return splice ? { edit: `${JSON.stringify(a.text.slice(splice.at, splice.at + splice.remove))} → ${JSON.stringify(splice.insert)} at ${splice.at}`, splices: [splice] } : null;
  },

  // The sentence holding the quote also appears in another paragraph.
  'duplicate-passage': ({ article: a, sentences, clip, rnd }) => {
    const holding = sentences.filter((s) => s.start < clip.end && s.end > clip.start);
    const first = holding[0];
    const last = holding[holding.length - 1];
    if (!first || !last) return null;
    const copy = a.text.slice(first.start, last.end);
    const elsewhere = sentences.filter((s) => s.block !== first.block && a.blocks[s.block]?.kind !== 'heading' && a.blocks[s.block]?.kind !== 'image');
    const s = rnd.pick(elsewhere);
    if (!s) return null;
    const atStart = rnd.int(2) === 0;
    const splice = atStart ? { at: s.start, remove: 0, insert: copy + ' ' } : { at: s.end, remove: 0, insert: ' ' + copy };
    return { edit: `sentence copied to ${splice.at} (${atStart ? 'before' : 'after'} sentence ${s.start}-${s.end})`, splices: [splice] };
  },
};

/** A sentence removed with the white space that separated it, or its whole paragraph when it is one. */
function deletion(a: CorpusArticle, offsets: number[], s: Sentence): Splice {
  const blockStart = offsets[s.block]!;
  const blockEnd = blockStart + a.blocks[s.block]!.text.length;
  if (s.start === blockStart && s.end === blockEnd) {
    return s.block < a.blocks.length - 1
      ? { at: s.start, remove: s.end - s.start + BLOCK_SEPARATOR.length, insert: '' }
      : { at: Math.max(0, s.start - BLOCK_SEPARATOR.length), remove: s.end - Math.max(0, s.start - BLOCK_SEPARATOR.length), insert: '' };
  }
  let end = s.end;
  while (end < blockEnd && /\s/.test(a.text[end]!)) end++;
  if (end < blockEnd) return { at: s.start, remove: end - s.start, insert: '' };
  let start = s.start;
  while (start > blockStart && /\s/.test(a.text[start - 1]!)) start--;
  return { at: start, remove: s.end - start, insert: '' };
}

/** The words of the last article reworded (the corpus rewords one article's clippings in a row). */
let wordPool: { text: string; words: string[] } | null = null;

/** Another word of the article, of about the same length, in place of `w`. */
function replaceWord(text: string, sentences: Sentence[], w: Range, rnd: Rng): Splice {
  const word = text.slice(w.start, w.end);
  if (wordPool?.text !== text) {
    const all = sentences.slice(0, 400).flatMap((s) => wordsIn(text, s)).map((x) => text.slice(x.start, x.end));
    wordPool = { text, words: all.filter((x) => /^\p{L}+$/u.test(x)) };
  }
  const pool = wordPool.words.filter((x) => x.toLowerCase() !== word.toLowerCase() && Math.abs(x.length - word.length) <= 2);
  const other = rnd.pick(pool) ?? (word === 'report' ? 'statement' : 'report');
  return { at: w.start, remove: w.end - w.start, insert: other };
}

// ---------------------------------------------------------------- text helpers

function blockStarts(blocks: readonly Block[]): number[] {
  let at = 0;
  return blocks.map((b) => {
    const start = at;
    at += b.text.length + BLOCK_SEPARATOR.length;
    return start;
  });
}

function blockAt(offsets: number[], position: number): number {
  let i = 0;
  while (i + 1 < offsets.length && offsets[i + 1]! <= position) i++;
  return i;
}

const SENTENCES = new Intl.Segmenter('en', { granularity: 'sentence' });
const WORDS = new Intl.Segmenter('en', { granularity: 'word' });

function sentencesOf(blocks: readonly Block[], offsets: number[]): Sentence[] {
  const out: Sentence[] = [];
  blocks.forEach((b, block) => {
    for (const seg of SENTENCES.segment(b.text)) {
      const lead = seg.segment.length - seg.segment.trimStart().length;
      const body = seg.segment.trim();
      if (body) out.push({ start: offsets[block]! + seg.index + lead, end: offsets[block]! + seg.index + lead + body.length, block });
    }
  });
  return out;
}

function wordsIn(text: string, r: Range): Range[] {
  const out: Range[] = [];
  for (const seg of WORDS.segment(text.slice(r.start, r.end))) {
    if (seg.isWordLike) out.push({ start: r.start + seg.index, end: r.start + seg.index + seg.segment.length });
  }
  return out;
}

function applySplices(text: string, splices: readonly Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((x, y) => y.at - x.at)) out = out.slice(0, s.at) + s.insert + out.slice(s.at + s.remove);
  return out;
}

/** Where the quote's first character goes: after text inserted right before it. */
function mapStart(splices: readonly Splice[], p: number): number {
  let delta = 0;
  for (const s of splices) {
    const to = s.at + s.remove;
    if (to <= p) delta += s.insert.length - s.remove;
    else if (s.at <= p) return s.at + delta;
    else break;
  }
  return p + delta;
}

/** Where the quote's end goes: before text inserted right after it. */
function mapEnd(splices: readonly Splice[], p: number): number {
  let delta = 0;
  for (const s of splices) {
    const to = s.at + s.remove;
    if (s.at < p && to <= p) delta += s.insert.length - s.remove;
    else if (s.at < p) return s.at + delta + s.insert.length;
    else break;
  }
  return p + delta;
}

// ---------------------------------------------------------------- randomness

type Rng = { int(n: number): number; pick<T>(xs: readonly T[]): T | undefined; sample<T>(xs: readonly T[], n: number): T[] };

/** mulberry32, seeded by a hash of the article's name: the same corpus on every run and machine. */
function rng(name: string): Rng {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  let state = h >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    int,
    pick: (xs) => (xs.length === 0 ? undefined : xs[int(xs.length)]),
    sample: (xs, n) => {
      const pool = [...xs];
      const out: (typeof pool)[number][] = [];
      while (out.length < n && pool.length > 0) out.push(pool.splice(int(pool.length), 1)[0]!);
      return out;
    },
  };
}

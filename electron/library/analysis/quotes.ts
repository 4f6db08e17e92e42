/**
 * Direct quotations in an article's canonical text, and who said them.
 *
 * Offline and rule-based: quotation marks are paired paragraph by
 * paragraph (with the newspaper convention for a quotation running over
 * several paragraphs), then a speech verb next to each quotation names the
 * speaker — a name ("Guterres told reporters"), a pronoun ("he said", the
 * person most recently named as speaking) or a descriptor ("the UN chief
 * said", the person whose title matches). Precision comes first: a wrong
 * speaker is worse than none, so anything uncertain gives `null`.
 */

import { BLOCK_SEPARATOR, type QuoteFinding } from '../model';
import { indexNames, nameKey, nameWords, NOT_NAMES, ORG_SUFFIXES, ROLE_WORDS, TITLE_WORDS, type Entity, type NameIndex, type NameWord } from './entities';

/** The shape is the domain's (model.ts), shared with IPC and the renderer. */
export type { QuoteFinding };

// ---------------------------------------------------------------------------
// Quotation marks

type Family = 'double' | 'single';
type Span = {
  family: Family;
  /** Offsets of the opening and closing marks. */
  open: number;
  close: number;
  firstParagraph: number;
  lastParagraph: number;
};
type Paragraph = { start: number; end: number };

const LETTER = /[\p{L}\p{M}\p{N}]/u;
/** What may stand right before an opening straight quote: nothing, space, an opening bracket or a dash. */
const BEFORE_OPENING = /[\s([{\u2014\u2013/-]/u;
/**
 * Words that begin with an apostrophe, not a quotation: 'em, 'til, 'cause,
 * 'n' (rock 'n' roll), and years ('90s).
 */
const ELISION = /^(?:(?:em|til|tis|twas|Tis|Twas|cause|cos|bout|round|n)(?![\p{L}])|n['’]|s(?![\p{L}])|\d)/u;

function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && LETTER.test(ch);
}

/**
 * Can the mark at `i` open a quotation of its family? Curly and guillemet
 * marks say so themselves; a straight mark opens when it follows a space
 * (or a bracket, a dash, the paragraph start) and precedes a word. An
 * apostrophe-like mark that begins an elision never opens.
 */
function opensAt(text: string, i: number): Family | null {
  const ch = text[i];
  const prev = text[i - 1];
  const next = text[i + 1];
  switch (ch) {
    case '\u201C': // “
    case '\u201E': // „
    case '\u00AB': // «
      return 'double';
    case '"':
      return (prev === undefined || BEFORE_OPENING.test(prev)) && next !== undefined && /\S/.test(next) ? 'double' : null;
    case '\u2018': // ‘
    case "'":
      if (isLetter(prev)) return null;
      if (ch === "'" && prev !== undefined && !BEFORE_OPENING.test(prev)) return null;
      if (next === undefined || /\s/.test(next)) return null;
      return ELISION.test(text.slice(i + 1, i + 7)) ? null : 'single';
    default:
      return null;
  }
}

/** Can the mark at `i` close a quotation of `family`? An apostrophe inside a word (don't, Syria's) never does. */
function closesAt(text: string, i: number, family: Family): boolean {
  const ch = text[i];
  if (family === 'double') return ch === '\u201D' || ch === '\u00BB' || ch === '"' || ch === '\u201C';
  if (ch !== '\u2019' && ch !== "'") return false;
  const prev = text[i - 1];
  const next = text[i + 1];
  if (prev === undefined || /\s/.test(prev)) return false;
  return !(isLetter(prev) && isLetter(next));
}

/**
 * "the Syrians' homes" inside a single-quoted passage: an apostrophe after
 * a plural, followed by a lower-case word, is more likely a possessive than
 * the end of the quotation; it closes only if nothing later in the
 * paragraph does.
 */
function possessiveLike(text: string, i: number): boolean {
  return /s/i.test(text[i - 1] ?? '') && /^\s+\p{Ll}/u.test(text.slice(i + 1, i + 4));
}

function findClose(text: string, from: number, to: number, family: Family, openChar: string): number {
  let fallback = -1;
  for (let i = from; i < to; i++) {
    if (!closesAt(text, i, family)) continue;
    // “ closes only the German „…“ pair; in English text it opens.
    if (text[i] === '\u201C' && openChar !== '\u201E') continue;
    if (family === 'single' && possessiveLike(text, i)) {
      if (fallback < 0) fallback = i;
      continue;
    }
    return i;
  }
  return fallback;
}

function paragraphsOf(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  let start = 0;
  for (;;) {
    const at = text.indexOf(BLOCK_SEPARATOR, start);
    out.push({ start, end: at < 0 ? text.length : at });
    if (at < 0) return out;
    start = at + BLOCK_SEPARATOR.length;
  }
}

/**
 * Pairs quotation marks, outermost only: a quotation nested inside another
 * is part of it. A quotation left open at the end of a paragraph continues
 * when the next paragraph opens with a mark of the same kind (newspapers
 * repeat the opening mark at each paragraph and close only at the end);
 * otherwise the stray mark is ignored.
 */
function findSpans(text: string, paragraphs: readonly Paragraph[]): Span[] {
  const spans: Span[] = [];
  let p = 0;
  let i = paragraphs[0]?.start ?? 0;
  while (p < paragraphs.length) {
    if (i >= paragraphs[p]!.end) {
      p++;
      i = paragraphs[p]?.start ?? text.length;
      continue;
    }
    const family = opensAt(text, i);
    if (!family) {
      i++;
      continue;
    }
    const openChar = text[i] ?? '';
    let close = findClose(text, i + 1, paragraphs[p]!.end, family, openChar);
    let last = p;
    while (close < 0 && last + 1 < paragraphs.length) {
      const next = paragraphs[last + 1]!;
      const lead = /^\s*/.exec(text.slice(next.start, next.end))?.[0].length ?? 0;
      if (opensAt(text, next.start + lead) !== family) break;
      last++;
      close = findClose(text, next.start + lead + 1, next.end, family, openChar);
    }
    if (close < 0) {
      i++;
      continue;
    }
    spans.push({ family, open: i, close, firstParagraph: p, lastParagraph: last });
    // Go on after the closing mark, in whichever paragraph it is.
    p = last;
    i = close + 1;
  }
  return spans;
}

// ---------------------------------------------------------------------------
// Sentences

/** Abbreviations whose full stop does not end a sentence ("Mr. Reeves", "U.S. officials"). */
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sen', 'rep', 'gov', 'gen', 'lt', 'col', 'capt', 'sgt', 'st', 'jr', 'sr', 'inc',
  'corp', 'co', 'ltd', 'no', 'vs', 'etc', 'mt', 'ft', 'rev', 'hon', 'jan', 'feb', 'mar', 'apr', 'aug', 'sep', 'sept',
  'oct', 'nov', 'dec', 'approx', 'dept', 'univ', 'est', 'fig',
]);

function endsSentence(text: string, i: number): boolean {
  const ch = text[i];
  if (ch !== '.' && ch !== '!' && ch !== '?' && ch !== '…') return false;
  if (!/^["”’)\]]*(?:\s|$)/u.test(text.slice(i + 1, i + 4))) return false;
  if (ch !== '.') return true;
  const word = /([\p{L}.]+)$/u.exec(text.slice(Math.max(0, i - 12), i))?.[1] ?? '';
  // An initial ("Robert M. Danin", "H.W.") or an abbreviation.
  if (/^\p{Lu}$/u.test(word) || /\p{L}\.\p{L}$/u.test(word)) return false;
  return !ABBREVIATIONS.has(word.toLowerCase());
}

class Sentences {
  constructor(
    private readonly text: string,
    private readonly spans: readonly Span[],
  ) {}

  /** The span whose marks enclose `pos`, if any. */
  spanAt(pos: number): Span | undefined {
    let lo = 0;
    let hi = this.spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.spans[mid]!;
      if (pos < s.open) hi = mid - 1;
      else if (pos > s.close) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  /**
   * Where the sentence holding `pos` starts, not before `floor`. Quotations
   * are stepped over whole (a full stop inside one does not end the
   * sentence around it) unless the quotation itself ends the sentence
   * ("…the Syrian people." He added).
   */
  startBefore(pos: number, floor: number): number {
    let i = pos - 1;
    while (i >= floor) {
      const span = this.spanAt(i);
      if (span && span.close === i) {
        if (/[.!?…]/u.test(this.text[span.close - 1] ?? '') && /^\s+["“‘']?\p{Lu}/u.test(this.text.slice(span.close + 1, pos))) return span.close + 1;
        i = span.open - 1;
        continue;
      }
      if (endsSentence(this.text, i)) return i + 1;
      i--;
    }
    return floor;
  }

  /** Where the sentence holding `pos` ends (exclusive), not after `ceiling`. */
  endAfter(pos: number, ceiling: number): number {
    for (let i = pos; i < ceiling; i++) {
      const span = this.spanAt(i);
      if (span && span.open === i) {
        i = span.close;
        continue;
      }
      if (endsSentence(this.text, i)) return i + 1;
    }
    return ceiling;
  }
}

// ---------------------------------------------------------------------------
// Speech verbs and their subjects

/**
 * Verbs that report speech. Finite forms take their own subject; the -ing
 * forms ("Guterres noted, adding, …", "Emery retweeted the story, saying, …")
 * share the subject of their clause. Only lower-case forms count, so that
 * "States" of "United States" is not a verb.
 */
const FINITE = [
  'said', 'says', 'say', 'told', 'tells', 'tell', 'added', 'adds', 'noted', 'notes', 'stressed', 'stresses', 'asked',
  'asks', 'warned', 'warns', 'explained', 'explains', 'wrote', 'writes', 'insisted', 'insists', 'urged', 'urges',
  'replied', 'replies', 'responded', 'responds', 'argued', 'argues', 'declared', 'declares', 'announced', 'admitted',
  'admits', 'acknowledged', 'acknowledges', 'claimed', 'recalled', 'recalls', 'observed', 'remarked', 'suggested',
  'emphasised', 'emphasized', 'emphasises', 'emphasizes', 'stated', 'states', 'tweeted', 'commented', 'cautioned', 'conceded',
  'concedes', 'confirmed', 'countered', 'complained', 'quipped', 'joked', 'predicted', 'vowed', 'pledged', 'promised',
  'shouted', 'whispered', 'exclaimed', 'instructed', 'mused', 'boasted', 'lamented', 'continued', 'pointed out', 'points out',
  'went on', 'according to',
];
const PARTICIPLES = [
  'saying', 'adding', 'noting', 'stressing', 'warning', 'explaining', 'insisting', 'urging', 'telling', 'asking',
  'arguing', 'declaring', 'writing', 'emphasising', 'emphasizing', 'stating', 'tweeting', 'recalling', 'replying',
  'continuing',
];
const SPEECH_VERB = new RegExp(`(?<![\\p{L}'’-])(${[...FINITE, ...PARTICIPLES].sort((a, b) => b.length - a.length).join('|').replace(/ /g, '\\s+').replace('according', '[Aa]ccording')})(?![\\p{L}'’-])`, 'gu');
const PARTICIPLE_SET = new Set(PARTICIPLES);

/** Words between a subject and its verb ("Guterres also said", "he has since told"). */
const AUXILIARIES = new Set([
  'also', 'has', 'have', 'had', 'later', 'then', 'again', 'once', 'would', 'will', 'could', 'might', 'may', 'can',
  'reportedly', 'previously', 'recently', 'further', 'simply', 'just', 'only', 'finally', 'repeatedly', 'earlier',
  'subsequently', 'since', 'often', 'did', 'does', 'do', 'is', 'was', 'were', 'are', 'been', 'separately',
  'quickly', 'flatly', 'bluntly', 'publicly', 'privately', 'frankly', 'angrily', 'calmly', 'openly', 'herself',
  'himself', 'themselves',
]);

const PRONOUNS: Record<string, 'male' | 'female' | 'any'> = { he: 'male', she: 'female', they: 'any' };

type Speaker = { entity: Entity; how: 'explicit' | 'pronoun' };
type Subject = Speaker | 'nobody';
type Verb = {
  start: number;
  end: number;
  participle: boolean;
  /** Where its subject was read, for telling an attribution right after a quotation from one further on. */
  subjectStart: number;
  subject: Subject | null;
};

/**
 * ", a professor at Purdue", ", president of …", ", head of the …": an
 * appositive giving a person's role, which makes an unknown two-word name
 * after "said" a person rather than a company.
 */
const ROLE_APPOSITIVE = new RegExp(`^,\\s+(?:(?:a|an|the|its|their)\\s+)?(?:[\\p{L}'’-]+\\s+){0,3}?(?:${[...ROLE_WORDS].join('|')})\\b`, 'u');

const WORD_BEFORE = /([\p{L}\p{M}\p{N}\u00AD.'’-]+)[ \t\u00A0]*$/u;

class Attributor {
  readonly sentences: Sentences;
  private readonly words: NameWord[];
  /** People a pronoun may refer to: who was last reported as speaking, in text order. */
  private readonly speakers: { start: number; entity: Entity }[] = [];
  /** Named people not in the index, met as the subject of a speech verb ("said Robert M. Danin"). */
  private readonly extra = new Map<string, Entity>();

  constructor(
    private readonly text: string,
    private readonly paragraphs: readonly Paragraph[],
    private readonly spans: readonly Span[],
    private readonly names: NameIndex,
  ) {
    this.sentences = new Sentences(text, spans);
    this.words = nameWords(text);
  }

  /** Every speech verb outside quotations, each with its subject, resolved in text order. */
  verbs(): Verb[] {
    const out: Verb[] = [];
    for (const m of this.text.matchAll(SPEECH_VERB)) {
      const start = m.index;
      if (this.sentences.spanAt(start)) continue;
      const para = this.paragraphIndex(start);
      const sentenceStart = this.sentences.startBefore(start, this.paragraphs[para]!.start);
      const word = m[0].replace(/\s+/g, ' ').toLowerCase();
      const participle = PARTICIPLE_SET.has(word);
      const found = this.subjectOf(word, start, start + m[0].length, participle, sentenceStart, para, out);
      const verb: Verb = { start, end: start + m[0].length, participle, subjectStart: found?.at ?? start, subject: found?.subject ?? null };
      if (verb.subject && verb.subject !== 'nobody') this.speakers.push({ start, entity: verb.subject.entity });
      out.push(verb);
    }
    return out;
  }

  private subjectOf(verb: string, start: number, end: number, participle: boolean, sentenceStart: number, para: number, earlier: readonly Verb[]): { subject: Subject; at: number } | null {
    if (participle || this.afterConjunction(start, sentenceStart)) {
      // Its subject is that of the last finite speech verb of the sentence, else the sentence's first words.
      const lead = earlier.findLast((v) => v.start >= sentenceStart && !v.participle && v.subject);
      if (lead?.subject) return { subject: lead.subject, at: lead.subjectStart };
      const named = this.nameAt(sentenceStart, start);
      if (named) return { subject: named, at: sentenceStart };
    } else if (verb === 'according to' || this.followsQuotation(start)) {
      const after = this.subjectAfter(end, para);
      if (after) return { subject: after, at: start };
    }
    if (verb === 'according to') return null;
    const before = this.subjectBefore(start, sentenceStart, para);
    if (before) return before;
    if (/,\s*$/.test(this.text.slice(sentenceStart, start))) {
      // "The combination has been steady, said Tom Forte, who …": the reported clause first, then verb and speaker.
      const after = this.subjectAfter(end, para, false);
      if (after) return { subject: after, at: start };
    }
    return null;
  }

  /** "Mr Obama said … but insisted …": a verb after "and"/"but" shares the subject before it. */
  private afterConjunction(verbStart: number, floor: number): boolean {
    let end = verbStart;
    for (;;) {
      const m = WORD_BEFORE.exec(this.text.slice(Math.max(floor, end - 40), end));
      if (!m) return false;
      const word = m[1]!.toLowerCase();
      if (word === 'and' || word === 'but' || word === 'then') return true;
      if (!AUXILIARIES.has(word)) return false;
      end -= m[0].length;
    }
  }

  paragraphIndex(pos: number): number {
    let lo = 0;
    let hi = this.paragraphs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.paragraphs[mid]!.start <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** `,” said Pedersen`: the verb comes right after a closing mark. */
  private followsQuotation(verbStart: number): boolean {
    const before = this.text.slice(Math.max(0, verbStart - 6), verbStart);
    const m = /[”"’'»][\s,]*$/u.exec(before);
    if (!m) return false;
    return this.sentences.spanAt(verbStart - m[0].length)?.close === verbStart - m[0].length;
  }

  /**
   * The subject written before a verb: a name ("Guterres", "White House press
   * secretary Josh Earnest"), a pronoun, a descriptor ("the UN chief"), or a
   * name before or inside an appositive ("Eric Reeves, one of …, said";
   * "her mother, Fiona, said").
   */
  private subjectBefore(verbStart: number, floor: number, para: number): { subject: Subject; at: number } | null {
    let end = verbStart;
    // Skip "also", "has", "later" … between the subject and the verb.
    for (;;) {
      const m = WORD_BEFORE.exec(this.text.slice(Math.max(floor, end - 40), end));
      if (!m || !AUXILIARIES.has(m[1]!.toLowerCase())) break;
      end -= m[0].length;
      while (end > floor && /\s/.test(this.text[end - 1] ?? '')) end--;
    }
    while (end > floor && /[ \t\u00A0]/.test(this.text[end - 1] ?? '')) end--;
    if (end <= floor) return null;
    if (this.text[end - 1] === ',') {
      // An appositive: ", one of the leading voices on Sudan," or ", Fiona,".
      const inner = this.text.slice(floor, end - 1);
      const open = inner.lastIndexOf(',');
      if (open < 0 || inner.length - open > 140) return null;
      const head = this.phraseBefore(floor + open, floor, para);
      if (head && head.subject !== 'nobody') return head;
      const appositive = this.text.slice(floor + open + 1, end - 1).trim();
      if (appositive.split(/\s+/).length <= 3) {
        const named = this.phraseBefore(end - 1, floor + open + 1, para);
        if (named && named.subject !== 'nobody' && named.subject.how === 'explicit') return named;
      }
      // Not an appositive after all ("…, but because coding pays better, said Alyssa Goodman").
      return null;
    }
    return this.phraseBefore(end, floor, para);
  }

  /** The noun phrase ending at `end`: name words, a pronoun, or "the <role>". */
  private phraseBefore(end: number, floor: number, para: number): { subject: Subject; at: number } | null {
    while (end > floor && /\s/.test(this.text[end - 1] ?? '')) end--;
    const run = this.nameRunEndingAt(end, floor);
    if (run) return { subject: this.resolveName(run.start, run.end, run.titled), at: run.from };
    const m = WORD_BEFORE.exec(this.text.slice(Math.max(floor, end - 40), end));
    if (!m) return null;
    const word = m[1]!.toLowerCase();
    const at = end - m[0].length;
    if (word in PRONOUNS) return { subject: this.antecedent(at, PRONOUNS[word]!, para), at };
    if (ROLE_WORDS.has(nameKey(m[1]!))) return this.descriptor(at, end, floor, para);
    // "officials said", "it said", "the company said": nobody we can name.
    return { subject: 'nobody', at };
  }

  /** "the UN chief", "the president": the person named earlier whose title matches. */
  private descriptor(headStart: number, end: number, floor: number, para: number): { subject: Subject; at: number } {
    const before = this.text.slice(Math.max(floor, headStart - 50), headStart);
    const m = /(?:^|\s)(the|The)\s+((?:[\p{L}.-]+\s+){0,3})$/u.exec(before);
    if (!m) return { subject: 'nobody', at: headStart };
    const at = headStart - m[0].length + m[0].indexOf(m[1]!);
    const words = [...m[2]!.trim().split(/\s+/).filter(Boolean), this.text.slice(headStart, end)].map(nameKey);
    const entity = this.byRole(words, at, para);
    return { subject: entity ? { entity, how: 'pronoun' } : 'nobody', at };
  }

  /**
   * The person a descriptor names: the head noun ("chief") must match one
   * of the person's roles (through synonyms: a "chief" is a
   * "secretary-general"); other words ("UN") break ties; then the most
   * recently mentioned. No match, nobody.
   */
  private byRole(words: string[], at: number, para: number): Entity | null {
    const head = words.at(-1) ?? '';
    const heads = synonymsOf(head);
    let best: { entity: Entity; score: number } | null = null;
    const floor = this.paragraphs[Math.max(0, para - 6)]!.start;
    // Backwards, so that of equal scores the most recent is kept.
    for (let i = lastBefore(this.names.mentions, at); i >= 0; i--) {
      const m = this.names.mentions[i]!;
      if (m.start < floor) break;
      const roles = m.entity.roles;
      if (m.entity.kind !== 'person' || ![...heads].some((h) => roles.has(h))) continue;
      const score = words.slice(0, -1).filter((w) => roles.has(w)).length;
      if (!best || score > best.score) best = { entity: m.entity, score };
    }
    return best?.entity ?? null;
  }

  /** After a verb: `said Pedersen`, `said chief inspector Jennifer Mattinson from …`, `said he`, `said the UN chief`. */
  private subjectAfter(from: number, para: number, pronouns = true): Subject | null {
    const limit = Math.min(this.paragraphs[para]!.end, from + 80);
    const rest = this.text.slice(from, limit);
    const pronoun = /^\s+(he|she|they)\b/u.exec(rest);
    if (pronoun) return pronouns ? this.antecedent(from, PRONOUNS[pronoun[1]!]!, para) : null;
    const descriptor = /^\s+the\s+((?:[\p{L}.-]+\s+){0,3}?)([\p{L}-]+)(?=[\s,.;]|$)/u.exec(rest);
    if (descriptor && ROLE_WORDS.has(nameKey(descriptor[2]!))) {
      const entity = this.byRole([...descriptor[1]!.trim().split(/\s+/).filter(Boolean), descriptor[2]!].map(nameKey), from, para);
      return entity ? { entity, how: 'pronoun' } : 'nobody';
    }
    // Lower-case titles may come first ("chief inspector Jennifer Mattinson").
    const lead = /^\s+(?:(?:[\p{Ll}-]+)\s+){0,3}?(?=\p{Lu})/u.exec(rest);
    if (!lead) return null;
    const leadWords = lead[0].trim().split(/\s+/).filter(Boolean);
    if (!leadWords.every((w) => TITLE_WORDS.has(w) || ROLE_WORDS.has(w))) return null;
    const run = this.nameRunStartingAt(from + lead[0].length, limit);
    return run ? this.resolveName(run.start, run.end, run.titled || leadWords.length > 0) : null;
  }

  /** Name words joined into one name that end exactly at `end` (a possessive is not a subject). */
  private nameRunEndingAt(end: number, floor: number): { start: number; end: number; from: number; titled: boolean } | null {
    const i = this.wordIndexEndingAt(end);
    if (i < 0 || this.words[i]!.start < floor) return null;
    let first = i;
    while (first > 0 && this.words[first - 1]!.start >= floor && joins(this.text.slice(this.words[first - 1]!.end, this.words[first]!.start))) first--;
    return this.trimTitles(first, i);
  }

  private nameRunStartingAt(start: number, limit: number): { start: number; end: number; from: number; titled: boolean } | null {
    const i = this.wordIndexStartingAt(start);
    if (i < 0) return null;
    let last = i;
    while (last + 1 < this.words.length && this.words[last + 1]!.end <= limit && joins(this.text.slice(this.words[last]!.end, this.words[last + 1]!.start))) last++;
    return this.trimTitles(i, last);
  }

  /** Titles and acronyms in front of a name are not the name ("UN Secretary-General", "Mr."). */
  private trimTitles(first: number, last: number): { start: number; end: number; from: number; titled: boolean } | null {
    // Sentence-initial capitals ("She added", "The Obama administration") are not names.
    while (first <= last && NOT_NAMES.has(this.words[first]!.key)) first++;
    if (first > last) return null;
    const from = this.words[first]!.start;
    let titled = false;
    while (first < last && (TITLE_WORDS.has(this.words[first]!.key) || /^\p{Lu}{2,}$/u.test(this.text.slice(this.words[first]!.start, this.words[first]!.end)))) {
      titled ||= TITLE_WORDS.has(this.words[first]!.key);
      first++;
    }
    const start = this.words[first]!.start;
    const end = this.words[last]!.end;
    // A possessive ("said Trump's aide") is not the subject.
    if (/^['’](?:s(?![\p{L}])|\s)/u.test(this.text.slice(end, end + 3))) return null;
    return { start, end, from, titled };
  }

  private wordIndexEndingAt(end: number): number {
    let lo = 0;
    let hi = this.words.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const w = this.words[mid]!;
      if (w.end < end) lo = mid + 1;
      else if (w.end > end) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  private wordIndexStartingAt(start: number): number {
    let lo = 0;
    let hi = this.words.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const w = this.words[mid]!;
      if (w.start < start) lo = mid + 1;
      else if (w.start > start) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  /**
   * A run of name words → a person. A mention the index knows decides
   * (a place or organisation is nobody: "Xinhua reported"); a name the index
   * missed counts only when compromise tagged one of its words as a name or
   * a title stands before it, since the subject of "said" may as well be a
   * company.
   */
  private resolveName(start: number, end: number, titled: boolean): Subject {
    // Mentions do not overlap: the last one starting before the run's end is the only one that can be in it.
    const mention = this.names.mentions[lastBefore(this.names.mentions, end)];
    if (mention && mention.end > start) return mention.entity.kind === 'person' ? { entity: mention.entity, how: 'explicit' } : 'nobody';
    const raw = this.text.slice(start, end);
    const key = nameKey(raw);
    const known = this.extra.get(key) ?? this.extra.get(key.split(' ').at(-1) ?? '');
    if (known) return { entity: known, how: 'explicit' };
    let taggedAsName = false;
    for (let i = this.wordIndexStartingAt(start); i >= 0 && i < this.words.length && this.words[i]!.end <= end; i++) taggedAsName ||= this.names.personWords.has(this.words[i]!.start);
    if (!taggedAsName && !titled && !(key.includes(' ') && ROLE_APPOSITIVE.test(this.text.slice(end, end + 60)))) return 'nobody';
    const entity: Entity = { kind: 'person', name: this.fullName(raw, start).replace(/\u00AD/g, ''), forms: new Set([key]), roles: new Set(), gender: null };
    this.extra.set(key, entity);
    if (key.includes(' ')) this.extra.set(key.split(' ').at(-1)!, entity);
    return { entity, how: 'explicit' };
  }

  /**
   * "Mr. Georgelis said" names someone given in full earlier ("worried Tasos
   * Georgelis, deputy commissioner"): the first earlier run of name words
   * ending in the same surname, titles aside.
   */
  private fullName(raw: string, before: number): string {
    if (raw.includes(' ')) return raw;
    const key = nameKey(raw);
    for (let i = 1; i < this.words.length && this.words[i]!.start < before; i++) {
      if (this.words[i]!.key !== key) continue;
      let first = i;
      while (first > 0 && joins(this.text.slice(this.words[first - 1]!.end, this.words[first]!.start)) && i - first < 3) first--;
      while (first < i && (TITLE_WORDS.has(this.words[first]!.key) || NOT_NAMES.has(this.words[first]!.key) || /^\p{Lu}{2,}$/u.test(this.text.slice(this.words[first]!.start, this.words[first]!.end)))) first++;
      if (first < i) return this.text.slice(this.words[first]!.start, this.words[i]!.end);
    }
    return raw;
  }

  /** The first words of a sentence, when they name a person ("Alverson summed up the journey: “…”"). */
  nameAt(sentenceStart: number, before: number): Subject | null {
    let i = sentenceStart;
    while (i < before && /[\s“"‘'(]/u.test(this.text[i] ?? '')) i++;
    const first = /^[\p{L}\p{M}\u00AD'’-]+/u.exec(this.text.slice(i, before))?.[0] ?? '';
    // "The Obama administration's first comments …" is not about Obama.
    if (NOT_NAMES.has(nameKey(first))) return null;
    const run = this.nameRunStartingAt(i, before);
    if (!run || run.from !== i) return null;
    const next = /^\s+([\p{L}-]+)/u.exec(this.text.slice(run.end, before))?.[1];
    if (next && ORG_SUFFIXES.has(nameKey(next))) return null;
    const subject = this.resolveName(run.start, run.end, run.titled);
    return subject === 'nobody' ? null : subject;
  }

  /**
   * Whom "he", "she" or "they" refers to: the person last reported as
   * speaking in this paragraph or the three before it, else the person last
   * named there outside quotations, skipping anyone of the other gender as
   * far as compromise or a title tells it. Names inside a quotation are the
   * speaker's words, not antecedents ("“[Eloise] never understood,” she said").
   */
  antecedent(at: number, gender: 'male' | 'female' | 'any', para: number): Subject {
    const floor = this.paragraphs[Math.max(0, para - 3)]!.start;
    const speaker = closest(this.speakers, at, floor, gender, () => true);
    const named = closest(this.names.mentions, at, floor, gender, (m) => m.entity.kind === 'person' && !this.sentences.spanAt(m.start));
    // Someone introduced in this paragraph, after the last speaker fell silent in an earlier one, is the new topic.
    const paragraphStart = this.paragraphs[para]!.start;
    const introduced = named && named.start >= paragraphStart && (!speaker || speaker.start < paragraphStart);
    const entity = introduced ? named?.entity : (speaker?.entity ?? named?.entity);
    return entity ? { entity, how: 'pronoun' } : 'nobody';
  }
}

/**
 * The last item before `at` (and not before `floor`) whose person may be
 * "he"/"she": one known to be of that gender first, else one whose gender
 * nobody knows ("Mark" may be anyone's name), never one of the other.
 */
function closest<T extends { start: number; entity: Entity }>(items: readonly T[], at: number, floor: number, gender: 'male' | 'female' | 'any', eligible: (item: T) => boolean): T | undefined {
  let unknown: T | undefined;
  for (let i = lastBefore(items, at); i >= 0; i--) {
    const item = items[i]!;
    if (item.start < floor) break;
    if (!eligible(item)) continue;
    if (gender === 'any' || item.entity.gender === gender) return item;
    if (item.entity.gender === null) unknown ??= item;
  }
  return unknown;
}

/** Index of the last item starting before `at` in a list sorted by start, or -1. */
function lastBefore(items: readonly { start: number }[], at: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.start < at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Between two words of one name: a space or an initial's full stop. */
function joins(gap: string): boolean {
  return /^\.?[ \t\u00A0]+$|^\.$/.test(gap) || /^[ \t\u00A0]+(?:bin|ibn|de|van|von|der|da|di|du|la|le)[ \t\u00A0]+$/.test(gap);
}

const ROLE_SYNONYMS: readonly (readonly string[])[] = [
  ['chief', 'head', 'leader', 'secretary-general', 'director', 'director-general', 'chairman', 'chairwoman', 'chair', 'ceo', 'boss', 'president'],
  ['president', 'leader', 'president-elect'],
  ['spokesman', 'spokeswoman', 'spokesperson'],
  ['envoy', 'representative', 'ambassador', 'diplomat'],
  ['minister', 'secretary'],
  ['premier', 'prime'],
];

function synonymsOf(word: string): Set<string> {
  const out = new Set([word]);
  for (const group of ROLE_SYNONYMS) if (group.includes(word)) for (const w of group) out.add(w);
  return out;
}

// ---------------------------------------------------------------------------
// Quotations → findings

/**
 * A scare quote or a title is not a quotation. The rule: a quotation has at
 * least three words and is not Title Case ("Super Mario Run", "Until Dawn:
 * Rush of Blood" are titles); one or two words count only when they read
 * as a whole utterance — a capital first, a closing . , ! or ? — and a
 * speech verb stands right next to them ("Yes," she said).
 */
function isQuotation(inner: string, attributedNextToIt: boolean): boolean {
  const words = inner.match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}'’.-]*/gu) ?? [];
  if (words.length >= 3) return !isTitle(inner, words);
  return words.length > 0 && attributedNextToIt && /^["“‘']?\p{Lu}/u.test(inner) && /[.,!?…]["”’']?$/u.test(inner.trim());
}

const MINOR_WORDS = new Set([
  'of', 'the', 'a', 'an', 'and', 'or', 'nor', 'but', 'yet', 'so', 'as', 'that', 'in', 'on', 'at', 'to', 'for', 'with',
  'by', 'from', 'into', 'onto', 'over', 'upon', 'up', 'via', 'per', 'than', 'vs', 'de', 'la', 'le', "n'", "'n'", 'n’', '’n’',
]);

function isTitle(inner: string, words: readonly string[]): boolean {
  if (/[.!?…]["”’']?\s*$/u.test(inner)) return false;
  return words.every((w) => /^[\p{Lu}\p{N}#]/u.test(w) || MINOR_WORDS.has(w.toLowerCase()));
}

export type DetectOptions = {
  /** The name index of the same text, when the caller already built it (analyseText does). */
  names?: NameIndex;
};

/** Direct quotations in `text` (an article's canonical text), in order, with their speakers. */
export function detectQuotes(text: string, options: DetectOptions = {}): QuoteFinding[] {
  const paragraphs = paragraphsOf(text);
  const spans = findSpans(text, paragraphs);
  if (spans.length === 0) return [];
  // An index built for another text would put names at the wrong offsets.
  const names = options.names?.text === text ? options.names : indexNames(text);
  const attributor = new Attributor(text, paragraphs, spans, names);
  const sentences = attributor.sentences;
  const verbs = attributor.verbs();

  type Draft = { span: Span; start: number; end: number; speaker: Speaker | null; nextToVerb: boolean };
  const drafts: Draft[] = [];
  let v = 0;
  for (const [index, span] of spans.entries()) {
    let start = span.open + 1;
    let end = span.close;
    while (start < end && /\s/.test(text[start] ?? '')) start++;
    while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
    // A comma closing the quoted words ("…on fire," Guterres told) is the reporter's punctuation before
    // what follows, not the speaker's: always dropped. A full stop, ? or ! is kept as printed.
    if (text[end - 1] === ',') end--;
    while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
    if (end <= start) continue;

    const firstPara = paragraphs[span.firstParagraph]!;
    const lastPara = paragraphs[span.lastParagraph]!;
    const sentenceStart = sentences.startBefore(span.open, firstPara.start);
    const nextOpen = spans[index + 1]?.open ?? Infinity;
    // A full stop inside the closing mark ends the sentence (“…supporter.” Emery retweeted …); ? and ! need not (“Why?” she asked).
    const endsInside = text[span.close - 1] === '.' && /^\s+\p{Lu}/u.test(text.slice(span.close + 1, span.close + 4));
    const clauseEnd = endsInside ? span.close + 1 : Math.min(sentences.endAfter(span.close + 1, lastPara.end), nextOpen, span.close + 250);

    while (v < verbs.length && verbs[v]!.end <= sentenceStart) v++;
    let before: Verb | undefined;
    let after: Verb | undefined;
    for (let i = v; i < verbs.length && verbs[i]!.start < clauseEnd; i++) {
      const verb = verbs[i]!;
      if (!verb.subject) continue;
      if (verb.end <= span.open) before = verb;
      else if (verb.start > span.close && !after) after = verb;
    }
    const immediate = after !== undefined && /^[\s,;:—–-]*$/u.test(text.slice(span.close + 1, after.subjectStart));
    const colon = /:\s*$/.test(text.slice(sentenceStart, span.open));
    const beforeIsNear = before !== undefined && /^[\s,:—–-]*$/u.test(text.slice(before.end, span.open));
    // Right after the quotation is the usual place; then a verb before it in the sentence; then one further on.
    // A verb whose subject is nobody we can name ("…," it said) still stops a guess.
    const order = immediate ? [after, before] : [before, after];
    const chosen = order.find((c) => c?.subject && c.subject !== 'nobody') ?? order.find((c) => c?.subject);
    let speaker = chosen?.subject && chosen.subject !== 'nobody' ? chosen.subject : null;
    if (!chosen && colon) {
      // "Alverson summed up the journey …: “It's Seattle old school …”": the sentence's subject introduces it.
      const subject = attributor.nameAt(sentenceStart, span.open);
      if (subject && subject !== 'nobody') speaker = subject;
    }
    const nextToVerb = Boolean(immediate || beforeIsNear || colon);
    if (!isQuotation(text.slice(start, span.close), nextToVerb)) continue;
    drafts.push({ span, start, end, speaker, nextToVerb });
  }

  inherit(text, paragraphs, drafts);
  return drafts.map((d) => ({
    start: d.start,
    end: d.end,
    exact: text.slice(d.start, d.end),
    speaker: d.speaker?.entity.name ?? null,
    attribution: d.speaker?.how ?? 'none',
    multiParagraph: d.span.lastParagraph > d.span.firstParagraph,
  }));
}

/**
 * A quotation with no attribution of its own continues someone's speech:
 * another quotation of the same paragraph ("…," he said. "These must
 * change."), or, when its paragraph is nothing but quotation, the last
 * quotation of the paragraph before it — the way newspapers run one
 * speaker's words over several paragraphs.
 */
function inherit(text: string, paragraphs: readonly Paragraph[], drafts: { span: Span; speaker: Speaker | null }[]): void {
  /** By paragraph: the last quotation ending there, and the last one ending there with a speaker. */
  const lastEnding = new Map<number, { speaker: Speaker | null }>();
  const lastSpoken = new Map<number, Speaker>();
  for (const d of drafts) {
    if (!d.speaker) {
      // Only an earlier quotation: one that follows may be someone replying.
      d.speaker = lastSpoken.get(d.span.firstParagraph) ?? null;
      if (!d.speaker) {
        const first = paragraphs[d.span.firstParagraph]!;
        const last = paragraphs[d.span.lastParagraph]!;
        const wholeParagraph = /^\s*$/.test(text.slice(first.start, d.span.open)) && /^[\s.,;!?…)]*$/u.test(text.slice(d.span.close + 1, last.end));
        if (wholeParagraph) d.speaker = lastEnding.get(d.span.firstParagraph - 1)?.speaker ?? null;
      }
    }
    lastEnding.set(d.span.lastParagraph, d);
    if (d.speaker) lastSpoken.set(d.span.lastParagraph, d.speaker);
  }
}

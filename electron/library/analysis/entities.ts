/**
 * People, places and organisations named in an article, for suggested tags
 * and for the quote detector's speakers.
 *
 * compromise finds and classifies the names; everything here is about
 * making its output usable as tags: titles and possessives come off
 * ("UN Secretary-General Antonio Guterres" → "Antonio Guterres", "Syria's"
 * → "Syria"), a surname alone counts for the full name given earlier, and
 * every mention is then counted by a plain scan of the whole text, so
 * the counts do not depend on compromise spotting each mention in context
 * (it finds "Antonio Guterres" but not a later "Guterres told reporters").
 */
import nlp from 'compromise';
import { LIMITS, normalizeTag, type TagSuggestion } from '../model';

export type { TagSuggestion };
export type EntityKind = TagSuggestion['kind'];

export type Gender = 'male' | 'female';

export type Entity = {
  kind: EntityKind;
  /** Display name: for a person the full name as first given, titles dropped. */
  name: string;
  /** Normalised forms (see nameKey) that refer to it: the name, and for a person the surname and any first name used alone. */
  readonly forms: Set<string>;
  /** Lower-case words describing a person's role ("un", "secretary-general"), from titles and appositives. */
  readonly roles: Set<string>;
  gender: Gender | null;
};

export type Mention = { readonly start: number; readonly end: number; readonly entity: Entity };

/** What the analysis knows about names in one text; build it once with indexNames and share it. */
export type NameIndex = {
  readonly text: string;
  readonly entities: readonly Entity[];
  /** Every mention of every entity, in text order, not overlapping. */
  readonly mentions: readonly Mention[];
  /** Start offsets of capitalised words compromise tagged as part of a person's name (FirstName, LastName, Person). */
  readonly personWords: ReadonlySet<number>;
};

/**
 * How much text compromise reads. It tags about 20k words a second, so a
 * 50,000-word text read whole would take seconds. Below the limit the whole
 * text is read (names get their full context); above it, only the sentences
 * that first introduce the most frequent capitalised words, which is where a
 * news text gives a name in full with its title. Later mentions are found
 * by the scan either way.
 */
const FULL_TEXT_WORDS = 3000;
const SELECTED_WORDS = 3000;
/** A sentence longer than this (a table row, a text without full stops) is cut to a window around the word. */
const WINDOW_CHARS = 240;

/**
 * A capitalised word of a name: "Guterres", "Secretary-General", "al-Sham",
 * "O'Neill". A possessive ("Syria's") stops before the apostrophe; a
 * lower-case hyphenated tail ("UN-facilitated", "Kroger-owned") is not part
 * of the name. Soft hyphens (U+00AD) occur inside words of web pages.
 */
const NAME_WORD = /(?<![\p{L}\p{M}\p{N}\u00AD'’-])(?:(?:al|el|ad|ar|as|ash|at|az|bin|ibn|abu|bint|ould)[-‐])?\p{Lu}[\p{L}\p{M}\u00AD]*(?:['’]\p{Lu}[\p{L}\p{M}\u00AD]*)?(?:[-‐]\p{Lu}[\p{L}\p{M}\u00AD]*)*/gu;

/**
 * Titles and honorifics in front of a name. They are dropped from tags and
 * speakers, but kept as the person's roles so that "the UN chief" can be
 * matched to "UN Secretary-General Antonio Guterres".
 */
export const TITLE_WORDS = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'professor', 'sir', 'dame', 'lord', 'lady', 'rev', 'reverend',
  'father', 'sister', 'brother', 'president', 'president-elect', 'vice-president', 'vice', 'prime', 'minister',
  'secretary', 'secretary-general', 'under-secretary-general', 'general', 'gen', 'lt', 'lieutenant', 'col',
  'colonel', 'major', 'maj', 'capt', 'captain', 'sgt', 'sergeant', 'admiral', 'adm', 'commander', 'cmdr', 'chief',
  'inspector', 'commissioner', 'superintendent', 'detective', 'officer', 'constable', 'senator', 'sen', 'rep',
  'representative', 'congressman', 'congresswoman', 'governor', 'gov', 'mayor', 'judge', 'justice', 'chancellor',
  'king', 'queen', 'prince', 'princess', 'pope', 'sheikh', 'emir', 'ayatollah', 'ambassador', 'envoy', 'director',
  'chairman', 'chairwoman', 'chair', 'ceo', 'founder', 'co-founder', 'speaker', 'deputy', 'foreign', 'defence',
  'defense', 'interior', 'finance', 'attorney', 'attorney-general', 'premier', 'leader', 'opposition', 'coach',
  'skipper', 'archbishop', 'bishop', 'cardinal', 'rabbi', 'imam', 'dean', 'sheriff', 'mufti', 'grand', 'his',
  'her', 'excellency', 'highness', 'majesty', 'hon', 'honourable', 'honorable', 'state', 'special', 'executive',
  'managing', 'prosecutor', 'spokesman', 'spokeswoman', 'spokesperson', 'head', 'former', 'acting', 'interim',
]);

/** Last words that make a capitalised run an organisation, not a person ("François-Xavier Bagnoud Center"). */
export const ORG_SUFFIXES = new Set([
  'center', 'centre', 'company', 'co', 'corp', 'corporation', 'inc', 'ltd', 'llc', 'plc', 'foundation', 'institute',
  'institution', 'university', 'college', 'school', 'association', 'council', 'committee', 'commission', 'agency',
  'party', 'group', 'bank', 'fund', 'authority', 'ministry', 'department', 'network', 'times', 'post', 'news',
  'magazine', 'society', 'union', 'league', 'organization', 'organisation', 'club', 'administration', 'hospital',
  'trust', 'partners', 'capital', 'holdings', 'labs', 'media', 'press', 'journal', 'airlines', 'airways', 'motors',
  'technologies', 'systems', 'services', 'court', 'police', 'army', 'navy', 'force', 'forces', 'office', 'board',
]);

/**
 * Lower-case words that may sit inside a name and still belong to it
 * ("Bank of England", "Osama bin Laden", "Ludwig van Beethoven").
 */
const NAME_CONNECTORS = new Set(['of', 'for', 'on', 'de', 'da', 'del', 'della', 'der', 'den', 'van', 'von', 'la', 'le', 'du', 'di', 'dos', 'das', 'bin', 'ibn', 'al', 'el', 'y']);

/** Capitalised words that start sentences and headlines but are never a name on their own. */
export const NOT_NAMES = new Set([
  'the', 'a', 'an', 'and', 'but', 'or', 'if', 'in', 'on', 'at', 'to', 'of', 'for', 'by', 'with', 'from', 'as', 'it',
  'he', 'she', 'they', 'we', 'i', 'you', 'this', 'that', 'these', 'those', 'there', 'here', 'his', 'her', 'their',
  'our', 'my', 'your', 'its', 'what', 'when', 'where', 'who', 'why', 'how', 'after', 'before', 'during', 'while',
  'since', 'until', 'although', 'though', 'because', 'so', 'yet', 'not', 'no', 'yes', 'all', 'some', 'many', 'most',
  'more', 'also', 'then', 'now', 'today', 'yesterday', 'tomorrow', 'monday', 'tuesday', 'wednesday', 'thursday',
  'friday', 'saturday', 'sunday', 'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august',
  'september', 'october', 'november', 'december', 'photo', 'image', 'images', 'credit', 'source', 'read', 'click',
  'continue', 'reading', 'story', 'video', 'advertisement', 'related', 'share', 'follow', 'sign', 'up',
]);

/** Folds a name for comparison: case, soft hyphens, apostrophe and hyphen styles, spacing. */
export function nameKey(name: string): string {
  return name
    .normalize('NFC')
    .replace(/\u00AD/g, '')
    .replace(/[’‘]/g, "'")
    .replace(/‐/g, '-')
    .replace(/\.(?=\s|$)/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export type NameWord = { start: number; end: number; key: string };

/** Every capitalised name word of the text, in order. */
export function nameWords(text: string): NameWord[] {
  const out: NameWord[] = [];
  for (const m of text.matchAll(NAME_WORD)) {
    const start = m.index;
    out.push({ start, end: start + m[0].length, key: nameKey(m[0]) });
  }
  return out;
}

/** What lies between two words of one name: a space, an initial's full stop, or a connector ("of", "bin"). */
function joinsName(gap: string): boolean {
  if (/^\.?[ \t\u00A0]+$|^\.$/.test(gap)) return true;
  const m = /^[ \t\u00A0]+([\p{Ll}]+)[ \t\u00A0]+$/u.exec(gap);
  return m !== null && NAME_CONNECTORS.has(m[1] ?? '');
}

// ---------------------------------------------------------------------------
// compromise's view of the text

type CompromiseTerm = { text: string; pre: string; post: string; tags: string[]; offset: { start: number; length: number } };
type CompromiseMatch = { terms: CompromiseTerm[]; person?: { presumed_gender?: string } };

function isTerm(value: unknown): value is CompromiseTerm {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Partial<CompromiseTerm>;
  return typeof t.text === 'string' && Array.isArray(t.tags) && typeof t.offset?.start === 'number' && typeof t.offset.length === 'number';
}

/** compromise's json() is typed `any`: keep only matches of the shape read here. */
function matchesOf(json: unknown): CompromiseMatch[] {
  if (!Array.isArray(json)) return [];
  const out: CompromiseMatch[] = [];
  for (const item of json as unknown[]) {
    const terms = (item as { terms?: unknown } | null)?.terms;
    if (!Array.isArray(terms) || !terms.every(isTerm)) continue;
    const person = (item as { person?: unknown }).person;
    out.push({ terms: terms.map((t) => ({ ...t, pre: t.pre ?? '', post: t.post ?? '' })), person: typeof person === 'object' && person !== null ? (person as CompromiseMatch['person']) : undefined });
  }
  return out;
}

type Piece = { start: number; end: number };

/** The parts of the text compromise reads (see FULL_TEXT_WORDS). */
function piecesToRead(text: string, words: readonly NameWord[]): Piece[] {
  const wordCount = text.match(/\S+/g)?.length ?? 0;
  if (wordCount <= FULL_TEXT_WORDS) return [{ start: 0, end: text.length }];

  const stats = new Map<string, { count: number; first: number }>();
  for (const w of words) {
    if (NOT_NAMES.has(w.key)) continue;
    const s = stats.get(w.key);
    if (s) s.count++;
    else stats.set(w.key, { count: 1, first: w.start });
  }
  const order = [...stats.values()].sort((a, b) => b.count - a.count || a.first - b.first);
  const chosen: Piece[] = [];
  let budget = SELECTED_WORDS;
  for (const { first } of order) {
    if (chosen.some((p) => p.start <= first && first < p.end)) continue;
    const piece = sentenceAround(text, first);
    const size = text.slice(piece.start, piece.end).match(/\S+/g)?.length ?? 0;
    if (size > budget) continue;
    budget -= size;
    chosen.push(piece);
    if (budget < 10) break;
  }
  chosen.sort((a, b) => a.start - b.start);
  // Overlapping windows would make compromise read the same words twice.
  const merged: Piece[] = [];
  for (const p of chosen) {
    const last = merged.at(-1);
    if (last && p.start <= last.end) last.end = Math.max(last.end, p.end);
    else merged.push({ ...p });
  }
  return merged;
}

/** The sentence holding `at`, by full stops and blank lines, no wider than WINDOW_CHARS each side. */
function sentenceAround(text: string, at: number): Piece {
  const from = Math.max(0, at - WINDOW_CHARS);
  const before = text.slice(from, at);
  const stop = Math.max(before.lastIndexOf('\n'), ...[...before.matchAll(/[.!?]["”’)]*\s+(?=["“‘(]?\p{Lu})/gu)].map((m) => m.index + m[0].length - 1));
  let start = stop >= 0 ? from + stop + 1 : from;
  const after = text.slice(at, at + WINDOW_CHARS);
  const end = /[.!?](?=["”’)]*(?:\s|$))|\n/.exec(after);
  let finish = end ? at + end.index + 1 : at + after.length;
  // A cut window must not split a word.
  while (start > 0 && start < at && /\S/.test(text[start - 1] ?? '')) start++;
  while (finish < text.length && finish > at && /\S/.test(text[finish] ?? '')) finish--;
  return { start, end: Math.max(finish, at + 1) };
}

type Candidate = {
  kind: EntityKind;
  start: number;
  end: number;
  name: string;
  gender: Gender | null;
  /**
   * How much this sighting counts when sightings disagree on the kind: 1 for
   * compromise's own; less for a name cut out of a longer phrase ("Obama" of
   * "Obama administration") or guessed from context, which count only when
   * nothing else names the string.
   */
  weight?: number;
};

/** Clean names from one compromise match: titles, lower-case words and credits trimmed off, split at commas. */
function cleanCandidate(kind: EntityKind, terms: CompromiseTerm[], toText: (offset: number) => number, text: string): Candidate[] {
  // Photo credits run names together with slashes and brackets ("(Thomas Coex/AFP/Getty Images)").
  const cut = terms.findIndex((t, i) => i > 0 && /[/(]/.test(t.pre + t.text));
  const kept = (cut > 0 ? terms.slice(0, cut) : terms).filter((t) => !/^[\p{P}\p{S}]*$/u.test(t.text));
  // What is left of a credit is rarely a whole name ("Thomas" of "Thomas Coex/AFP").
  if (cut > 0 && kept.length < 2) return [];
  const spans = kept.map((t) => {
    let start = toText(t.offset.start);
    let end = start + t.offset.length;
    // compromise's term text can carry a bracket or quote mark it did not split off.
    while (start < end && /[^\p{L}\p{N}]/u.test(text[start] ?? '')) start++;
    while (end > start && /[^\p{L}\p{N}.]/u.test(text[end - 1] ?? '')) end--;
    return { start, end, tags: t.tags, words: text.slice(start, end) };
  });

  // Runs of capitalised words: a lower-case word other than a connector splits them.
  type Run = { spans: typeof spans; weak: boolean };
  const runs: Run[] = [];
  let run: typeof spans = [];
  const close = (weak: boolean) => {
    if (run.length) runs.push({ spans: run, weak });
    run = [];
  };
  for (const s of spans) {
    const word = s.words.replace(/['’]s$|['’]$/u, '');
    const capital = /^\p{Lu}|^\p{N}/u.test(word) || /^(?:al|el|bin|ibn)-\p{Lu}/u.test(word);
    const previous = run.at(-1);
    // A name never holds a comma or a dash: "Kodiak, Alaska" is two places.
    if (previous && /[,;:()—–]/.test(text.slice(previous.end, s.start))) close(false);
    if (capital || (run.length > 0 && NAME_CONNECTORS.has(word.toLowerCase()))) {
      run.push(s);
      // A possessive ends the name it belongs to ("Abbott's office").
      if (capital && word !== s.words) close(false);
    } else if (kind !== 'person' && run.length === 1 && DEMONYM.test(run[0]!.words)) {
      // "Syrian government", "Palestinian state": a nationality adjective, not a name, once the noun is cut off.
      run = [];
    } else {
      // compromise ran the name on into lower-case words ("Obama administration", "Xinhua news agency").
      close(true);
    }
  }
  close(false);

  const out: Candidate[] = [];
  for (const { spans: whole, weak } of runs) {
    let r = whole;
    if (kind === 'person') {
      // Titles go (kept as roles elsewhere); so does an acronym in front ("UN Secretary-General").
      while (r.length > 1 && (r[0]!.tags.includes('Honorific') || TITLE_WORDS.has(nameKey(r[0]!.words)) || /^\p{Lu}{2,}$/u.test(r[0]!.words) || r[0]!.tags.includes('Demonym'))) r = r.slice(1);
    }
    while (r.length && NAME_CONNECTORS.has(r.at(-1)!.words.toLowerCase())) r = r.slice(0, -1);
    if (r.length === 0) continue;
    const start = r[0]!.start;
    let end = r.at(-1)!.end;
    const after = text.slice(end, end + 60);
    if (kind === 'person' && r.length === 1) {
      // "Sam's Club", "McDonald's Restaurants": a shop, not a person.
      if (/['’]s?$/u.test(text.slice(start, end)) && /^[ \t]+\p{Lu}/u.test(after)) continue;
      // compromise stops a name at a possessive surname: "Tony" of "Tony Abbott's office".
      const surname = /^[ \t]+(\p{Lu}[\p{L}\p{M}\u00AD-]+)['’]s?(?![\p{L}])/u.exec(after);
      if (surname && r[0]!.tags.includes('FirstName')) end += surname[0].length;
    }
    if (kind === 'person' && /(?:^|\s)\p{Lu}\.?$/u.test(text.slice(start, end))) {
      // A name cannot end in an initial: compromise stopped short ("Dana F." of "Dana F. Besecker Company").
      const rest = /^\.?(?:[ \t]+\p{Lu}[\p{L}\p{M}\u00AD'’-]*)+/u.exec(text.slice(end, end + 80));
      if (rest) end += rest[0].length;
    }
    if (kind === 'organization') {
      // compromise stops short of some names' last word: "Australian Federal" of "Australian Federal Police".
      for (;;) {
        const more = /^[ \t]+(\p{Lu}\p{Ll}+)\b/u.exec(text.slice(end, end + 40));
        if (!more || !ORG_SUFFIXES.has(nameKey(more[1] ?? ''))) break;
        end += more[0].length;
      }
    }
    let name = text.slice(start, end).replace(/['’]s?$/u, '');
    name = name.replace(/\.$/, (dot) => (/(?:^|[\s.])\p{Lu}\.$/u.test(name) ? dot : ''));
    end = start + name.length;
    out.push({ kind, start, end, name, gender: null, weight: weak ? 0.01 : 1 });
  }
  return out;
}

const DEMONYM = /^\p{Lu}\p{Ll}+(?:ian|ean|ese|ish|an|i|ic)$/u;

/** Is this a name worth suggesting as a tag of its kind? */
function plausible(c: Candidate): boolean {
  const words = c.name.split(/\s+/);
  if (c.name.length < 2 || c.name.length > LIMITS.tagChars || words.length > 8) return false;
  if (/[/\\|<>{}[\]@#=_]|\d{3,}/.test(c.name)) return false;
  const key = nameKey(c.name);
  if (NOT_NAMES.has(key)) return false;
  const allCaps = words.every((w) => !/\p{Ll}/u.test(w));
  if (c.kind === 'person') {
    // Bylines and credits are set in capitals ("JIM WATSON", "LAURIE OAKES"); a name in running text is not.
    if (allCaps) return false;
    if (words.length === 1 && (TITLE_WORDS.has(key) || ORG_SUFFIXES.has(key))) return false;
    if (ORG_SUFFIXES.has(nameKey(words.at(-1) ?? ''))) return false;
    return words.every((w) => /^\p{Lu}/u.test(w) || NAME_CONNECTORS.has(w) || /^(?:al|el|bin|ibn)-/u.test(w));
  }
  if (words.length === 1 && (ORG_SUFFIXES.has(key) || TITLE_WORDS.has(key))) return false;
  // Acronyms are short ("UN", "BBC", "RSPCA"); a long word in capitals is a dateline or a heading.
  if (allCaps && c.name.replace(/[^\p{L}]/gu, '').length > (c.kind === 'place' ? 3 : 6)) return false;
  return /^\p{Lu}|^\p{N}/u.test(c.name);
}

/** "Hayat Tahrir al-Sham, a group sanctioned by ...": a name given an organisation appositive. */
const ORG_APPOSITIVE = /^,?\s+(?:a|an|the)\s+(?:[\p{Ll}-]+\s+){0,3}(?:group|organi[sz]ation|militia|movement|coalition|alliance|faction|party|company|firm|network|charity|agency|insurgency|outfit|consortium|union)\b(?!['’])/u;
const ORG_BEFORE = /\b(?:group|militia|movement|organi[sz]ation|faction|company|firm|coalition)\s+(?:called|named|known\s+as)\s+$/u;

/**
 * compromise does not know many organisations. It takes an unknown run of
 * capitalised words for a person ("Tahrir al-Sham") or for nothing at all
 * ("Whole Foods", "Amazon"). Two small signals from the text itself fill in:
 *
 * - a news text nearly always says what an unfamiliar body is the first time:
 *   a run of name words followed by ", a group …" (or preceded by "a group
 *   called") is an organisation, and wins over compromise's guess;
 * - a name used like a business's ("Whole Foods stores", "a Whole Foods
 *   spokeswoman", "Amazon-owned") at least once, and named three times in
 *   all, is an organisation unless compromise says it is anything else.
 */
function organisationsInContext(text: string, words: readonly NameWord[]): { introduced: Candidate[]; used: Candidate[] } {
  const introduced: Candidate[] = [];
  const runs = new Map<string, { first: Candidate; count: number; cued: boolean }>();
  for (let i = 0; i < words.length; i++) {
    const last = words[i]!;
    const next = words[i + 1];
    if (next && joinsName(text.slice(last.end, next.start))) continue;
    let first = i;
    while (first > 0 && joinsName(text.slice(words[first - 1]!.end, words[first]!.start))) first--;
    const before = text.slice(Math.max(0, words[first]!.start - 40), words[first]!.start);
    const after = text.slice(last.end, last.end + 80);
    // Sentence-initial capitals ("The", "In") are not part of the name.
    while (first < i && NOT_NAMES.has(words[first]!.key)) first++;
    const start = words[first]!.start;
    const candidate: Candidate = { kind: 'organization', start, end: last.end, name: text.slice(start, last.end), gender: null };
    if (ORG_APPOSITIVE.test(after) || ORG_BEFORE.test(before)) introduced.push(candidate);
    const key = nameKey(candidate.name);
    const run = runs.get(key) ?? { first: candidate, count: 0, cued: false };
    run.count++;
    run.cued ||= BUSINESS_AFTER.test(after);
    runs.set(key, run);
  }
  const used = [...runs.values()].filter((r) => r.cued && r.count >= 3).map((r) => ({ ...r.first, weight: 0.5 }));
  return { introduced, used };
}

const BUSINESS_AFTER = /^(?:-(?:owned|backed|funded|operated)\b|(?:['’]s?)?[ \t]+(?:spokes(?:man|woman|person)|stores?|shops?|shares|shareholders|stock|executives?|employees|workers|headquarters|customers|subsidiary|brand|chain)\b)/u;

// ---------------------------------------------------------------------------
// The index

/** People, places and organisations of `text`, with every mention. */
export function indexNames(text: string): NameIndex {
  const words = nameWords(text);
  const pieces = piecesToRead(text, words);
  // compromise reads the pieces as one document, one paragraph each; offsets map back through `starts`.
  const starts: number[] = [];
  let input = '';
  for (const p of pieces) {
    if (input) input += '\n\n';
    starts.push(input.length);
    input += text.slice(p.start, p.end);
  }
  const toText = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (pieces[lo]?.start ?? 0) + offset - (starts[lo] ?? 0);
  };

  const doc = nlp(input);
  const personWords = new Set<number>();
  const candidates: Candidate[] = [];
  for (const m of matchesOf(doc.people().json({ offset: true }))) {
    for (const t of m.terms) {
      if (t.tags.some((tag) => tag === 'FirstName' || tag === 'LastName' || tag === 'Person') && !t.tags.includes('Honorific')) personWords.add(toText(t.offset.start));
    }
    const gender = m.person?.presumed_gender === 'male' || m.person?.presumed_gender === 'female' ? m.person.presumed_gender : null;
    for (const c of cleanCandidate('person', m.terms, toText, text)) candidates.push({ ...c, gender });
  }
  for (const m of matchesOf(doc.places().json({ offset: true }))) candidates.push(...cleanCandidate('place', m.terms, toText, text));
  for (const m of matchesOf(doc.organizations().json({ offset: true }))) candidates.push(...cleanCandidate('organization', m.terms, toText, text));

  const organisations = organisationsInContext(text, words);
  const entities = buildEntities([...candidates, ...organisations.used].filter(plausible), organisations.introduced.filter(plausible));
  completeNames(text, words, entities);
  const mentions = scanMentions(text, words, entities, personWords);
  for (const e of entities) collectRoles(text, e, mentions);
  const mentioned = new Set(mentions.map((m) => m.entity));
  return { text, entities: entities.filter((e) => mentioned.has(e)), mentions, personWords };
}

/**
 * Candidates → entities. A string compromise labels differently in
 * different sentences takes its most frequent label. A one-word person is
 * the surname (or, when compromise saw it used alone, the first name) of a
 * full name given in the text, and counts for it.
 */
function buildEntities(candidates: readonly Candidate[], organisations: readonly Candidate[]): Entity[] {
  const inOrganisation = (c: Candidate) => organisations.some((o) => c.start < o.end && o.start < c.end);
  const votes = new Map<string, { name: string; first: number; kinds: Map<EntityKind, number>; genders: Gender[] }>();
  const vote = (c: Candidate, weight: number) => {
    const key = nameKey(c.name);
    let v = votes.get(key);
    if (!v) votes.set(key, (v = { name: c.name, first: c.start, kinds: new Map(), genders: [] }));
    if (c.start < v.first) {
      v.first = c.start;
      v.name = c.name;
    }
    v.kinds.set(c.kind, (v.kinds.get(c.kind) ?? 0) + weight);
    if (c.gender) v.genders.push(c.gender);
  };
  for (const c of candidates) if (!(c.kind === 'person' && inOrganisation(c))) vote(c, c.weight ?? 1);
  for (const o of organisations) vote(o, 100);

  const entities: Entity[] = [];
  const sorted = [...votes.entries()].sort((a, b) => a[1].first - b[1].first);
  for (const [key, v] of sorted) {
    const kind = [...v.kinds.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const males = v.genders.filter((g) => g === 'male').length;
    const females = v.genders.length - males;
    const entity: Entity = { kind, name: v.name, forms: new Set([key]), roles: new Set(), gender: males > females ? 'male' : females > males ? 'female' : null };
    entities.push(entity);
  }

  // One-word people join the full name they are part of; the first full name given wins ties.
  const people = entities.filter((e) => e.kind === 'person');
  const full = people.filter((e) => e.name.includes(' '));
  const merged = new Set<Entity>();
  for (const single of people.filter((e) => !e.name.includes(' '))) {
    const key = nameKey(single.name);
    const bySurname = full.filter((f) => lastKey(f) === key);
    const byFirstName = full.filter((f) => nameKey(f.name).split(' ')[0] === key);
    const owner = bySurname[0] ?? (byFirstName.length === 1 ? byFirstName[0] : undefined);
    if (!owner) continue;
    owner.forms.add(key);
    owner.gender ??= single.gender;
    merged.add(single);
  }
  for (const f of full) f.forms.add(lastKey(f));
  // "Obama" of "Obama administration", "Abbott" of "Abbott's office": the person, not a body.
  for (const e of entities) {
    const v = votes.get(nameKey(e.name));
    const weakOnly = v !== undefined && [...v.kinds.values()].every((w) => w < 1);
    if (e.kind !== 'person' && weakOnly && people.some((p) => p.forms.has(nameKey(e.name)))) merged.add(e);
  }
  return entities.filter((e) => !merged.has(e));
}

/**
 * compromise sees "Mr. Georgelis" as a person but not "Tasos Georgelis" a
 * few lines earlier. A one-word person whose first appearance in the text
 * follows one or two other name words ("worried Tasos Georgelis, deputy
 * …") takes that fuller form as its name, as first given.
 */
function completeNames(text: string, words: readonly NameWord[], entities: Entity[]): void {
  const others = new Set(entities.flatMap((e) => [...e.forms]));
  for (const e of entities) {
    if (e.kind !== 'person' || e.name.includes(' ')) continue;
    const key = nameKey(e.name);
    const i = words.findIndex((w) => w.key === key);
    if (i <= 0) continue;
    let first = i;
    while (first > 0 && i - first < 2 && joinsName(text.slice(words[first - 1]!.end, words[first]!.start))) first--;
    while (first < i && (TITLE_WORDS.has(words[first]!.key) || NOT_NAMES.has(words[first]!.key) || others.has(words[first]!.key) || /^\p{Lu}{2,}$/u.test(text.slice(words[first]!.start, words[first]!.end)))) first++;
    if (first === i) continue;
    e.name = text.slice(words[first]!.start, words[i]!.end).replace(/\u00AD/g, '');
    e.forms.add(nameKey(e.name));
  }
}

function lastKey(e: Entity): string {
  return nameKey(e.name).split(' ').at(-1) ?? '';
}

/**
 * Every mention of every entity, by a scan over the name words of the whole
 * text: at each word, the longest form of an entity ending there wins. A
 * surname alone is not taken when compromise saw a different first name
 * right before it ("Hillary Clinton" is not "Bill Clinton"); a capital that
 * only starts the sentence ("Later Guterres left") does not stop it. Shared
 * by two people, a surname goes to the one named most recently.
 */
function scanMentions(text: string, words: readonly NameWord[], entities: readonly Entity[], personWords: ReadonlySet<number>): Mention[] {
  type Form = { entity: Entity; key: string; size: number; surnameOnly: boolean };
  const byLast = new Map<string, Form[]>();
  for (const e of entities) {
    for (const key of e.forms) {
      const parts = key.split(' ').filter((p) => !NAME_CONNECTORS.has(p));
      const last = parts.at(-1);
      if (!last) continue;
      const form: Form = { entity: e, key, size: parts.length, surnameOnly: e.kind === 'person' && parts.length === 1 && e.name.includes(' ') };
      const list = byLast.get(last) ?? [];
      list.push(form);
      byLast.set(last, list);
    }
  }

  const mentions: Mention[] = [];
  const lastSeen = new Map<Entity, number>();
  for (let i = 0; i < words.length; i++) {
    const forms = byLast.get(words[i]!.key);
    if (!forms) continue;
    let best: { form: Form; start: number } | null = null;
    for (const form of forms) {
      const firstIndex = i - form.size + 1;
      if (firstIndex < 0) continue;
      let joined = true;
      for (let j = firstIndex; j < i && joined; j++) joined = joinsName(text.slice(words[j]!.end, words[j + 1]!.start));
      if (!joined) continue;
      const start = words[firstIndex]!.start;
      if (nameKey(text.slice(start, words[i]!.end)) !== form.key) continue;
      if (form.surnameOnly) {
        const prev = words[i - 1];
        if (prev && joinsName(text.slice(prev.end, start)) && (personWords.has(prev.start) || entities.some((e) => e !== form.entity && e.forms.has(prev.key)))) continue;
      }
      const better =
        !best ||
        form.size > best.form.size ||
        (form.size === best.form.size && (lastSeen.get(form.entity) ?? -1) > (lastSeen.get(best.form.entity) ?? -1));
      if (better) best = { form, start };
    }
    if (!best) continue;
    while (mentions.length && mentions.at(-1)!.end > best.start) mentions.pop();
    mentions.push({ start: best.start, end: words[i]!.end, entity: best.form.entity });
    lastSeen.set(best.form.entity, best.start);
  }
  return mentions;
}

/**
 * A person's roles: the title words just before a full-name mention
 * ("Turkish President", "White House press secretary") and the words of an
 * appositive right after it (", UN special envoy for Syria,").
 */
function collectRoles(text: string, e: Entity, mentions: readonly Mention[]): void {
  if (e.kind !== 'person') return;
  for (const m of mentions) {
    if (m.entity !== e) continue;
    const before = text.slice(Math.max(0, m.start - 60), m.start);
    const title = /((?:[\p{L}.-]+[ \t]+){1,4})$/u.exec(before)?.[1] ?? '';
    const titleWords = title.trim().split(/\s+/);
    // Only the words running up to the name that are titles or capitalised ("Turkish President"), not "spoke with".
    for (let i = titleWords.length - 1; i >= 0; i--) {
      const w = titleWords[i] ?? '';
      const key = nameKey(w);
      if (!(TITLE_WORDS.has(key) || ROLE_WORDS.has(key) || /^\p{Lu}/u.test(w))) break;
      e.roles.add(key);
    }
    const appositive = /^,\s+([^,.;:]{1,120})[,.;:]/u.exec(text.slice(m.end, m.end + 130))?.[1];
    if (appositive && !/\b(?:said|says|told|who|which|that)\b/.test(appositive)) {
      for (const w of appositive.split(/\s+/)) {
        const key = nameKey(w);
        if (key && !STOP_WORDS.has(key)) e.roles.add(key);
      }
    }
    if (!e.gender) {
      if (/\b(?:Mr|Sir|Lord|King|Prince)\.?\s*$/u.test(before)) e.gender = 'male';
      else if (/\b(?:Mrs|Ms|Miss|Dame|Lady|Queen|Princess)\.?\s*$/u.test(before)) e.gender = 'female';
    }
  }
}

const STOP_WORDS = new Set(['a', 'an', 'the', 'of', 'for', 'at', 'in', 'on', 'to', 'and', 'with', 'from', 'by', 'his', 'her', 'their', 'its', 'one', 'who', 'is', 'was']);

/** Nouns that name a person by role; "the UN chief said" is resolved through them. */
export const ROLE_WORDS = new Set([
  'president', 'chief', 'minister', 'secretary', 'secretary-general', 'spokesman', 'spokeswoman', 'spokesperson',
  'envoy', 'official', 'leader', 'head', 'director', 'chairman', 'chairwoman', 'chair', 'ceo', 'founder', 'co-founder',
  'professor', 'senator', 'governor', 'mayor', 'ambassador', 'general', 'commander', 'king', 'queen', 'prince',
  'princess', 'pope', 'judge', 'lawyer', 'attorney', 'analyst', 'economist', 'writer', 'author', 'reporter', 'editor',
  'journalist', 'researcher', 'scientist', 'doctor', 'coach', 'manager', 'captain', 'skipper', 'premier', 'chancellor',
  'diplomat', 'negotiator', 'inspector', 'commissioner', 'officer', 'adviser', 'advisor', 'aide', 'candidate',
  'nominee', 'lawmaker', 'congressman', 'congresswoman', 'representative', 'fellow', 'executive', 'strategist',
  'actor', 'actress', 'singer', 'player', 'owner', 'chef', 'fisherman', 'mother', 'father', 'prosecutor', 'boss',
  'president-elect', 'vice-president', 'supervisor', 'sheikh', 'emir', 'cardinal', 'bishop', 'archbishop', 'rabbi', 'imam',
]);

// ---------------------------------------------------------------------------
// Suggested tags

/**
 * The people, places and organisations an article names most, as tag
 * suggestions: most mentioned first, then in order of first mention.
 */
export function suggestTags(text: string, options: { max?: number; names?: NameIndex } = {}): TagSuggestion[] {
  const max = Math.max(0, Math.floor(options.max ?? 12));
  if (max === 0 || !text.trim()) return [];
  // An index built for another text would count the wrong mentions.
  const names = options.names?.text === text ? options.names : indexNames(text);
  const stats = new Map<Entity, { count: number; first: number }>();
  for (const m of names.mentions) {
    const s = stats.get(m.entity);
    if (s) s.count++;
    else stats.set(m.entity, { count: 1, first: m.start });
  }
  const seen = new Set<string>();
  const out: TagSuggestion[] = [];
  for (const [entity, s] of [...stats.entries()].sort((a, b) => b[1].count - a[1].count || a[1].first - b[1].first)) {
    const tag = normalizeTag(entity.name.replace(/\u00AD/g, '').replace(/\//g, ' ')).slice(0, LIMITS.tagChars).trim();
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push({ tag, kind: entity.kind, count: s.count });
    if (out.length >= max) break;
  }
  return out;
}

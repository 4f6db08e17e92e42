/**
 * Kindle "My Clippings.txt": every highlight, note and bookmark a Kindle
 * made, appended one after another, each ended by a line of ten `=`:
 *
 *   Better Than Before (Rubin, Gretchen)
 *   - Your Highlight on page 136 | Location 2032-2036 | Added on Tuesday, July 14, 2015 12:57:51 AM
 *
 *   When a friend urged him “to take a little wine,” …
 *   ==========
 *
 * Each book becomes one document: its highlights, in reading order, are its
 * quote blocks and its clippings, and the notes the reader typed become the
 * notes of the highlights they were typed on. The file is append-only on the
 * device, so it also keeps every earlier state of a highlight the reader
 * later extended or trimmed; only the last state is kept (see mergeRevisions).
 */
import type { Block } from '../model';
import { blockOffsets } from '../text';
import type { DocumentClipping, ParsedDocument } from './document';
import { kindOf, locationOf, pageOf, parseKindleDate, type KindleKind, type KindleRange } from './kindle-locale';

export type { KindleKind, KindleRange } from './kindle-locale';
export { parseKindleDate } from './kindle-locale';

export type KindleEntry = {
  /** 0-based position of the entry among the file's non-empty entries. */
  index: number;
  /** The book title, as written (trimmed). */
  title: string;
  /** The author part as written ("Schopenhauer, Arthur", "Bloch;Goetz"), or null when the line has none (personal PDFs). */
  author: string | null;
  kind: KindleKind;
  /** The page as written ("105-105", "xii"); `page` holds it as numbers when it is arabic. */
  pageLabel: string | null;
  page: KindleRange | null;
  location: KindleRange | null;
  /**
   * When the device says it was added, as a naive local date-time
   * `YYYY-MM-DDTHH:MM:SS`: the Kindle writes the device's wall-clock time and
   * no zone. Null when the date is in a form we cannot read (a warning says so).
   */
  addedAt: string | null;
  /** The highlighted text or the note; empty for bookmarks. Line breaks are `\n`. */
  body: string;
};

/** Why one entry (0-based `index`) could not be read; the other entries are unaffected. */
export type KindleProblem = { index: number; reason: string };

export type KindleParse = {
  entries: KindleEntry[];
  /** Entries that could not be read at all: they are not in `entries`. */
  problems: KindleProblem[];
  /** Entries kept with a field missing (an unreadable date). */
  warnings: KindleProblem[];
};

export type KindleImport = {
  documents: ParsedDocument[];
  skipped: {
    bookmarks: number;
    /** Earlier states of a highlight that a later entry extended, trimmed or repeated. */
    duplicates: number;
    /** One sentence per entry that was not imported, naming the file and the entry. */
    problems: string[];
  };
  /** Imported, but with something missing (e.g. an unreadable date: the clipping gets the import time). */
  warnings: string[];
};

const SEPARATOR_LINE = /^={10}[ \t]*$/;
/** The metadata line: "- Your Highlight …", the Russian "– Ваш …". */
const METADATA_LINE = /^[-–—]\s*\S/;
const BOM = /\uFEFF/g;

/** Tags and colours of what this importer creates, so that the UI and tests can find them. */
export const KINDLE_NOTE_TAG = 'kindle-note';
export const KINDLE_SOURCE = 'Kindle';

/**
 * A cheap sniff for a clippings file: after a BOM and blank lines, a title
 * line, then a metadata line with a `|`, and somewhere a separator line.
 * Looks only at the head of the text, so it costs nothing on large files.
 */
export function isKindleClippings(text: string): boolean {
  const head = text.slice(0, 64 * 1024).replace(BOM, '');
  const lines = head.split(/\r\n|\r|\n/);
  let i = 0;
  while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  const title = lines[i] ?? '';
  const meta = lines[i + 1] ?? '';
  if (title.trim() === '' || !METADATA_LINE.test(meta) || !meta.includes('|')) return false;
  return lines.some((l) => SEPARATOR_LINE.test(l));
}

/**
 * Reads every entry; never throws. An entry that cannot be read becomes a
 * problem naming its position and why, and the others are still read.
 */
export function parseKindleClippings(text: string): KindleParse {
  const lines = text.replace(BOM, '').split(/\r\n|\r|\n/);
  const chunks: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (SEPARATOR_LINE.test(line)) {
      chunks.push(current);
      current = [];
    } else {
      current.push(line);
    }
  }
  chunks.push(current);

  const parse: KindleParse = { entries: [], problems: [], warnings: [] };
  let index = 0;
  for (const chunk of chunks) {
    if (chunk.every((l) => l.trim() === '')) continue;
    const result = parseEntry(chunk, index);
    if ('reason' in result) parse.problems.push(result);
    else {
      parse.entries.push(result);
      if (result.addedAt === null) parse.warnings.push({ index, reason: 'the date it was added could not be read' });
    }
    index++;
  }
  return parse;
}

function parseEntry(chunk: string[], index: number): KindleEntry | KindleProblem {
  let i = 0;
  while (i < chunk.length && (chunk[i] ?? '').trim() === '') i++;
  const titleLine = (chunk[i] ?? '').trim();
  const meta = (chunk[i + 1] ?? '').trim();
  if (METADATA_LINE.test(titleLine) && titleLine.includes('|')) return { index, reason: 'the entry has no book title line' };
  if (!METADATA_LINE.test(meta)) return { index, reason: `the line after the title is not a Kindle metadata line: "${clip(meta)}"` };

  // "… | … | Added on …": the date is always the last part; page, location and kind are before it.
  const bar = meta.lastIndexOf('|');
  const header = bar >= 0 ? meta.slice(0, bar) : meta;
  const datePart = bar >= 0 ? meta.slice(bar + 1) : meta;
  const kind = kindOf(header);
  if (!kind) return { index, reason: `unrecognised kind of entry in "${clip(meta)}"` };
  const page = pageOf(header);
  const { title, author } = splitTitleLine(titleLine);
  if (!title) return { index, reason: 'the book title is empty' };

  const bodyLines = chunk.slice(i + 2).map((l) => l.replace(/\s+$/, ''));
  const body = bodyLines.join('\n').replace(/^\n+|\n+$/g, '').trim();
  return {
    index,
    title,
    author,
    kind,
    pageLabel: page?.label ?? null,
    page: page?.range ?? null,
    location: locationOf(header),
    addedAt: parseKindleDate(datePart),
    body,
  };
}

/**
 * "Title (Author)": the author is the balanced parenthesised group that ends
 * the line, so "Anthology (Series 2) (Smith, John (ed.))" keeps "(Series 2)"
 * in the title. A line with no such group (a personal PDF) has no author.
 */
export function splitTitleLine(line: string): { title: string; author: string | null } {
  const text = line.trim();
  if (!text.endsWith(')')) return { title: text, author: null };
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const c = text[i];
    if (c === ')') depth++;
    else if (c === '(' && --depth === 0) {
      const title = text.slice(0, i).trim();
      const author = text.slice(i + 1, -1).trim();
      // "(Untitled)" alone, or "()" — no title to keep apart from it.
      if (!title || !author) return { title: text, author: null };
      return { title, author };
    }
  }
  return { title: text, author: null };
}

/** "Bloch;Goetz" → ["Bloch", "Goetz"]; Kindle separates several authors with `;`. */
export function splitAuthors(author: string | null): string[] {
  return (author ?? '').split(';').map((a) => a.trim()).filter((a) => a.length > 0);
}

type Highlight = { entry: KindleEntry; text: string; notes: KindleEntry[] };

/**
 * One document per book (same title and author, compared case- and
 * space-insensitively). Bookmarks carry no text and are counted, not
 * imported; entries the parser could not read are listed by `fileName`.
 */
export function kindleDocuments(parsed: KindleParse, options: { fileName: string }): KindleImport {
  const where = (index: number) => `${options.fileName}, entry ${index + 1}`;
  const result: KindleImport = {
    documents: [],
    skipped: { bookmarks: 0, duplicates: 0, problems: parsed.problems.map((p) => `${where(p.index)}: ${p.reason}`) },
    warnings: parsed.warnings.map((p) => `${where(p.index)}: ${p.reason}; the import time is used`),
  };

  const books = new Map<string, KindleEntry[]>();
  for (const entry of parsed.entries) {
    if (entry.kind === 'bookmark') {
      result.skipped.bookmarks++;
      continue;
    }
    if (!entry.body) {
      result.skipped.problems.push(`${where(entry.index)}: the ${entry.kind} has no text`);
      continue;
    }
    // Publishers cap how much may be exported; the device then writes this instead of the text.
    if (/^<[^>]*clipping limit[^>]*>$/i.test(entry.body)) {
      result.skipped.problems.push(`${where(entry.index)}: the Kindle withheld the text (the publisher's clipping limit)`);
      continue;
    }
    const key = bookKey(entry);
    const list = books.get(key);
    if (list) list.push(entry);
    else books.set(key, [entry]);
  }

  for (const [key, entries] of books) {
    const first = entries[0] as KindleEntry;
    const highlights = entries.filter((e) => e.kind === 'highlight' || e.kind === 'clip').sort(byReadingOrder);
    const notes = entries.filter((e) => e.kind === 'note').sort(byReadingOrder);
    const { kept, dropped } = mergeRevisions(highlights);
    result.skipped.duplicates += dropped;
    const items: Highlight[] = kept.map((entry) => ({ entry, text: blockText(entry.body), notes: [] }));
    const orphans = attachNotes(items, notes);

    // Highlights and unattached notes interleaved in reading order.
    const ordered = [...items.map((h) => ({ entry: h.entry, highlight: h as Highlight | null })), ...orphans.map((n) => ({ entry: n, highlight: null }))].sort(
      (a, b) => byReadingOrder(a.entry, b.entry),
    );
    const blocks: Block[] = ordered.map(({ entry, highlight }) =>
      highlight ? { kind: 'quote', text: highlight.text } : { kind: 'paragraph', text: blockText(entry.body) },
    );
    // Each clipping covers its whole block; positions are in the canonical text.
    const offsets = blockOffsets(blocks);
    const clippings: DocumentClipping[] = ordered.map(({ entry, highlight }, i) => {
      const start = offsets[i] ?? 0;
      const end = start + (blocks[i]?.text.length ?? 0);
      const clipping: DocumentClipping = highlight
        ? { start, end, note: noteText(highlight.notes), tags: [], label: 'quote' }
        : { start, end, note: '', tags: [KINDLE_NOTE_TAG], label: 'background' };
      // The Kindle gives wall-clock time and no zone; it is stored as if UTC (see KindleEntry.addedAt).
      if (entry.addedAt) clipping.createdAt = `${entry.addedAt}Z`;
      return clipping;
    });
    if (blocks.length === 0) continue;
    const authors = splitAuthors(first.author);
    result.documents.push({
      kind: 'kindle',
      title: first.title,
      source: KINDLE_SOURCE,
      byline: authors.length > 0 ? authors.join('; ') : null,
      published: null,
      dateline: null,
      language: null,
      blocks,
      identity: `kindle:${key}`,
      clippings,
    });
  }
  return result;
}

/** Parse and group in one step: what an importer of a clippings file calls. */
export function importKindleClippings(text: string, options: { fileName: string }): KindleImport {
  return kindleDocuments(parseKindleClippings(text), options);
}

function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** "normalised title|normalised author" — also the document's identity after `kindle:`. */
function bookKey(entry: KindleEntry): string {
  return `${fold(entry.title)}|${splitAuthors(entry.author).map(fold).join(';')}`;
}

/**
 * Block text: a blank line inside a Kindle body would read as a block
 * separator in the canonical text, so runs of line breaks become one.
 */
function blockText(body: string): string {
  return body.replace(/[ \t]*\n\s*/g, '\n').trim();
}

/** Several notes on one highlight, oldest first; an identical note typed twice counts once. */
function noteText(notes: readonly KindleEntry[]): string {
  const texts: string[] = [];
  for (const n of [...notes].sort((a, b) => (a.addedAt ?? '').localeCompare(b.addedAt ?? '') || a.index - b.index)) {
    if (!texts.includes(n.body)) texts.push(n.body);
  }
  return texts.join('\n\n');
}

const LAST = Number.MAX_SAFE_INTEGER;

/**
 * Location, then page, then when added, then file order: a total order even
 * when a book mixes entries with and without locations.
 */
function byReadingOrder(a: KindleEntry, b: KindleEntry): number {
  return (
    (a.location?.start ?? LAST) - (b.location?.start ?? LAST) ||
    (a.location?.end ?? LAST) - (b.location?.end ?? LAST) ||
    (a.page?.start ?? LAST) - (b.page?.start ?? LAST) ||
    (a.addedAt ?? '~').localeCompare(b.addedAt ?? '~') ||
    a.index - b.index
  );
}

function overlaps(a: KindleRange | null, b: KindleRange | null): boolean | null {
  if (!a || !b) return null;
  return a.start <= b.end && b.start <= a.end;
}

/**
 * The device appends a new entry each time a highlight is changed and never
 * removes the old one: extending a highlight leaves the shorter one behind,
 * trimming it leaves the longer one, and some firmware writes the same
 * highlight twice. When one highlight's text contains another's at an
 * overlapping place, they are states of one highlight and only one is kept:
 * the one added last (it is what the device now shows), or, when the times
 * do not tell (equal or missing), the longer one. Text is compared with
 * white space folded, so a re-export with different line breaks still matches.
 */
function mergeRevisions(highlights: readonly KindleEntry[]): { kept: KindleEntry[]; dropped: number } {
  const gone = new Set<KindleEntry>();
  const folded = new Map(highlights.map((h) => [h, h.body.replace(/\s+/g, ' ').trim()]));
  const newer = (a: KindleEntry, b: KindleEntry): KindleEntry => {
    if (a.addedAt && b.addedAt && a.addedAt !== b.addedAt) return a.addedAt > b.addedAt ? a : b;
    const la = folded.get(a)?.length ?? 0;
    const lb = folded.get(b)?.length ?? 0;
    if (la !== lb) return la > lb ? a : b;
    return a.index > b.index ? a : b;
  };
  const visit = (a: KindleEntry, b: KindleEntry) => {
    if (gone.has(a) || gone.has(b)) return;
    const ta = folded.get(a) ?? '';
    const tb = folded.get(b) ?? '';
    if (ta.includes(tb) || tb.includes(ta)) gone.add(newer(a, b) === a ? b : a);
  };
  // Only overlapping places can hold two states of one highlight: sweep each
  // list sorted by where it starts (as reading order sorts them) instead of
  // comparing every pair, which a book with thousands of highlights cannot afford.
  const located = highlights.filter((h) => h.location);
  const paged = highlights.filter((h) => !h.location && h.page);
  sweep(located, (h) => h.location, visit);
  sweep(paged, (h) => h.page, visit);
  // A book that mixes entries with and without locations (rare) is compared by page across the two.
  const locatedWithPage = located.filter((h) => h.page);
  for (const a of paged) for (const b of locatedWithPage) if (overlaps(a.page, b.page)) visit(a, b);
  return { kept: highlights.filter((h) => !gone.has(h)), dropped: gone.size };
}

/** Calls `visit` for each pair whose ranges overlap; `list` is sorted by range start. */
function sweep(list: readonly KindleEntry[], rangeOf: (h: KindleEntry) => KindleRange | null, visit: (a: KindleEntry, b: KindleEntry) => void): void {
  for (let i = 0; i < list.length; i++) {
    const a = list[i] as KindleEntry;
    const ra = rangeOf(a) as KindleRange;
    for (let j = i + 1; j < list.length; j++) {
      const b = list[j] as KindleEntry;
      const rb = rangeOf(b) as KindleRange;
      if (rb.start > ra.end) break;
      visit(a, b);
    }
  }
}

/**
 * The device files a note at the location where the highlight it was typed
 * on ends. A note goes to the highlight of its book whose location range
 * contains the note's location (by page when either has no location),
 * preferring one that ends exactly there, then the one added closest in
 * time, then the nearest in the file (the device writes a note and its
 * highlight one after the other). Returns the notes that belong to no highlight.
 */
function attachNotes(highlights: Highlight[], notes: readonly KindleEntry[]): KindleEntry[] {
  const orphans: KindleEntry[] = [];
  for (const note of notes) {
    let best: Highlight | null = null;
    let bestScore: number[] = [];
    for (const h of highlights) {
      const place = within(note.location, h.entry.location) ?? within(note.page, h.entry.page);
      if (!place) continue;
      const endsThere = note.location && h.entry.location ? note.location.start === h.entry.location.end : note.page?.start === h.entry.page?.end;
      const score = [endsThere ? 0 : 1, timeApart(note.addedAt, h.entry.addedAt), Math.abs(note.index - h.entry.index)];
      if (!best || lexicallyLess(score, bestScore)) {
        best = h;
        bestScore = score;
      }
    }
    if (best) best.notes.push(note);
    else orphans.push(note);
  }
  return orphans;
}

function lexicallyLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

function within(point: KindleRange | null, range: KindleRange | null): boolean | null {
  if (!point || !range) return null;
  return point.start >= range.start && point.start <= range.end;
}

function timeApart(a: string | null, b: string | null): number {
  if (!a || !b) return Number.MAX_SAFE_INTEGER;
  return Math.abs(Date.parse(`${a}Z`) - Date.parse(`${b}Z`));
}

function clip(s: string, max = 80): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

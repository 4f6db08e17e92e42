/**
 * Readwise CSV: the import template's columns (Highlight, Title, Author,
 * URL, Note, Location, Date; see export/csv.ts), and Readwise's own export
 * (Highlight, Book Title, Book Author, Note, Tags, Location, Highlighted
 * at, …), which differs only in names. Highlight is the one column needed.
 *
 * The rows of one (Title, Author, URL) are one work, as Kindle books are
 * (see kindle.ts): its highlights, in Location order, are the document's
 * quote blocks and each one's clipping, with its note. A highlight that
 * spans paragraphs keeps them: it is split at its blank lines into blocks,
 * which the canonical text joins with the same blank lines, so the
 * clipping's words are exactly the highlight's.
 */
import Papa from 'papaparse';
import { z } from 'zod';
import { LIMITS, normalizeTags, type Block } from '../../model';
import { BLOCK_SEPARATOR } from '../../model';
import { normalizeUrl } from '../../urls';
import type { DocumentClipping, ParsedDocument } from '../document';
import { AnnotationFileError, type ReadwiseBook, type ReadwiseHighlight } from './types';

type Column = 'highlight' | 'title' | 'author' | 'url' | 'note' | 'location' | 'date' | 'tags';
const ALIASES: Record<string, Column> = {
  highlight: 'highlight',
  title: 'title',
  'book title': 'title',
  author: 'author',
  'book author': 'author',
  url: 'url',
  note: 'note',
  location: 'location',
  date: 'date',
  'highlighted at': 'date',
  tags: 'tags',
};

const DateTime = z.iso.datetime({ offset: true });

/** Column positions, when the header is Readwise's (it must have Highlight, and Title or Book Title). */
export function readwiseColumns(header: readonly string[]): Map<Column, number> | null {
  const columns = new Map<Column, number>();
  header.forEach((name, i) => {
    const column = ALIASES[name.replace(/^\uFEFF/, '').trim().toLowerCase()];
    if (column && !columns.has(column)) columns.set(column, i);
  });
  return columns.has('highlight') && columns.has('title') ? columns : null;
}

/** The first line of a text, if it is a Readwise header. */
export function looksLikeReadwise(text: string): boolean {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/, 1)[0] ?? '';
  // Every text file is asked: most lines are refused here, without a CSV parse (3% of a news file's import).
  if (!firstLine.includes(',') || !/highlight/i.test(firstLine) || !/title/i.test(firstLine)) return false;
  const header = Papa.parse<string[]>(firstLine, { delimiter: ',' }).data[0] ?? [];
  return readwiseColumns(header) !== null;
}

/** A note's last line of Readwise inline tags (".tag .other"), split off. */
export function splitInlineTags(note: string): { note: string; tags: string[] } {
  const lines = note.split(/\r\n|\r|\n/);
  const last = (lines.at(-1) ?? '').trim();
  if (!/^\.[^\s.]\S*(?:\s+\.[^\s.]\S*)*$/.test(last)) return { note, tags: [] };
  return { note: lines.slice(0, -1).join('\n').replace(/\s+$/, ''), tags: last.split(/\s+/).map((t) => t.slice(1)) };
}

/** ISO 8601 with a zone as it is; a date and time without one is taken as UTC (as Kindle times are); anything else: unknown. */
function readDate(raw: string): string | null {
  const s = raw.trim();
  if (!s) return null;
  if (DateTime.safeParse(s).success) return s;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?$/.exec(s);
  if (m) {
    const iso = `${m[1]}T${m[2]}${m[3] ?? ':00'}Z`;
    return DateTime.safeParse(iso).success ? iso : null;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return `${s}T00:00:00Z`;
  return null;
}

export function parseReadwiseCsv(text: string): { books: ReadwiseBook[]; skipped: string[] } {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { delimiter: ',', skipEmptyLines: 'greedy' });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes');
  if (fatal) throw new AnnotationFileError(`row ${(fatal.row ?? 0) + 1} of the CSV is broken (${fatal.message.toLowerCase()})`);
  const [header, ...rows] = parsed.data;
  const columns = header ? readwiseColumns(header) : null;
  if (!columns) throw new AnnotationFileError(`it is a CSV file without Readwise's columns (it needs Highlight and Title; Author, URL, Note, Location and Date are optional)`);
  const cell = (row: string[], column: Column) => {
    const i = columns.get(column);
    return i === undefined ? '' : (row[i] ?? '');
  };
  const skipped: string[] = [];
  const books = new Map<string, ReadwiseBook>();
  rows.forEach((row, i) => {
    const line = i + 2; // 1-based, after the header
    const highlight = cell(row, 'highlight');
    if (highlight.trim() === '') {
      skipped.push(`row ${line} has no highlight`);
      return;
    }
    if (highlight.length > LIMITS.quoteChars) {
      skipped.push(`row ${line}: the highlight is longer than ${LIMITS.quoteChars} characters`);
      return;
    }
    const split = splitInlineTags(cell(row, 'note'));
    let note = split.note;
    if (note.length > LIMITS.noteChars) {
      skipped.push(`row ${line}: the note was cut to ${LIMITS.noteChars} characters`);
      note = note.slice(0, LIMITS.noteChars);
    }
    const columnTags = cell(row, 'tags').split(',').map((t) => t.trim()).filter((t) => t !== '');
    const tags = normalizeTags([...columnTags, ...split.tags]).filter((t) => t.length <= LIMITS.tagChars).slice(0, LIMITS.tagsPerItem);
    const location = /^\s*\d{1,15}\s*$/.test(cell(row, 'location')) ? Number(cell(row, 'location')) : null;
    const rawDate = cell(row, 'date');
    const date = readDate(rawDate);
    if (rawDate.trim() && !date) skipped.push(`row ${line}: the date “${rawDate.trim()}” could not be read; the import time is used`);
    const title = cell(row, 'title').trim().slice(0, LIMITS.titleChars);
    const author = cell(row, 'author').trim().slice(0, 300) || null;
    const url = cell(row, 'url').trim().slice(0, 4000) || null;
    const key = `${fold(title)}|${fold(author ?? '')}|${url ? normalizeUrl(url) : ''}`;
    let book = books.get(key);
    if (!book) books.set(key, (book = { title, author, url, highlights: [] }));
    book.highlights.push({ text: highlight, note, tags, location, date, row: line });
  });
  return { books: [...books.values()], skipped };
}

function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The identity that recognises the same work when its CSV grows (more highlights): a new version, not a new article. */
export function readwiseIdentity(book: ReadwiseBook): string {
  return `readwise:${fold(book.title)}|${fold(book.author ?? '')}|${book.url ? normalizeUrl(book.url) : ''}`;
}

/** Highlights in reading order: by Location when every one has it, else as the file lists them. */
export function readingOrder(highlights: readonly ReadwiseHighlight[]): ReadwiseHighlight[] {
  const all = highlights.every((h) => h.location !== null);
  return all ? [...highlights].sort((a, b) => (a.location as number) - (b.location as number) || a.row - b.row) : [...highlights];
}

export function readwiseDocument(book: ReadwiseBook): ParsedDocument {
  const blocks: Block[] = [];
  const clippings: DocumentClipping[] = [];
  let at = 0;
  for (const h of readingOrder(book.highlights)) {
    if (blocks.length > 0) at += BLOCK_SEPARATOR.length;
    const start = at;
    // Split at exactly the separator the canonical text joins with: joining the parts gives the highlight back.
    for (const [i, part] of h.text.split(BLOCK_SEPARATOR).entries()) {
      if (i > 0) at += BLOCK_SEPARATOR.length;
      blocks.push({ kind: 'quote', text: part });
      at += part.length;
    }
    clippings.push({ start, end: at, note: h.note, tags: h.tags, ...(h.date ? { createdAt: h.date } : {}) });
  }
  return {
    kind: 'readwise',
    title: book.title,
    source: book.url ? siteName(book.url) : null,
    byline: book.author,
    published: null,
    dateline: null,
    language: null,
    url: book.url,
    blocks,
    identity: readwiseIdentity(book),
    clippings,
  };
}

function siteName(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^www\./, '') || null;
  } catch {
    return null;
  }
}

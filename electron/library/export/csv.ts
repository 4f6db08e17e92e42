/**
 * CSV in Readwise's import format: one row per clipping, the columns of
 * Readwise's CSV import template, in its order. Readwise requires only
 * Highlight; Title, Author, URL, Note, Location and Date are optional, and
 * highlights with the same Title and Author become one book there.
 *
 *   Highlight  the quote, exactly as clipped
 *   Title      the article's title
 *   Author     the byline, or the publication when there is none
 *   URL        the article's web address (empty when it has none)
 *   Note       the note, then the passage tags as Readwise's inline tags
 *              (".tag" words on a last line of their own; white space in a
 *              tag becomes "-", since a Readwise inline tag ends at a space)
 *   Location   the paragraph number: an integer, as Readwise wants it, and
 *              it keeps the highlights in reading order there
 *   Date       when the clipping was made, ISO 8601 (Readwise's
 *              highlighted_at)
 *
 * Written with papaparse: RFC 4180 quoting (a field with a comma, a quote
 * or a line break is quoted, quotes doubled), CRLF line ends, no byte-order
 * mark (a BOM would become part of the first column's name, "Highlight",
 * for a reader that does not expect one).
 *
 * Cells that start with = + - @ are NOT prefixed with an apostrophe, the
 * usual defence against formula injection when a CSV is opened in a
 * spreadsheet. This file is for Readwise, which reads cells as text and
 * keeps them verbatim: the apostrophe would become the first character of
 * the highlight there, misquoting every clipping that starts with "-3%" or
 * "@handle", and a clipping tool must never alter a quote. Someone who wants
 * a spreadsheet gets the Markdown or HTML export; `spreadsheetSafe` is there
 * for a caller that knows the file goes to a spreadsheet.
 */
import Papa from 'papaparse';
import type { ExportSet } from './collect';

export const READWISE_COLUMNS = ['Highlight', 'Title', 'Author', 'URL', 'Note', 'Location', 'Date'] as const;

export type ReadwiseCsvOptions = {
  /** Prefix cells starting with = + - @ (or a tab or CR) with an apostrophe. Off by default: see above. */
  spreadsheetSafe?: boolean;
};

/** A passage tag as a Readwise inline tag. */
export function readwiseTag(tag: string): string {
  return `.${tag.replace(/\s+/g, '-')}`;
}

export function renderReadwiseCsv(set: ExportSet, options: ReadwiseCsvOptions = {}): string {
  const data: string[][] = [];
  for (const a of set.articles) {
    const { article } = a;
    for (const { clipping, provenance } of a.clippings) {
      const tags = clipping.tags.map(readwiseTag).join(' ');
      const note = tags ? (clipping.note ? `${clipping.note}\n${tags}` : tags) : clipping.note;
      data.push([
        clipping.target.quote.exact,
        article.title,
        article.byline ?? article.source ?? '',
        article.url ?? '',
        note,
        String(provenance.paragraph),
        clipping.createdAt,
      ]);
    }
  }
  // Our own pattern: papaparse's default (/^[=+\-@\t\r].*$/) misses a cell whose first line is a formula and that has more lines.
  const csv = Papa.unparse({ fields: [...READWISE_COLUMNS], data }, { newline: '\r\n', escapeFormulae: options.spreadsheetSafe === true ? /^[=+\-@\t\r]/ : false });
  return `${csv}\r\n`;
}

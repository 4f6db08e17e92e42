/**
 * The plain-text news format of seeds/:
 *
 *    date 2024-12-06 United Nations, Dec 6 UN Secretary-General Antonio ...
 *
 *   At a press meeting, Guterres said that ...
 *
 * Optional leading spaces, the word `date`, an ISO date, then the dateline
 * (place, then month and day) running straight into the lead paragraph;
 * paragraphs are separated by blank lines. There is no title line.
 */
import type { Block } from '../model';
import type { ParsedDocument } from './document';

export type { ParsedDocument } from './document';

const HEADER = /^[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})[ \t]+/;

const MONTH = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
/**
 * "United Nations, Dec 6 UN Secretary-General ..." — the place is everything
 * up to the comma before the month; an agency in brackets after the day
 * ("Dec 6 (Xinhua) --") is common in wire copy and names the source.
 */
const DATELINE = new RegExp(
  `^([^,\\n]{1,80}?),[ \\t]+${MONTH}[ \\t]+\\d{1,2}(?:[ \\t]*\\(([^)\\n]{1,60})\\))?(?:[ \\t]*(?:--|—|–|-))?[ \\t]+`,
);

/** Agencies and outlets wire copy most often credits; matched as whole words. */
const KNOWN_SOURCES = [
  'Xinhua', 'Reuters', 'Associated Press', 'AFP', 'Agence France-Presse', 'TASS', 'RIA Novosti',
  'Anadolu', 'Kyodo', 'Yonhap', 'ANSA', 'EFE', 'dpa', 'Deutsche Presse-Agentur', 'Press Trust of India',
  'PTI', 'Bernama', 'Antara', 'Bloomberg', 'BBC', 'CNN', 'Al Jazeera', 'WAFA', 'SANA', 'IRNA', 'KCNA',
];

const KNOWN_SOURCE_PATTERN = new RegExp(`\\b(${[...KNOWN_SOURCES].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\b`);

export function isNewsText(text: string): boolean {
  return HEADER.test(stripBom(text));
}

export function parseNewsText(input: string): ParsedDocument | null {
  const text = stripBom(input).replace(/\r\n?/g, '\n');
  const header = HEADER.exec(text);
  if (!header) return null;
  const published = header[1] ?? null;
  if (published && Number.isNaN(Date.parse(published))) return null;

  const paragraphs = splitParagraphs(text.slice(header[0].length));
  if (paragraphs.length === 0) return null;

  let dateline: string | null = null;
  let bracketSource: string | null = null;
  const lead = paragraphs[0] ?? '';
  const m = DATELINE.exec(lead);
  if (m) {
    dateline = (m[1] ?? '').trim();
    bracketSource = m[2]?.trim() ?? null;
    paragraphs[0] = lead.slice(m[0].length);
  }

  const blocks: Block[] = paragraphs.filter((p) => p.length > 0).map((p) => ({ kind: 'paragraph', text: p }));
  return {
    kind: 'news-text',
    title: deriveTitle(blocks[0]?.text ?? ''),
    source: bracketSource ?? findSource(paragraphs.join('\n\n')),
    byline: null,
    published,
    dateline,
    // The format carries no language; wire copy in it is English.
    language: 'en',
    blocks,
  };
}

/** Any other text file: paragraphs by blank lines, the first short line as title. */
export function parsePlainText(input: string, fileName: string): ParsedDocument | null {
  const text = stripBom(input).replace(/\r\n?/g, '\n');
  const paragraphs = splitParagraphs(text);
  if (paragraphs.length === 0) return null;
  const first = paragraphs[0] ?? '';
  const titleIsLine = paragraphs.length > 1 && first.length <= 200 && !/[.!?]["”’]?$/.test(first);
  const blocks: Block[] = paragraphs.map((p, i) =>
    i === 0 && titleIsLine ? { kind: 'heading', level: 1, text: p } : { kind: 'paragraph', text: p },
  );
  return {
    kind: 'plain-text',
    title: titleIsLine ? first : deriveTitle(first) || fileName,
    source: findSource(paragraphs.join('\n\n')),
    byline: null,
    published: null,
    dateline: null,
    language: null,
    blocks,
  };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Blank lines separate paragraphs; line breaks inside one are soft wraps. */
function splitParagraphs(text: string): string[] {
  return text
    .split(/\n[ \t]*\n/)
    // Most paragraphs are one clean line: only those with breaks, tabs or double spaces need the rewriting.
    .map((p) => (/\n|\t| {2}/.test(p) ? p.replace(/[ \t]*\n[ \t]*/g, ' ').replace(/[ \t]+/g, ' ') : p).trim())
    .filter((p) => p.length > 0);
}

const TITLE_MAX = 110;
const TITLE_MIN = 40;

/**
 * A headline from the lead: its first sentence, cut back to a clause
 * boundary when long ("X called for Y in Syria, and a return to ..." keeps
 * "X called for Y in Syria"), else to a word boundary with an ellipsis.
 */
export function deriveTitle(lead: string): string {
  const sentence = (/^.+?[.!?](?=\s+["“‘(]?[A-Z0-9]|\s*$)/.exec(lead)?.[0] ?? lead).trim();
  const bare = sentence.replace(/[.!?]$/, '');
  if (bare.length <= TITLE_MAX) return bare;
  const head = bare.slice(0, TITLE_MAX + 1);
  const clauseEnds = [...head.matchAll(/[,;:](?=\s)|\s[-–—]\s/g)].map((c) => c.index ?? 0);
  const clause = clauseEnds.filter((i) => i >= TITLE_MIN).pop();
  if (clause !== undefined) return bare.slice(0, clause).trim();
  const space = head.lastIndexOf(' ', TITLE_MAX - 1);
  return `${bare.slice(0, space > TITLE_MIN ? space : TITLE_MAX - 1).trim()}…`;
}

/**
 * The agency or outlet the text credits: "Xinhua news agency reported",
 * "according to Reuters", or the first well-known agency named.
 */
export function findSource(text: string): string | null {
  const credited = /\b((?:[A-Z][\w'.&-]*\s){0,3}[A-Z][\w'.&-]*)\s+(?:news\s+agency|News\s+Agency|agency)\b/.exec(text);
  if (credited?.[1] && !/^(The|A|An|UN)$/.test(credited[1])) return credited[1];
  // The earliest credited name wins: one alternation finds it in a single pass.
  return KNOWN_SOURCE_PATTERN.exec(text)?.[1] ?? null;
}

/**
 * The localised words of a Kindle "My Clippings.txt" metadata line, in the UI
 * languages Kindles write (de, es, fr, it, ja, nl, pt-BR, ru, zh, en-US,
 * en-GB), and the parsing of its "Added on …" date.
 *
 * Rather than one template per language (which breaks on every firmware
 * variant), each field is found by its own small pattern over the whole
 * line: the kind by its noun, the page and the location by the word before
 * (or, in Japanese and Chinese, around) the number, the date by its parts.
 * A kind is accepted only when exactly one kind's words occur, so an unknown
 * language is reported rather than guessed.
 */

export type KindleKind = 'highlight' | 'note' | 'bookmark' | 'clip';

/** An inclusive range of page or location numbers; a single number has start === end. */
export type KindleRange = { start: number; end: number };

const LETTER_BEFORE = '(?<![\\p{L}\\p{N}])';
const LETTER_AFTER = '(?![\\p{L}\\p{N}])';

/** Whole words for alphabetic languages; CJK words have no spaces to bound them. */
function words(latin: readonly string[], cjk: readonly string[] = []): RegExp {
  const alternatives = [...latin.map((w) => `${LETTER_BEFORE}${w}${LETTER_AFTER}`), ...cjk];
  return new RegExp(alternatives.join('|'), 'iu');
}

const KIND_WORDS: ReadonlyArray<readonly [KindleKind, RegExp]> = [
  // en, nl "highlight"; de; es; fr; it; pt-BR; ru "выделенный отрывок"; ja; zh (simplified, traditional).
  ['highlight', words(['highlight', 'markierung', 'subrayado', 'surlignement', 'evidenziazione', 'destaque', 'выделенный', 'отрывок'], ['ハイライト', '标注', '標註', '畫線'])],
  // en, fr "note"; de; es, it, pt-BR "nota"; nl; ru; ja; zh.
  ['note', words(['note', 'notiz', 'nota', 'notitie', 'заметка'], ['メモ', '笔记', '筆記'])],
  // en; de; es, pt-BR "marcador"; fr; it; nl; ru; ja; zh.
  ['bookmark', words(['bookmark', 'lesezeichen', 'marcador', 'signet', 'segnalibro', 'bladwijzer', 'закладка'], ['ブックマーク', '书签', '書籤'])],
  // Periodicals: "- Clip This Article on Location 12 | Added on …" (English firmware only, as far as we know).
  ['clip', words(['clip'])],
];

/** The kind named in a metadata line, or null when none or more than one kind's word occurs. */
export function kindOf(header: string): KindleKind | null {
  const found = KIND_WORDS.filter(([, re]) => re.test(header)).map(([kind]) => kind);
  return found.length === 1 ? (found[0] ?? null) : null;
}

/** "1300-1301", "1300–1301" (ru), "1300 t/m 1301" (nl). */
const RANGE_TAIL = '(?:\\s*(?:-|–|—|t/m)\\s*([0-9]+|[ivxlcdm]+))?';
const NUMBER = '([0-9]+|[ivxlcdm]+)';

const PAGE_PATTERNS: readonly RegExp[] = [
  // en/fr "page", de "Seite", es/pt "página", it/nl "pagina", ru "на странице".
  new RegExp(`${LETTER_BEFORE}(?:page|seite|p[áa]gina|страниц[а-яё]*)\\s+${NUMBER}${RANGE_TAIL}${LETTER_AFTER}`, 'iu'),
  // ja "112ページ"; zh "第 112 页".
  /(?<![0-9])([0-9]+)(?:\s*-\s*([0-9]+))?\s*ページ/u,
  /第\s*([0-9]+)(?:\s*-\s*([0-9]+))?\s*[页頁]/u,
];

const LOCATION_PATTERNS: readonly RegExp[] = [
  // en "Location", old en "Loc.", de "Position", es "posición", it "posizione", pt "posição",
  // fr "emplacement", nl "locatie", ru "Место".
  new RegExp(
    `${LETTER_BEFORE}(?:location|loc\\.|locatie|position|posici[óo]n|posizione|posi[çc][ãa]o|emplacement|место)\\s*([0-9]+)(?:\\s*(?:-|–|—|t/m)\\s*([0-9]+))?${LETTER_AFTER}`,
    'iu',
  ),
  // ja "位置No. 1300-1301"; zh "位置 #1300-1301".
  /位置\s*(?:No\.?)?\s*#?\s*([0-9]+)(?:\s*-\s*([0-9]+))?/iu,
];

/** The page as written ("105-105", "xii") and, when it is in arabic numerals, as numbers. */
export function pageOf(header: string): { label: string; range: KindleRange | null } | null {
  for (const re of PAGE_PATTERNS) {
    const m = re.exec(header);
    if (!m?.[1]) continue;
    const label = m[2] ? `${m[1]}-${m[2]}` : m[1];
    if (!/^[0-9]+$/.test(m[1]) || (m[2] && !/^[0-9]+$/.test(m[2]))) return { label, range: null };
    return { label, range: range(m[1], m[2]) };
  }
  return null;
}

export function locationOf(header: string): KindleRange | null {
  for (const re of LOCATION_PATTERNS) {
    const m = re.exec(header);
    if (m?.[1]) return range(m[1], m[2]);
  }
  return null;
}

/**
 * Old firmware abbreviates the end of a range to its changing digits
 * ("Loc. 1406-07" is 1406–1407): an end smaller than the start with fewer
 * digits takes the start's leading digits.
 */
function range(startText: string, endText: string | undefined): KindleRange {
  const start = Number(startText);
  if (!endText) return { start, end: start };
  let end = Number(endText);
  if (end < start && endText.length < startText.length) {
    end = Number(startText.slice(0, startText.length - endText.length) + endText);
  }
  return { start, end: end < start ? start : end };
}

const MONTHS: ReadonlyMap<string, number> = (() => {
  const table: ReadonlyArray<readonly string[]> = [
    // en (with the abbreviations older firmware and other tools use)
    ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'],
    ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
    ['', '', '', '', '', '', '', '', 'sept', '', '', ''],
    // de
    ['januar', 'februar', 'märz', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'dezember'],
    ['jänner', '', 'maerz', '', '', '', '', '', '', '', '', ''],
    // es
    ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
    ['', '', '', '', '', '', '', '', 'setiembre', '', '', ''],
    // fr
    ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
    // it
    ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
    // nl
    ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
    // pt
    ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro'],
    // ru, genitive as in dates ("22 августа"), and nominative
    ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'],
    ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'],
  ];
  const map = new Map<string, number>();
  for (const row of table) row.forEach((name, i) => name && map.set(name, i + 1));
  return map;
})();

const TIME = /(?<![0-9])([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(?![0-9])/gu;
/** The 12-hour mark sits right after the time ("6:10:53 PM"), or right before it in Chinese and Japanese ("下午6:10:53"). */
const MARK_AFTER = /^\s*(am|pm|a\.\s?m\.|p\.\s?m\.)(?![\p{L}])/iu;
const MARK_BEFORE = /(上午|下午|午前|午後)\s*$/u;

/**
 * "Thursday, August 22, 2024 6:10:53 PM", "Donnerstag, 22. August 2024
 * 18:10:53", "2024年8月22日星期四 下午6:10:53", "четверг, 22 августа 2024 г. в
 * 18:10:53", old "Sunday, March 28, 2010, 11:05 PM" → "YYYY-MM-DDTHH:MM:SS".
 * The Kindle writes the device's local time with no zone, so the result is a
 * naive local date-time. Null when the text is not a date we can read.
 */
export function parseKindleDate(text: string): string | null {
  const s = text.normalize('NFC');
  const times = [...s.matchAll(TIME)];
  const time = times.at(-1);
  if (!time) return null;
  let hour = Number(time[1]);
  const minute = Number(time[2]);
  const second = Number(time[3] ?? '0');
  const mark = (
    MARK_AFTER.exec(s.slice(time.index + time[0].length))?.[1] ?? MARK_BEFORE.exec(s.slice(0, time.index))?.[1]
  )?.toLowerCase();
  if (mark) {
    if (hour < 1 || hour > 12) return null;
    const pm = mark.startsWith('p') || mark === '下午' || mark === '午後';
    if (pm && hour !== 12) hour += 12;
    if (!pm && hour === 12) hour = 0;
  }
  if (hour > 23 || minute > 59 || second > 59) return null;

  const rest = s.slice(0, time.index) + ' ' + s.slice(time.index + time[0].length);
  let year: number;
  let month: number | undefined;
  let day: number;
  const cjk = /([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日/u.exec(rest);
  const iso = /(?<![0-9])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9])/u.exec(rest);
  if (cjk || iso) {
    const m = (cjk ?? iso) as RegExpExecArray;
    year = Number(m[1]);
    month = Number(m[2]);
    day = Number(m[3]);
  } else {
    const y = /(?<![0-9])([0-9]{4})(?![0-9])/u.exec(rest);
    if (!y) return null;
    year = Number(y[1]);
    const withoutYear = rest.slice(0, y.index) + ' ' + rest.slice(y.index + y[0].length);
    const d = /(?<![0-9])([0-9]{1,2})(?![0-9])/u.exec(withoutYear);
    if (!d) return null;
    day = Number(d[1]);
    for (const word of withoutYear.toLowerCase().match(/\p{L}+/gu) ?? []) {
      month = MONTHS.get(word);
      if (month) break;
    }
  }
  if (!month || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

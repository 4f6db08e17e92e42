import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  importKindleClippings,
  isKindleClippings,
  KINDLE_NOTE_TAG,
  kindleDocuments,
  parseKindleClippings,
  parseKindleDate,
  splitTitleLine,
  type KindleEntry,
} from '../../electron/library/import/kindle';
import { LabelIdSchema, TagListSchema } from '../../electron/library/model';
import { canonicalText } from '../../electron/library/text';
import { ROOT, SEED_FILE } from './helpers/temp';

const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const GOLDEN = join(ROOT, 'tests', 'golden', 'kindle');
const YAKIMKA = join(CORPUS, 'kindle-yakimka-clippings', 'tests');
const SAMUELDG = join(CORPUS, 'kindle-samueldg-clippings');
const EUGENEWARE = join(CORPUS, 'kindle-eugeneware-kindle-clippings', 'test', 'fixtures', 'My Clippings.txt');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Every file of the Kindle corpus folders, the licences and samueldg's expected JSON set apart. */
const corpusFiles = readdirSync(CORPUS)
  .filter((d) => d.startsWith('kindle-'))
  .flatMap((d) => filesUnder(join(CORPUS, d)));
const clippingFiles = corpusFiles.filter((f) => !/^LICENSE/i.test(basename(f)) && !f.endsWith('.json'));
const read = (f: string) => readFileSync(f, 'utf8');
const count = (entries: readonly KindleEntry[], kind: KindleEntry['kind']) => entries.filter((e) => e.kind === kind).length;

describe('every Kindle file in the corpus', () => {
  // Counted by hand from the files (one entry per `==========`).
  const expected: Record<string, { entries: number; highlights: number; notes: number; bookmarks: number }> = {
    'kindle-yakimka-clippings/tests/test_adapters/my_clippings_languages_examples.txt': { entries: 33, highlights: 11, notes: 11, bookmarks: 11 },
    'kindle-yakimka-clippings/tests/test_web/test_endpoints/clippings_for_upload.txt': { entries: 3, highlights: 1, notes: 1, bookmarks: 1 },
    'kindle-samueldg-clippings/tests/resources/clippings.txt': { entries: 5, highlights: 4, notes: 1, bookmarks: 0 },
    'kindle-samueldg-clippings/tests/resources/clippings-new-format.txt': { entries: 2, highlights: 2, notes: 0, bookmarks: 0 },
    'kindle-samueldg-clippings/examples/bilingual_spanish_english_kindle/resources/MyClippings.txt': { entries: 2, highlights: 2, notes: 0, bookmarks: 0 },
    'kindle-eugeneware-kindle-clippings/test/fixtures/My Clippings.txt': { entries: 14, highlights: 10, notes: 2, bookmarks: 2 },
  };

  it('are exactly the files whose counts were checked by hand', () => {
    expect(clippingFiles.map((f) => relative(CORPUS, f)).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(clippingFiles.map((f) => [relative(CORPUS, f), f] as const))('%s is recognised and parses with no problem', (name, file) => {
    const text = read(file);
    expect(isKindleClippings(text)).toBe(true);
    const parsed = parseKindleClippings(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.warnings).toEqual([]);
    const { entries } = parsed;
    expect({ entries: entries.length, highlights: count(entries, 'highlight'), notes: count(entries, 'note'), bookmarks: count(entries, 'bookmark') }).toEqual(expected[name]);
    for (const e of entries) {
      expect(e.title).not.toMatch(/^\uFEFF|^\s|\s$/);
      expect(e.addedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      expect(e.body === '').toBe(e.kind === 'bookmark');
    }
  });

  it.each(corpusFiles.filter((f) => !clippingFiles.includes(f)).map((f) => [relative(CORPUS, f), f] as const))('%s is not taken for a clippings file', (_name, file) => {
    expect(isKindleClippings(read(file))).toBe(false);
  });

  it.each(clippingFiles.map((f) => [relative(CORPUS, f), f] as const))('%s: each highlight is its block and its clipping', (_name, file) => {
    const parsed = parseKindleClippings(read(file));
    const { documents, skipped } = kindleDocuments(parsed, { fileName: basename(file) });
    expect(skipped.problems).toEqual([]);
    expect(skipped.bookmarks).toBe(count(parsed.entries, 'bookmark'));
    const IsoDateTime = z.iso.datetime({ offset: true });
    let highlightsPlaced = 0;
    for (const doc of documents) {
      expect(doc.kind).toBe('kindle');
      expect(doc.source).toBe('Kindle');
      const text = canonicalText(doc.blocks);
      expect(doc.clippings).toHaveLength(doc.blocks.length);
      doc.clippings?.forEach((c, i) => {
        expect(text.slice(c.start, c.end)).toBe(doc.blocks[i]?.text);
        expect(c.end).toBeGreaterThan(c.start);
        expect(TagListSchema.parse(c.tags)).toEqual(c.tags);
        LabelIdSchema.parse(c.label);
        IsoDateTime.parse(c.createdAt);
      });
      // The book's highlights (none of these files holds an extended one), each exactly once.
      for (const h of parsed.entries.filter((e) => e.kind === 'highlight' && doc.title === e.title)) {
        const at = text.indexOf(h.body);
        expect(at).toBeGreaterThanOrEqual(0);
        expect(text.indexOf(h.body, at + 1)).toBe(-1);
        const clipping = doc.clippings?.find((c) => c.start === at);
        expect(clipping && text.slice(clipping.start, clipping.end)).toBe(h.body);
        highlightsPlaced++;
      }
    }
    expect(highlightsPlaced).toBe(count(parsed.entries, 'highlight'));
  });
});

describe("samueldg's expected parses", () => {
  /** Our entry in the shape of samueldg's JSON, field by field. */
  const asSamueldg = (e: KindleEntry) => ({
    document: { title: e.title, authors: e.author },
    metadata: {
      category: { highlight: 'Highlight', note: 'Note', bookmark: 'Bookmark', clip: 'Clip' }[e.kind],
      location: e.location && { begin: e.location.start, end: e.location.end },
      timestamp: e.addedAt,
      page: e.page?.start ?? null,
    },
    content: e.body,
  });

  it.each(['clippings', 'clippings-new-format'])('%s.txt gives %s.json', (name) => {
    const dir = join(SAMUELDG, 'tests', 'resources');
    const parsed = parseKindleClippings(read(join(dir, `${name}.txt`)));
    expect(parsed.entries.map(asSamueldg)).toEqual(JSON.parse(read(join(dir, `${name}.json`))));
  });

  it('reads the bilingual file, which starts with an empty line and mixes en-GB and Spanish', () => {
    const { entries } = parseKindleClippings(read(join(SAMUELDG, 'examples', 'bilingual_spanish_english_kindle', 'resources', 'MyClippings.txt')));
    expect(entries.map((e) => [e.title, e.author, e.kind, e.pageLabel, e.location, e.addedAt])).toEqual([
      ['The Priory of the Orange Tree', 'Samantha Shannon', 'highlight', '115', { start: 1756, end: 1757 }, '2021-02-26T11:03:02'],
      ['El Principe de la Niebla', 'Carlos Ruiz Zafón', 'highlight', '4', { start: 60, end: 60 }, '2022-07-06T06:54:57'],
    ]);
  });
});

describe('the eleven Kindle UI languages (yakimka)', () => {
  const { entries } = parseKindleClippings(read(join(YAKIMKA, 'test_adapters', 'my_clippings_languages_examples.txt')));
  const languages = ['Deutsch', 'Español', 'Français', 'Italiano', 'Japanese', 'Nederlands', 'Português (Brasil)', 'Russian', 'Chinese', 'English (US)', 'English (UK)'];

  it.each(languages.map((language, i) => [language, i] as const))('%s: a highlight, a note and a bookmark, with page, location and date', (language, i) => {
    const [highlight, note, bookmark] = entries.slice(i * 3, i * 3 + 3);
    expect([highlight?.kind, note?.kind, bookmark?.kind]).toEqual(['highlight', 'note', 'bookmark']);
    expect(highlight?.body).toBe(`My highlight in ${language}`);
    expect(note?.body).toBe(`My note in ${language}`);
    expect(bookmark?.body).toBe('');
    expect(highlight?.location).toEqual({ start: 1300, end: 1301 });
    expect(note?.location).toEqual({ start: 1300, end: 1300 });
    for (const e of [highlight, note, bookmark]) {
      expect(e?.title).toBe('Hexagonal Architecture Explained');
      expect(e?.author).toBe('Cockburn, Alistair');
      expect(e?.page).toEqual({ start: 112, end: 112 });
      expect(e?.addedAt).toBe('2024-08-22T18:10:53');
    }
  });

  it('attaches each note to the highlight in its own language', () => {
    const [book] = importKindleClippings(read(join(YAKIMKA, 'test_adapters', 'my_clippings_languages_examples.txt')), { fileName: 'x.txt' }).documents;
    expect(book?.clippings?.map((c) => c.note)).toEqual(languages.map((l) => `My note in ${l}`));
  });
});

describe('parseKindleDate', () => {
  // The first five are the lines of the languages file, read by hand.
  it.each([
    ['de', 'Hinzugefügt am Donnerstag, 22. August 2024 18:10:53', '2024-08-22T18:10:53'],
    ['ja', '作成日: 2024年8月22日木曜日 18:10:53', '2024-08-22T18:10:53'],
    ['ru', 'Добавлено: четверг, 22 августа 2024 г. в 18:10:53', '2024-08-22T18:10:53'],
    ['zh, 12-hour', '添加于 2024年8月22日星期四 下午6:10:53', '2024-08-22T18:10:53'],
    ['pt-BR', 'Adicionado: quinta-feira, 22 de agosto de 2024 18:10:53', '2024-08-22T18:10:53'],
    ['fr', 'Ajouté le jeudi 22 août 2024 18:10:53', '2024-08-22T18:10:53'],
    ['en-US', 'Added on Thursday, August 22, 2024 6:10:53 PM', '2024-08-22T18:10:53'],
    ['en-GB', 'Added on Sunday, 8 March 2015 10:23:27', '2015-03-08T10:23:27'],
    ['old, no seconds, comma after the year', 'Added on Sunday, March 28, 2010, 11:05 PM', '2010-03-28T23:05:00'],
    ['midnight in 12-hour', 'Added on Monday, March 29, 2010, 12:15 AM', '2010-03-29T00:15:00'],
    ['noon in 12-hour', 'Added on Friday, August 23, 2024 12:00:00 PM', '2024-08-23T12:00:00'],
    ['zh morning', '添加于 2024年1月5日星期五 上午9:03:00', '2024-01-05T09:03:00'],
    ['es', 'Añadido el miércoles, 6 de julio de 2022 06:54:57', '2022-07-06T06:54:57'],
    ['nl', 'Toegevoegd op donderdag 22 augustus 2024 18:10:53', '2024-08-22T18:10:53'],
    ['it', 'Aggiunto in data giovedì 22 agosto 2024 18:10:53', '2024-08-22T18:10:53'],
  ])('%s', (_case, text, iso) => expect(parseKindleDate(text)).toBe(iso));

  it.each([
    ['no time', 'Added on Thursday, August 22, 2024'],
    ['a day the month does not have', 'Added on Friday, February 30, 2024 10:00:00'],
    ['an unknown month name', 'Lisätty torstai 22. elokuuta 2024 18:10:53'],
    ['a 24-hour time marked PM', 'Added on Thursday, August 22, 2024 18:10:53 PM'],
  ])('refuses %s', (_case, text) => expect(parseKindleDate(text)).toBeNull());
});

describe('the eugeneware export (a real device file)', () => {
  const raw = read(EUGENEWARE);
  const { entries } = parseKindleClippings(raw);

  it('is the CRLF file with BOMs the corpus describes, and none of it leaks into titles', () => {
    expect(raw.split('\r\n').length).toBeGreaterThan(50);
    expect(raw.match(/\uFEFF/g)).toHaveLength(12);
    expect(entries.every((e) => !e.title.includes('\uFEFF') && !/\r/.test(e.title + e.body))).toBe(true);
  });

  it('reads a personal PDF: no author, trailing spaces gone, page ranges like 105-105 and no location', () => {
    const pdf = entries.filter((e) => e.title === 'Making_Sense_of_Stream_Processing_Confluent_1.pdf');
    expect(pdf.map((e) => [e.author, e.pageLabel, e.page, e.location, e.addedAt])).toEqual([
      [null, '105-105', { start: 105, end: 105 }, null, '2016-04-22T07:41:21'],
      [null, '110-110', { start: 110, end: 110 }, null, '2016-04-22T07:50:16'],
    ]);
    const doc = importKindleClippings(raw, { fileName: 'My Clippings.txt' }).documents.find((d) => d.title === pdf[0]?.title);
    expect(doc?.byline).toBeNull();
    expect(doc?.identity).toBe('kindle:making_sense_of_stream_processing_confluent_1.pdf|');
  });

  it('gives the note typed on a highlight (same timestamp, written before it) to that highlight, and keeps the lone note as its own block', () => {
    const note = entries[5];
    const highlight = entries[6];
    expect([note?.kind, highlight?.kind]).toEqual(['note', 'highlight']);
    expect(note?.addedAt).toBe(highlight?.addedAt);
    const result = importKindleClippings(raw, { fileName: 'My Clippings.txt' });
    expect(result.skipped).toEqual({ bookmarks: 2, duplicates: 0, problems: [] });
    expect(result.documents.map((d) => [d.title, d.byline, d.blocks.length])).toEqual([
      ['Better Than Before: Mastering the Habits of Our Everyday Lives', 'Rubin, Gretchen', 6],
      ['The Shallows: What the Internet Is Doing to Our Brains', 'Carr, Nicholas', 3],
      ['Making_Sense_of_Stream_Processing_Confluent_1.pdf', null, 2],
    ]);
    const shallows = result.documents[1];
    expect(shallows?.blocks.map((b) => b.kind)).toEqual(['quote', 'quote', 'paragraph']);
    expect(shallows?.blocks[0]?.text).toBe(highlight?.body);
    expect(shallows?.clippings?.[0]).toMatchObject({ note: note?.body, tags: [], label: 'quote', createdAt: '2015-07-13T04:06:30Z' });
    expect(shallows?.clippings?.[1]?.note).toBe('');
    const lone = entries[8];
    expect(shallows?.blocks[2]?.text).toBe(lone?.body);
    expect(shallows?.clippings?.[2]).toMatchObject({ note: '', tags: [KINDLE_NOTE_TAG], createdAt: '2015-07-14T16:26:26Z' });
  });

  it('puts a book in reading order though the file has it out of order', () => {
    const better = importKindleClippings(raw, { fileName: 'x' }).documents[0];
    const starts = better?.blocks.map((b) => entries.find((e) => e.body === b.text)?.location?.start);
    expect(starts).toEqual([1041, 1061, 1062, 2032, 2139, 2146]);
  });
});

describe('title lines', () => {
  it.each([
    ['Java Concurrency in Practice (Joshua Bloch;Brian Goetz)', 'Java Concurrency in Practice', 'Joshua Bloch;Brian Goetz'],
    ['Meditations (Everyman Series) (Marcus Aurelius; Long, George (tr.))', 'Meditations (Everyman Series)', 'Marcus Aurelius; Long, George (tr.)'],
    ['Rock, Paper, Scissors (Len Fischer)', 'Rock, Paper, Scissors', 'Len Fischer'],
    ['Making_Sense_of_Stream_Processing_Confluent_1.pdf  ', 'Making_Sense_of_Stream_Processing_Confluent_1.pdf', null],
    ['(Untitled)', '(Untitled)', null],
    ['A title with an unbalanced ) (Author', 'A title with an unbalanced ) (Author', null],
  ])('%s', (line, title, author) => expect(splitTitleLine(line)).toEqual({ title, author }));
});

describe('damaged and unusual files', () => {
  const entry = (title: string, meta: string, body = 'Some text.') => `${title}\n${meta}\n\n${body}\n==========\n`;
  const ok = entry('Book (Author)', '- Your Highlight on page 3 | Location 40-41 | Added on Thursday, August 22, 2024 6:10:53 PM');

  it('reports an entry it cannot read by its position and reads the others', () => {
    const text = ok + 'garbage line\nmore garbage\n==========\n' + entry('Book (Author)', '- Dein Lesezeichen auf Seite 3 | Position 40 | Hinzugefügt am Donnerstag, 22. August 2024 18:10:53', '') + entry('Book (Author)', '- Jouw gloednieuwe ding op pagina 3 | Added on Thursday, August 22, 2024 6:10:53 PM') + ok;
    const parsed = parseKindleClippings(text);
    expect(parsed.entries.map((e) => [e.index, e.kind])).toEqual([[0, 'highlight'], [2, 'bookmark'], [4, 'highlight']]);
    expect(parsed.problems.map((p) => p.index)).toEqual([1, 3]);
    expect(parsed.problems[1]?.reason).toMatch(/unrecognised kind/);
    const result = kindleDocuments(parsed, { fileName: 'My Clippings.txt' });
    expect(result.skipped.problems).toEqual([expect.stringMatching(/^My Clippings\.txt, entry 2: /), expect.stringMatching(/^My Clippings\.txt, entry 4: unrecognised kind/)]);
    expect(result.skipped.duplicates).toBe(1);
    expect(result.documents).toHaveLength(1);
  });

  it('keeps an entry whose date it cannot read, with a warning, and the clipping gets no date', () => {
    const result = importKindleClippings(entry('Book (Author)', '- Your Highlight on page 3 | Location 40-41 | Added on a day we cannot read'), { fileName: 'f.txt' });
    expect(result.warnings).toEqual(['f.txt, entry 1: the date it was added could not be read; the import time is used']);
    expect(result.documents[0]?.clippings?.[0]?.createdAt).toBeUndefined();
  });

  it('skips highlights with no text or withheld by the clipping limit, saying so', () => {
    const result = importKindleClippings(
      entry('Book (Author)', '- Your Highlight on Location 5 | Added on Thursday, August 22, 2024 6:10:53 PM', '') +
        entry('Book (Author)', '- Your Highlight on Location 7 | Added on Thursday, August 22, 2024 6:10:53 PM', '<You have reached the clipping limit for this item>'),
      { fileName: 'f.txt' },
    );
    expect(result.documents).toEqual([]);
    expect(result.skipped.problems).toEqual(['f.txt, entry 1: the highlight has no text', "f.txt, entry 2: the Kindle withheld the text (the publisher's clipping limit)"]);
  });

  it('reads old-style CR line endings, BOMs before any entry and a file with no final separator', () => {
    const text = ('\uFEFF' + ok + '\uFEFF' + ok.replace('Some text.', 'Other text.')).replace(/\n/g, '\r').replace(/=+\r$/, '');
    const parsed = parseKindleClippings(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries.map((e) => e.body)).toEqual(['Some text.', 'Other text.']);
  });

  it('keeps the last state of a highlight that was extended or trimmed, and moves nothing else', () => {
    const at = (loc: string, time: string, body: string) => entry('Book (Author)', `- Your Highlight on Location ${loc} | Added on Thursday, August 22, 2024 ${time}`, body);
    const text =
      at('10-11', '1:00:00 PM', 'The quick brown fox') +
      at('10-12', '1:01:00 PM', 'The quick brown fox jumps over the lazy dog.') + // extended: replaces the first
      at('30-32', '2:00:00 PM', 'Lorem ipsum dolor sit amet, consectetur.') +
      at('30-31', '2:05:00 PM', 'Lorem ipsum dolor sit amet') + // trimmed later: the trimmed one stays
      at('50', '3:00:00 PM', 'Twice.') +
      at('50', '3:00:00 PM', 'Twice.') + // written twice
      at('70', '4:00:00 PM', 'fox'); // contained in another highlight's text, but elsewhere in the book
    const result = importKindleClippings(text, { fileName: 'f.txt' });
    expect(result.documents[0]?.blocks.map((b) => b.text)).toEqual(['The quick brown fox jumps over the lazy dog.', 'Lorem ipsum dolor sit amet', 'Twice.', 'fox']);
    expect(result.skipped.duplicates).toBe(3);
  });

  it('merges the states of a highlight in a PDF, which has pages and no locations', () => {
    const pdf = (page: string, time: string, body: string) => entry('Notes.pdf  ', `- Your Highlight on page ${page} | Added on Friday, April 22, 2016 ${time}`, body);
    const result = importKindleClippings(pdf('7-7', '7:41:21 AM', 'Make each program') + pdf('9-9', '7:42:00 AM', 'Make each program') + pdf('7-8', '7:45:00 AM', 'Make each program do one thing well.'), { fileName: 'f.txt' });
    expect(result.documents[0]?.blocks.map((b) => b.text)).toEqual(['Make each program do one thing well.', 'Make each program']);
    expect(result.skipped.duplicates).toBe(1);
  });

  it('makes a note with no highlight its own paragraph, in reading order, tagged as a Kindle note', () => {
    const result = importKindleClippings(
      entry('Book (Author)', '- Your Highlight on Location 90-91 | Added on Thursday, August 22, 2024 6:10:53 PM', 'Later text.') +
        entry('Book (Author)', '- Your Note on Location 12 | Added on Thursday, August 22, 2024 6:11:53 PM', 'An early thought.'),
      { fileName: 'f.txt' },
    );
    const doc = result.documents[0];
    expect(doc?.blocks).toEqual([{ kind: 'paragraph', text: 'An early thought.' }, { kind: 'quote', text: 'Later text.' }]);
    expect(doc?.clippings?.map((c) => [c.start, c.end, c.note, c.tags])).toEqual([
      [0, 17, '', [KINDLE_NOTE_TAG]],
      [19, 30, '', []],
    ]);
  });

  it('groups a book whatever the case and spacing of its title line', () => {
    const result = importKindleClippings(ok + entry('book  (author)', '- Your Highlight on Location 90 | Added on Thursday, August 22, 2024 6:10:53 PM', 'More.'), { fileName: 'f.txt' });
    expect(result.documents.map((d) => [d.title, d.identity, d.blocks.length])).toEqual([['Book', 'kindle:book|author', 2]]);
  });
});

describe('isKindleClippings', () => {
  it.each([
    ['an empty file', ''],
    ['the news-text seed', read(SEED_FILE)],
    ['text with a separator but no metadata line', 'Title\nSome paragraph\n==========\n'],
    ['a metadata-like line and no separator', 'Book (Author)\n- Your Highlight on Location 5 | Added on Monday\n\ntext\n'],
  ])('refuses %s', (_case, text) => expect(isKindleClippings(text)).toBe(false));
});

/**
 * Golden folders: tests/golden/kindle/<case>/source.txt and expected.json
 * (the parse and the import, as JSON). Adding a case is adding a folder;
 * UPDATE_GOLDEN=1 writes expected.json for a new one (read it before keeping it).
 */
describe('Kindle golden cases', () => {
  for (const name of readdirSync(GOLDEN)) {
    it(`${name} gives expected.json`, () => {
      const dir = join(GOLDEN, name);
      const parsed = parseKindleClippings(read(join(dir, 'source.txt')));
      const actual = { parsed, imported: kindleDocuments(parsed, { fileName: 'source.txt' }) };
      const expectedFile = join(dir, 'expected.json');
      if (process.env.UPDATE_GOLDEN && !existsSync(expectedFile)) writeFileSync(expectedFile, JSON.stringify(actual, null, 2) + '\n');
      expect(JSON.parse(JSON.stringify(actual))).toEqual(JSON.parse(read(expectedFile)));
    });
  }
});

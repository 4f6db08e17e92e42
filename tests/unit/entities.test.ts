import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { analyseText, detectQuotes, suggestTags, type TagSuggestion } from '../../electron/library/analysis';
import { blocksFromHtml } from '../../electron/library/import/html-blocks';
import { parseNewsText } from '../../electron/library/import/news-text';
import { LIMITS, normalizeTag } from '../../electron/library/model';
import { canonicalText } from '../../electron/library/text';
import { SEED_FILE, SHARED } from './helpers/temp';

const sample = canonicalText(parseNewsText(readFileSync(SEED_FILE, 'utf8'))!.blocks);
const paragraphs = (...p: string[]) => p.join('\n\n');
const tags = (found: readonly TagSuggestion[]) => found.map((s) => s.tag);

function pageText(name: string): string {
  const html = readFileSync(join(SHARED, 'corpus', 'mozilla-readability', 'test', 'test-pages', name, 'expected.html'), 'utf8');
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`) as unknown as { document: Document };
  return canonicalText(blocksFromHtml(document.body));
}

describe('suggested tags for the sample article', () => {
  const found = suggestTags(sample);

  it('lists its people, places and organisations, most mentioned first', () => {
    expect(found).toEqual([
      { tag: 'UN', kind: 'organization', count: 5 },
      { tag: 'Syria', kind: 'place', count: 5 },
      { tag: 'Antonio Guterres', kind: 'person', count: 4 },
      { tag: 'Security Council', kind: 'organization', count: 3 },
      { tag: 'Recep Tayyip Erdogan', kind: 'person', count: 1 },
      { tag: 'Xinhua', kind: 'organization', count: 1 },
      { tag: 'Hayat Tahrir al-Sham', kind: 'organization', count: 1 },
      { tag: 'Geir Pedersen', kind: 'person', count: 1 },
    ]);
  });

  it('gives the same suggestions through analyseText', () => {
    expect(analyseText(sample).suggestions).toEqual(found);
  });
});

describe('suggested tags', () => {
  const cases: { behaviour: string; text: string; includes: Partial<TagSuggestion>[]; excludes?: string[] }[] = [
    {
      behaviour: 'counts a surname alone for the full name given earlier',
      text: paragraphs('UN Secretary-General Antonio Guterres spoke in Geneva.', 'Guterres said the talks would go on.', 'Later Guterres left for New York.'),
      includes: [{ tag: 'Antonio Guterres', kind: 'person', count: 3 }],
      excludes: ['Guterres'],
    },
    {
      behaviour: 'drops titles in front of a name',
      text: paragraphs('He spoke with Turkish President Recep Tayyip Erdogan and UN Secretary-General Antonio Guterres on Monday.'),
      includes: [
        { tag: 'Recep Tayyip Erdogan', kind: 'person' },
        { tag: 'Antonio Guterres', kind: 'person' },
      ],
      excludes: ['President Recep Tayyip Erdogan', 'General Antonio Guterres', 'UN Secretary-General Antonio Guterres'],
    },
    {
      behaviour: 'strips possessives and counts them for the name',
      text: paragraphs('Aid reached Syria on Friday.', "Syria's neighbours opened their borders, and Syria's government agreed."),
      includes: [{ tag: 'Syria', kind: 'place', count: 3 }],
      excludes: ["Syria's"],
    },
    {
      behaviour: 'takes a name introduced as "a group" for an organisation',
      text: paragraphs('The offensive was launched by Hayat Tahrir al-Sham, a group sanctioned by the Security Council.'),
      includes: [{ tag: 'Hayat Tahrir al-Sham', kind: 'organization', count: 1 }],
      excludes: ['Tahrir al-Sham'],
    },
    {
      behaviour: 'does not suggest a nationality adjective or a byline in capitals',
      text: paragraphs('The Syrian government said the Sudanese government had agreed.', 'JIM WATSON/AFP/Getty Images'),
      includes: [],
      excludes: ['Syrian', 'Sudanese', 'JIM WATSON'],
    },
  ];
  for (const c of cases) {
    it(c.behaviour, () => {
      const found = suggestTags(c.text);
      for (const expected of c.includes) expect(found).toContainEqual(expect.objectContaining(expected));
      for (const tag of c.excludes ?? []) expect(tags(found)).not.toContain(tag);
    });
  }

  it('orders by count, then by first appearance', () => {
    const found = suggestTags(paragraphs('Kenya and Ethiopia signed the deal.', 'Kenya will build the road.', 'Ethiopia will pay for it.', 'Nairobi hosted the talks.'));
    expect(found.map((s) => [s.tag, s.count])).toEqual([
      ['Kenya', 2],
      ['Ethiopia', 2],
      ['Nairobi', 1],
    ]);
  });

  it('gives at most `max` suggestions, twelve unless told', () => {
    const text = pageText('seattletimes-1');
    expect(suggestTags(text)).toHaveLength(12);
    expect(tags(suggestTags(text, { max: 3 }))).toEqual(tags(suggestTags(text)).slice(0, 3));
    expect(suggestTags(text, { max: 0 })).toEqual([]);
    expect(suggestTags('')).toEqual([]);
  });

  it('gives only tags the library accepts: normal form, at most 100 characters, no "/" hierarchy', () => {
    for (const name of ['bbc-1', 'wapo-2', 'nytimes-1', 'seattletimes-1', 'herald-sun-1', 'breitbart', 'buzzfeed-1']) {
      for (const { tag } of suggestTags(pageText(name), { max: 50 })) {
        expect(normalizeTag(tag)).toBe(tag);
        expect(tag.length).toBeLessThanOrEqual(LIMITS.tagChars);
        expect(tag).not.toContain('/');
      }
    }
  });
});

describe('suggested tags for news pages', () => {
  it('names the people and places of a Washington Post analysis, the prime minister first', () => {
    const found = suggestTags(pageText('wapo-2'));
    expect(found[0]).toEqual({ tag: 'Benjamin Netanyahu', kind: 'person', count: 13 });
    for (const expected of [
      { tag: 'Obama', kind: 'person' },
      { tag: 'Israel', kind: 'place' },
      { tag: 'Palestinian Authority', kind: 'organization' },
      { tag: 'Martin Indyk', kind: 'person' },
      { tag: 'Robert M. Danin', kind: 'person' },
      { tag: 'Josh Earnest', kind: 'person' },
    ]) {
      expect(found).toContainEqual(expect.objectContaining(expected));
    }
    // Left of a photo credit ("Thomas Coex/AFP/Getty Images") only a first name: not a tag.
    expect(tags(found)).not.toContain('Thomas');
  });

  it('names the businesses a Seattle Times feature is about, though compromise does not know them', () => {
    const found = suggestTags(pageText('seattletimes-1'));
    expect(found.slice(0, 2).map((s) => [s.tag, s.kind])).toEqual([
      ['Whole Foods', 'organization'],
      ['Amazon', 'organization'],
    ]);
    for (const tag of ['Tom Forte', 'Wade Bassi', 'Tyler Besecker', 'Bob Alverson', 'Seattle']) expect(tags(found)).toContain(tag);
  });

  it('counts every "Mr Obama" of a BBC interview for Barack Obama', () => {
    const found = suggestTags(pageText('bbc-1'));
    expect(found[0]).toEqual({ tag: 'Barack Obama', kind: 'person', count: 13 });
    for (const tag of ['Kenya', 'BBC', 'Jon Sopel']) expect(tags(found)).toContain(tag);
    expect(tags(found)).not.toContain('Obama');
  });
});

describe('a long text', () => {
  // Longer than compromise reads whole: only the sentences introducing names go through it.
  const filler = Array.from({ length: 400 }, (_, i) => `Paragraph ${i + 1} says the weather was mild and the markets were calm that week.`);
  const long = paragraphs(...filler.slice(0, 200), sample, ...filler.slice(200));

  it('still finds the sample article’s names, with the same counts', () => {
    expect(long.split(/\s+/).length).toBeGreaterThan(5000);
    const found = suggestTags(long, { max: 50 });
    for (const expected of suggestTags(sample)) expect(found).toContainEqual(expected);
  });

  it('still finds the sample article’s quotations and speakers', () => {
    const offset = long.indexOf(sample);
    const expected = detectQuotes(sample).map((q) => ({ ...q, start: q.start + offset, end: q.end + offset }));
    expect(detectQuotes(long)).toEqual(expected);
  });
});

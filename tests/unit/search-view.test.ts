/**
 * The renderer's side of search, in plain Node: the filter controls turned
 * into the contract's filters, and snippet ranges turned into marked text.
 */
import { describe, expect, it } from 'vitest';
import {
  NO_FILTERS,
  activeFilterCount,
  appendUnique,
  indexingText,
  markPieces,
  paletteItems,
  plainExcerpt,
  sourcesOf,
  toSearchFilters,
  withoutMarkdownMarkers,
  type FilterState,
} from '../../renderer/src/lib/search';

const marked = (text: string, ranges: [number, number][]) =>
  markPieces(text, ranges)
    .map((p) => (p.marked ? `[${p.text}]` : p.text))
    .join('');

describe('markPieces', () => {
  it.each<[string, string, [number, number][], string]>([
    ['no ranges', 'harbour reopens', [], 'harbour reopens'],
    ['one word', 'the harbour reopens', [[4, 11]], 'the [harbour] reopens'],
    ['at both ends', 'harbour reopens', [[0, 7], [8, 15]], '[harbour] [reopens]'],
    ['out of order', 'a b c', [[4, 5], [0, 1]], '[a] b [c]'],
    ['overlapping ranges are drawn once', 'harbour', [[0, 4], [2, 7]], '[harbour]'],
    ['touching ranges are one mark', 'harbour', [[0, 4], [4, 7]], '[harbour]'],
    ['past the end is clamped', 'port', [[2, 99]], 'po[rt]'],
    ['empty and negative ranges are dropped', 'port', [[2, 2], [-5, -1], [3, 1]], 'port'],
  ])('%s', (_name, text, ranges, expected) => {
    expect(marked(text, ranges)).toBe(expected);
  });

  it('keeps markup as text: a snippet is never HTML', () => {
    const pieces = markPieces('<b>bold</b> claim', [[12, 17]]);
    expect(pieces).toEqual([
      { text: '<b>bold</b> ', marked: false },
      { text: 'claim', marked: true },
    ]);
  });
});

describe('withoutMarkdownMarkers', () => {
  const shown = (text: string, ranges: [number, number][]) => {
    const s = withoutMarkdownMarkers({ text, ranges });
    return marked(s.text, s.ranges);
  };

  it.each<[string, string, [number, number][], string]>([
    ['bold around the word', 'Check with the **harbour** master', [[17, 24]], 'Check with the [harbour] master'],
    ['the range takes in the markers', 'the **harbour** master', [[4, 15]], 'the [harbour] master'],
    ['code and strike', 'run `make` and ~~not~~ this', [[5, 9]], 'run [make] and not this'],
    ['plain text is left alone', 'no markers here', [[3, 10]], 'no [markers] here'],
  ])('%s', (_name, text, ranges, expected) => {
    expect(shown(text, ranges)).toBe(expected);
  });
});

describe('toSearchFilters', () => {
  const f = (patch: Partial<FilterState>) => toSearchFilters({ ...NO_FILTERS, ...patch });

  it('says nothing when nothing is set', () => {
    expect(f({})).toBeUndefined();
    expect(activeFilterCount(NO_FILTERS)).toBe(0);
  });

  it.each<[string, Partial<FilterState>, ReturnType<typeof toSearchFilters>]>([
    ['a tag, trimmed of spaces and slashes', { tag: ' place/Syria/ ' }, { tags: ['place/Syria'] }],
    ['a source', { source: 'Lake Wire' }, { sources: ['Lake Wire'] }],
    ['a date range', { from: '2025-01-01', to: '2025-01-31' }, { published: { from: '2025-01-01', to: '2025-01-31' } }],
    ['a range typed backwards is turned round', { from: '2025-02-01', to: '2025-01-01' }, { published: { from: '2025-01-01', to: '2025-02-01' } }],
    ['an open-ended range', { to: '2025-01-31' }, { published: { to: '2025-01-31' } }],
    ['an unfinished date is left out', { from: '2025-0' }, undefined],
    ['a label', { label: 'quote' }, { labels: ['quote'] }],
    ['with clippings', { hasClippings: 'yes' }, { hasClippings: true }],
    ['without clippings', { hasClippings: 'no' }, { hasClippings: false }],
    ['a reading state', { reading: 'archived' }, { readingStates: ['archived'] }],
  ])('%s', (_name, patch, expected) => {
    expect(f(patch)).toEqual(expected);
  });

  it('counts each control once', () => {
    expect(activeFilterCount({ ...NO_FILTERS, tag: 'aid', from: '2025-01-01', to: '2025-02-01', reading: 'read' })).toBe(3);
  });
});

describe('the palette list', () => {
  const article = (id: string) => ({ kind: 'article', articleId: id }) as never;
  const clipping = (id: string) => ({ kind: 'clipping', clippingId: id }) as never;

  it('ends a group with "more" when there are more hits than shown', () => {
    const { articles, clippings } = paletteItems([article('a1')], [clipping('c1')], { articles: 3, clippings: 1 });
    expect(articles.map((i) => i.kind)).toEqual(['article', 'more-articles']);
    expect(articles[1]).toMatchObject({ remaining: 2 });
    expect(clippings.map((i) => i.kind)).toEqual(['clipping']);
  });

  it('offers the clippings view when clippings are left over', () => {
    const { clippings } = paletteItems([], [clipping('c1')], { articles: 0, clippings: 40 });
    expect(clippings[1]).toMatchObject({ kind: 'all-clippings', total: 40 });
  });

  it('appends a page without repeating a hit', () => {
    expect(appendUnique([{ id: 'a' }, { id: 'b' }], [{ id: 'b' }, { id: 'c' }], (x) => x.id).map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('small helpers', () => {
  it('lists sources most used first', () => {
    expect(sourcesOf([{ source: 'B' }, { source: 'A' }, { source: 'B' }, { source: null }, { source: ' ' }])).toEqual(['B', 'A']);
  });

  it('flattens a note’s Markdown to one line', () => {
    expect(plainExcerpt('# Why\n\n**Key** claim, see [the report](https://x.test).\n- one\n- two')).toBe('Why Key claim, see the report. one two');
    expect(plainExcerpt('a'.repeat(30), 10)).toBe(`${'a'.repeat(9)}…`);
  });

  it('tells while the index is being built', () => {
    expect(indexingText(null, false)).toBeNull();
    expect(indexingText({ state: 'ready', done: 0, total: 0, reason: null, rebuildReason: null }, false)).toBeNull();
    expect(indexingText({ state: 'building', done: 1200, total: 10000, reason: null, rebuildReason: null }, false)).toMatch(/^Indexing… 1,200 of 10,000 articles/);
    expect(indexingText(null, true)).toMatch(/^Indexing…/);
  });
});

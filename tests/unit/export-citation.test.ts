import { describe, expect, it } from 'vitest';
import { citationQuote, formatCitation, speakerOf } from '../../electron/library/export/citation';
import { UniqueNames, mdBlockquote, mdCode, mdInline, mdLink, mdUserText, obsidianTag, safeFileName, yamlString } from '../../electron/library/export/escape';
import { exportLibrary } from './helpers/export-fixtures';

describe('formatCitation', () => {
  it.each([
    [
      'every part',
      { exact: 'It is time for serious dialogue', speaker: 'Antonio Guterres', source: 'Xinhua', dateline: 'United Nations', published: '2024-12-06', url: 'https://x.example/a' },
      '“It is time for serious dialogue” — Antonio Guterres, Xinhua, United Nations, 2024-12-06, https://x.example/a',
    ],
    ['missing parts skipped', { exact: 'Words.', speaker: null, source: 'Reuters', dateline: null, published: null, url: null }, '“Words.” — Reuters'],
    ['nothing but the quote', { exact: 'Words.' }, '“Words.”'],
    ['a timestamp printed as its date', { exact: 'W', published: '2024-12-06T08:30:00.000Z' }, '“W” — 2024-12-06'],
    ['blank parts skipped, white space collapsed', { exact: '  two\n\nparagraphs  ', speaker: ' ', source: 'The\nTimes' }, '“two paragraphs” — The Times'],
    ['quotation marks inside become single', { exact: 'He said "never" and “not now”', source: 'AP' }, '“He said ‘never’ and ‘not now’” — AP'],
    ['the quote’s own outer marks not doubled', { exact: '"It is time for serious dialogue,"', source: 'AP' }, '“It is time for serious dialogue,” — AP'],
    ['a lone opening mark dropped', { exact: '“It is time for serious dialogue' }, '“It is time for serious dialogue”'],
    ['an inner quotation at the end kept', { exact: 'They called it "a disgrace"' }, '“They called it ‘a disgrace’”'],
  ])('%s', (_name, parts, expected) => {
    expect(formatCitation(parts)).toBe(expected);
  });

  it('keeps a long quote whole', () => {
    const exact = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    expect(formatCitation({ exact, source: 'S' })).toBe(`“${exact}” — S`);
    expect(citationQuote(exact)).toHaveLength(exact.length);
  });
});

describe('speakerOf', () => {
  const quotes = [
    { start: 0, end: 10, speaker: 'A' },
    { start: 20, end: 40, speaker: 'B' },
    { start: 38, end: 60, speaker: null },
  ];
  it.each([
    ['inside one quotation', { start: 22, end: 30 }, 'B'],
    ['overlapping two: the one it overlaps most', { start: 5, end: 25 }, 'A'],
    ['overlapping most a quotation with no speaker', { start: 39, end: 60 }, null],
    ['a tie goes to the earlier', { start: 8, end: 22 }, 'A'],
    ['outside every quotation', { start: 10, end: 20 }, null],
  ])('%s', (_name, position, expected) => {
    expect(speakerOf(position, quotes)).toBe(expected);
  });

  it("finds the speaker of a clipping from the article's analysis", async () => {
    const { library, sample, clips } = await exportLibrary();
    const { quotes: found } = await library.analyseArticle(sample);
    expect(speakerOf(clips.dialogue.target.position, found)).toBe('Antonio Guterres');
  });
});

describe('escaping for Markdown, YAML and file names', () => {
  it.each([
    ['emphasis, code, links, HTML', '*a* _b_ `c` [d](e) <f>', '\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\<f\\>'],
    ['Obsidian syntax', '#tag ==hl== $m$ %%c%% ~~s~~ ^id [[w]]', '\\#tag \\=\\=hl\\=\\= \\$m\\$ \\%\\%c\\%\\% \\~\\~s\\~\\~ \\^id \\[\\[w\\]\\]'],
    ['a list item', '- item', '\\- item'],
    ['an ordered list item', '12. item', '12\\. item'],
    ['a heading', '# Title', '\\# Title'],
    ['a character reference', 'AT&amp;T & co', 'AT\\&amp;T & co'],
    ['line breaks and runs of spaces', ' a\n\nb  c ', 'a b c'],
    ['plain words as they are', 'Plain words, 3 of them.', 'Plain words, 3 of them.'],
  ])('mdInline: %s', (_name, input, expected) => {
    expect(mdInline(input)).toBe(expected);
  });

  it('mdBlockquote keeps paragraphs apart inside one quote', () => {
    expect(mdBlockquote('First *one*.\n\n---\n\n> third')).toBe('> First \\*one\\*.\n>\n> \\---\n>\n> \\> third');
  });

  it('mdUserText keeps formatting but makes HTML, images and unsafe links text', () => {
    expect(mdUserText('**bold** <b>x</b> ![i](https://e/x.png) [ok](https://e) [no](javascript:alert(1))\n[ref]: file:///etc/passwd')).toBe(
      '**bold** &lt;b&gt;x&lt;/b> !\\[i](https://e/x.png) [ok](https://e) [no]\\(javascript:alert(1))\n\\[ref]: file:///etc/passwd',
    );
  });

  it.each([
    ['plain', 'place/Syria', '`place/Syria`'],
    ['a backtick inside', 'a`b', '``a`b``'],
    ['backticks at the ends', '`x`', '`` `x` ``'],
  ])('mdCode: %s', (_name, input, expected) => {
    expect(mdCode(input)).toBe(expected);
  });

  it.each([
    ['a web address', 'https://e.example/a b<c>', '<https://e.example/a%20b%3Cc%3E>'],
    ['anything else, as text', 'javascript:alert(1)', 'javascript:alert(1)'],
  ])('mdLink: %s', (_name, input, expected) => {
    expect(mdLink(input)).toBe(expected);
  });

  it.each([
    ['place/Syria', 'place/Syria'],
    ['United Nations', 'United-Nations'],
    ['2024', '_2024'],
    ['#hash, and:more', 'hash-and-more'],
    ['éléphant/Côte d’Ivoire', 'éléphant/Côte-d-Ivoire'],
  ])('obsidianTag(%j) is %j', (input, expected) => {
    expect(obsidianTag(input)).toBe(expected);
  });

  it.each([
    ['plain', 'Title', '"Title"'],
    ['quotes and backslash', 'a "b" \\c', '"a \\"b\\" \\\\c"'],
    ['line breaks', 'a\nb\r\nc', '"a\\nb\\r\\nc"'],
    ['separators and control characters', '\u2028\u0085\u0007\ufeff', '"\\u2028\\u0085\\u0007\\ufeff"'],
    ['a lone surrogate', 'x\ud800y', '"x\ufffdy"'],
    ['an emoji (a surrogate pair)', '📰', '"📰"'],
    ['null', null, 'null'],
  ])('yamlString: %s', (_name, input, expected) => {
    expect(yamlString(input)).toBe(expected);
  });

  it.each([
    ['forbidden characters', 'a/b\\c:d*e?f"g<h>i|j', "a b c d e f'g h i j"],
    ['a leading dot and trailing dots', '..hidden...', 'hidden'],
    ['a Windows device name', 'CON', '_CON'],
    ['a device name with an extension', 'lpt1.txt', '_lpt1.txt'],
    ['nothing left', '///', 'Untitled'],
    ['control characters', 'a\u0000b\nc', 'a b c'],
  ])('safeFileName: %s', (_name, input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });

  it('safeFileName caps the length in bytes without cutting a character', () => {
    const name = safeFileName('🗞️'.repeat(100));
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(120);
    expect(name).toBe('🗞️'.repeat(Math.floor(120 / Buffer.byteLength('🗞️'))));
  });

  it('UniqueNames gives each name once, whatever its case', () => {
    const names = new UniqueNames();
    expect(['Budget', 'budget', 'Budget', 'Other'].map((n) => names.take(n, '.md'))).toEqual(['Budget.md', 'budget (2).md', 'Budget (3).md', 'Other.md']);
  });
});

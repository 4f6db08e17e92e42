import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveTitle, parseNewsText } from '../../electron/library/import/news-text';
import { ROOT, SEED_FILE } from './helpers/temp';

/**
 * Golden folders: tests/golden/news-text/<case>/ holds source.txt (or a
 * case.json naming the source) and expected.json. Adding a case is adding a
 * folder; UPDATE_GOLDEN=1 writes expected.json for a new one (read it before
 * committing).
 */
const GOLDEN = join(ROOT, 'tests', 'golden', 'news-text');

function sourceOf(caseDir: string): string {
  const meta = join(caseDir, 'case.json');
  const file = existsSync(meta) ? resolve(caseDir, (JSON.parse(readFileSync(meta, 'utf8')) as { source: string }).source) : join(caseDir, 'source.txt');
  return readFileSync(file, 'utf8');
}

describe('news-text golden cases', () => {
  for (const name of readdirSync(GOLDEN)) {
    it(`parses ${name} as expected.json says`, () => {
      const dir = join(GOLDEN, name);
      const parsed = parseNewsText(sourceOf(dir));
      const expectedFile = join(dir, 'expected.json');
      if (process.env.UPDATE_GOLDEN && !existsSync(expectedFile)) writeFileSync(expectedFile, JSON.stringify(parsed, null, 2) + '\n');
      expect(parsed).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
    });
  }
});

describe('the sample article', () => {
  const source = readFileSync(SEED_FILE, 'utf8');
  const parsed = parseNewsText(source)!;

  it('reads the date and the dateline place', () => {
    expect(parsed.published).toBe('2024-12-06');
    expect(parsed.dateline).toBe('United Nations');
  });

  it('keeps every paragraph, none lost and none merged', () => {
    // Independently of the parser: the source's blank-line-separated chunks.
    const chunks = source.trim().split(/\n\s*\n/);
    expect(parsed.blocks.length).toBeGreaterThanOrEqual(8);
    expect(parsed.blocks).toHaveLength(chunks.length);
    parsed.blocks.forEach((block, i) => {
      expect(block.kind).toBe('paragraph');
      expect(chunks[i]).toContain(block.text);
      expect(block.text).not.toContain('\n');
    });
    expect(parsed.blocks[0]?.text.startsWith('UN Secretary-General Antonio Guterres called')).toBe(true);
    expect(parsed.blocks.at(-1)?.text.startsWith("'It breaks my heart'")).toBe(true);
  });

  it('names the agency the text credits and derives a headline', () => {
    expect(parsed.source).toBe('Xinhua');
    expect(parsed.title).toBe('UN Secretary-General Antonio Guterres called for immediate humanitarian access to all civilians in Syria');
  });
});

describe('deriveTitle', () => {
  it.each([
    ['Short lead.', 'Short lead'],
    ['Talks resumed. Nobody came.', 'Talks resumed'],
    ['U.S. officials met on Monday in Geneva to discuss the ceasefire, the third such meeting this year and the longest so far by all accounts.', 'U.S. officials met on Monday in Geneva to discuss the ceasefire'],
    ['A'.repeat(30) + ' ' + 'b'.repeat(200), 'A'.repeat(30) + ' ' + 'b'.repeat(78) + '…'],
  ])('%s', (lead, title) => expect(deriveTitle(lead)).toBe(title));
});

it('refuses text that is not in the news format', () => {
  expect(parseNewsText('Just a note\n\nwith paragraphs')).toBeNull();
  expect(parseNewsText(' date 2024-13-45 Nowhere, Dec 6 Lead')).toBeNull();
});

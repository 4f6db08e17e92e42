import { createHash } from 'node:crypto';
import { BLOCK_SEPARATOR, LIMITS, type Block } from './model';

/** The text every selector refers to: the blocks' text joined by blank lines. */
export function canonicalText(blocks: readonly Block[]): string {
  return blocks.map((b) => b.text).join(BLOCK_SEPARATOR);
}

/** Where each block starts in the canonical text. */
export function blockOffsets(blocks: readonly Block[]): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const block of blocks) {
    offsets.push(at);
    at += block.text.length + BLOCK_SEPARATOR.length;
  }
  return offsets;
}

/** 1-based number of the block holding `position`, for citations ("paragraph 9"). */
export function blockNumberAt(blocks: readonly Block[], position: number): number {
  const offsets = blockOffsets(blocks);
  let index = 0;
  for (let i = 0; i < offsets.length; i++) {
    if ((offsets[i] ?? 0) <= position) index = i;
  }
  return index + 1;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Folding used to recognise the same article imported twice: case, Unicode
 * form, quote style and white space do not make a new article.
 */
export function dedupKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201a\u201b]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

/** Counted without building the list of words (an article's worth of strings per import). */
export function countWords(text: string): number {
  WORD.lastIndex = 0;
  let n = 0;
  while (WORD.exec(text) !== null) n++;
  return n;
}

/** A TextQuoteSelector for [start, end) of `text`, with context as Hypothesis keeps it. */
export function quoteSelector(text: string, start: number, end: number) {
  return {
    exact: text.slice(start, end),
    prefix: text.slice(Math.max(0, start - LIMITS.contextChars), start),
    suffix: text.slice(end, end + LIMITS.contextChars),
  };
}

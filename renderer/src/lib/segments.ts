/**
 * Splitting an article's blocks into runs of text for rendering highlights.
 * Clippings may overlap, so a block is cut at every clipping boundary that
 * falls inside it; each run knows every clipping that covers it, outermost
 * first, and is rendered as nested <mark>s so each clipping keeps its own
 * element (and id) even where it shares text with another.
 */
import type { Block, Clipping } from '../../../electron/library/model';

export const BLOCK_SEPARATOR_LENGTH = 2; // '\n\n' between blocks in the canonical text

export type Segment = { start: number; end: number; text: string; clippings: Clipping[] };

/** Offset of each block's first character in the canonical text. */
export function blockStarts(blocks: readonly Block[]): number[] {
  const starts: number[] = [];
  let offset = 0;
  for (const block of blocks) {
    starts.push(offset);
    offset += block.text.length + BLOCK_SEPARATOR_LENGTH;
  }
  return starts;
}

/** Outer (longer, earlier) clippings first so that the newest, shortest one is on top. */
export function nestingOrder(a: Clipping, b: Clipping): number {
  return (
    a.target.position.start - b.target.position.start ||
    b.target.position.end - a.target.position.end ||
    a.createdAt.localeCompare(b.createdAt) ||
    a.id.localeCompare(b.id)
  );
}

/**
 * The clippings touching each block, found once for the whole article: a
 * clipping is put in the blocks its range spans (binary search on the block
 * starts), so rendering costs O(clippings × blocks spanned), not
 * O(blocks × clippings). Each bucket is in nesting order.
 */
export function bucketByBlock(blocks: readonly Block[], starts: readonly number[], clippings: readonly Clipping[]): Clipping[][] {
  const buckets: Clipping[][] = blocks.map(() => []);
  for (const c of clippings) {
    const { start, end } = c.target.position;
    for (let i = blockAt(starts, start); i < blocks.length; i++) {
      const blockStart = starts[i]!;
      if (blockStart >= end) break;
      if (start < blockStart + blocks[i]!.text.length) buckets[i]!.push(c);
    }
  }
  for (const b of buckets) if (b.length > 1) b.sort(nestingOrder);
  return buckets;
}

/** Index of the block holding `offset` (the last block starting at or before it; a separator belongs to the block before). */
export function blockAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}

/**
 * Runs of a block's text, each with the clippings covering it (outermost
 * first). `clippings` may hold clippings outside the block; a caller that
 * bucketed them (bucketByBlock) passes `sorted` to skip the filter and sort.
 */
export function segmentBlock(blockStart: number, text: string, clippings: readonly Clipping[], sorted = false): Segment[] {
  const blockEnd = blockStart + text.length;
  if (clippings.length === 0) return text ? [{ start: blockStart, end: blockEnd, text, clippings: [] }] : [];
  const inside = sorted
    ? clippings
    : clippings.filter((c) => c.target.position.start < blockEnd && c.target.position.end > blockStart).sort(nestingOrder);
  const cuts = new Set<number>([blockStart, blockEnd]);
  for (const c of inside) {
    cuts.add(Math.max(blockStart, c.target.position.start));
    cuts.add(Math.min(blockEnd, c.target.position.end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    if (end <= start) continue;
    segments.push({
      start,
      end,
      text: text.slice(start - blockStart, end - blockStart),
      clippings: inside.filter((c) => c.target.position.start <= start && c.target.position.end >= end),
    });
  }
  return segments;
}

/**
 * A clipping whose words are not in the current text: main says so after a
 * new version (anchor.state 'orphan'), and a position whose text is not the
 * quote is treated the same, so that a highlight is never drawn on other words.
 */
export function isOrphan(c: Clipping, text: string): boolean {
  return c.anchor?.state === 'orphan' || text.slice(c.target.position.start, c.target.position.end) !== c.target.quote.exact;
}

/** Clippings in reading order, the order of the sidebar and of j/k; orphans (no place in the text) last, oldest first. */
export function inReadingOrder(clippings: readonly Clipping[], text?: string): Clipping[] {
  const orphan = (c: Clipping) => (text === undefined ? c.anchor?.state === 'orphan' : isOrphan(c, text));
  return [...clippings].sort(
    (a, b) =>
      Number(orphan(a)) - Number(orphan(b)) ||
      (orphan(a) ? 0 : a.target.position.start - b.target.position.start || a.target.position.end - b.target.position.end) ||
      a.createdAt.localeCompare(b.createdAt),
  );
}

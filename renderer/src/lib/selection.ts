/**
 * From a DOM selection in the reader to offsets in the canonical text.
 *
 * Each rendered block carries data-block-index and data-block-start. Only
 * text nodes count: pseudo-element content (the dateline lead-in) is not in
 * the DOM, and any element marked data-noncanonical is skipped, so UI inside
 * the reader can never shift an offset.
 */
export type TextSelection = { start: number; end: number; exact: string };

const BLOCK_SELECTOR = '[data-block-index]';

function canonicalTextNodes(block: Element): Text[] {
  const nodes: Text[] = [];
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement?.closest('[data-noncanonical]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  return nodes;
}

/** Characters of the block's canonical text before the boundary point (container, offset). */
function offsetInBlock(block: Element, container: Node, offset: number): number {
  const before = document.createRange();
  before.setStart(block, 0);
  before.setEnd(container, offset);
  let count = 0;
  for (const node of canonicalTextNodes(block)) {
    if (node === container) {
      count += offset;
      break;
    }
    // The whole node lies before the point when its end is inside `before`.
    if (before.comparePoint(node, node.length) === 0 && before.comparePoint(node, 0) === 0) count += node.length;
    else if (before.comparePoint(node, 0) > 0) break;
  }
  return count;
}

function blockStartOf(block: Element): number {
  return Number(block.getAttribute('data-block-start') ?? '0');
}

function blockLengthOf(block: Element): number {
  return canonicalTextNodes(block).reduce((n, t) => n + t.length, 0);
}

/**
 * Canonical offsets of `range` within `root`, trimmed of white space at both
 * ends, or null when it covers no text. A boundary outside any block (in the
 * title, between blocks) snaps to the nearest block edge inside the range.
 */
export function rangeToOffsets(root: Element, range: Range, text: string): TextSelection | null {
  if (range.collapsed) return null;
  const blocks = [...root.querySelectorAll(BLOCK_SELECTOR)].filter((b) => range.intersectsNode(b));
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  if (!first || !last) return null;

  let start = first.contains(range.startContainer)
    ? blockStartOf(first) + offsetInBlock(first, range.startContainer, range.startOffset)
    : blockStartOf(first);
  let end = last.contains(range.endContainer)
    ? blockStartOf(last) + offsetInBlock(last, range.endContainer, range.endOffset)
    : blockStartOf(last) + blockLengthOf(last);

  start = Math.max(0, Math.min(start, text.length));
  end = Math.max(0, Math.min(end, text.length));
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (end <= start) return null;
  return { start, end, exact: text.slice(start, end) };
}

/** The point `offset` characters of canonical text into `block`, or null past its end. */
function pointInBlock(block: Element, offset: number): [Text, number] | null {
  let seen = 0;
  let last: Text | null = null;
  for (const node of canonicalTextNodes(block)) {
    if (offset <= seen + node.length) return [node, offset - seen];
    seen += node.length;
    last = node;
  }
  return last ? [last, last.length] : null;
}

/**
 * A DOM Range over canonical offsets [start, end) in `root` (the inverse of
 * rangeToOffsets), or null when they are not rendered. Used to bring a
 * passage that is not a clipping (a detected quote) into view.
 */
export function offsetsToRange(root: Element, start: number, end: number): Range | null {
  const blocks = [...root.querySelectorAll(BLOCK_SELECTOR)];
  let first: Element | undefined;
  let last: Element | undefined;
  for (const b of blocks) {
    const s = blockStartOf(b);
    if (s <= start) first = b;
    if (s < end) last = b;
  }
  if (!first || !last) return null;
  const a = pointInBlock(first, start - blockStartOf(first));
  const z = pointInBlock(last, Math.max(0, end - blockStartOf(last)));
  if (!a || !z) return null;
  const range = document.createRange();
  range.setStart(...a);
  range.setEnd(...z);
  return range;
}

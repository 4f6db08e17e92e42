import type { Anchor, Clipping } from './model';
import { quoteSelector } from './text';

/**
 * Re-attaches a clipping to a changed text: by position if the words are
 * still there, else by its exact quote, choosing among occurrences the one
 * whose surrounding context matches best (then the nearest). A quote that is
 * no longer in the text makes the clipping an orphan: kept, shown with its
 * quote, never moved onto other words. (Fuzzy matching for reworded quotes
 * belongs to the annotation engine.)
 */
export function reanchor(clipping: Clipping, text: string): Clipping {
  const { exact, prefix, suffix } = clipping.target.quote;
  const { start, end } = clipping.target.position;
  if (clipping.anchor?.state !== 'orphan' && text.slice(start, end) === exact) {
    return { ...clipping, target: { ...clipping.target, quote: quoteSelector(text, start, end) } };
  }
  let best: { at: number; score: number } | null = null;
  for (let at = text.indexOf(exact); at >= 0; at = text.indexOf(exact, at + 1)) {
    const score = sharedSuffix(text.slice(Math.max(0, at - prefix.length), at), prefix) + sharedPrefix(text.slice(at + exact.length, at + exact.length + suffix.length), suffix);
    if (!best || score > best.score || (score === best.score && Math.abs(at - start) < Math.abs(best.at - start))) best = { at, score };
  }
  if (!best) return { ...clipping, anchor: { state: 'orphan' } };
  const context = prefix.length + suffix.length;
  const anchor: Anchor = { state: 'reanchored', confidence: context === 0 ? 1 : round(0.5 + (0.5 * best.score) / context) };
  return {
    ...clipping,
    anchor,
    target: { quote: quoteSelector(text, best.at, best.at + exact.length), position: { start: best.at, end: best.at + exact.length } },
  };
}

function sharedSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function sharedPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

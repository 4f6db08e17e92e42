import type { Page } from '@playwright/test';

/**
 * Selects `text` inside the reader the way a mouse drag would: a DOM Range
 * over the first occurrence within one paragraph, then the mouseup the
 * toolbar listens for.
 */
export async function selectInReader(page: Page, text: string): Promise<void> {
  const found = await page.evaluate((wanted) => {
    for (const p of document.querySelectorAll<HTMLElement>('[data-testid="reader"] p[data-block-index]')) {
      const full = p.textContent ?? '';
      const at = full.indexOf(wanted);
      if (at < 0) continue;
      // Map character offsets to (text node, offset) pairs, across any <mark> already in the paragraph.
      const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      const points: [Text, number][] = [];
      let seen = 0;
      for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
        const len = n.data.length;
        if (points.length === 0 && at < seen + len) points.push([n, at - seen]);
        if (points.length === 1 && at + wanted.length <= seen + len) {
          points.push([n, at + wanted.length - seen]);
          break;
        }
        seen += len;
      }
      const [start, end] = points;
      if (!start || !end) return false;
      const range = document.createRange();
      range.setStart(start[0], start[1]);
      range.setEnd(end[0], end[1]);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      p.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
      return true;
    }
    return false;
  }, text);
  if (!found) throw new Error(`"${text}" is not in the reader`);
}

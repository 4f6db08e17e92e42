/**
 * The reader as a person uses it, beyond the acceptance path: overlapping
 * highlights, undo of a delete, article tags across a restart, errors from
 * main made visible, keyboard shortcuts, import summary, settings and the
 * last article remembered. Selections are made programmatically (a DOM Range
 * on the exact words) followed by the mouseup a real drag would end with.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';

const LEAD = 'immediate humanitarian access to all civilians in Syria';
const OVERLAP = 'all civilians in Syria, and a return to political process';
const LAST_PARAGRAPH = 9;

/** Selects `text` inside the block with data-block-index `block`, as a mouse drag would. */
async function select(page: Page, block: number, text: string): Promise<void> {
  await page.evaluate(
    ({ block, text }) => {
      const element = document.querySelector(`[data-testid="reader"] [data-block-index="${block}"]`);
      if (!element) throw new Error(`no block ${block}`);
      const nodes: { node: Text; at: number }[] = [];
      let full = '';
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        nodes.push({ node: n as Text, at: full.length });
        full += (n as Text).data;
      }
      const start = full.indexOf(text);
      if (start < 0) throw new Error(`"${text}" is not in block ${block}`);
      const point = (offset: number, isEnd: boolean): [Text, number] => {
        const hit = nodes.find(({ node, at }) => (isEnd ? offset <= at + node.length : offset < at + node.length));
        if (!hit) throw new Error('offset outside the block');
        return [hit.node, offset - hit.at];
      };
      const range = document.createRange();
      range.setStart(...point(start, false));
      range.setEnd(...point(start + text.length, true));
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      element.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    },
    { block, text },
  );
  await expect(page.getByTestId('selection-toolbar')).toBeVisible();
}

async function highlight(page: Page, block: number, text: string, label = 'quote'): Promise<string> {
  const before = await page.getByTestId('clipping-card').count();
  await select(page, block, text);
  await page.getByTestId('selection-toolbar').getByRole('button', { name: `Highlight ${label}` }).click();
  await expect(page.getByTestId('clipping-card')).toHaveCount(before + 1);
  const card = page.getByTestId('clipping-card').filter({ hasText: text });
  const id = await card.getAttribute('data-clipping-id');
  if (!id) throw new Error('card without data-clipping-id');
  return id;
}

const marks = (page: Page, id: string) => page.locator(`[data-testid="reader"] mark[data-clipping-id="${id}"]`);
const card = (page: Page, id: string) => page.locator(`[data-testid="clipping-card"][data-clipping-id="${id}"]`);
const articleItem = (page: Page) => page.getByTestId('article-item').first();

test.beforeEach(async ({ app }) => {
  await expect(app.locator('[data-testid="reader"] p[data-block-index]')).toHaveCount(10);
});

test('overlapping highlights both render, leave the text intact, and each card scrolls to its own passage', async ({ app, restart }) => {
  const lead = app.locator('p[data-block-index="0"]');
  const original = await lead.textContent();

  const first = await highlight(app, 0, LEAD, 'quote');
  const second = await highlight(app, 0, OVERLAP, 'background');
  const last = await highlight(app, LAST_PARAGRAPH, 'urging all those with influence to do their part', 'fact');

  // The shared words sit inside both clippings: the background (blue) mark nested in the quote (yellow) one.
  await expect(marks(app, first)).not.toHaveCount(0);
  await expect(marks(app, second)).not.toHaveCount(0);
  await expect(app.locator(`mark[data-clipping-id="${first}"] mark[data-clipping-id="${second}"]`)).toHaveText('all civilians in Syria');
  await expect(marks(app, first).first()).toHaveClass(/hl-yellow/);
  await expect(marks(app, second).first()).toHaveClass(/hl-blue/);
  expect(await lead.textContent()).toBe(original);
  await expect(articleItem(app).getByTestId('clipping-count')).toHaveText('3');

  // Reading order in the sidebar, each card showing its own quote.
  await expect(app.getByTestId('clipping-card')).toHaveText([new RegExp(LEAD), new RegExp(OVERLAP), /urging all those with influence/]);

  await app.getByRole('main').evaluate((el) => el.scrollTo({ top: 0 }));
  await expect(marks(app, last).first()).not.toBeInViewport();
  await card(app, last).click();
  await expect(marks(app, last).first()).toBeInViewport();
  await expect(card(app, last)).toHaveClass(/is-active/);
  await expect(marks(app, last).first()).toHaveClass(/is-active/);

  await card(app, second).click();
  await expect(marks(app, second).first()).toBeInViewport();
  await expect(marks(app, second).first()).toHaveClass(/is-active/);
  await card(app, first).click();
  await expect(marks(app, first).first()).toHaveClass(/is-active/);

  // Clicking a highlight in the text picks its card.
  await marks(app, last).first().click();
  await expect(card(app, last)).toHaveClass(/is-active/);

  await restart();
  for (const id of [first, second, last]) await expect(marks(app, id)).not.toHaveCount(0);
  await expect(app.locator(`mark[data-clipping-id="${first}"] mark[data-clipping-id="${second}"]`)).toHaveText('all civilians in Syria');
});

test('a selection across two paragraphs becomes one clipping with the blank line in its quote', async ({ app, bridge }) => {
  await app.evaluate(() => {
    const a = document.querySelector('p[data-block-index="2"]')!.firstChild as Text;
    const b = document.querySelector('p[data-block-index="3"]')!.firstChild as Text;
    const range = document.createRange();
    range.setStart(a, a.data.indexOf('Xinhua news agency reported.'));
    range.setEnd(b, 'The UN chief also stressed'.length);
    window.getSelection()!.removeAllRanges();
    window.getSelection()!.addRange(range);
    document.dispatchEvent(new KeyboardEvent('keyup', { key: 'Shift', bubbles: true }));
  });
  await app.getByRole('button', { name: 'Highlight follow-up' }).click();
  await expect(app.getByTestId('clipping-card')).toHaveCount(1);
  const id = (await app.getByTestId('clipping-card').getAttribute('data-clipping-id'))!;
  await expect(marks(app, id)).toHaveCount(2);
  const article = (await bridge.library.listArticles())[0]!;
  const detail = await bridge.library.getArticle(article.id);
  expect(detail.clippings[0]?.target.quote.exact).toBe('Xinhua news agency reported.\n\nThe UN chief also stressed');
});

test('a deleted clipping comes back with Undo, and with Ctrl+Z, and stays after a restart', async ({ app, restart }) => {
  const id = await highlight(app, 1, 'he had just spoken with Turkish President Recep Tayyip Erdogan', 'claim');
  await card(app, id).getByRole('button', { name: 'Edit clipping' }).click();
  await app.getByLabel('Note', { exact: true }).fill('First call after the offensive.');
  await app.getByRole('button', { name: 'Save' }).click();
  await expect(card(app, id).getByTestId('clipping-note')).toHaveText('First call after the offensive.');

  await card(app, id).getByRole('button', { name: 'Delete clipping' }).click();
  await expect(card(app, id)).toHaveCount(0);
  await expect(marks(app, id)).toHaveCount(0);
  await expect(articleItem(app).getByTestId('clipping-count')).toHaveText('0');
  const status = app.getByRole('status');
  await expect(status).toContainText('Clipping deleted');
  await status.getByRole('button', { name: 'Undo' }).click();
  await expect(card(app, id)).toBeVisible();
  await expect(card(app, id).getByTestId('clipping-note')).toHaveText('First call after the offensive.');
  await expect(marks(app, id)).not.toHaveCount(0);
  await expect(marks(app, id).first()).toHaveClass(/hl-pink/);
  await expect(articleItem(app).getByTestId('clipping-count')).toHaveText('1');

  await card(app, id).getByRole('button', { name: 'Delete clipping' }).click();
  await expect(marks(app, id)).toHaveCount(0);
  await app.locator('body').press('Control+z');
  await expect(marks(app, id)).not.toHaveCount(0);

  await restart();
  await expect(marks(app, id)).not.toHaveCount(0);
  await expect(card(app, id).getByTestId('clipping-note')).toHaveText('First call after the offensive.');
  await expect(articleItem(app).getByTestId('clipping-count')).toHaveText('1');
});

test('article tags added and removed in the reader persist after a restart', async ({ app, restart }) => {
  const input = app.getByLabel('Add article tag');
  // Typed without waiting for main between tags: none may be lost.
  await input.focus();
  await app.keyboard.type('syria\nplace/United Nations\nhumanitarian\n');
  await expect(articleItem(app).getByTestId('tag-chip')).toHaveText(['syria', 'place/United Nations', 'humanitarian']);
  await app.getByRole('button', { name: 'Remove tag humanitarian' }).click();
  await expect(articleItem(app).getByTestId('tag-chip')).toHaveText(['syria', 'place/United Nations']);

  await restart();
  await expect(articleItem(app).getByTestId('tag-chip')).toHaveText(['syria', 'place/United Nations']);
  await expect(app.getByTestId('article-tag')).toHaveText(['syria', 'place/United Nations']);
  await expect(app.getByRole('button', { name: 'Remove tag syria' })).toBeVisible();
});

test('keyboard: n highlights and opens the note, t the tags, Esc closes, j/k walk the clippings, Ctrl+E exports', async ({ app, bridge, workDir }) => {
  await select(app, 3, 'all parties are obligated under international law');
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('selection-toolbar')).toHaveCount(0);

  await select(app, 3, 'all parties are obligated under international law');
  await app.keyboard.press('n');
  const note = app.getByLabel('Note', { exact: true });
  await expect(note).toBeFocused();
  await app.keyboard.type('Legal obligation, stated plainly.');
  await app.getByLabel('Add a tag').fill('law');
  await app.getByLabel('Add a tag').press('Enter');
  await app.getByLabel('Add a tag').fill('quote/Guterres');
  await app.getByRole('button', { name: 'Save' }).click();
  const first = app.getByTestId('clipping-card').first();
  await expect(first.getByTestId('clipping-note')).toHaveText('Legal obligation, stated plainly.');
  await expect(first.getByTestId('clipping-tag')).toHaveText(['law', 'quote/Guterres']);

  await select(app, 5, 'Tens of thousands of civilians are at risk');
  await app.keyboard.press('t');
  await expect(app.getByLabel('Add a tag')).toBeFocused();
  await app.keyboard.type('risk');
  await app.keyboard.press('Enter');
  await app.keyboard.press('Escape'); // cancels the editor: the clipping stays, the tag was not saved
  await expect(app.getByLabel('Add a tag')).toHaveCount(0);
  await expect(app.getByTestId('clipping-card')).toHaveCount(2);
  await expect(app.getByTestId('clipping-card').nth(1).getByTestId('clipping-tag')).toHaveCount(0);

  await select(app, 1, 'At a press meeting');
  await app.keyboard.press('h');
  await expect(app.getByTestId('clipping-card')).toHaveCount(3);
  await app.keyboard.press('Escape');

  const ids = await app.getByTestId('clipping-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-clipping-id')!));
  await app.locator('body').click({ position: { x: 5, y: 5 } });
  await app.keyboard.press('Escape');
  await app.keyboard.press('j');
  await expect(card(app, ids[0]!)).toHaveClass(/is-active/);
  await app.keyboard.press('j');
  await expect(card(app, ids[1]!)).toHaveClass(/is-active/);
  await expect(marks(app, ids[1]!).first()).toBeInViewport();
  await app.keyboard.press('k');
  await expect(card(app, ids[0]!)).toHaveClass(/is-active/);

  const out = join(workDir, 'keyboard.md');
  bridge.answerSaveDialog(out);
  await app.keyboard.press('Control+e');
  await expect(app.getByRole('status')).toContainText(out);
  const markdown = await readFile(out, 'utf8');
  expect(markdown).toContain('all parties are obligated under international law');
  expect(markdown).toContain('Legal obligation, stated plainly.');
});

test('an export that main cannot write shows its error, and a cancelled save dialog says nothing', async ({ app, bridge, workDir }) => {
  await highlight(app, 0, LEAD);
  bridge.answerSaveDialog(join(workDir, 'no-such-folder', 'clippings.md'));
  await app.getByRole('button', { name: 'Export clippings as Markdown' }).click();
  const alert = app.locator('[role="alert"]');
  await expect(alert).toContainText('Could not export the clippings');
  await expect(alert).toContainText('no-such-folder');
  await alert.getByRole('button', { name: 'Dismiss message' }).click();
  await expect(alert).toBeEmpty();

  bridge.answerSaveDialog(null);
  await app.getByRole('button', { name: 'Export clippings as Markdown' }).click();
  await expect(app.getByRole('button', { name: 'Export clippings as Markdown' })).toBeEnabled();
  await expect(alert).toBeEmpty();
  await expect(app.getByRole('status')).not.toContainText('Exported');

  const out = join(workDir, 'ok.md');
  bridge.answerSaveDialog(out);
  await app.getByRole('button', { name: 'Export clippings as Markdown' }).click();
  await expect(app.getByRole('status')).toContainText(`Exported 1 clipping to ${out}`);
  expect(await readFile(out, 'utf8')).toContain(LEAD);
});

test('saving a clipping that was deleted elsewhere shows main\'s error and keeps what was typed', async ({ app, bridge }) => {
  const id = await highlight(app, 0, LEAD);
  // Another window (or the command line) deletes it while this page still shows it.
  await bridge.library.deleteClipping(id);
  await card(app, id).getByRole('button', { name: 'Edit clipping' }).click();
  await app.getByLabel('Note', { exact: true }).fill('A note worth keeping');
  await app.getByRole('button', { name: 'Save' }).click();
  const alert = app.locator('[role="alert"]');
  await expect(alert).toContainText('Could not save the clipping');
  await expect(alert).toContainText(id);
  await expect(app.getByLabel('Note', { exact: true })).toHaveValue('A note worth keeping');
});

test('import shows what was imported, skipped and failed; the last article opened comes back after a restart', async ({ app, bridge, workDir, restart }) => {
  const good = join(workDir, 'geneva.txt');
  await writeFile(
    good,
    ' date 2024-12-09 Geneva, Dec 9 The World Health Organization said on Monday that hospitals in northern Syria were overwhelmed.\n\n"We need safe corridors now," a spokesperson told reporters.\n',
  );
  const bad = join(workDir, 'broken.txt');
  await writeFile(bad, Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x00]));
  bridge.answerOpenDialog([good, bad]);
  await app.getByRole('button', { name: 'Import articles' }).click();
  await expect(app.getByRole('status')).toContainText('Imported 1 article · 1 failed');
  await expect(app.locator('[role="alert"]')).toContainText('broken.txt');
  await expect(app.getByTestId('article-item')).toHaveCount(2);
  await expect(app.getByTestId('reader')).toContainText('hospitals in northern Syria were overwhelmed');

  bridge.answerOpenDialog([good]);
  await app.getByRole('button', { name: 'Import articles' }).click();
  await expect(app.getByRole('status')).toContainText('1 duplicate skipped');

  // Open the seeded article, change the theme and size, and restart.
  await app.getByTestId('article-item').filter({ hasText: 'Guterres' }).click();
  await expect(app.getByTestId('reader')).toContainText('Recep Tayyip Erdogan');
  await app.getByRole('button', { name: 'Dark theme' }).click();
  await app.getByRole('button', { name: 'Larger text' }).click();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');

  await restart();
  await expect(app.getByTestId('reader')).toContainText('Recep Tayyip Erdogan');
  await expect(app.getByTestId('article-item').filter({ hasText: 'Guterres' })).toHaveAttribute('aria-current', 'true');
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(app.getByRole('button', { name: 'Dark theme' })).toHaveAttribute('aria-pressed', 'true');
  await expect(app.getByTestId('reader')).toHaveCSS('font-size', '20px');
});

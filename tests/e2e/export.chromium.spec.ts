/**
 * Exporting, as a person does it: a press review composed from clippings of
 * two articles, reordered by dragging and from the keyboard, with a section
 * heading, exported as an HTML clip book whose file has the quotes in that
 * order with their citations; a tag exported to Markdown; a clipping copied
 * as a citation and read back from the clipboard; the whole library printed
 * to PDF through the bridge (headless Chromium stands in for printToPDF).
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import type { Bridge } from '../bridge/server';

const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');

/** The seed article's quotes, and a second article's. */
const DIALOGUE = 'It is time for serious dialogue';
const RISK = 'Tens of thousands of civilians are at risk in a region already on fire';
const QUAYS = 'The harbour will reopen to grain ships on Monday';

type Made = { seedId: string; otherId: string; dialogue: string; risk: string; quays: string };

/** Clippings on the seed article and on a second one (stored as an import would), then shown by reloading. */
async function twoArticles(app: Page, bridge: Bridge): Promise<Made> {
  const [seed] = await bridge.library.listArticles();
  const seedText = (await bridge.library.getArticle(seed!.id)).text;
  const clip = async (articleId: string, text: string, words: string, tags: string[] = []) => {
    const start = text.indexOf(words);
    if (start < 0) throw new Error(`"${words}" is not in the article`);
    return (await bridge.library.createClipping({ articleId, start, end: start + words.length, exact: words, label: 'quote', note: '', tags })).id;
  };
  const paragraphs = [`Port officials said on Friday that repairs were finished. "${QUAYS}," the harbour master told Lake Wire.`, 'Repairs to the quays took three weeks.'];
  const outcome = await bridge.library.importDocument(
    {
      kind: 'plain-text',
      title: 'Grain harbour reopens after repairs',
      source: 'Lake Wire',
      byline: null,
      published: '2024-12-09',
      dateline: 'Odesa',
      language: 'en',
      blocks: paragraphs.map((text) => ({ kind: 'paragraph' as const, text })),
    },
    { kind: 'plain-text', name: 'harbour.txt', path: 'harbour.txt' },
  );
  if (outcome.status !== 'imported') throw new Error(`harbour: ${outcome.status}`);
  const made: Made = {
    seedId: seed!.id,
    otherId: outcome.id,
    dialogue: await clip(seed!.id, seedText, DIALOGUE, ['dossier/syria']),
    risk: await clip(seed!.id, seedText, RISK),
    quays: await clip(outcome.id, paragraphs.join('\n\n'), QUAYS),
  };
  await app.reload();
  await expect(app.getByTestId('article-item')).toHaveCount(2);
  return made;
}

/**
 * A screenshot to look at, kept with the test's results; with
 * CUTTINGS_DOCS_SCREENSHOTS=1 also copied to docs/ for the README.
 */
async function shot(page: Page, name: string, toDocs = false) {
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path });
  if (!toDocs || process.env.CUTTINGS_DOCS_SCREENSHOTS !== '1') return;
  await mkdir(DOCS, { recursive: true });
  await copyFile(path, join(DOCS, `${name}.png`));
}

const status = (page: Page) => page.locator('.toast-region[role="status"]');
const items = (page: Page) => page.getByTestId('review-item');
const order = (page: Page) => items(page).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-clipping-id') ?? `heading:${(r.querySelector('input') as HTMLInputElement).value}`));

/** Drags an item by its handle onto another item's place, with the pointer, as a person would. */
async function drag(page: Page, from: number, to: number) {
  const handle = items(page).nth(from).getByTestId('drag-handle');
  const source = (await handle.boundingBox())!;
  const target = (await items(page).nth(to).boundingBox())!;
  const x = source.x + source.width / 2;
  await page.mouse.move(x, source.y + source.height / 2);
  await page.mouse.down();
  // Past the sensor's 4 px before it starts, then onto the target's middle, in steps (pointermove events).
  await page.mouse.move(x, source.y + source.height / 2 + (to > from ? 8 : -8), { steps: 4 });
  await page.mouse.move(x, target.y + target.height / 2 + (to > from ? 6 : -6), { steps: 16 });
  await page.mouse.up();
}

test('a press review from two articles, reordered by dragging and by keyboard, with a heading, exported as an HTML clip book', async ({ app, bridge, workDir }) => {
  // A whole session of work: longer than one step's default.
  test.setTimeout(150_000);
  const made = await twoArticles(app, bridge);

  // Pick three clippings in All clippings and put them in a new press review.
  await app.getByTestId('clippings-entry').click();
  const rows = app.getByTestId('clipping-row');
  await expect(rows).toHaveCount(3);
  for (const id of [made.dialogue, made.quays, made.risk]) await rows.and(app.locator(`[data-clipping-id="${id}"]`)).getByTestId('clipping-check').click();
  await shot(app, 'clippings-selected');
  await app.getByTestId('clippings-add-review').click();
  const add = app.getByTestId('add-review-dialog');
  await expect(add).toBeVisible();
  await shot(app, 'add-to-review');
  await add.getByLabel('Title of the new press review').fill('Weekly review');
  await add.getByTestId('add-review-submit').click();
  await expect(status(app)).toContainText('Added 3 clippings to “Weekly review”');
  await status(app).getByRole('button', { name: 'Open' }).click();

  const review = app.getByTestId('press-reviews');
  await expect(items(app)).toHaveCount(3);
  const [composition] = await bridge.library.listCompositions();
  expect(composition!.title).toBe('Weekly review');
  // In the clippings view's order (newest first): quays, risk, dialogue.
  const start = await order(app);
  expect(new Set(start)).toEqual(new Set([made.dialogue, made.quays, made.risk]));
  await expect(review.getByTestId('review-quote').first()).toContainText('“');

  // Drag the last one to the top.
  await drag(app, 2, 0);
  await expect.poll(() => order(app)).toEqual([start[2], start[0], start[1]]);

  // From the keyboard: Alt+↓ moves the focused item down one place.
  await items(app).nth(0).getByTestId('drag-handle').focus();
  await app.keyboard.press('Alt+ArrowDown');
  await expect.poll(() => order(app)).toEqual([start[0], start[2], start[1]]);
  await expect(items(app).nth(1).getByTestId('drag-handle')).toBeFocused();
  // And with dnd-kit's keyboard sensor: Space picks it up, ↓ moves it, Space drops it; each step is announced.
  await app.keyboard.press('Space');
  await expect(items(app).nth(1)).toHaveClass(/is-dragging/);
  await app.keyboard.press('ArrowDown');
  await expect(app.getByText(/^Clipping “.*” is over position 3 of 3\.$/)).toBeAttached();
  await app.keyboard.press('Space');
  await expect(app.getByText(/dropped at position 3 of 3\.$/)).toBeAttached();
  await expect.poll(() => order(app)).toEqual([start[0], start[1], start[2]]);

  // Put them in the order wanted: dialogue, risk (same article), then the harbour, by keyboard.
  const want = [made.dialogue, made.risk, made.quays];
  for (let i = 0; i < want.length; i++) {
    const at = (await order(app)).indexOf(want[i]!);
    await items(app).nth(at).getByTestId('drag-handle').focus();
    for (let k = at; k > i; k--) await app.keyboard.press('Alt+ArrowUp');
  }
  await expect.poll(() => order(app)).toEqual(want);

  // A heading, typed and moved to the top.
  await review.getByTestId('review-add-heading').click();
  const heading = review.getByLabel('Section heading');
  await expect(heading).toBeFocused();
  await app.keyboard.type('Syria and the harbour');
  for (let k = 0; k < 3; k++) await app.keyboard.press('Alt+ArrowUp');
  await expect.poll(() => order(app)).toEqual(['heading:Syria and the harbour', ...want]);

  // Remove one, and Ctrl+Z brings it back where it was.
  await items(app).nth(2).getByTestId('drag-handle').focus();
  await app.keyboard.press('Delete');
  await expect(items(app)).toHaveCount(3);
  await app.keyboard.press('Control+z');
  await expect.poll(() => order(app)).toEqual(['heading:Syria and the harbour', ...want]);

  const intro = 'What was said about **Syria**, and a harbour reopening.';
  await review.getByTestId('review-intro').fill(intro);
  await expect(review.getByTestId('review-status')).toHaveAttribute('data-state', 'dirty');
  // Saved by itself a moment later.
  await expect.poll(async () => (await bridge.library.getComposition(composition!.id)).introduction).toBe(intro);
  await expect(review.getByTestId('review-status')).toHaveAttribute('data-state', 'saved');
  const saved = await bridge.library.getComposition(composition!.id);
  expect(saved.items).toEqual([{ kind: 'heading', text: 'Syria and the harbour' }, ...want.map((clippingId) => ({ kind: 'clipping', clippingId }))]);
  const dismiss = app.getByRole('button', { name: 'Dismiss message' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
  await shot(app, 'press-review', true);
  // The same in the dark theme (the app follows the system's), to look at.
  await app.emulateMedia({ colorScheme: 'dark' });
  await shot(app, 'press-review-dark');
  await app.emulateMedia({ colorScheme: 'light' });

  // Export it: the dialog counts what goes in, 2 chooses HTML, Ctrl+Enter exports.
  await review.getByTestId('review-export').click();
  const dialog = app.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('export-count')).toHaveText('3 clippings from 2 articles will be exported.');
  await app.keyboard.press('2');
  await expect(dialog.getByRole('radio', { name: /^HTML clip book/ })).toBeChecked();
  await shot(app, 'export-dialog', true);
  await app.emulateMedia({ colorScheme: 'dark' });
  await shot(app, 'export-dialog-dark');
  await app.emulateMedia({ colorScheme: 'light' });
  const out = join(workDir, 'weekly-review.html');
  bridge.answerSaveDialog(out);
  await app.keyboard.press('Control+Enter');
  await expect(status(app)).toContainText(`Exported 3 clippings from 2 articles to ${out}`);
  await expect(dialog).toHaveCount(0);

  const html = await readFile(out, 'utf8');
  const at = (s: string) => html.indexOf(s);
  expect(at('Syria and the harbour')).toBeGreaterThan(0);
  expect(at('Weekly review')).toBeGreaterThan(0);
  expect(at(DIALOGUE)).toBeGreaterThan(at('Syria and the harbour'));
  expect(at(RISK)).toBeGreaterThan(at(DIALOGUE));
  expect(at(QUAYS)).toBeGreaterThan(at(RISK));
  // A citation under every quote: the source and date of each.
  expect(html).toContain('Xinhua');
  expect(html).toContain('2024-12-06');
  expect(html).toContain('Lake Wire');
  expect(html).toContain('2024-12-09');
  expect(html).toContain('<strong>Syria</strong>');
});

test('a tag exported to Markdown from the tags browser', async ({ app, bridge, workDir }) => {
  const made = await twoArticles(app, bridge);
  await bridge.library.setArticleTags(made.otherId, ['dossier/ports']);
  await app.reload();
  const tag = app.locator('[data-testid="tag"][data-tag="dossier"]');
  await expect(tag).toBeVisible();
  await tag.getByRole('button', { name: 'Actions for tag dossier' }).click();
  await app.getByTestId('tag-menu').getByRole('menuitem', { name: 'Export…' }).click();

  const dialog = app.getByTestId('export-dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Export the tag “dossier”');
  // The harbour article (tagged below "dossier") whole, and the one clipping tagged in the seed article.
  await expect(dialog.getByTestId('export-count')).toHaveText('2 clippings from 2 articles will be exported.');
  await app.keyboard.press('1');
  await dialog.getByText('One clip-book file').click();
  await dialog.getByText('Source', { exact: true }).click();
  const out = join(workDir, 'dossier.md');
  bridge.answerSaveDialog(out);
  await dialog.getByTestId('export-run').click();
  await expect(status(app)).toContainText(`Exported 2 clippings from 2 articles to ${out}`);
  const markdown = await readFile(out, 'utf8');
  expect(markdown).toMatch(/^---\n/);
  expect(markdown).toContain(`> ${DIALOGUE}`);
  expect(markdown).toContain(`> ${QUAYS}`);
  expect(markdown).not.toContain(RISK);

  // A search exports what it finds: from the Ctrl+K palette.
  await app.keyboard.press('Control+k');
  await app.getByTestId('search-input').fill('harbour');
  await app.getByTestId('search-export').click();
  await expect(dialog.getByRole('heading')).toHaveText('Export the search “harbour”');
  await expect(dialog.getByTestId('export-count')).toHaveText('1 clipping from 1 article will be exported.');
  await app.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // A cancelled save dialog leaves the dialog open and writes nothing.
  await app.keyboard.press('Control+Shift+E');
  await expect(dialog.getByRole('heading')).toHaveText('Export the whole library');
  await expect(dialog.getByTestId('export-count')).toHaveText('3 clippings from 2 articles will be exported.');
  bridge.answerSaveDialog(null);
  await dialog.getByTestId('export-run').click();
  await expect(dialog.getByTestId('export-run')).toBeEnabled();
  await expect(dialog.getByTestId('export-error')).toBeEmpty();
  // A file main cannot write: its reason stays in the dialog.
  bridge.answerSaveDialog(join(workDir, 'no-such-folder', 'library.md'));
  await dialog.getByTestId('export-run').click();
  await expect(dialog.getByTestId('export-error')).toContainText('Could not export');
  await expect(dialog.getByTestId('export-error')).toContainText('no-such-folder');
  await app.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('a clipping copied as a citation with Ctrl+Shift+C, and from its menu', async ({ app, bridge }) => {
  await app.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(bridge.url).origin });
  const made = await twoArticles(app, bridge);
  await app.getByTestId('article-item').filter({ hasText: 'Guterres' }).click();
  const mark = app.getByTestId('reader').locator(`mark[data-clipping-id="${made.dialogue}"]`).first();
  await mark.click();
  await expect(app.locator(`[data-testid="clipping-card"][data-clipping-id="${made.dialogue}"]`)).toHaveClass(/is-active/);
  await app.locator('body').press('Control+Shift+C');
  await expect(status(app)).toContainText('Citation copied');
  const copied = await app.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(new RegExp(`^“${DIALOGUE}” — `));
  expect(copied).toContain('Guterres');
  expect(copied).toContain('Xinhua');
  expect(copied).toContain('2024-12-06');

  // The card's ⋯ menu does the same for another clipping.
  await app.evaluate(() => navigator.clipboard.writeText(''));
  const card = app.locator(`[data-testid="clipping-card"][data-clipping-id="${made.risk}"]`);
  await card.getByTestId('clipping-menu-button').click();
  await shot(app, 'clipping-menu');
  await app.getByTestId('menu-copy-citation').click();
  await expect.poll(() => app.evaluate(() => navigator.clipboard.readText())).toMatch(new RegExp(`^“${RISK}” — `));
});

test('the whole library printed to PDF through the bridge', async ({ app, bridge, workDir }) => {
  await twoArticles(app, bridge);
  await app.keyboard.press('Control+Shift+E');
  const dialog = app.getByTestId('export-dialog');
  await expect(dialog.getByTestId('export-count')).toHaveText('3 clippings from 2 articles will be exported.');
  await app.keyboard.press('3');
  await expect(dialog.getByRole('radio', { name: /^PDF clip book/ })).toBeChecked();
  await dialog.getByRole('textbox', { name: 'Title' }).fill('Library clip book');
  const out = join(workDir, 'library.pdf');
  bridge.answerSaveDialog(out);
  await dialog.getByTestId('export-run').click();
  await expect(status(app)).toContainText(`Exported 3 clippings from 2 articles to ${out}`, { timeout: 60_000 });
  const pdf = await readFile(out);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(2_000);
});

test('the library backed up from the File menu, and restored from it after a question, the page showing the restored library', async ({ app, bridge, workDir }) => {
  const menu = (command: string) => app.evaluate((c) => (window as unknown as { __menu(c: string): void }).__menu(c), command);
  const made = await twoArticles(app, bridge);
  const file = join(workDir, 'before.cuttings-backup');
  bridge.answerSaveDialog(file);
  await menu('backup');
  await expect(status(app)).toContainText(`Library backed up to ${file}`);

  // A clipping deleted after the backup…
  await bridge.library.deleteClipping(made.quays);
  await app.reload();
  await expect(app.getByTestId('clippings-entry')).toContainText('2');

  // …a No to the question changes nothing…
  bridge.answerOpenDialog([file]);
  bridge.answerConfirm(false);
  await menu('restore');
  await expect.poll(() => bridge.questions.length).toBe(1);
  expect(bridge.questions[0]!.detail).toContain('2 articles and 3 clippings');
  await expect(app.getByTestId('clippings-entry')).toContainText('2');

  // …a Yes restores it, and the page shows the restored library.
  bridge.answerConfirm(true);
  await menu('restore');
  await expect(status(app)).toContainText('Restored 2 articles and 3 clippings');
  await expect(status(app)).toContainText('.before-restore-');
  await expect(app.getByTestId('clippings-entry')).toContainText('3', { timeout: 15_000 });
  expect((await bridge.library.getClipping(made.quays)).target.quote.exact).toBe(QUAYS);
});

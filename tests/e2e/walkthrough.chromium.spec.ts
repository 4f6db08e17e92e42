import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { selectInReader } from './select';

const SENTENCE = 'It is time for serious dialogue';

/**
 * A person's whole first session, through the real library services behind
 * the loopback bridge: open on the sample, clip a quote with a note and a
 * tag, restart, find it exactly where it was, export, read the file.
 */
test('clip a quote, restart, and export it as Markdown', async ({ app, bridge, restart, workDir }) => {
  // The app opens on real content: the sample article from seeds/.
  await expect(app.getByTestId('article-item')).toHaveCount(1);
  const reader = app.getByTestId('reader');
  await expect(reader).toContainText(SENTENCE);
  await expect(reader).toContainText('United Nations');

  await selectInReader(app, SENTENCE);
  const toolbar = app.getByTestId('selection-toolbar');
  await expect(toolbar).toBeVisible();
  await toolbar.getByRole('button', { name: 'Highlight quote' }).click();

  const mark = reader.locator('mark[data-clipping-id]');
  await expect(mark).toHaveCount(1);
  await expect(mark).toHaveText(SENTENCE);

  await app.getByRole('textbox', { name: 'Note' }).fill('key line');
  const tagInput = app.getByRole('textbox', { name: 'Add a tag' });
  await tagInput.fill('quote');
  await tagInput.press('Enter');
  await app.getByRole('button', { name: 'Save' }).click();

  const card = app.getByTestId('clipping-card');
  await expect(card.getByTestId('clipping-note')).toHaveText('key line');
  await expect(card.getByTestId('clipping-tag')).toHaveText(['quote']);
  await expect(app.getByTestId('article-item').getByTestId('clipping-count')).toContainText('1');

  // What the UI showed is what the library holds on disk.
  const [stored] = (await bridge.library.getArticle((await bridge.library.listArticles())[0]!.id)).clippings;
  expect(stored).toMatchObject({ note: 'key line', tags: ['quote'], label: 'quote', target: { quote: { exact: SENTENCE } } });

  // Restart: a new bridge process opens the same folder; the page reloads.
  const page = await restart();
  const markAfter = page.getByTestId('reader').locator('mark[data-clipping-id]');
  await expect(markAfter).toHaveCount(1);
  await expect(markAfter).toHaveText(SENTENCE);
  await expect(page.getByTestId('clipping-card').getByTestId('clipping-note')).toHaveText('key line');
  await expect(page.getByTestId('clipping-card').getByTestId('clipping-tag')).toHaveText(['quote']);

  // Export through the save dialog (answered by the test, as a user would pick a file).
  const out = join(workDir, 'clippings.md');
  bridge.answerSaveDialog(out);
  await page.getByRole('button', { name: 'Export clippings as Markdown' }).click();
  await expect(page.getByRole('status')).toContainText(out);
  const md = await readFile(out, 'utf8');
  expect(md).toContain(`> ${SENTENCE}`);
  expect(md).toContain('key line');
  expect(md).toContain('`quote`');
  expect(md).toContain('# UN Secretary-General Antonio Guterres called for immediate humanitarian access');
  expect(md).toContain('2024-12-06');
});

test('the application menu imports, opens the URL and feeds dialogs, exports and toggles the theme', async ({ app, bridge, workDir }) => {
  const menu = (command: string) => app.evaluate((c) => (window as unknown as { __menu(c: string): void }).__menu(c), command);
  await expect(app.getByTestId('reader')).toContainText(SENTENCE);

  const html = app.locator('html');
  const before = await html.getAttribute('data-theme');
  await menu('toggle-theme');
  await expect(html).not.toHaveAttribute('data-theme', before ?? '');
  expect(bridge.settings.get().theme).toBe(before === 'dark' ? 'light' : 'dark');

  await selectInReader(app, SENTENCE);
  await app.getByRole('button', { name: 'Highlight quote' }).click();
  const out = join(workDir, 'menu-export.md');
  bridge.answerSaveDialog(out);
  await menu('export');
  await expect(app.getByRole('status')).toContainText(out);
  expect(await readFile(out, 'utf8')).toContain(`> ${SENTENCE}`);

  bridge.answerOpenDialog([join(workDir, 'nothing-here.txt')]);
  await menu('import');
  await expect(app.getByRole('alert')).toContainText('nothing-here.txt');

  await menu('import-url');
  await expect(app.getByRole('textbox', { name: 'Web address' })).toBeFocused();
  await app.keyboard.press('Escape');
  await menu('feeds');
  await expect(app.getByRole('textbox', { name: 'Feed address' })).toBeVisible();
});

/**
 * The annotation engine as a person uses it: labels, overlapping highlights,
 * undo and redo across the session, Markdown notes shown safely, re-attaching
 * an orphan after correcting the text, the Quotes panel and suggested tags.
 * Each test starts on the seeded sample article (ten paragraphs, every
 * quotation in it said by Antonio Guterres).
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { selectInReader } from './select';
import type { Bridge } from '../bridge/server';

const LEAD = 'immediate humanitarian access to all civilians in Syria';
const OVERLAP = 'all civilians in Syria, and a return to political process';
const INNER = 'civilians in Syria';
const LAW = 'all parties are obligated under international law';

const reader = (page: Page) => page.getByTestId('reader');
const marks = (page: Page, id: string) => page.locator(`[data-testid="reader"] mark[data-clipping-id="${id}"]`);
const card = (page: Page, id: string) => page.locator(`[data-testid="clipping-card"][data-clipping-id="${id}"]`);
const cards = (page: Page) => page.getByTestId('clipping-card');
const status = (page: Page) => page.getByRole('status').filter({ has: page.locator('.toast') });

/** Screenshots in both themes (the library's theme is "system" here), kept with the test's results to look at. */
async function shots(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
    await page.waitForTimeout(300); // the highlights' colour transition
    await page.screenshot({ path: test.info().outputPath(`${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: null });
}

/** Clippings made straight in the library (as another window or an import would), then shown by reloading. */
type Seed = { words: string; label: string; note?: string };
async function seedClippings<const T extends readonly Seed[]>(app: Page, bridge: Bridge, clips: T): Promise<{ [K in keyof T]: string }> {
  const article = (await bridge.library.listArticles())[0]!;
  const { text } = await bridge.library.getArticle(article.id);
  const ids: string[] = [];
  for (const c of clips) {
    const start = text.indexOf(c.words);
    if (start < 0) throw new Error(`"${c.words}" is not in the sample`);
    const made = await bridge.library.createClipping({ articleId: article.id, start, end: start + c.words.length, exact: c.words, label: c.label, note: c.note ?? '' });
    ids.push(made.id);
  }
  await app.reload();
  await expect(reader(app).locator('mark[data-clipping-id]').first()).toBeVisible();
  return ids as { [K in keyof T]: string };
}

/** Selects words in the reader and clicks the toolbar's button for `label`; returns the new clipping's id. */
async function highlight(app: Page, words: string, label = 'quote'): Promise<string> {
  const before = await cards(app).count();
  await selectInReader(app, words);
  await app.getByTestId('selection-toolbar').getByRole('button', { name: `Highlight ${label}` }).click();
  await expect(cards(app)).toHaveCount(before + 1);
  const id = await cards(app).filter({ hasText: words }).first().getAttribute('data-clipping-id');
  if (!id) throw new Error('card without data-clipping-id');
  await app.keyboard.press('Escape'); // closes the editor a new highlight opens
  return id;
}

test.beforeEach(async ({ app }) => {
  await expect(app.locator('[data-testid="reader"] p[data-block-index]')).toHaveCount(10);
});

test('where highlights overlap, a click picks the innermost and a popover reaches every other one', async ({ app, bridge }) => {
  const [outer, middle, inner] = await seedClippings(app, bridge, [
    { words: LEAD, label: 'quote' },
    { words: OVERLAP, label: 'background' },
    { words: INNER, label: 'claim', note: 'the numbers are disputed' },
  ]);

  // All three are drawn, nested, and the text reads as before.
  await expect(reader(app).locator(`mark[data-clipping-id="${outer}"] mark[data-clipping-id="${middle}"] mark[data-clipping-id="${inner}"]`)).toHaveText(INNER);
  await expect(app.locator('p[data-block-index="0"]')).toContainText(`${LEAD}, and a return to political process`);
  // Each mark says its label in its tooltip, not only its colour.
  await expect(marks(app, inner)).toHaveAttribute('title', /^claim — the numbers are disputed/);
  await expect(marks(app, outer).first()).toHaveAttribute('title', /^quote/);

  await marks(app, inner).click();
  await expect(card(app, inner)).toHaveClass(/is-active/);
  await expect(marks(app, inner)).toHaveClass(/is-active/);
  const popover = app.getByTestId('mark-popover');
  await expect(popover).toBeVisible();
  await expect(popover.getByRole('button')).toHaveText([/claim/, /background/, /quote/]);
  await shots(app, 'overlap-popover');

  // The outer clipping, unreachable by clicking its words here, is one click away.
  await popover.getByRole('button', { name: /quote/ }).click();
  await expect(popover).toHaveCount(0);
  await expect(card(app, outer)).toHaveClass(/is-active/);
  await expect(marks(app, outer).first()).toHaveClass(/is-active/);
  await expect(card(app, inner)).not.toHaveClass(/is-active/);

  // Esc closes the popover; a click on words of one clipping only opens none.
  await marks(app, inner).click();
  await expect(popover).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(popover).toHaveCount(0);
  await reader(app).getByText('a return to political process').first().click({ position: { x: 150, y: 5 } });
  await expect(card(app, middle)).toHaveClass(/is-active/);
  await expect(popover).toHaveCount(0);
});

test('every clipping change is undone with Ctrl+Z and redone with Ctrl+Shift+Z or Ctrl+Y, and a text field keeps its own undo', async ({ app, bridge }) => {
  const id = await highlight(app, LAW, 'fact');
  const note = card(app, id).getByTestId('clipping-note');

  await card(app, id).getByRole('button', { name: 'Edit clipping' }).click();
  await app.getByLabel('Note', { exact: true }).fill('first thoughts');
  await app.getByRole('button', { name: 'Save' }).click();
  await expect(note).toHaveText('first thoughts');
  await card(app, id).getByRole('button', { name: 'Edit clipping' }).click();
  await app.getByLabel('Note', { exact: true }).fill('second thoughts');
  await app.getByRole('button', { name: 'Save' }).click();
  await expect(note).toHaveText('second thoughts');

  // Undo of a note edit, named in a toast.
  await app.locator('body').press('Control+z');
  await expect(note).toHaveText('first thoughts');
  await expect(status(app)).toContainText('Undid note edit');
  await app.locator('body').press('Control+Shift+z');
  await expect(note).toHaveText('second thoughts');
  await expect(status(app)).toContainText('Redid note edit');

  // Undo of a delete, and redo of it.
  await card(app, id).getByRole('button', { name: 'Delete clipping' }).click();
  await expect(card(app, id)).toHaveCount(0);
  await expect(marks(app, id)).toHaveCount(0);
  await app.locator('body').press('Control+z');
  await expect(card(app, id)).toBeVisible();
  await expect(marks(app, id)).toHaveText(LAW);
  await expect(note).toHaveText('second thoughts');
  await expect(status(app)).toContainText(`Undid delete: “${LAW}”`);
  await app.locator('body').press('Control+y');
  await expect(card(app, id)).toHaveCount(0);
  await expect(status(app)).toContainText('Redid delete');
  await app.locator('body').press('Control+z');
  await expect(card(app, id)).toBeVisible();

  // The library holds what the page shows.
  const article = (await bridge.library.listArticles())[0]!;
  expect((await bridge.library.getArticle(article.id)).clippings).toMatchObject([{ id, note: 'second thoughts', label: 'fact' }]);

  // In a text field, Ctrl+Z is the field's: the clippings are left alone.
  const tagInput = app.getByLabel('Add article tag');
  await tagInput.fill('draft');
  await tagInput.press('Control+z');
  await expect(card(app, id)).toBeVisible();
  await expect(note).toHaveText('second thoughts');

  // Undoing back past the first change removes the highlight itself; redo brings it back.
  await app.locator('body').click({ position: { x: 5, y: 5 } });
  await app.locator('body').press('Control+z'); // the note edit
  await app.locator('body').press('Control+z'); // the first note
  await app.locator('body').press('Control+z'); // the highlight
  await expect(card(app, id)).toHaveCount(0);
  await expect(status(app)).toContainText('Undid highlight');
  await app.locator('body').press('Control+Shift+z');
  await expect(card(app, id)).toBeVisible();
  await expect(card(app, id).getByTestId('clipping-note')).toHaveCount(0);
});

test('l opens the label picker on the active clipping, l again moves, Enter applies; h then uses the label last chosen', async ({ app }) => {
  const id = await highlight(app, LAW, 'quote');
  await card(app, id).locator('.card-quote').click();
  await expect(card(app, id)).toHaveClass(/is-active/);

  await app.keyboard.press('l');
  const picker = card(app, id).getByTestId('label-picker');
  await expect(picker).toBeVisible();
  await expect(picker.getByRole('option', { selected: true })).toContainText('quote');
  await app.keyboard.press('l');
  await expect(picker.getByRole('option', { selected: true })).toContainText('fact');
  await app.keyboard.press('l');
  await expect(picker.getByRole('option', { selected: true })).toContainText('claim');
  await shots(app, 'label-picker');
  await app.keyboard.press('Enter');
  await expect(picker).toHaveCount(0);
  await expect(card(app, id).getByTestId('clipping-label')).toHaveText('claim');
  await expect(marks(app, id)).toHaveClass(/hl-pink/);
  await expect(marks(app, id)).toHaveAttribute('title', /^claim/);

  // The change is undoable like any other.
  await app.locator('body').press('Control+z');
  await expect(card(app, id).getByTestId('clipping-label')).toHaveText('quote');
  await expect(app.getByRole('status')).toContainText('Undid label change');

  // On a selection, the picker chooses the label of the new highlight; h repeats it.
  await selectInReader(app, 'At a press meeting');
  const toolbar = app.getByTestId('selection-toolbar');
  await expect(toolbar.getByRole('button', { name: 'Choose a label' })).toHaveAttribute('aria-keyshortcuts', 'L');
  await app.keyboard.press('l');
  await expect(toolbar.getByTestId('label-picker')).toBeVisible();
  await app.keyboard.press('4'); // background
  const second = cards(app).filter({ hasText: 'At a press meeting' });
  await expect(second.getByTestId('clipping-label')).toHaveText('background');
  await app.keyboard.press('Escape');
  await selectInReader(app, 'Xinhua news agency reported');
  await expect(toolbar.getByRole('button', { name: 'Highlight background' })).toHaveAttribute('aria-keyshortcuts', 'H');
  await app.keyboard.press('h');
  await expect(cards(app).filter({ hasText: 'Xinhua news agency reported' }).getByTestId('clipping-label')).toHaveText('background');
});

test('a label renamed, recoloured or added shows in the cards, the marks and the toolbar; a label in use is not removed', async ({ app }) => {
  const id = await highlight(app, LAW, 'quote');
  await app.getByRole('button', { name: 'Edit labels' }).click();
  const dialog = app.getByTestId('labels-dialog');
  await expect(dialog.getByTestId('label-row')).toHaveCount(5);
  await dialog.getByLabel('Name of label 1').fill('key quote');
  await dialog.getByRole('radiogroup', { name: 'Colour of key quote' }).getByRole('radio', { name: 'Purple' }).click();
  await dialog.getByRole('button', { name: 'Add label' }).click();
  await dialog.getByLabel('Name of label 6').fill('people');
  await dialog.getByRole('button', { name: 'Save labels' }).click();
  await expect(dialog).toHaveCount(0);

  await expect(card(app, id).getByTestId('clipping-label')).toHaveText('key quote');
  await expect(marks(app, id)).toHaveClass(/hl-purple/);
  await expect(marks(app, id)).toHaveAttribute('title', /^key quote/);
  await selectInReader(app, 'At a press meeting');
  await expect(app.getByTestId('selection-toolbar').getByRole('button', { name: 'Highlight people' })).toBeVisible();
  await app.keyboard.press('Escape');

  // Removing the label of a clipping is refused, and the message names it.
  await app.getByRole('button', { name: 'Edit labels' }).click();
  await dialog.getByRole('button', { name: 'Remove label key quote' }).click();
  await dialog.getByRole('button', { name: 'Save labels' }).click();
  await expect(dialog.getByTestId('labels-error')).toContainText('key quote');
  await expect(dialog).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(card(app, id).getByTestId('clipping-label')).toHaveText('key quote');
});

test('notes are Markdown shown safely: bold is bold, web links open outside, scripts and images never run', async ({ app, bridge }) => {
  const dialogs: string[] = [];
  app.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const requests: string[] = [];
  app.on('request', (r) => {
    if (!r.url().startsWith(bridge.url)) requests.push(r.url());
  });
  const hostile = [
    '**Bold claim** and *emphasis*, see [the report](https://example.org/report).',
    '',
    '<script>window.__pwned = 1; alert(1)</script>',
    '<img src=x onerror="window.__pwned = 2; alert(2)">',
    '![tracker](https://example.org/pixel.png) [bad link](javascript:alert(3))',
  ].join('\n');

  const id = await highlight(app, LAW, 'fact');
  await card(app, id).getByRole('button', { name: 'Edit clipping' }).click();
  await app.getByLabel('Note', { exact: true }).fill(hostile);
  await app.getByRole('button', { name: 'Save' }).click();

  const note = card(app, id).getByTestId('clipping-note');
  await expect(note.locator('strong')).toHaveText('Bold claim');
  await expect(note.locator('em')).toHaveText('emphasis');
  const link = note.getByRole('link', { name: 'the report' });
  await expect(link).toHaveAttribute('href', 'https://example.org/report');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', /noopener/);
  // What could run is shown as text or dropped, never as elements.
  await expect(note).toContainText('<script>');
  await expect(note.locator('script, img, iframe, [onerror]')).toHaveCount(0);
  await expect(note.getByText('bad link')).toBeVisible();
  await expect(note.locator('a')).toHaveCount(1);

  // The same note arriving from elsewhere (an import, another machine) is shown the same way.
  const article = (await bridge.library.listArticles())[0]!;
  const { text } = await bridge.library.getArticle(article.id);
  const at = text.indexOf('Xinhua news agency reported');
  await bridge.library.createClipping({ articleId: article.id, start: at, end: at + 27, exact: 'Xinhua news agency reported', label: 'claim', note: hostile });
  await app.reload();
  await expect(cards(app)).toHaveCount(2);
  await expect(app.getByTestId('clipping-note').locator('strong')).toHaveText(['Bold claim', 'Bold claim']);
  await expect(app.getByTestId('clipping-note').locator('script, img')).toHaveCount(0);

  await app.waitForTimeout(300);
  expect(await app.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(requests.filter((u) => u.includes('example.org'))).toEqual([]);
});

test('after Edit text removed its words, an orphan is re-attached to words the user selects, and Esc cancels', async ({ app, bridge }) => {
  const [gone, moved] = await seedClippings(app, bridge, [
    { words: 'he had just spoken with Turkish President Recep Tayyip Erdogan', label: 'claim', note: 'first call' },
    { words: LAW, label: 'fact' },
  ]);

  await app.getByRole('button', { name: 'Edit text' }).click();
  const dialog = app.getByTestId('edit-text-dialog');
  const area = dialog.getByLabel('Article text');
  const old = await area.inputValue();
  const corrected = `A correction was made to this report.\n\n${old.replace('he had just spoken with Turkish President Recep Tayyip Erdogan', 'he had spoken with the Turkish leader by phone')}`;
  await area.fill(corrected);
  await dialog.getByRole('button', { name: 'Save text' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(reader(app)).toContainText('he had spoken with the Turkish leader by phone');
  await expect(app.getByRole('status')).toContainText('1 clipping not found');

  // The moved one followed its words, and says how sure that is.
  await expect(marks(app, moved)).toHaveText(LAW);
  await expect(card(app, moved).getByTestId('clipping-reanchored')).toContainText(/Re-attached after the text changed( · \d+% sure)?/);
  // The lost one is listed with its quote, not drawn on other words.
  await expect(marks(app, gone)).toHaveCount(0);
  await expect(card(app, gone)).toHaveAttribute('data-anchor', 'orphan');
  await expect(card(app, gone)).toContainText('Recep Tayyip Erdogan');
  await expect(card(app, gone).getByTestId('clipping-orphan')).toHaveText('Not found in the current text');
  await shots(app, 'orphan-card');

  // Esc leaves re-attaching without a change.
  await card(app, gone).getByRole('button', { name: 'Re-attach' }).click();
  await expect(app.getByTestId('reattach-banner')).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('reattach-banner')).toHaveCount(0);
  await expect(card(app, gone)).toHaveAttribute('data-anchor', 'orphan');

  await card(app, gone).getByRole('button', { name: 'Re-attach' }).click();
  await selectInReader(app, 'he had spoken with the Turkish leader by phone');
  const toolbar = app.getByTestId('selection-toolbar');
  await expect(toolbar.getByRole('button', { name: /Highlight/ })).toHaveCount(0);
  await toolbar.getByRole('button', { name: 'Attach here' }).click();
  await expect(app.getByTestId('reattach-banner')).toHaveCount(0);
  await expect(marks(app, gone)).toHaveText('he had spoken with the Turkish leader by phone');
  await expect(card(app, gone)).toHaveAttribute('data-anchor', 'anchored');
  await expect(card(app, gone).getByTestId('clipping-note')).toHaveText('first call');
  await expect(card(app, gone).getByTestId('clipping-label')).toHaveText('claim');
  const article = (await bridge.library.listArticles())[0]!;
  const stored = (await bridge.library.getArticle(article.id)).clippings.find((c) => c.id === gone);
  expect(stored).toMatchObject({ note: 'first call', label: 'claim', target: { quote: { exact: 'he had spoken with the Turkish leader by phone' } } });

  // Re-attaching is a change like the others: Ctrl+Z makes it an orphan again.
  await app.locator('body').press('Control+z');
  await expect(card(app, gone)).toHaveAttribute('data-anchor', 'orphan');
  await expect(marks(app, gone)).toHaveCount(0);
});

test('the Quotes panel lists the quotations with their speaker; Clip makes a "quote" clipping noting the speaker', async ({ app }) => {
  await app.getByRole('tab', { name: /Quotes/ }).click();
  const items = app.getByTestId('quote-item');
  await expect(items.first()).toBeVisible();
  const count = await items.count();
  expect(count).toBeGreaterThan(0);
  // On the sample every quotation is Guterres'.
  await expect(app.getByTestId('quote-speaker')).toHaveText(Array.from({ length: count }, () => '— Antonio Guterres'));

  const quote = items.filter({ hasText: 'It is time for serious dialogue' });
  // Clicking the quotation brings it into view in the reader.
  await app.getByRole('main').evaluate((el) => el.scrollTo({ top: 0 }));
  await quote.locator('.quote-text').click();
  await expect
    .poll(() =>
      app.evaluate(() => {
        const p = [...document.querySelectorAll('[data-testid="reader"] p')].find((e) => e.textContent?.includes('It is time for serious dialogue'))!;
        const r = p.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
      }),
    )
    .toBe(true);

  await quote.getByRole('button', { name: /^Clip quote/ }).click();
  await expect(quote.getByTestId('quote-clipped')).toBeVisible();
  await shots(app, 'quotes-panel');
  await expect(app.getByRole('tab', { name: /Clippings/ })).toContainText('1');

  await app.getByRole('tab', { name: /Clippings/ }).click();
  const clipped = cards(app);
  await expect(clipped).toHaveCount(1);
  await expect(clipped).toContainText('It is time for serious dialogue');
  await expect(clipped.getByTestId('clipping-label')).toHaveText('quote');
  await expect(clipped.getByTestId('clipping-note')).toHaveText('Speaker: Antonio Guterres');
  const id = (await clipped.getAttribute('data-clipping-id'))!;
  await expect(marks(app, id)).toContainText('It is time for serious dialogue');
});

test('a suggested tag is added to the article with one click and is then no longer offered', async ({ app, bridge }) => {
  const chips = app.getByTestId('suggested-tag');
  await expect(chips.first()).toBeVisible();
  const tag = (await chips.first().locator('.chip-text').textContent())!;
  await app.getByRole('button', { name: `Add tag ${tag}`, exact: true }).click();
  await expect(app.getByTestId('article-tag')).toHaveText([tag]);
  await expect(app.getByRole('button', { name: `Add tag ${tag}`, exact: true })).toHaveCount(0);
  await expect(chips.first()).toBeVisible(); // the others are still offered
  await expect(app.getByTestId('article-item').first().getByTestId('tag-chip')).toHaveText([tag]);
  await expect.poll(async () => (await bridge.library.listArticles())[0]!.tags).toEqual([tag]);
});

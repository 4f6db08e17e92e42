/**
 * Finding things again, as a person does it: the search palette (Ctrl+K)
 * finds a word that is only in a clipping's note and opens the article at
 * that clipping; the start of a word and a misspelt word find an article by
 * its title; the clippings view lists only the clippings of a label, and two
 * of them tagged at once are untagged again with Ctrl+Z. Against the real
 * library and its index, over the test bridge.
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { selectInReader } from './select';
import type { Bridge } from '../bridge/server';

const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');
const origin = { kind: 'plain-text' as const, name: 'search.txt', path: 'search.txt' };

type Clip = { words: string; label: string; note?: string; tags?: string[] };
type Story = { title: string; source?: string; published: string; paragraphs: string[]; clippings?: Clip[] };

/** Articles (and clippings) stored straight in the library, as an import would, then shown by reloading. */
async function addStories(app: Page, bridge: Bridge, stories: readonly Story[]): Promise<{ id: string; clippings: string[] }[]> {
  const made: { id: string; clippings: string[] }[] = [];
  for (const s of stories) {
    const outcome = await bridge.library.importDocument(
      {
        kind: 'plain-text',
        title: s.title,
        source: s.source ?? 'Lake Wire',
        byline: null,
        published: s.published,
        dateline: null,
        language: 'en',
        blocks: s.paragraphs.map((text) => ({ kind: 'paragraph' as const, text })),
      },
      origin,
    );
    if (outcome.status !== 'imported') throw new Error(`${s.title}: ${outcome.status}`);
    const text = s.paragraphs.join('\n\n');
    const clippings: string[] = [];
    for (const c of s.clippings ?? []) {
      const start = text.indexOf(c.words);
      if (start < 0) throw new Error(`"${c.words}" is not in ${s.title}`);
      const clipping = await bridge.library.createClipping({ articleId: outcome.id, start, end: start + c.words.length, exact: c.words, label: c.label, note: c.note ?? '', tags: c.tags ?? [] });
      clippings.push(clipping.id);
    }
    made.push({ id: outcome.id, clippings });
  }
  await app.reload();
  await expect(items(app)).toHaveCount(stories.length + 1);
  return made;
}

const SEED = /Guterres/;
const items = (page: Page) => page.getByTestId('article-item');
const item = (page: Page, title: string | RegExp) => items(page).filter({ hasText: title });
const reader = (page: Page) => page.getByTestId('reader');
const palette = (page: Page) => page.getByRole('dialog', { name: 'Search the library' });
const results = (page: Page) => palette(page).getByRole('option');
const status = (page: Page) => page.getByRole('status').filter({ has: page.locator('.toast') });

/** Types a search into the palette and waits for its answer (until then the previous hits stay on screen). */
async function search(page: Page, text: string): Promise<void> {
  await palette(page).getByRole('combobox').fill(text);
  const list = palette(page).getByRole('listbox', { name: 'Results', includeHidden: true });
  await expect(list).toHaveAttribute('data-query', text);
  await expect(list).not.toHaveAttribute('aria-busy');
}

/** A long report: the clipping made in it is far below the first screen. */
const LONG = Array.from(
  { length: 36 },
  (_, i) => `Paragraph ${i + 1} of the port report: the quays, the cranes and the winter timetable, with enough words to fill two lines of the reader.`,
);
LONG[30] = 'The harbour master said the northern breakwater would need a second season of repairs before larger ships could dock.';
const FAR_WORDS = 'the northern breakwater would need a second season of repairs';
const NOTE_WORD = 'zanzibarish';

/**
 * A screenshot to look at, kept with the test's results; with
 * CUTTINGS_DOCS_SCREENSHOTS=1 also copied to docs/ for the README (a test run
 * never changes the checkout otherwise).
 */
async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(250);
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path });
  if (process.env.CUTTINGS_DOCS_SCREENSHOTS !== '1') return;
  await mkdir(DOCS, { recursive: true });
  await copyFile(path, join(DOCS, `${name}.png`));
}

test('a word only in a clipping’s note is found with Ctrl+K, marked, and Enter opens the article at that clipping', async ({ app, bridge }) => {
  await addStories(app, bridge, [
    { title: 'Breakwater repairs to run into a second season', published: '2025-03-04', paragraphs: LONG },
    {
      title: 'Ferries resume on the lake after the storms',
      published: '2025-02-11',
      paragraphs: ['Ferries resumed on the lake after a week of storms, the operator said.', 'The winter timetable stays until March.'],
      clippings: [{ words: 'Ferries resumed on the lake', label: 'fact', note: 'Timetable confirmed by the operator.' }],
    },
  ]);

  // A clipping made as a person makes one: select, highlight, write a note.
  await item(app, /^Breakwater/).click();
  await expect(reader(app).locator('h1')).toHaveText(/^Breakwater/);
  await selectInReader(app, FAR_WORDS);
  await app.getByTestId('selection-toolbar').getByRole('button', { name: 'Highlight quote' }).click();
  await app.getByLabel('Note', { exact: true }).fill(`Ask the harbour master whether the ${NOTE_WORD} estimate holds.`);
  await app.getByRole('button', { name: 'Save' }).click();
  const card = app.getByTestId('clipping-card').filter({ hasText: FAR_WORDS });
  await expect(card.getByTestId('clipping-note')).toContainText(NOTE_WORD);
  const clippingId = await card.getAttribute('data-clipping-id');
  expect(clippingId).toBeTruthy();

  // Somewhere else in the library, at the top of another article.
  await item(app, SEED).click();
  await expect(reader(app).locator('h1')).toHaveText(SEED);

  // The toolbar button says its shortcut.
  const button = app.getByTestId('search-button');
  await expect(button).toHaveAttribute('aria-keyshortcuts', 'Control+K');
  await expect(button).toHaveAttribute('title', /Ctrl\+K|⌘\+K/);

  await app.locator('body').press('Control+k');
  await expect(palette(app)).toBeVisible();
  const input = palette(app).getByRole('combobox', { name: 'Search articles and clippings' });
  await expect(input).toBeFocused();
  await app.keyboard.type(NOTE_WORD);
  await expect(palette(app).getByRole('listbox', { name: 'Results' })).toHaveAttribute('data-query', NOTE_WORD);

  // One hit: the clipping, found by its note, with the word marked; no article says it.
  await expect(results(app)).toHaveCount(1);
  const hit = results(app).first();
  await expect(hit.locator('[data-kind="clipping"]')).toHaveAttribute('data-clipping-id', clippingId!);
  await expect(hit.getByTestId('search-note').locator('mark')).toHaveText(NOTE_WORD);
  await expect(hit).toContainText(FAR_WORDS);
  await expect(hit).toHaveAttribute('aria-selected', 'true');
  await expect(input).toHaveAttribute('aria-activedescendant', (await hit.getAttribute('id'))!);
  await expect(palette(app).getByTestId('search-articles')).toHaveCount(0);
  await expect(palette(app).getByTestId('search-totals')).toHaveText('0 articles · 1 clipping');

  // For docs/search.png: a query with hits of both kinds, and the filters open.
  await search(app, 'harbour');
  await expect(palette(app).getByTestId('search-articles').getByRole('option').first()).toBeVisible();
  await expect(palette(app).getByTestId('search-clippings').getByRole('option').first()).toBeVisible();
  const filters = palette(app).getByRole('button', { name: 'Filters' });
  await filters.click();
  await expect(filters).toHaveAttribute('aria-expanded', 'true');
  await expect(palette(app).getByRole('group', { name: 'Search filters' })).toBeVisible();
  await shot(app, 'search');
  await filters.click();
  await input.focus();
  await search(app, NOTE_WORD);
  await expect(results(app)).toHaveCount(1);

  await app.keyboard.press('Enter');
  await expect(palette(app)).toHaveCount(0);
  await expect(reader(app).locator('h1')).toHaveText(/^Breakwater/);
  const mark = reader(app).locator(`mark[data-clipping-id="${clippingId}"]`);
  await expect(mark).toHaveClass(/is-active/);
  await expect(mark).toBeInViewport();
  const opened = app.locator(`[data-testid="clipping-card"][data-clipping-id="${clippingId}"]`);
  await expect(opened).toHaveClass(/is-active/);
  await expect(opened.locator('.card-quote')).toBeFocused();

  // Esc closes the palette and gives the focus back; it opens again on the same search.
  await app.locator('body').press('Control+k');
  await expect(input).toHaveValue(NOTE_WORD);
  await app.keyboard.press('Escape');
  await expect(palette(app)).toHaveCount(0);
});

test('the start of a word, and a word misspelt, find an article by its title; the arrows choose and Enter opens', async ({ app, bridge }) => {
  await addStories(app, bridge, [
    { title: 'Desalination plant opens on the coast', published: '2025-01-20', paragraphs: ['The plant will supply water to forty thousand homes, the ministry said.'] },
    { title: 'Fishing fleet returns to port', published: '2025-01-21', paragraphs: ['The fleet came back early because of the weather.'] },
  ]);
  await app.getByTestId('search-button').click();
  const input = palette(app).getByRole('combobox');
  await expect(input).toBeFocused();

  // A prefix.
  await search(app, 'desalin');
  const articles = palette(app).getByTestId('search-articles').getByRole('option');
  await expect(articles.first()).toContainText('Desalination plant opens on the coast');
  await expect(articles.first().locator('.hit-title mark')).toHaveCount(1);
  await expect(articles.first().locator('.hit-title mark')).toHaveText(/^Desalin/);

  // A typo (a letter left out).
  await search(app, 'desalinaton');
  await expect(articles.first()).toContainText('Desalination plant opens on the coast');

  // Another search, then the arrows: ↓ moves to the next hit, Enter opens it.
  await search(app, 'fleet');
  await expect(articles.first()).toContainText('Fishing fleet returns to port');
  await search(app, 'port');
  const count = await results(app).count();
  await app.keyboard.press('ArrowDown');
  const second = results(app).nth(Math.min(1, count - 1));
  await expect(second).toHaveAttribute('aria-selected', 'true');
  const title = (await second.locator('.hit-title').textContent()) ?? '';
  await app.keyboard.press('Enter');
  await expect(palette(app)).toHaveCount(0);
  await expect(reader(app).locator('h1')).toHaveText(title);
});

test('the clippings view keeps only one label’s clippings; two tagged at once lose the tag again with Ctrl+Z, and export alone', async ({ app, bridge, workDir }) => {
  const [harbour, ferries] = await addStories(app, bridge, [
    {
      title: 'Harbour reopens after the storm',
      published: '2025-03-01',
      paragraphs: ['The harbour reopened on Monday, the port authority said.', 'Ferries will run on the winter timetable until March.', 'Repairs to the quays cost more than planned.'],
      clippings: [
        { words: 'The harbour reopened on Monday', label: 'quote', note: 'First sailing at **dawn**.' },
        { words: 'Ferries will run on the winter timetable', label: 'fact', tags: ['transport'] },
        { words: 'Repairs to the quays cost more than planned', label: 'claim' },
      ],
    },
    {
      title: 'Ferries resume on the lake',
      published: '2025-02-15',
      paragraphs: ['Ferries resumed on the lake after a week of storms, the operator said.', '“We are back on schedule,” the operator told reporters.'],
      clippings: [
        { words: 'Ferries resumed on the lake', label: 'quote', tags: ['place/Lake'] },
        { words: '“We are back on schedule,” the operator told reporters.', label: 'quote', note: 'Said at the pier.' },
      ],
    },
  ]);
  const quotes = [harbour!.clippings[0]!, ferries!.clippings[0]!, ferries!.clippings[1]!];

  const entry = app.getByTestId('clippings-entry');
  await expect(entry).toContainText('5');
  await entry.click();
  const view = app.getByTestId('clippings-view');
  await expect(view).toBeVisible();
  await expect(entry).toHaveAttribute('aria-pressed', 'true');
  const rows = view.getByTestId('clipping-row');
  await expect(rows).toHaveCount(5);
  await expect(view.getByTestId('clippings-count')).toHaveText('5 clippings');

  // Only the quotes.
  await view.getByTestId('filter-label').selectOption('quote');
  await expect(rows).toHaveCount(3);
  await expect(view.getByTestId('clippings-count')).toHaveText('3 clippings match');
  for (const row of await rows.all()) await expect(row).toHaveAttribute('data-label', 'quote');
  expect((await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-clipping-id')))).sort()).toEqual([...quotes].sort());

  // Two of them selected (a checkbox, then Ctrl+click), tagged at once.
  await rows.nth(0).getByTestId('clipping-check').click();
  await rows.nth(1).click({ modifiers: ['Control'] });
  const bar = view.getByTestId('clippings-bulk-bar');
  await expect(bar).toContainText('2 selected');
  await expect(rows.nth(0)).toHaveAttribute('aria-selected', 'true');
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(rows.nth(2)).toHaveAttribute('aria-selected', 'false');
  const tagged = await rows.evaluateAll((els) => els.slice(0, 2).map((e) => e.getAttribute('data-clipping-id')!));
  await bar.getByRole('button', { name: 'Tag…' }).click();
  const dialog = app.getByTestId('bulk-tag-dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Tag 2 clippings');
  await dialog.getByLabel('Tags to add').fill('dossier/ports');
  await dialog.getByLabel('Tags to add').press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(status(app)).toContainText('Tagged 2 clippings “dossier/ports”.');
  for (const id of tagged) await expect(view.locator(`[data-clipping-id="${id}"]`).getByTestId('clipping-row-tag')).toContainText(['dossier/ports']);
  await expect(view.getByTestId('clipping-row-tag').filter({ hasText: 'dossier/ports' })).toHaveCount(2);
  for (const id of tagged) expect((await bridge.library.getClipping(id)).tags).toContain('dossier/ports');
  await shot(app, 'clippings');

  // Ctrl+Z takes the tag off both again.
  await app.locator('body').press('Control+z');
  await expect(status(app)).toContainText('Undid tagging: “dossier/ports” on 2 clippings');
  await expect(view.getByTestId('clipping-row-tag').filter({ hasText: 'dossier/ports' })).toHaveCount(0);
  for (const id of tagged) expect((await bridge.library.getClipping(id)).tags).not.toContain('dossier/ports');

  // The two still selected are exported on their own.
  const out = join(workDir, 'two-quotes.md');
  bridge.answerSaveDialog(out);
  await bar.getByRole('button', { name: 'Export' }).click();
  await expect(status(app)).toContainText(`Exported 2 clippings to ${out}`);
  const markdown = await readFile(out, 'utf8');
  const quoteOf = async (id: string) => (await bridge.library.getClipping(id)).target.quote.exact;
  for (const id of tagged) expect(markdown).toContain(await quoteOf(id));
  const untagged = quotes.find((id) => !tagged.includes(id))!;
  expect(markdown).not.toContain(await quoteOf(untagged));
  expect(markdown).not.toContain('Repairs to the quays');

  // A click on a row opens its article at that clipping, in the reader.
  await rows.filter({ hasText: 'We are back on schedule' }).click();
  await expect(view).toBeHidden();
  await expect(reader(app).locator('h1')).toHaveText('Ferries resume on the lake');
  await expect(app.locator(`[data-testid="clipping-card"][data-clipping-id="${quotes[2]}"]`)).toHaveClass(/is-active/);
});

test('a library of 250 clippings is listed a page at a time as it scrolls, with only the rows in view in the page', async ({ app, bridge }) => {
  const paragraphs = Array.from({ length: 250 }, (_, i) => `Note ${i + 1}: the ferry count on the lake, recorded at the pier.`);
  await addStories(app, bridge, [
    {
      title: 'Pier log for the winter',
      published: '2025-01-05',
      paragraphs,
      clippings: paragraphs.map((p) => ({ words: p, label: 'fact' })),
    },
  ]);
  await app.getByTestId('clippings-entry').click();
  const view = app.getByTestId('clippings-view');
  await expect(view.getByTestId('clippings-count')).toHaveText('250 clippings');
  await expect(view.getByTestId('clippings-foot')).toContainText('100 of 250 loaded');
  const rendered = await view.getByTestId('clipping-row').count();
  expect(rendered).toBeGreaterThan(3);
  expect(rendered).toBeLessThan(40);

  // Scrolling to the end asks for the next pages.
  const scroller = view.getByTestId('clippings-scroller');
  for (let i = 0; i < 8; i++) await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(view.getByTestId('clippings-foot')).not.toContainText('loaded');
  await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(view.getByTestId('clipping-row').last()).toHaveAttribute('aria-posinset', '250');
  expect(await view.getByTestId('clipping-row').count()).toBeLessThan(40);

  // The keyboard: Ctrl+A selects every clipping loaded, Esc lets go.
  await view.getByTestId('clipping-row').last().click({ modifiers: ['Control'] });
  await app.keyboard.press('Control+a');
  await expect(view.getByTestId('clippings-bulk-bar')).toContainText('250 selected');
  await app.keyboard.press('Escape');
  await expect(view.getByTestId('clippings-bulk-bar')).toHaveCount(0);
});

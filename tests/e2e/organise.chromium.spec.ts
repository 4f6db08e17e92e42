/**
 * Organising a library as a person does it: sorting the list, reading
 * states and their filter, the tags browser (filter, rename onto an existing
 * tag to merge, delete), selecting several articles to tag them at once,
 * every change undone with the toast's Undo or Ctrl+Z; and a library of
 * 2,000 articles that keeps only the rows in view in the page.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import type { Bridge } from '../bridge/server';

const origin = { kind: 'plain-text' as const, name: 'organise.txt', path: 'organise.txt' };

type Story = { title: string; published: string; text: string; tags?: string[]; clippings?: { words: string; tags?: string[] }[] };

/** Articles stored straight in the library (as an import would), then shown by reloading. */
async function addStories(app: Page, bridge: Bridge, stories: readonly Story[]): Promise<string[]> {
  const ids: string[] = [];
  for (const s of stories) {
    const outcome = await bridge.library.importDocument(
      { kind: 'plain-text', title: s.title, source: 'Lake Wire', byline: null, published: s.published, dateline: null, language: 'en', blocks: [{ kind: 'paragraph', text: s.text }] },
      origin,
    );
    if (outcome.status !== 'imported') throw new Error(`${s.title}: ${outcome.status}`);
    if (s.tags) await bridge.library.setArticleTags(outcome.id, s.tags);
    for (const c of s.clippings ?? []) {
      const start = s.text.indexOf(c.words);
      await bridge.library.createClipping({ articleId: outcome.id, start, end: start + c.words.length, exact: c.words, label: 'quote', note: '', tags: c.tags ?? [] });
    }
    ids.push(outcome.id);
  }
  await app.reload();
  await expect(items(app)).toHaveCount(stories.length + 1);
  return ids;
}

const STORIES: Story[] = [
  {
    title: 'Bravo: harbour reopens after the storm',
    published: '2025-03-01',
    text: 'The harbour reopened on Monday. Ferries will run on the winter timetable until March.',
    tags: ['place/Damascus'],
    clippings: [{ words: 'The harbour reopened on Monday' }, { words: 'Ferries will run', tags: ['aid'] }],
  },
  {
    title: 'Alpha: ferries resume on the lake',
    published: '2025-01-15',
    text: 'Ferries resumed on the lake after a week of storms, the operator said.',
    tags: ['place/Syria', 'aid'],
  },
  {
    title: 'Charlie: quays repaired ahead of schedule',
    published: '2025-02-10',
    text: 'Engineers finished repairing the quays two weeks early, the port authority said.',
    clippings: [{ words: 'Engineers finished repairing the quays' }],
  },
];
const SEED = /Guterres/;

const items = (page: Page) => page.getByTestId('article-item');
const item = (page: Page, title: string | RegExp) => items(page).filter({ hasText: title });
const titles = (page: Page) => items(page).locator('.article-item-title');
const status = (page: Page) => page.getByRole('status').filter({ has: page.locator('.toast') });
const tagRow = (page: Page, tag: string) => page.locator(`[data-testid="tag"][data-tag="${tag}"]`);
const sortBy = (page: Page, label: string) => page.getByLabel('Sort articles').selectOption({ label });
const readingFilter = (page: Page, name: string) => page.getByRole('group', { name: 'Reading state' }).getByRole('button', { name, exact: true });

/** Screenshots in both themes (the library's theme is "system" here), kept with the test's results to look at. */
async function shots(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', colorScheme);
    await page.waitForTimeout(200);
    await page.screenshot({ path: test.info().outputPath(`${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: null });
}

test('sorting by title or by clippings reorders the list, and the choice is kept when the page reloads', async ({ app, bridge }) => {
  await addStories(app, bridge, STORIES);
  // Newest published first by default.
  await expect(titles(app)).toHaveText([/^Bravo/, /^Charlie/, /^Alpha/, SEED]);

  await sortBy(app, 'Title A–Z');
  await expect(titles(app)).toHaveText([/^Alpha/, /^Bravo/, /^Charlie/, SEED]);

  await sortBy(app, 'Most clippings');
  // Equal counts keep the newest first.
  await expect(titles(app)).toHaveText([/^Bravo/, /^Charlie/, /^Alpha/, SEED]);
  await expect(items(app).getByTestId('clipping-count')).toHaveText(['2', '1', '0', '0']);

  await app.reload();
  await expect(app.getByLabel('Sort articles')).toHaveValue('clippings');
  await expect(titles(app)).toHaveText([/^Bravo/, /^Charlie/, /^Alpha/, SEED]);
});

test('an opened article is no longer unread; Mark as read and Archive move it between the filters, and Undo brings it back', async ({ app, bridge }) => {
  await addStories(app, bridge, STORIES);
  const alpha = item(app, /^Alpha/);
  await expect(alpha).toHaveClass(/is-unread/);
  await expect(alpha.locator('.unread-dot')).toBeVisible();

  await alpha.click();
  await expect(app.getByTestId('reader').locator('h1')).toHaveText(/^Alpha/);
  await expect(alpha.locator('.unread-dot')).toHaveCount(0);
  // Started counts as unread (the seeded article, opened at start, too): it stays under Unread until it is read.
  await readingFilter(app, 'Unread').click();
  await expect(titles(app)).toHaveText([/^Bravo/, /^Charlie/, /^Alpha/, SEED]);

  await app.getByTestId('reader').getByRole('button', { name: 'Mark as read' }).click();
  await expect(titles(app)).toHaveText([/^Bravo/, /^Charlie/, SEED]);
  await expect(status(app)).toContainText('Marked read: “Alpha');
  await readingFilter(app, 'Read').click();
  await expect(titles(app)).toHaveText([/^Alpha/]);
  await expect(app.getByTestId('reader').getByRole('button', { name: 'Mark as unread' })).toBeVisible();

  // e archives the open article: it leaves every list but Archived.
  await app.keyboard.press('e');
  await expect(app.getByTestId('library-empty')).toHaveText('No read articles.');
  await readingFilter(app, 'All').click();
  await expect(titles(app)).toHaveText([/^Bravo/, /^Charlie/, SEED]);
  await expect(app.locator('.library-foot')).toHaveText('4 articles · 3 shown');
  await readingFilter(app, 'Archived').click();
  await expect(titles(app)).toHaveText([/^Alpha/]);
  await expect(app.getByTestId('reader').getByRole('button', { name: 'Unarchive' })).toBeVisible();

  // The toast's Undo takes the archiving back; Ctrl+Z then takes back the "read".
  await status(app).locator('.toast').filter({ hasText: 'Archived: “Alpha' }).getByRole('button', { name: 'Undo' }).click();
  await expect(app.getByTestId('library-empty')).toHaveText('No archived articles.');
  await readingFilter(app, 'Read').click();
  await expect(titles(app)).toHaveText([/^Alpha/]);
  await app.keyboard.press('Control+z');
  await expect(status(app)).toContainText('Undid mark as read: 1 article');
  await expect(app.getByTestId('library-empty')).toHaveText('No read articles.');
});

test('how far an article was read shows as a bar in its row; reading to the end marks it read', async ({ app, bridge }) => {
  const paragraph = (i: number) => `Paragraph ${i} of the long report on the harbour, the ferries and the winter timetable, with enough words to fill a line or two.`;
  const text = Array.from({ length: 60 }, (_, i) => paragraph(i)).join(' ');
  await addStories(app, bridge, [{ title: 'Delta: the long harbour report', published: '2025-04-01', text }]);
  const long = item(app, /^Delta/);
  await long.click();
  const main = app.getByRole('main');
  await expect(main.getByTestId('reader').locator('h1')).toHaveText(/^Delta/);
  await main.evaluate((el) => el.scrollTo({ top: (el.scrollHeight - el.clientHeight) / 2 }));
  await expect(long.getByTestId('reading-progress')).toHaveCount(0); // saved on leaving, not on every scroll

  await item(app, SEED).click();
  await expect(long.getByTestId('reading-progress')).toHaveAttribute('title', /^(4[5-9]|5[0-5])% read$/);
  await shots(app, 'reading-progress');

  await long.click();
  await expect(main.getByTestId('reader').locator('h1')).toHaveText(/^Delta/);
  await main.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(main.getByRole('button', { name: 'Mark as unread' })).toBeVisible();
  await expect(long.getByTestId('reading-progress')).toHaveCount(0);
  await readingFilter(app, 'Read').click();
  await expect(titles(app)).toHaveText([/^Delta/]);
});

test('renaming a tag onto an existing one merges them, in the list and the tags browser; Ctrl+Z separates them again', async ({ app, bridge }) => {
  await addStories(app, bridge, STORIES);
  const browser = app.getByTestId('tags-browser');
  // place is not used on its own: it shows what is below it.
  await expect(tagRow(app, 'place').getByTestId('tag-below')).toHaveText('+2');
  await tagRow(app, 'place').getByRole('button', { name: 'Show the tags below place' }).click();
  await expect(tagRow(app, 'place/Damascus').getByTestId('tag-count')).toHaveText('1');
  await expect(tagRow(app, 'place/Syria').getByTestId('tag-count')).toHaveText('1');

  // Filtering by place shows the articles of every tag below it.
  await tagRow(app, 'place').getByRole('button', { name: /^place/ }).click();
  await expect(titles(app)).toHaveText([/^Bravo/, /^Alpha/]);
  await expect(app.getByTestId('tag-filter')).toContainText('place');
  await shots(app, 'tags-browser');

  await tagRow(app, 'place/Damascus').getByRole('button', { name: 'Actions for tag place/Damascus' }).click();
  await app.getByRole('menuitem', { name: 'Rename…' }).click();
  const dialog = app.getByTestId('rename-tag-dialog');
  await expect(dialog).toContainText('Typing the name of a tag that already exists merges the two');
  await dialog.getByLabel('New name').fill('place/Syria');
  await expect(dialog.getByTestId('merge-notice')).toContainText('“place/Syria” already exists (1 article): “place/Damascus” will be merged into it');
  await shots(app, 'rename-dialog');
  await dialog.getByRole('button', { name: 'Merge' }).click();
  await expect(dialog).toHaveCount(0);

  await expect(status(app)).toContainText('Merged “place/Damascus” into “place/Syria” on 1 article.');
  await expect(item(app, /^Bravo/).getByTestId('tag-chip')).toHaveText(['place/Syria']);
  await expect(tagRow(app, 'place/Damascus')).toHaveCount(0);
  await expect(tagRow(app, 'place/Syria').getByTestId('tag-count')).toHaveText('2');

  await app.keyboard.press('Control+z');
  await expect(status(app)).toContainText('Undid tag merge: “place/Damascus” → “place/Syria”');
  await expect(item(app, /^Bravo/).getByTestId('tag-chip')).toHaveText(['place/Damascus']);
  await expect(tagRow(app, 'place/Damascus').getByTestId('tag-count')).toHaveText('1');
  await expect(tagRow(app, 'place/Syria').getByTestId('tag-count')).toHaveText('1');
  await expect(browser).toBeVisible();

  // A name below itself is refused before main is asked.
  await tagRow(app, 'place').getByRole('button', { name: 'Actions for tag place' }).click();
  await app.getByRole('menuitem', { name: 'Rename…' }).click();
  await dialog.getByLabel('New name').fill('place/inner');
  await expect(dialog.getByTestId('rename-tag-error')).toHaveText('“place” cannot be moved below itself.');
  await expect(dialog.getByRole('button', { name: 'Rename' })).toBeDisabled();
  await app.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('deleting a tag says what it touches, removes it everywhere, and Undo puts it back', async ({ app, bridge }) => {
  await addStories(app, bridge, STORIES);
  // aid: on Alpha, and on one clipping of Bravo.
  await expect(tagRow(app, 'aid').getByTestId('tag-count')).toHaveText('2');
  await tagRow(app, 'aid').click({ button: 'right' });
  await app.getByRole('menuitem', { name: 'Delete…' }).click();
  const dialog = app.getByTestId('delete-tag-dialog');
  await expect(dialog.getByTestId('delete-tag-summary')).toContainText('Removes “aid” from 1 article and 1 clipping');
  await dialog.getByRole('button', { name: 'Delete tag' }).click();

  await expect(status(app)).toContainText('Deleted the tag “aid” from 1 article and 1 clipping.');
  await expect(tagRow(app, 'aid')).toHaveCount(0);
  await expect(item(app, /^Alpha/).getByTestId('tag-chip')).toHaveText(['place/Syria']);

  await status(app).getByRole('button', { name: 'Undo' }).click();
  await expect(tagRow(app, 'aid').getByTestId('tag-count')).toHaveText('2');
  await expect(item(app, /^Alpha/).getByTestId('tag-chip')).toHaveText(['place/Syria', 'aid']);
  // The clipping has its tag again too (open the article to see it).
  await item(app, /^Bravo/).click();
  await expect(app.getByTestId('clipping-card').filter({ hasText: 'Ferries will run' })).toContainText('aid');
});

test('two articles selected with Ctrl+click are tagged at once from the bulk bar, and Ctrl+Z untags them', async ({ app, bridge }) => {
  await addStories(app, bridge, STORIES);
  await item(app, SEED).click();
  await expect(app.getByTestId('reader').locator('h1')).toHaveText(SEED);
  await item(app, /^Alpha/).click({ modifiers: ['ControlOrMeta'] });
  await item(app, /^Charlie/).click({ modifiers: ['ControlOrMeta'] });
  await expect(item(app, /^Alpha/)).toHaveAttribute('aria-selected', 'true');
  await expect(item(app, /^Charlie/)).toHaveAttribute('aria-selected', 'true');
  await expect(item(app, /^Bravo/)).toHaveAttribute('aria-selected', 'false');
  // A selection opens nothing: the seeded article is still the one read.
  await expect(app.getByTestId('reader').locator('h1')).toHaveText(SEED);

  const bar = app.getByTestId('bulk-bar');
  await expect(bar).toContainText('2 selected');
  await shots(app, 'bulk-bar');
  await bar.getByRole('button', { name: 'Tag…' }).click();
  const dialog = app.getByTestId('bulk-tag-dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Tag 2 articles');
  await dialog.getByLabel('Tags to add').fill('follow up/ports');
  await dialog.getByRole('button', { name: 'Add tag' }).click();

  await expect(status(app)).toContainText('Tagged 2 articles “follow up/ports”.');
  await expect(item(app, /^Alpha/).getByTestId('tag-chip')).toHaveText(['place/Syria', 'aid', 'follow up/ports']);
  await expect(item(app, /^Charlie/).getByTestId('tag-chip')).toHaveText(['follow up/ports']);
  await expect(tagRow(app, 'follow up').getByTestId('tag-below')).toHaveText('+2');

  // Then a change of another kind: Ctrl+Z takes the two back last first.
  await bar.getByRole('button', { name: 'Mark read' }).click();
  await expect(status(app)).toContainText('Marked read: 2 articles.');
  await expect(item(app, /^Alpha/).locator('.unread-dot')).toHaveCount(0);
  await expect(bar.getByRole('button', { name: 'Mark unread' })).toBeVisible();
  await app.keyboard.press('Control+z');
  await expect(status(app)).toContainText('Undid mark as read: 2 articles');
  await expect(item(app, /^Alpha/).locator('.unread-dot')).toBeVisible();
  await expect(item(app, /^Alpha/).getByTestId('tag-chip')).toHaveText(['place/Syria', 'aid', 'follow up/ports']);

  await app.keyboard.press('Control+z');
  await expect(status(app)).toContainText('Undid tagging');
  await expect(item(app, /^Alpha/).getByTestId('tag-chip')).toHaveText(['place/Syria', 'aid']);
  await expect(item(app, /^Charlie/).getByTestId('tag-chip')).toHaveCount(0);
  await expect(tagRow(app, 'follow up')).toHaveCount(0);

  // Shift+click extends from the last one clicked; Esc clears.
  await item(app, /^Bravo/).click({ modifiers: ['Shift'] });
  await expect(bar).toContainText('2 selected');
  await app.keyboard.press('Escape');
  await expect(bar).toHaveCount(0);
});

test('the keyboard walks the list: arrows move, Enter opens, Space and Ctrl+A select, u marks read', async ({ app, bridge }) => {
  await addStories(app, bridge, STORIES);
  // Bravo, Charlie, Alpha, then the seeded article (newest published first).
  await item(app, /^Bravo/).focus();
  await app.keyboard.press('ArrowDown');
  await expect(item(app, /^Charlie/)).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('reader').locator('h1')).toHaveText(/^Charlie/);
  await expect(item(app, /^Charlie/)).toHaveAttribute('aria-current', 'true');
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('Space');
  await expect(item(app, /^Alpha/)).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByTestId('bulk-bar')).toContainText('1 selected');
  // u acts on the selection, not on the open article.
  await app.keyboard.press('u');
  await expect(status(app)).toContainText('Marked read: “Alpha');
  await expect(app.getByTestId('reader').getByRole('button', { name: 'Mark as read' })).toBeVisible();
  await app.keyboard.press('End');
  await expect(item(app, SEED)).toBeFocused();
  await app.keyboard.press('Shift+Home');
  await expect(app.getByTestId('bulk-bar')).toContainText('4 selected');
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('bulk-bar')).toHaveCount(0);
  await app.keyboard.press('Control+a');
  await expect(app.getByTestId('bulk-bar')).toContainText('4 selected');
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('bulk-bar')).toHaveCount(0);
});

test('a library of 2,000 articles keeps fewer than 100 rows in the page, and scrolling to the end shows the last one', async ({ app, bridge }) => {
  test.setTimeout(120_000);
  const total = 2000;
  const day = (i: number) => new Date(Date.UTC(2015, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
  for (let from = 0; from < total; from += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, total - from) }, (_, k) => {
        const i = from + k;
        const n = String(i).padStart(4, '0');
        return bridge.library.importDocument(
          { kind: 'plain-text', title: `Dispatch ${n}`, source: 'Lake Wire', byline: null, published: day(i), dateline: null, language: 'en', blocks: [{ kind: 'paragraph', text: `Dispatch number ${n} from the lake shore.` }] },
          origin,
        );
      }),
    );
  }
  await app.reload();
  await expect(app.locator('.library-foot')).toHaveText('2,001 articles');
  await expect(items(app).first()).toBeVisible();
  const rendered = await items(app).count();
  expect(rendered).toBeGreaterThan(3);
  expect(rendered).toBeLessThan(100);

  // Newest first: the oldest dispatch is the last row.
  const last = item(app, 'Dispatch 0000');
  await expect(last).toHaveCount(0);
  const scroller = app.getByTestId('article-scroller');
  await expect(async () => {
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(last).toBeInViewport({ timeout: 500 });
  }).toPass();
  await expect(last).toHaveAttribute('aria-posinset', '2001');
  expect(await items(app).count()).toBeLessThan(100);
  await last.click();
  await expect(app.getByTestId('reader').locator('h1')).toHaveText('Dispatch 0000');

  // Home takes the keyboard back to the top.
  await app.keyboard.press('Home');
  await expect(items(app).filter({ hasText: SEED })).toBeFocused();
  await expect(items(app).filter({ hasText: SEED })).toBeInViewport();
  expect(await items(app).count()).toBeLessThan(100);
  await shots(app, 'big-library');
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/**
 * Every way an article gets in through the window: drop, paste, URL, feeds,
 * a long folder import with progress and Cancel, and how imported bodies
 * (headings, quotes, pictures) and orphaned clippings look.
 */

const NEWS = ' date 2025-01-02 Geneva, Jan 2 Talks resumed on Thursday, Reuters reported.\n\nA second paragraph.\n';
const NEWS_TITLE = 'Talks resumed on Thursday, Reuters reported';
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** Five paragraphs of 40+ words: enough for Readability to take the page as an article. */
function paragraphs(topic: string, n = 5): string[] {
  return Array.from(
    { length: n },
    (_, i) =>
      `Paragraph ${i + 1} about ${topic}: negotiators from both delegations met again in the old conference hall on the lake shore, ` +
      `where officials said the discussions on water rights, border crossings and the exchange of prisoners had moved forward slowly ` +
      `but steadily, and that a joint statement could follow before the end of the week if the remaining questions were settled.`,
  );
}

function articlePage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><article><h1>${title}</h1>${body}</article></body></html>`;
}

type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** A tiny web server on 127.0.0.1 (port 0): the test's own "internet". */
async function webServer(routes: Record<string, Route>): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (route) route(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { origin: `http://127.0.0.1:${address.port}`, server };
}

const html = (body: string): Route => (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);

async function closeServer(server: Server) {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
}

const shot = (page: Page, name: string) => page.screenshot({ path: test.info().outputPath(name) });

test('a file dropped on the window is imported and opened', async ({ app, bridge }) => {
  await expect(app.getByTestId('article-item')).toHaveCount(1);
  await app.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'story.txt', { type: 'text/plain' }));
    (window as unknown as { __dt: DataTransfer }).__dt = dt;
    document.body.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
    document.body.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, NEWS);
  await expect(app.getByTestId('drop-overlay')).toBeVisible();
  await expect(app.getByTestId('drop-overlay')).toContainText('Drop to import');
  await shot(app, 'drop-overlay.png');
  await app.evaluate(() => {
    const dt = (window as unknown as { __dt: DataTransfer }).__dt;
    document.body.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  });
  await expect(app.getByTestId('drop-overlay')).toHaveCount(0);
  await expect(app.getByTestId('article-item')).toHaveCount(2);
  await expect(app.getByTestId('article-item').filter({ hasText: NEWS_TITLE })).toHaveAttribute('aria-current', 'true');
  await expect(app.getByTestId('reader').locator('h1')).toHaveText(NEWS_TITLE);
  await expect(app.getByRole('status')).toContainText('Imported 1 article');
  expect(bridge.library.articleCount).toBe(2);
});

test('pasted HTML is imported without running its scripts or fetching its pictures', async ({ app, bridge }) => {
  const origin = new URL(bridge.url).origin;
  const requests: string[] = [];
  app.on('request', (r) => requests.push(r.url()));
  await expect(app.getByTestId('article-item')).toHaveCount(1);
  const title = 'Lake shore talks enter a second week';
  const pasted =
    `<h1>${title}</h1>` +
    paragraphs('the lake shore talks')
      .map((p) => `<p>${p}</p>`)
      .join('') +
    `<img src="x" onerror="window.__pwned=1"><img src="https://example.com/remote.png" alt="remote picture"><script>window.__pwned=1</script>` +
    `<a href="javascript:window.__pwned=1">link</a>`;
  await app.evaluate((content) => {
    const dt = new DataTransfer();
    dt.setData('text/html', content);
    dt.setData('text/plain', 'Lake shore talks');
    document.body.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: dt }));
  }, pasted);
  await expect(app.getByTestId('article-item')).toHaveCount(2);
  const reader = app.getByTestId('reader');
  await expect(reader.locator('h1')).toHaveText(title);
  await expect(reader).toContainText('Paragraph 5 about the lake shore talks');
  await expect(reader.locator('script, iframe, [onerror]')).toHaveCount(0);
  // Click around the article so that any handler that slipped through would have had its chance.
  await reader.locator('p').first().click();
  expect(await app.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  for (const src of await reader.locator('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src)))
    expect(src.startsWith(`${origin}/library-files/`)).toBe(true);
  const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'));
  expect(foreign).toEqual([]);
});

test('a web page imported from its URL keeps its picture; a 404 says so', async ({ app, bridge }) => {
  const title = 'Water rights on the table';
  const body =
    paragraphs('water rights', 3)
      .map((p) => `<p>${p}</p>`)
      .join('') +
    `<h2>What the delegates said</h2><blockquote><p>We have never been this close to an agreement on the lake, and nobody here wants to lose that now.</p></blockquote>` +
    `<figure><img src="/pic.png" alt="The conference hall" width="1" height="1"><figcaption>The conference hall on the lake shore.</figcaption></figure>` +
    `<ul><li>Water rights for the farms on the eastern shore</li><li>Two new border crossings</li></ul>` +
    paragraphs('the next steps', 2)
      .map((p) => `<p>${p}</p>`)
      .join('');
  const { origin, server } = await webServer({
    '/story.html': html(articlePage(title, body)),
    '/pic.png': (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG),
  });
  try {
    await expect(app.getByTestId('article-item')).toHaveCount(1);
    await app.locator('body').press('Control+l');
    const dialog = app.getByTestId('url-dialog');
    await expect(dialog).toBeVisible();
    const input = dialog.getByRole('textbox', { name: 'Web address' });
    await expect(input).toBeFocused();

    // A page that is not there: main's reason, with the status, inside the dialog.
    await input.fill(`${origin}/gone.html`);
    await shot(app, 'url-dialog.png');
    await input.press('Enter');
    await expect(dialog.getByTestId('url-error')).toContainText('404');
    await expect(dialog.getByTestId('url-error')).toContainText('gone.html');
    await shot(app, 'url-dialog-error.png');
    expect(bridge.library.articleCount).toBe(1);

    await input.fill(`${origin}/story.html`);
    await input.press('Enter');
    await expect(dialog).toHaveCount(0);
    const reader = app.getByTestId('reader');
    await expect(reader.locator('h1')).toHaveText(title);
    await expect(reader.locator('h2[data-block-index]')).toHaveText('What the delegates said');
    await expect(reader.locator('blockquote[data-block-index]')).toContainText('never been this close');
    await expect(reader.locator('li[data-block-index]')).toHaveCount(2);
    const img = reader.locator('figure img');
    await expect(img).toHaveAttribute('src', /^\.\/library-files\/[A-Za-z0-9_-]+\/images\/[A-Za-z0-9_-]+\.png$/);
    await img.scrollIntoViewIfNeeded();
    await expect.poll(() => img.evaluate((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await expect(reader.locator('figcaption[data-block-index]')).toContainText('The conference hall on the lake shore.');
    await reader.locator('h2').scrollIntoViewIfNeeded();
    await shot(app, 'html-article.png');

    // The caption is canonical text: a highlight in the paragraph after the picture lands on its own words.
    const id = (await bridge.library.listArticles()).find((a) => a.title === title)!.id;
    const detail = await bridge.library.getArticle(id);
    const words = 'Two new border crossings';
    const start = detail.text.indexOf(words);
    await bridge.library.createClipping({ articleId: id, start, end: start + words.length, exact: words, label: 'fact' });
    await app.getByTestId('article-item').filter({ hasText: 'Guterres' }).click();
    await app.getByTestId('article-item').filter({ hasText: title }).click();
    await expect(reader.locator('mark[data-clipping-id]')).toHaveText(words);
  } finally {
    await closeServer(server);
  }
});

test('a feed is added, refreshed into articles, and a second refresh takes nothing new', async ({ app, bridge }) => {
  let origin = '';
  const rss = () =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>Lake Wire</title><link>${origin}/</link><description>News</description>` +
    `<item><title>First story</title><link>${origin}/a1.html</link><guid>${origin}/a1.html</guid><pubDate>Thu, 02 Jan 2025 10:00:00 GMT</pubDate></item>` +
    `<item><title>Second story</title><link>${origin}/a2.html</link><guid>${origin}/a2.html</guid><pubDate>Fri, 03 Jan 2025 10:00:00 GMT</pubDate></item>` +
    `</channel></rss>`;
  const web = await webServer({
    '/feed.xml': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss()),
    '/a1.html': html(articlePage('Ferries resume on the lake', paragraphs('the ferries').map((p) => `<p>${p}</p>`).join(''))),
    '/a2.html': html(articlePage('Harbour reopens after the storm', paragraphs('the harbour').map((p) => `<p>${p}</p>`).join(''))),
  });
  origin = web.origin;
  try {
    await expect(app.getByTestId('article-item')).toHaveCount(1);
    await app.getByRole('button', { name: 'Feeds' }).click();
    const dialog = app.getByTestId('feeds-dialog');
    await expect(dialog).toContainText('No feeds yet');
    await dialog.getByRole('textbox', { name: 'Feed address' }).fill(`${origin}/feed.xml`);
    await dialog.getByRole('textbox', { name: 'Feed address' }).press('Enter');
    const row = dialog.getByTestId('feed-row');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('Lake Wire');
    await expect(row.getByTestId('feed-last-refresh')).toHaveText('Last refresh: never');

    await row.getByRole('button', { name: 'Refresh Lake Wire' }).click();
    await expect(app.getByTestId('article-item')).toHaveCount(3);
    await expect(app.getByTestId('article-item').filter({ hasText: 'Ferries resume on the lake' })).toHaveCount(1);
    await expect(app.getByTestId('article-item').filter({ hasText: 'Harbour reopens after the storm' })).toHaveCount(1);
    await expect(row.getByTestId('feed-last-refresh').locator('time')).toHaveCount(1);
    await expect(row.getByTestId('feed-seen')).toHaveText('2 items taken');
    await expect(app.getByRole('status')).toContainText('Imported 2 articles');
    await shot(app, 'feeds-dialog.png');

    await row.getByRole('button', { name: 'Refresh Lake Wire' }).click();
    await expect(app.getByRole('status')).toContainText('Lake Wire: nothing new.');
    expect(bridge.library.articleCount).toBe(3);

    // Remove asks first; Keep leaves it; Remove takes it away and the articles stay.
    await row.getByRole('button', { name: 'Remove Lake Wire' }).click();
    await row.getByRole('button', { name: 'Keep' }).click();
    await row.getByRole('button', { name: 'Remove Lake Wire' }).click();
    await row.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(dialog.getByTestId('feed-row')).toHaveCount(0);
    expect(bridge.library.listFeeds()).toEqual([]);
    expect(bridge.library.articleCount).toBe(3);
    await app.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  } finally {
    await closeServer(web.server);
  }
});

async function newsFolder(dir: string, n: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      writeFile(
        join(dir, `story-${String(i).padStart(5, '0')}.txt`),
        ` date 2025-01-02 Geneva, Jan 2 Delegation number ${i} arrived on Thursday, officials said.\n\nIt is item ${i} of a long batch.\n`,
      ),
    ),
  );
  return dir;
}

test('a folder of 300 files shows its progress and ends with a summary', async ({ app, bridge, workDir, dialogAnswers }) => {
  dialogAnswers.openPaths = [await newsFolder(join(workDir, 'batch'), 300)];
  await expect(app.getByTestId('article-item')).toHaveCount(1);
  // Recorded from before the click: a fast import may show its bar only briefly.
  await app.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __progress: string[] }).__progress = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="import-progress-text"]')?.textContent;
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await app.getByRole('button', { name: 'Import articles' }).click();
  const summary = app.getByTestId('import-summary');
  await expect(summary).toBeVisible();
  await expect(summary.getByRole('heading', { name: 'Import finished' })).toBeVisible();
  await expect(summary.getByTestId('summary-imported')).toContainText('300');
  await expect(summary.getByTestId('summary-failed')).toContainText('0');
  const progress = await app.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
  expect(progress.length).toBeGreaterThan(0);
  expect(progress.every((p) => /^Importing [\d,. ]+ of 300…$/.test(p))).toBe(true);
  expect(bridge.library.articleCount).toBe(301);
  await app.keyboard.press('Escape');
  await expect(summary).toHaveCount(0);
  await expect(app.locator('.library-foot')).toHaveText('301 articles');
  await expect(app.getByTestId('reader').locator('h1')).toContainText('arrived on Thursday, officials said');
  await bridge.library.flush();
});

test('a long folder import can be cancelled; what was imported stays and is counted right', async ({ app, bridge, workDir, dialogAnswers }) => {
  const total = 1500;
  dialogAnswers.openPaths = [await newsFolder(join(workDir, 'big'), total)];
  // A slow disk, made deterministic: after 20 articles each write waits until the import is cancelled.
  const library = bridge.library;
  let cancelled: Promise<unknown> = Promise.resolve();
  let stored = 0;
  const importPaths = library.importPaths.bind(library);
  const importDocument = library.importDocument.bind(library);
  library.importPaths = (paths, options = {}) => {
    const signal = options.signal;
    if (signal) cancelled = new Promise((ok) => signal.addEventListener('abort', ok, { once: true }));
    return importPaths(paths, options);
  };
  library.importDocument = async (...args) => {
    if (++stored > 20) await cancelled;
    return importDocument(...args);
  };

  await expect(app.getByTestId('article-item')).toHaveCount(1);
  await app.getByRole('button', { name: 'Import articles' }).click();
  const bar = app.getByTestId('import-progress');
  await expect(bar.getByTestId('import-progress-text')).toHaveText(/^Importing 20 of 1,500…$/);
  await expect(bar.locator('progress')).toHaveAttribute('value', '20');
  await shot(app, 'import-progress.png');
  await bar.getByRole('button', { name: 'Cancel' }).click();

  const summary = app.getByTestId('import-summary');
  await expect(summary.getByRole('heading', { name: 'Import cancelled' })).toBeVisible();
  await expect(bar).toHaveCount(0);
  const shown = Number((await summary.getByTestId('summary-imported').locator('dd').textContent())!.replace(/\D/g, ''));
  expect(shown).toBeGreaterThanOrEqual(20);
  expect(shown).toBeLessThan(total);
  expect(bridge.library.articleCount).toBe(shown + 1);
  await expect(summary.getByTestId('summary-lead')).toContainText(/Cancelled after [\d,]+ of 1,500 items/);
  await shot(app, 'import-cancelled.png');
  // Let the last writes land before the fixture removes the folder.
  await bridge.library.flush();
});

test('a clipping whose words left the article is listed as not found and never drawn', async ({ app, bridge }) => {
  const doc = (second: string) => ({
    kind: 'plain-text' as const,
    title: 'Harbour authority statement',
    source: 'Lake Wire',
    byline: null,
    published: '2025-01-03',
    dateline: null,
    language: 'en',
    identity: 'e2e:harbour-statement',
    blocks: [
      { kind: 'paragraph' as const, text: 'The harbour authority said the quays would reopen on Monday.' },
      { kind: 'paragraph' as const, text: second },
      { kind: 'paragraph' as const, text: 'Ferries will run on the winter timetable until March.' },
    ],
  });
  const origin = { kind: 'plain-text' as const, name: 'harbour.txt', path: 'harbour.txt' };
  const first = await bridge.library.importDocument(doc('Damage to the eastern breakwater was worse than first feared.'), origin);
  if (first.status !== 'imported') throw new Error(`not imported: ${first.status}`);
  const { text } = await bridge.library.getArticle(first.id);
  const lost = 'worse than first feared';
  const kept = 'winter timetable';
  for (const [words, label] of [
    [lost, 'claim'],
    [kept, 'quote'],
  ] as const) {
    const at = text.indexOf(words);
    await bridge.library.createClipping({ articleId: first.id, start: at, end: at + words.length, exact: words, label, note: words === lost ? 'check the damage figures' : '' });
  }
  const second = await bridge.library.importDocument(doc('Damage to the eastern breakwater is being assessed by engineers.'), origin);
  expect(second.status).toBe('updated');

  await app.reload();
  await app.getByTestId('article-item').filter({ hasText: 'Harbour authority statement' }).click();
  const reader = app.getByTestId('reader');
  await expect(reader).toContainText('being assessed by engineers');
  await expect(reader.locator('mark[data-clipping-id]')).toHaveCount(1);
  await expect(reader.locator('mark[data-clipping-id]')).toHaveText(kept);
  const cards = app.getByTestId('clipping-card');
  await expect(cards).toHaveCount(2);
  const orphan = cards.filter({ hasText: lost });
  await expect(orphan).toHaveAttribute('data-anchor', 'orphan');
  await expect(orphan.getByTestId('clipping-orphan')).toHaveText('Not found in the current text');
  await expect(orphan).toContainText('check the damage figures');
  // Orphans come after the clippings that still have a place in the text.
  await expect(cards.last()).toHaveAttribute('data-anchor', 'orphan');
  await shot(app, 'orphan-clipping.png');
});

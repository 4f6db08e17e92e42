import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library } from '../../electron/library';
import { main } from '../../electron/cli';
import { PNG_1X1, articlePage, localWeb, paragraphs } from './helpers/http';
import { snapshot, tempDir } from './helpers/temp';

const web = localWeb();

async function emptyLibrary() {
  const dir = join(await tempDir(), 'lib');
  return { dir, library: await Library.open(dir) };
}

function rss(items: { path: string; title: string }[]) {
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Gazette &amp; Co</title><link>${web.origin}/</link>
${items.map((i) => `<item><title>${i.title}</title><link>${web.url(i.path)}</link><guid>${web.url(i.path)}</guid><pubDate>Tue, 03 Dec 2024 10:00:00 GMT</pubDate></item>`).join('')}
</channel></rss>`;
}

describe('import from the web', () => {
  it('stores a page with its image, so it reads offline', async () => {
    web.page('/harbour', articlePage('Harbour reopens after storm', paragraphs(6), '/img/harbour.png'));
    web.page('/img/harbour.png', PNG_1X1, 'image/png');
    const { library } = await emptyLibrary();
    const outcome = await library.importUrl(web.url('/harbour'));
    expect(outcome).toMatchObject({ status: 'imported', title: 'Harbour reopens after storm' });
    if (outcome.status !== 'imported') return;
    const detail = await library.getArticle(outcome.id);
    expect(detail.article).toMatchObject({ url: web.url('/harbour'), source: 'The Local Gazette', byline: 'Ana Reporter', language: 'en' });
    expect(detail.text).not.toContain('window.__ran');
    const image = detail.blocks.find((b) => b.kind === 'image');
    expect(image).toMatchObject({ src: expect.stringMatching(/^images\/[0-9a-f]{16}\.png$/), text: 'The harbour at dawn' });
    const stored = await library.readAttachment(outcome.id, (image as { src: string }).src.slice('images/'.length));
    expect(stored && Buffer.compare(stored, PNG_1X1)).toBe(0);
  });

  it('credits a page that names no publication to its site', async () => {
    web.page('/plain', articlePage('Plain page', paragraphs(5)).replace(/<meta property="og:site_name"[^>]*>/, ''));
    const { library } = await emptyLibrary();
    const outcome = await library.importUrl(web.url('/plain'));
    if (outcome.status !== 'imported') throw new Error(JSON.stringify(outcome));
    expect((await library.getSummary(outcome.id)).source).toBe('127.0.0.1');
  });

  it('recognises the same URL as a duplicate, and a changed page as a new version with its clippings re-attached', async () => {
    const paras = paragraphs(6);
    web.page('/talks', articlePage('Talks resume', paras));
    const { library } = await emptyLibrary();
    const first = await library.importUrl(web.url('/talks'));
    if (first.status !== 'imported') throw new Error(JSON.stringify(first));
    const { text } = await library.getArticle(first.id);
    const kept = 'Paragraph 4. Officials from both sides met in the capital';
    const lost = 'Paragraph 6. Officials';
    const clip = async (q: string) => library.createClipping({ articleId: first.id, start: text.indexOf(q), end: text.indexOf(q) + q.length, exact: q, label: 'quote', note: q });
    const keptClip = await clip(kept);
    const lostClip = await clip(lost);

    expect(await library.importUrl(web.url('/talks#comments'))).toMatchObject({ status: 'duplicate', id: first.id });

    // The publisher adds a paragraph at the top and removes the last one.
    web.page('/talks', articlePage('Talks resume', ['Update: a new paragraph at the top. ' + paras[0], ...paras.slice(0, 5)]));
    expect(await library.importUrl(web.url('/talks'))).toMatchObject({ status: 'updated', id: first.id });
    expect(library.articleCount).toBe(1);
    expect((await library.versions(first.id))).toHaveLength(1);
    const after = await library.getArticle(first.id);
    const moved = after.clippings.find((c) => c.id === keptClip.id)!;
    expect(after.text.slice(moved.target.position.start, moved.target.position.end)).toBe(kept);
    expect(moved.anchor?.state).toBe('reanchored');
    expect(after.clippings.find((c) => c.id === lostClip.id)).toMatchObject({ anchor: { state: 'orphan' }, note: lost });
  });

  it.each([
    ['a 404', '/missing', {}, /404 Not Found/],
    ['a URL that times out', '/slow', { timeoutMs: 300 }, /no complete answer within/],
    ['a PDF', '/report.pdf', {}, /not a web page/],
    ['a page with no article', '/empty', {}, /no readable article|the page is empty/],
  ])('reports %s clearly, naming it, and leaves the library unchanged', async (_what, path, options, reason) => {
    web.route('/slow', () => undefined); // never answers
    web.page('/report.pdf', Buffer.from('%PDF-1.7'), 'application/pdf');
    web.page('/empty', '<!doctype html><html><head><title>Nothing</title></head><body></body></html>');
    const { dir, library } = await emptyLibrary();
    await library.flush();
    const before = await snapshot(dir);
    const outcome = await library.importUrl(web.url(path), options);
    expect(outcome).toMatchObject({ status: 'failed', path: web.url(path), reason: expect.stringMatching(reason) });
    expect(library.articleCount).toBe(0);
    await library.flush();
    expect(await snapshot(dir)).toEqual(before);
  });
});

describe('feeds', () => {
  it('adds a feed, imports its new items on refresh, and only new ones the next time', async () => {
    web.page('/a1', articlePage('First story', paragraphs(5, 'First')));
    web.page('/a2', articlePage('Second story', paragraphs(5, 'Second')));
    web.page('/feed.xml', rss([{ path: '/a1', title: 'First story' }, { path: '/a2', title: 'Second story' }]), 'application/rss+xml');
    const { dir, library } = await emptyLibrary();
    const feed = await library.addFeed(web.url('/feed.xml'));
    expect(feed).toMatchObject({ title: 'Gazette & Co', lastRefresh: null });
    expect(library.articleCount).toBe(0);

    const first = await library.refreshFeed(feed.id);
    expect(first.outcomes.map((o) => o.status)).toEqual(['imported', 'imported']);
    expect(first.feed.lastRefresh).not.toBeNull();
    expect((await library.listArticles()).map((a) => a.title).sort()).toEqual(['First story', 'Second story']);

    web.page('/a3', articlePage('Third story', paragraphs(5, 'Third')));
    web.page('/feed.xml', rss([{ path: '/a3', title: 'Third story' }, { path: '/a1', title: 'First story' }, { path: '/a2', title: 'Second story' }]), 'application/rss+xml');
    const second = await library.refreshFeed(feed.id);
    expect(second.outcomes).toEqual([expect.objectContaining({ status: 'imported', title: 'Third story' })]);

    // Subscriptions survive a restart.
    await library.close();
    expect((await Library.open(dir)).listFeeds()).toEqual([expect.objectContaining({ id: feed.id, url: web.url('/feed.xml'), seenCount: 3 })]);
  });

  it('refuses a "feed" that is not XML, naming it', async () => {
    web.page('/not-a-feed', articlePage('A page', paragraphs(2)));
    web.page('/broken.xml', '<rss><channel><title>x</title><item>', 'application/xml');
    const { library } = await emptyLibrary();
    await expect(library.addFeed(web.url('/not-a-feed'))).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining(web.url('/not-a-feed')) });
    await expect(library.addFeed(web.url('/broken.xml'))).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/not an RSS or Atom feed/) });
    expect(library.listFeeds()).toEqual([]);
  });

  it('records why a refresh failed and keeps the feed', async () => {
    web.page('/flaky.xml', rss([]), 'application/rss+xml');
    const { library } = await emptyLibrary();
    const feed = await library.addFeed(web.url('/flaky.xml'));
    web.route('/flaky.xml', (_req, res) => void res.writeHead(503).end());
    const { feed: after, outcomes } = await library.refreshFeed(feed.id);
    expect(after.lastError).toMatch(/503/);
    expect(outcomes).toEqual([expect.objectContaining({ status: 'failed' })]);
    expect(library.listFeeds()).toHaveLength(1);
  });
});

describe('content handed over whole (drop, clipboard)', () => {
  it('imports pasted HTML without its scripts, event handlers or remote images', async () => {
    const { library } = await emptyLibrary();
    const html = articlePage('Pasted piece', [
      ...paragraphs(5),
      '<img src="x" onerror="window.__pwned=1">An inline <a href="javascript:alert(1)">link</a> and <iframe src="https://evil.example"></iframe> text.',
    ], 'https://cdn.example/remote.png');
    const [outcome] = await library.importContent([{ name: 'clipboard.html', bytes: new TextEncoder().encode(html) }]);
    if (outcome?.status !== 'imported') throw new Error(JSON.stringify(outcome));
    const detail = await library.getArticle(outcome.id);
    const serialized = JSON.stringify(detail.blocks);
    for (const bad of ['onerror', 'javascript:', '<script', 'iframe', 'cdn.example', 'window.__']) expect(serialized).not.toContain(bad);
    expect(detail.text).toContain('An inline link and');
    expect(web.requests.filter((r) => r.includes('remote'))).toEqual([]);
  });

  it('imports a UTF-16 file with a BOM and refuses Latin-1 bytes with a reason', async () => {
    const { library } = await emptyLibrary();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(' date 2025-02-03 Paris, Feb 3 Les négociations reprennent, AFP reported.\n\nSecond paragraphe.', 'utf16le')]);
    const latin1 = Buffer.from('caf\xe9 cr\xe8me br\xfbl\xe9e', 'latin1');
    const outcomes = await library.importContent([
      { name: 'utf16.txt', bytes: utf16 },
      { name: 'latin1.txt', bytes: latin1 },
    ]);
    expect(outcomes[0]).toMatchObject({ status: 'imported', title: 'Les négociations reprennent, AFP reported' });
    expect(outcomes[1]).toMatchObject({ status: 'failed', path: 'latin1.txt', reason: expect.stringMatching(/not a text file/) });
  });
});

describe('CLI import of a URL', () => {
  it('imports https?:// arguments as web pages and shows them with --json', async () => {
    web.page('/cli-story', articlePage('Story from the command line', paragraphs(5)));
    const lib = join(await tempDir(), 'lib');
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(`ERR ${l}`) };
    expect(await main(['import', web.url('/cli-story'), web.url('/nope'), '--library', lib, '--empty'], io)).toBe(1);
    expect(out[0]).toMatch(/^imported [0-9a-f]{12} Story from the command line$/);
    expect(out[1]).toBe(`failed ${web.url('/nope')} the server answered 404 Not Found`);
    const id = out[0]!.split(' ')[1]!;
    out.length = 0;
    expect(await main(['show', id, '--json', '--library', lib], io)).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ article: { url: web.url('/cli-story'), title: 'Story from the command line' } });
  });
});

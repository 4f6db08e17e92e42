/**
 * fetchResource and fetchArticle against a real HTTP server on 127.0.0.1,
 * started here: corpus pages, redirects, errors, slow and oversize answers.
 * No outside network.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { localWeb, type Route as Handler } from './helpers/http';
import { parseHtmlArticle } from '../../electron/library/import/html';
import { FetchError, type FetchErrorCode } from '../../electron/library/net/errors';
import { USER_AGENT, fetchArticle, fetchResource } from '../../electron/library/net/fetch-page';
import { SEED_FILE, SHARED } from './helpers/temp';

const PAGES = join(SHARED, 'corpus', 'mozilla-readability', 'test', 'test-pages');
const CORPUS_PAGES = ['rtl-1', 'nytimes-1', 'keep-images', 'wikipedia'];
const HOST = '127.0.0.1';

const corpusPage = (name: string) => readFileSync(join(PAGES, name, 'source.html'), 'utf8');

/** A French page whose meta says UTF-8, re-encoded as windows-1252: only the HTTP header tells the truth. */
const lemonde = toWindows1252(corpusPage('lemonde-1'));

const SMALL_ARTICLE = `<!doctype html><html lang="en"><head><title>Harbour reopens</title></head><body><article>
<h1>Harbour reopens</h1>
<p>The harbour reopened on Monday after three weeks of repairs, the port authority said in a statement.</p>
<p>Ferries will resume their normal timetable from Wednesday, and freight traffic is expected to follow within days.</p>
<p>Local businesses welcomed the news, saying the closure had cost them a third of their usual trade this month.</p>
</article></body></html>`;


const send = (type: string | null, body: string | Uint8Array, status = 200): Handler => (_req, res) => {
  res.writeHead(status, type ? { 'content-type': type } : {});
  res.end(body);
};
const redirectTo = (location: string, status = 302): Handler => (_req, res) => {
  res.writeHead(status, { location });
  res.end();
};

const ROUTES: Record<string, Handler> = {
  '/article': send('text/html; charset=utf-8', SMALL_ARTICLE),
  '/lemonde-1252': send('text/html; charset=windows-1252', lemonde.bytes),
  '/lemonde-unlabelled': send('text/html', lemonde.bytes),
  '/relative-redirect': redirectTo('article#lead', 301),
  '/to-file': redirectTo('file:///etc/passwd'),
  '/to-data': redirectTo('data:text/html,<h1>hi</h1>'),
  '/to-javascript': redirectTo('javascript:alert(1)'),
  '/to-ftp': redirectTo('ftp://example.org/file'),
  '/redirect-without-location': (_req, res) => {
    res.writeHead(302);
    res.end();
  },
  '/not-found': send('text/html', '<h1>Not here</h1>', 404),
  '/gone': send('text/html', 'gone', 410),
  '/forbidden': send('text/html', 'no', 403),
  '/broken': send('text/html', 'oops', 500),
  '/headers-never': () => {
    // Never answers: the deadline must cover waiting for headers.
  },
  '/body-never-ends': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.write('<html><body><p>The story begins');
    // ...and never ends: the deadline must cover the body too.
  },
  '/big-declared': send('text/html', 'x'.repeat(64 * 1024)),
  '/big-chunked': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    const chunk = 'y'.repeat(4096);
    for (let i = 0; i < 64; i++) res.write(chunk);
    res.end();
  },
  '/gzip-bomb': (_req, res) => {
    // 4 MB of spaces compress to a few KB: the limit applies to what is unpacked.
    const body = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': String(body.length) });
    res.end(body);
  },
  '/report.pdf': send('application/pdf', '%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'),
  '/photo': send('image/jpeg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0])),
  '/news.txt': send('text/plain; charset=utf-8', readFileSync(SEED_FILE)),
  '/notes.txt': send('text/plain', 'Council meeting notes\n\nThe council agreed the budget.\n\nA vote on the bridge follows in May.'),
  '/untyped-page': send(null, SMALL_ARTICLE),
  '/untyped-binary': send(null, new Uint8Array([0, 1, 2, 3, 4, 5])),
  '/empty-page': send('text/html', ''),
  '/no-article': send('text/html', '<!doctype html><html><head><title>x</title></head><body></body></html>'),
  '/echo-headers': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.headers));
  },
};

// Pattern routes: /redirect/N hops N times to /article; /page/<name> serves a corpus page.
const web = localWeb(ROUTES, (path) => {
  const redirect = /^\/redirect\/(\d+)$/.exec(path);
  if (redirect) {
    const n = Number(redirect[1]);
    return redirectTo(n <= 1 ? '/article' : `/redirect/${n - 1}`);
  }
  const page = /^\/page\/([\w-]+)$/.exec(path);
  if (page?.[1] && CORPUS_PAGES.includes(page[1])) return send('text/html; charset=utf-8', corpusPage(page[1]));
  return undefined;
});
let closedPortUrl: string;

beforeAll(async () => {
  // A port nothing listens on: open one, note it, close it.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, HOST, resolve));
  closedPortUrl = `http://${HOST}:${(probe.address() as AddressInfo).port}/`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

/** The FetchError a call fails with (the test fails if it does not fail, or fails otherwise). */
async function failure(p: Promise<unknown>): Promise<FetchError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FetchError);
    return e as FetchError;
  }
  throw new Error('expected the call to fail');
}

describe('fetchResource', () => {
  it('fetches a page with its status, type, charset and bytes, sending the Cuttings user agent', async () => {
    const res = await fetchResource(`${web.origin}/article`);
    expect(res).toMatchObject({ finalUrl: `${web.origin}/article`, status: 200, contentType: 'text/html', charset: 'utf-8' });
    expect(new TextDecoder().decode(res.bytes)).toBe(SMALL_ARTICLE);

    const echo = await fetchResource(`${web.origin}/echo-headers`, { accept: 'text/x-test' });
    const headers = JSON.parse(new TextDecoder().decode(echo.bytes)) as Record<string, string>;
    expect(headers['user-agent']).toBe(USER_AGENT);
    expect(headers['user-agent']).toBe('Cuttings/0.1 (+offline news clipping)');
    expect(headers.accept).toBe('text/x-test');
  });

  it('follows a chain of 5 redirects and reports where it ended', async () => {
    const res = await fetchResource(`${web.origin}/redirect/5`);
    expect(res.finalUrl).toBe(`${web.origin}/article`);
    expect(res.status).toBe(200);
  });

  it('refuses a 6th redirect', async () => {
    const e = await failure(fetchResource(`${web.origin}/redirect/6`));
    expect(e.code).toBe('too-many-redirects');
    expect(e.message).toBe(`Could not fetch ${web.origin}/redirect/6: more than 5 redirects`);
  });

  it('resolves a relative redirect and drops the fragment from the final address', async () => {
    const res = await fetchResource(`${web.origin}/relative-redirect`);
    expect(res.finalUrl).toBe(`${web.origin}/article`);
  });

  const refusedRedirects: [string, string][] = [
    ['refuses a redirect to a file: URL', '/to-file'],
    ['refuses a redirect to a data: URL', '/to-data'],
    ['refuses a redirect to a javascript: URL', '/to-javascript'],
    ['refuses a redirect to an ftp: URL', '/to-ftp'],
  ];
  it.each(refusedRedirects)('%s', async (_name, path) => {
    const e = await failure(fetchResource(`${web.origin}${path}`));
    expect(e.code).toBe('bad-redirect');
    expect(e.message).toContain(`${web.origin}${path}`);
    expect(e.message).toMatch(/not an http\(s\) address/);
  });

  it('refuses a redirect with no Location', async () => {
    const e = await failure(fetchResource(`${web.origin}/redirect-without-location`));
    expect(e.code).toBe('bad-redirect');
  });

  const refusedUrls: [string, string, RegExp][] = [
    ['file:///etc/passwd', 'bad-url', /not file:/],
    ['data:text/html,<p>hi</p>', 'bad-url', /not data:/],
    ['javascript:alert(1)', 'bad-url', /not javascript:/],
    ['ftp://example.org/a.txt', 'bad-url', /not ftp:/],
    ['not a url', 'bad-url', /not a valid web address/],
    ['', 'bad-url', /not a valid web address/],
  ];
  it.each(refusedUrls)('refuses to fetch %j', async (url, code, reason) => {
    let calls = 0;
    const fetchImpl: typeof fetch = async () => {
      calls++;
      return new Response('');
    };
    const e = await failure(fetchResource(url, { fetchImpl }));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(reason);
    expect(e.message.startsWith(`Could not fetch ${url}:`)).toBe(true);
    expect(calls).toBe(0);
  });

  const statuses: [string, number, string][] = [
    ['/not-found', 404, '404 Not Found'],
    ['/gone', 410, '410 Gone'],
    ['/forbidden', 403, '403 Forbidden'],
    ['/broken', 500, '500 Internal Server Error'],
  ];
  it.each(statuses)('names the status when %s answers %i', async (path, status, text) => {
    const e = await failure(fetchResource(`${web.origin}${path}`));
    expect(e.code).toBe('http-status');
    expect(e.status).toBe(status);
    expect(e.message).toBe(`Could not fetch ${web.origin}${path}: the server answered ${text}`);
  });

  it('names the hop that failed when a redirect leads to a 404', async () => {
    const fetchImpl: typeof fetch = (input, init) => {
      const url = String(input);
      return url.endsWith('/moved') ? Promise.resolve(new Response(null, { status: 301, headers: { location: '/not-found' } })) : fetch(input, init);
    };
    const e = await failure(fetchResource(`${web.origin}/moved`, { fetchImpl }));
    expect(e.message).toBe(`Could not fetch ${web.origin}/moved: the server answered 404 Not Found (at ${web.origin}/not-found)`);
  });

  const slow: [string, string][] = [
    ['times out on a URL that never answers', '/headers-never'],
    ['times out on a body that never ends', '/body-never-ends'],
  ];
  it.each(slow)('%s', async (_name, path) => {
    const started = Date.now();
    const e = await failure(fetchResource(`${web.origin}${path}`, { timeoutMs: 300 }));
    expect(e.code).toBe('timeout');
    expect(e.message).toBe(`Could not fetch ${web.origin}${path}: no complete answer within 0.3 s`);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  const oversize: [string, string][] = [
    ['refuses a body whose declared length is over the limit', '/big-declared'],
    ['stops reading a body with no declared length once it passes the limit', '/big-chunked'],
    ['applies the limit to the unpacked size of a compressed body', '/gzip-bomb'],
  ];
  it.each(oversize)('%s', async (_name, path) => {
    const e = await failure(fetchResource(`${web.origin}${path}`, { maxBytes: 32 * 1024 }));
    expect(e.code).toBe('too-large');
    expect(e.message).toBe(`Could not fetch ${web.origin}${path}: the answer is larger than 32 KB`);
  });

  it('refuses by default an answer declaring more than 20 MB, before reading it', async () => {
    const fetchImpl: typeof fetch = async () => new Response('small', { headers: { 'content-length': String(30 * 1024 * 1024) } });
    const e = await failure(fetchResource('https://news.example/huge', { fetchImpl }));
    expect(e.code).toBe('too-large');
    expect(e.message).toBe('Could not fetch https://news.example/huge: the answer is larger than 20 MB');
  });

  it('reports a refused connection as a network error naming the URL', async () => {
    const e = await failure(fetchResource(closedPortUrl));
    expect(e.code).toBe('network');
    expect(e.message).toBe(`Could not fetch ${closedPortUrl}: the server refused the connection`);
  });

  it('stops when the caller cancels, with code aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const e = await failure(fetchResource(`${web.origin}/headers-never`, { signal: controller.signal, timeoutMs: 5000 }));
    expect(e.code).toBe('aborted');

    const before = new AbortController();
    before.abort();
    expect((await failure(fetchResource(`${web.origin}/article`, { signal: before.signal }))).code).toBe('aborted');
  });
});

describe('fetchArticle', () => {
  it.each(CORPUS_PAGES)('imports the corpus page %s as the HTML importer reads it, with the fetched address as its url', async (name) => {
    const url = `${web.origin}/page/${name}`;
    const doc = await fetchArticle(url);
    const direct = parseHtmlArticle(corpusPage(name), { url, fileName: HOST });
    expect(direct).not.toBeNull();
    expect(doc).toEqual({ ...direct, url });
    const expected = JSON.parse(readFileSync(join(PAGES, name, 'expected-metadata.json'), 'utf8')) as { title: string };
    expect(doc.title).toBe(expected.title);
  });

  it('decodes by the HTTP charset over the page meta (windows-1252 served, UTF-8 declared in the page)', async () => {
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(lemonde.bytes)).toThrow();
    const url = `${web.origin}/lemonde-1252`;
    const doc = await fetchArticle(url);
    expect(doc).toEqual({ ...parseHtmlArticle(lemonde.text, { url, fileName: HOST }), url });
    expect(doc.title).toBe("Le projet de loi sur le renseignement massivement approuvé à l'Assemblée");
    expect(doc.blocks.map((b) => b.text).join('\n')).toMatch(/[éèàç]/);
  });

  it('refuses a page whose bytes match neither its header nor its meta charset', async () => {
    const e = await failure(fetchArticle(`${web.origin}/lemonde-unlabelled`));
    expect(e.code).toBe('bad-encoding');
    expect(e.message).toContain(`${web.origin}/lemonde-unlabelled`);
  });

  it('keeps the address it was redirected to as the article url', async () => {
    const doc = await fetchArticle(`${web.origin}/redirect/2`);
    expect(doc.url).toBe(`${web.origin}/article`);
    expect(doc.title).toBe('Harbour reopens');
  });

  const notPages: [string, string, string][] = [
    ['a PDF', '/report.pdf', 'it is a application/pdf file, not a web page'],
    ['an image', '/photo', 'it is a image/jpeg file, not a web page'],
    ['binary bytes with no type', '/untyped-binary', 'it is of no declared type, not a web page'],
  ];
  it.each(notPages)('refuses %s as not-html', async (_what, path, reason) => {
    const e = await failure(fetchArticle(`${web.origin}${path}`));
    expect(e.code).toBe('not-html');
    expect(e.message).toBe(`Could not fetch ${web.origin}${path}: ${reason}`);
  });

  it('imports text/plain in the news format as news text', async () => {
    const doc = await fetchArticle(`${web.origin}/news.txt`);
    expect(doc.kind).toBe('news-text');
    expect(doc.url).toBe(`${web.origin}/news.txt`);
    expect(doc.published).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('imports other text/plain as plain text', async () => {
    const doc = await fetchArticle(`${web.origin}/notes.txt`);
    expect(doc).toMatchObject({ kind: 'plain-text', title: 'Council meeting notes', url: `${web.origin}/notes.txt` });
  });

  it('reads an untyped answer that starts like a web page as HTML', async () => {
    const doc = await fetchArticle(`${web.origin}/untyped-page`);
    expect(doc.title).toBe('Harbour reopens');
  });

  const noArticle: [string, string, string][] = [
    ['an empty page', '/empty-page', 'the page is empty'],
    ['a page with no article', '/no-article', 'no readable article found in the page'],
  ];
  it.each(noArticle)('refuses %s with no-article', async (_what, path, reason) => {
    const e = await failure(fetchArticle(`${web.origin}${path}`));
    expect(e.code).toBe('no-article');
    expect(e.message).toBe(`Could not fetch ${web.origin}${path}: ${reason}`);
  });

  it('passes fetch errors through with their code', async () => {
    const codes: [string, FetchErrorCode][] = [
      [`${web.origin}/not-found`, 'http-status'],
      [`${web.origin}/to-file`, 'bad-redirect'],
      ['file:///etc/passwd', 'bad-url'],
    ];
    for (const [url, code] of codes) expect((await failure(fetchArticle(url))).code).toBe(code);
  });
});

/**
 * Text → windows-1252 bytes, and the text those bytes really hold (a
 * character the encoding lacks becomes "?"), so a test can compare against
 * what the page says once decoded.
 */
function toWindows1252(text: string): { bytes: Uint8Array; text: string } {
  const decoder = new TextDecoder('windows-1252');
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) table.set(decoder.decode(new Uint8Array([b])), b);
  const bytes = Uint8Array.from([...text].map((c) => table.get(c) ?? 0x3f));
  return { bytes, text: decoder.decode(bytes) };
}

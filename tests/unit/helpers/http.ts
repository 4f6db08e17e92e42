import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll } from 'vitest';

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * A web server on 127.0.0.1 for the length of a test file: tests import
 * pages, images and feeds from it, never from the network. Routes can be
 * changed between tests (a page that changes its text, a feed that breaks).
 */
export function localWeb(initial: Record<string, Route> = {}, fallback?: (path: string) => Route | undefined) {
  const routes = new Map<string, Route>(Object.entries(initial));
  let server: Server;
  const web = {
    origin: '',
    url: (path: string) => `${web.origin}${path}`,
    route(path: string, handler: Route) {
      routes.set(path, handler);
    },
    page(path: string, body: string | Buffer, type = 'text/html; charset=utf-8') {
      routes.set(path, (_req, res) => {
        res.writeHead(200, { 'content-type': type });
        res.end(body);
      });
    },
    /** Every path asked for, in order. */
    requests: [] as string[],
    /** How many times `path` was asked for. */
    hits: (path: string) => web.requests.filter((p) => p === path).length,
  };
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      web.requests.push(path);
      const handler = routes.get(path) ?? fallback?.(path);
      if (!handler) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      void handler(req, res);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    web.origin = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  });
  return web;
}

/** A valid 1×1 PNG. */
export const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** An article page long enough for Readability, with the given paragraphs and an optional image. */
export function articlePage(title: string, paragraphs: string[], image?: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta property="og:site_name" content="The Local Gazette"><meta name="author" content="Ana Reporter">
<script>window.__ran = true</script></head><body><nav><a href="/">Home</a></nav>
<article><h1>${title}</h1>${image ? `<figure><img src="${image}" alt="The harbour at dawn"><figcaption>The harbour at dawn</figcaption></figure>` : ''}
${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article><footer>© Gazette</footer></body></html>`;
}

const FILLER = 'Officials from both sides met in the capital on Tuesday to discuss the ceasefire, humanitarian access and the release of detainees held since the spring.';
export function paragraphs(n: number, prefix = 'Paragraph'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}. ${FILLER} ${FILLER}`);
}

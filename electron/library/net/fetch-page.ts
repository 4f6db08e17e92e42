/**
 * Fetching over HTTP(S) with the limits an importer needs: http(s) only,
 * redirects followed by hand (so that each hop is checked: a page must not
 * bounce us to file:, data: or any other scheme), one deadline covering
 * every hop's headers and the whole body, and a body read as a stream and
 * cut off at a size limit (so a 5 GB answer, or a small gzip bomb, never
 * sits in memory).
 *
 * Uses Node's global fetch (undici); `fetchImpl` lets a caller substitute it.
 */
import { STATUS_CODES } from 'node:http';
import type { ParsedDocument } from '../import/document';
import { looksLikeHtml } from '../import/files';
import { NO_ARTICLE_REASON, parseHtmlArticle } from '../import/html';
import { parseNewsText, parsePlainText } from '../import/news-text';
import { decodePage, parseContentType } from './decode';
import { FetchError, formatBytes } from './errors';

export const USER_AGENT = 'Cuttings/0.1 (+offline news clipping)';
export const DEFAULT_TIMEOUT_MS = 20_000;
export const MAX_PAGE_BYTES = 20 * 1024 * 1024;
export const MAX_REDIRECTS = 5;

const ACCEPT_PAGE = 'text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.5';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export type FetchOptions = {
  /** One deadline for everything: every redirect hop, headers and body. */
  timeoutMs?: number;
  /** The body is cut off (and the fetch fails) past this many bytes, after decompression. */
  maxBytes?: number;
  /** The Accept header. */
  accept?: string;
  /** The caller's cancel: the fetch fails with code 'aborted'. */
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
};

export type FetchedResource = {
  /** The address of the last hop, without its #fragment. */
  finalUrl: string;
  status: number;
  /** The media type, lower case, without parameters; '' when the server gave none. */
  contentType: string;
  /** The charset parameter of Content-Type, lower case, when given. */
  charset?: string;
  bytes: Uint8Array;
};

/** Only http(s) is fetched; the reason says which scheme was refused. */
function httpUrl(raw: string, requested: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchError('bad-url', requested, 'not a valid web address');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('bad-url', requested, `only http and https addresses can be fetched, not ${url.protocol}`);
  }
  return url;
}

export async function fetchResource(url: string, opts: FetchOptions = {}): Promise<FetchedResource> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? MAX_PAGE_BYTES;
  const fetchImpl = opts.fetchImpl ?? globalThis.fetch;
  let current = httpUrl(url, url);
  if (opts.signal?.aborted) throw new FetchError('aborted', url, 'the fetch was cancelled');

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const signal = opts.signal ? AbortSignal.any([deadline.signal, opts.signal]) : deadline.signal;
  const headers = { 'user-agent': USER_AGENT, accept: opts.accept ?? ACCEPT_PAGE };
  // Which hop we are at, for reasons that concern a redirect target rather than the address asked for.
  const at = () => (current.href === url ? '' : ` (at ${current.href})`);

  try {
    for (let redirects = 0; ; redirects++) {
      const res = await fetchImpl(current.href, { redirect: 'manual', signal, headers });
      if (REDIRECT_STATUSES.has(res.status)) {
        await discard(res);
        if (redirects >= MAX_REDIRECTS) throw new FetchError('too-many-redirects', url, `more than ${MAX_REDIRECTS} redirects`);
        const location = res.headers.get('location');
        if (!location) throw new FetchError('bad-redirect', url, `a redirect (${res.status}) with no address to go to${at()}`);
        let next: URL;
        try {
          next = new URL(location, current);
        } catch {
          throw new FetchError('bad-redirect', url, `a redirect to an invalid address (${location.slice(0, 200)})`);
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw new FetchError('bad-redirect', url, `it redirects to ${next.href.slice(0, 200)}, which is not an http(s) address`);
        }
        current = next;
        continue;
      }
      if (res.status < 200 || res.status > 299) {
        await discard(res);
        const text = res.statusText || STATUS_CODES[res.status] || '';
        throw new FetchError('http-status', url, `the server answered ${res.status}${text ? ` ${text}` : ''}${at()}`, { status: res.status });
      }
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (declared > maxBytes) {
        await discard(res);
        throw tooLarge(url, maxBytes);
      }
      const bytes = await readBody(res, maxBytes, url);
      const { mime, charset } = parseContentType(res.headers.get('content-type'));
      const final = new URL(current.href);
      final.hash = '';
      return { finalUrl: final.href, status: res.status, contentType: mime, ...(charset ? { charset } : {}), bytes };
    }
  } catch (e) {
    // The deadline first: when it fires, undici reports whatever the stream was doing.
    if (deadline.signal.aborted) throw new FetchError('timeout', url, `no complete answer within ${formatSeconds(timeoutMs)}`, { cause: e });
    if (e instanceof FetchError) throw e;
    if (opts.signal?.aborted) throw new FetchError('aborted', url, 'the fetch was cancelled', { cause: e });
    throw new FetchError('network', url, describeNetworkError(e), { cause: e });
  } finally {
    clearTimeout(timer);
  }
}

function tooLarge(url: string, maxBytes: number): FetchError {
  return new FetchError('too-large', url, `the answer is larger than ${formatBytes(maxBytes)}`);
}

/** Frees the connection of an answer whose body we do not want. */
async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // Already errored or closed: nothing to free.
  }
}

async function readBody(res: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(url, maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1))} s`;
}

/** undici says "fetch failed" and puts the reason in `cause`; say it in words. */
function describeNetworkError(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the server name could not be found';
    case 'ECONNREFUSED':
      return 'the server refused the connection';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'the server closed the connection';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'the server could not be reached';
  }
  if (code && /CERT|SSL|TLS/i.test(code)) return `the secure connection failed (${code})`;
  const detail = code ?? (typeof cause?.message === 'string' ? cause.message : e instanceof Error ? e.message : String(e));
  return `network error (${detail})`;
}

/**
 * What a fetched answer is, for fetchArticle: a web page (HTML or XHTML by
 * its type; or with no usable type, bytes that start like a page), plain
 * text, or neither. The declared type wins over sniffing, as in a browser: a
 * page served as text/plain is shown as text.
 */
function answerKind(res: FetchedResource): 'html' | 'text' | null {
  switch (res.contentType) {
    case 'text/html':
    case 'application/xhtml+xml':
      return 'html';
    case 'text/plain':
      return 'text';
    case '':
    case 'application/octet-stream':
      return looksLikeHtml(res.bytes) ? 'html' : null;
    default:
      return null;
  }
}

/**
 * Fetches a web page and extracts its article (Readability + DOMPurify, as
 * for a saved page). The article's url is the address the page was finally
 * fetched from: not the page's canonical link, which a page can set to any
 * address (often its home page, or another article) and which would then
 * make a different article a "duplicate" of this one.
 */
export async function fetchArticle(url: string, opts: FetchOptions = {}): Promise<ParsedDocument> {
  const res = await fetchResource(url, { ...opts, accept: opts.accept ?? ACCEPT_PAGE });
  const kind = answerKind(res);
  if (!kind) {
    throw new FetchError('not-html', url, `it is ${res.contentType ? `a ${res.contentType} file` : 'of no declared type'}, not a web page`);
  }
  if (res.bytes.length === 0) throw new FetchError('no-article', url, 'the page is empty');
  const text = decodePage(res.bytes, res.charset);
  if (text === null) throw new FetchError('bad-encoding', url, 'the page is not text in the encoding it declares (or in UTF-8)');
  const host = new URL(res.finalUrl).hostname;

  if (kind === 'text') {
    const doc = parseNewsText(text) ?? parsePlainText(text, host);
    if (!doc) throw new FetchError('no-article', url, 'the page holds no text');
    return { ...doc, url: res.finalUrl };
  }
  let doc: ParsedDocument | null;
  try {
    doc = parseHtmlArticle(text, { url: res.finalUrl, fileName: host });
  } catch (e) {
    throw new FetchError('no-article', url, `the page could not be read (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  if (!doc) throw new FetchError('no-article', url, NO_ARTICLE_REASON);
  return { ...doc, url: res.finalUrl };
}

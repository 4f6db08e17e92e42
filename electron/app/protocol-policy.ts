/**
 * What `cuttings://app/...` answers, decided without Electron: which file a
 * URL maps to (never one outside the renderer folder), its content type, and
 * the headers every response carries.
 */
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { APP_HOST, APP_SCHEME } from './origin';

/**
 * The same policy as the meta tag in renderer/index.html (a unit test keeps
 * them equal). Sent as a header as well because a header also covers
 * responses that are not HTML and cannot be removed by the page itself.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export function responseHeaders(file: string): Record<string, string> {
  return {
    'content-type': contentTypeFor(file),
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    // The files change only when the app is rebuilt; reloads should see the new build.
    'cache-control': 'no-cache',
  };
}

export type Resolution = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * The file under `rendererDir` that `url` names, or a refusal. `..` in any
 * spelling (literal, `%2e%2e`, `%2f`-joined, backslashes) that would leave the
 * folder is refused; so are other hosts, NUL bytes and undecodable escapes.
 */
export function resolveAppRequest(rendererDir: string, url: string): Resolution {
  // Judge the URL as written before the URL parser quietly folds `..` away:
  // a request that tries to climb is refused, not redirected into the folder.
  if (climbs(url)) return { ok: false, status: 403, reason: 'path leaves the app folder' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: 400, reason: 'malformed URL' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) {
    return { ok: false, status: 403, reason: `not an app URL: ${parsed.protocol}//${parsed.host}` };
  }
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'undecodable path' };
  }
  if (path.includes('\0')) return { ok: false, status: 400, reason: 'NUL in path' };
  // Backslashes are separators on Windows: normalise them before judging, everywhere.
  const segments = path.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { ok: false, status: 403, reason: 'path leaves the app folder' };
  const root = resolve(rendererDir);
  const file = resolve(root, ...(segments.length ? segments : ['index.html']));
  const rel = relative(root, file);
  // Belt and braces: whatever the segment check missed (a drive letter, say), the result must lie inside root.
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    return { ok: false, status: 403, reason: 'path leaves the app folder' };
  }
  return { ok: true, file };
}

/** Whether any path segment of `url`, once decoded, is `..` (separators: `/`, `\\`, and their escapes). */
function climbs(url: string): boolean {
  const path = url.replace(/[?#].*$/s, '').replace(/^[a-z][a-z0-9+.-]*:\/\/[^/\\]*/i, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    decoded = path;
  }
  return [path, decoded].some((p) => p.split(/[/\\]|%2f|%5c/i).some((segment) => /^(\.|%2e){2}$/i.test(segment)));
}

/**
 * An article's stored image, at `<app>/library-files/<article-id>/images/<name>`:
 * the same origin as the page, so the CSP's img-src 'self' admits it and
 * nothing else. Only that exact shape is recognised; the library checks the
 * name again before reading.
 */
export const LIBRARY_FILES_PREFIX = '/library-files/';

export function parseLibraryFileRequest(pathname: string): { articleId: string; name: string } | null {
  const m = /^\/library-files\/([A-Za-z0-9_-]{1,64})\/images\/([A-Za-z0-9_-]{1,80}\.(?:png|jpg|gif|webp|avif))$/.exec(pathname);
  return m ? { articleId: m[1] as string, name: m[2] as string } : null;
}

import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME } from './origin';
import { parseLibraryFileRequest, resolveAppRequest, responseHeaders } from './protocol-policy';

/**
 * Must run before the app is ready. `standard` gives the scheme real origins
 * and relative URLs; `secure` makes it a secure context. Fetch and CORS stay
 * off: the page talks to main over IPC, and no other origin may read ours.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } },
  ]);
}

export type ReadAttachment = (articleId: string, name: string) => Promise<Uint8Array | null>;

/**
 * Serves the built renderer, and nothing outside its folder, at
 * cuttings://app/; and articles' stored images at /library-files/ (so the
 * reader shows pictures offline without ever asking the web).
 */
export function serveRenderer(rendererDir: string, readAttachment: ReadAttachment): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    const image = parseLibraryFileRequest(new URL(request.url).pathname);
    if (image) {
      const bytes = await readAttachment(image.articleId, image.name).catch(() => null);
      if (!bytes) return new Response(null, { status: 404 });
      return new Response(request.method === 'HEAD' ? null : Buffer.from(bytes), { status: 200, headers: responseHeaders(image.name) });
    }
    const resolved = resolveAppRequest(rendererDir, request.url);
    if (!resolved.ok) {
      console.warn(`cuttings: refused ${request.url.slice(0, 200)} (${resolved.reason})`);
      return new Response(null, { status: resolved.status });
    }
    try {
      const data = await readFile(resolved.file);
      return new Response(request.method === 'HEAD' ? null : data, { status: 200, headers: responseHeaders(resolved.file) });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return new Response(null, { status: code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' ? 404 : 500 });
    }
  });
}

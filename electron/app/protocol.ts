import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME } from './origin';
import { resolveAppRequest, responseHeaders } from './protocol-policy';

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

/** Serves the built renderer, and nothing outside its folder, at cuttings://app/. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
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

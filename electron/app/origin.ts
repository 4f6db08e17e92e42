/**
 * Where the app's own pages live. The renderer is served from a privileged
 * custom scheme rather than file:// so that it has a real, narrow origin:
 * navigation, IPC trust and the CSP can all be stated against it, and no
 * other file on disk is reachable from the page.
 */
export const APP_SCHEME = 'cuttings';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** Every URL of ours starts with this, slash included, so `cuttings://app.evil/` is not ours. */
export const APP_URL_PREFIX = `${APP_ORIGIN}/`;
export const APP_ENTRY_URL = `${APP_URL_PREFIX}index.html`;

/** Whether a URL is one of the app's own pages (scheme, host and nothing else). */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // `new URL` lowercases the scheme and host of special schemes only; compare
  // both spellings so a non-standard-parsed custom scheme is judged the same.
  return (
    url.startsWith(APP_URL_PREFIX) &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

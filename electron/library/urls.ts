/** The same page whatever its fragment, tracking parameters or host case: how a re-import of a page is recognised. */
export function normalizeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    for (const key of [...u.searchParams.keys()]) if (/^(utm_|fbclid$|gclid$|mc_)/.test(key)) u.searchParams.delete(key);
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * The network layer's errors. Every one names the address it was about and
 * carries a stable code, so the caller (Library, IPC, CLI) can map it to its
 * own typed error and show the message as it is.
 */
export type FetchErrorCode =
  /** Not a URL, or not http(s). */
  | 'bad-url'
  /** A redirect without a usable Location, or to a scheme other than http(s). */
  | 'bad-redirect'
  | 'too-many-redirects'
  /** No complete answer (headers and body) within the time allowed. */
  | 'timeout'
  /** The caller cancelled (its AbortSignal fired). */
  | 'aborted'
  /** The server answered with a status other than 2xx (or a redirect we follow). */
  | 'http-status'
  | 'too-large'
  /** DNS, refused connection, reset, TLS: nothing an HTTP status describes. */
  | 'network'
  /** fetchArticle: the answer is neither a web page nor plain text. */
  | 'not-html'
  /** The body's bytes are not text in any encoding the answer or page declares. */
  | 'bad-encoding'
  /** fetchArticle: a page, but no readable article in it. */
  | 'no-article'
  /** parseFeed / fetchFeed: not XML, or XML that is neither RSS nor Atom. */
  | 'not-a-feed';

export class FetchError extends Error {
  /** The HTTP status, for code 'http-status'. */
  readonly status: number | undefined;

  constructor(
    readonly code: FetchErrorCode,
    /** The address the caller asked for (not the hop that failed; the reason names that one). */
    readonly url: string,
    /** The reason alone, without the address: for lists that show the address beside it. */
    readonly reason: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(`Could not fetch ${url}: ${reason}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FetchError';
    this.status = options?.status;
  }
}

/**
 * A document that is not a feed. A FetchError too, so that one `instanceof
 * FetchError` covers everything fetchFeed can raise; its message reads as a
 * statement about the feed, not about fetching.
 */
export class FeedError extends FetchError {
  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    super('not-a-feed', url, reason, options);
    this.name = 'FeedError';
    this.message = `${url} is not an RSS or Atom feed: ${reason}`;
  }
}

export function isFetchError(e: unknown): e is FetchError {
  return e instanceof FetchError;
}

/** "20 MB", "512 KB", "300 bytes": limits as a person reads them. */
export function formatBytes(n: number): string {
  const MB = 1024 * 1024;
  if (n >= MB) return `${Number((n / MB).toFixed(1))} MB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KB`;
  return `${n} bytes`;
}

/**
 * Asking main to search as a person types: each change waits a moment
 * (typing "harbour" is one search, not seven), and an answer that arrives
 * after a newer question was asked is dropped, so a slow early answer can
 * never replace a quick later one.
 */
import { useEffect, useRef, useState } from 'react';
import type { LibrarySearchResults } from '../../../electron/library/library';
import type { IndexStatus } from '../../../electron/library/search/types';
import { api, call, describeError } from '../api';
import type { SearchRequest } from './search';

export const TYPING_DELAY_MS = 120;

export type SearchState = {
  /** The last answer to the latest question (kept while a newer one is on its way, so the list does not blink). */
  results: LibrarySearchResults | null;
  /** The request `results` answers. */
  answered: SearchRequest | null;
  error: string | null;
  /** A newer question is waiting or on its way. */
  pending: boolean;
};

/**
 * The answer to `request` (null asks nothing and clears the answer).
 * `refresh` asks the same question again when it changes (the library
 * changed under the results).
 */
export function useSearch(request: SearchRequest | null, delay = TYPING_DELAY_MS, refresh: unknown = null): SearchState {
  const [state, setState] = useState<SearchState>({ results: null, answered: null, error: null, pending: false });
  const latest = useRef(0);
  const key = request ? JSON.stringify(request) : null;
  const lastKey = useRef<string | null>(null);

  useEffect(() => {
    const seq = ++latest.current;
    if (key === null) {
      lastKey.current = null;
      setState({ results: null, answered: null, error: null, pending: false });
      return;
    }
    const wanted = JSON.parse(key) as SearchRequest;
    // Only a change of question waits for the typing to pause; the same question asked again (a refresh) goes at once.
    const wait = key === lastKey.current ? 0 : delay;
    lastKey.current = key;
    setState((s) => (s.pending ? s : { ...s, pending: true }));
    const timer = window.setTimeout(() => {
      call(api().search.query(wanted)).then(
        (results) => {
          if (seq === latest.current) setState({ results, answered: wanted, error: null, pending: false });
        },
        (e: unknown) => {
          // The last answer was to another question: it is not shown as if it answered this one.
          if (seq === latest.current) setState({ results: null, answered: null, error: describeError('Could not search', e), pending: false });
        },
      );
    }, wait);
    return () => window.clearTimeout(timer);
  }, [key, delay, refresh]);

  return state;
}

const STATUS_POLL_MS = 600;

/**
 * The index's state while `active`: asked once, then again every moment
 * while it is being built or brought up to date, and once more whenever
 * `hint` turns true (a search answered with `indexing`).
 */
export function useIndexStatus(active: boolean, hint: boolean): IndexStatus | null {
  const [status, setStatus] = useState<IndexStatus | null>(null);
  useEffect(() => {
    if (!active) return;
    let cancelled = false;
    let timer = 0;
    const ask = () => {
      call(api().search.status()).then(
        (s) => {
          if (cancelled) return;
          setStatus(s);
          if (s.state !== 'ready') timer = window.setTimeout(ask, STATUS_POLL_MS);
        },
        // No status is no notice: the search itself says when it fails.
        () => {
          if (!cancelled) setStatus(null);
        },
      );
    };
    ask();
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [active, hint]);
  return status;
}

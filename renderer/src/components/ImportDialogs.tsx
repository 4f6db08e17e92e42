import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { FeedSummary, ImportOutcome } from '../../../electron/library/model';
import { MOD, fileName, plural } from '../lib/format';
import type { Counts } from '../lib/importing';
import { CloseIcon, FeedIcon, ImportIcon, RefreshIcon, TrashIcon } from './icons';

/**
 * A dialog over the app: the backdrop or Esc closes it (Esc through the
 * app's key handler, so it works wherever focus is), focus moves into it on
 * open and back where it was on close. Not the native <dialog>: showModal()
 * would make the import progress (and its Cancel) inert behind it.
 */
export function Dialog({
  title,
  onClose,
  children,
  className = '',
  testId,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const box = ref.current;
    (box?.querySelector<HTMLElement>('[data-autofocus]') ?? box)?.focus();
    return () => before?.focus({ preventScroll: true });
  }, []);
  return (
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div ref={ref} role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1} className={`dialog ${className}`} data-testid={testId}>
        <header className="dialog-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-btn" aria-label="Close" title="Close (Esc)" aria-keyshortcuts="Escape" onClick={onClose}>
            <CloseIcon />
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}

// ---- import from URL ---------------------------------------------------------

/** onImport resolves to null when the page was imported (the dialog closes), or to the reason it was not. */
export function UrlDialog({ onImport, onClose }: { onImport: (url: string) => Promise<string | null>; onClose: () => void }) {
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const submit = async () => {
    const value = url.trim();
    if (!value || busy) return;
    setBusy(true);
    setError(null);
    const problem = await onImport(value);
    setBusy(false);
    if (problem) setError(problem);
  };
  return (
    <Dialog title="Import from URL" onClose={onClose} className="dialog-url" testId="url-dialog">
      <form
        className="dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className="dialog-hint">The page is fetched, its article and pictures are stored, and it reads offline from then on.</p>
        <div className="field-row">
          <input
            data-autofocus
            type="url"
            className="field"
            aria-label="Web address"
            placeholder="https://…"
            value={url}
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(e) => {
              setUrl(e.target.value);
              setError(null);
            }}
          />
          <button type="submit" className="btn btn-primary" disabled={busy || !url.trim()} title="Import the page (Enter)">
            {busy ? 'Importing…' : 'Import'}
          </button>
        </div>
        <p id={errorId} className="field-error" aria-live="assertive" data-testid="url-error">
          {error}
        </p>
      </form>
    </Dialog>
  );
}

// ---- feeds ------------------------------------------------------------------------

type FeedsProps = {
  feeds: FeedSummary[] | null;
  /** Feeds being refreshed now. */
  refreshing: ReadonlySet<string>;
  onAdd: (url: string) => Promise<string | null>;
  onRefresh: (id: string) => void;
  onRefreshAll: () => void;
  onRemove: (id: string) => void;
  onClose: () => void;
};

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function FeedsDialog(props: FeedsProps) {
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const add = async () => {
    const value = url.trim();
    if (!value || busy) return;
    setBusy(true);
    setError(null);
    const problem = await props.onAdd(value);
    setBusy(false);
    if (problem) setError(problem);
    else setUrl('');
  };
  const feeds = props.feeds;
  return (
    <Dialog title="Feeds" onClose={props.onClose} className="dialog-feeds" testId="feeds-dialog">
      <div className="dialog-body">
        <form
          className="field-row"
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <input
            data-autofocus
            type="url"
            className="field"
            aria-label="Feed address"
            placeholder="RSS or Atom feed address, https://…"
            value={url}
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            onChange={(e) => {
              setUrl(e.target.value);
              setError(null);
            }}
          />
          <button type="submit" className="btn btn-primary" disabled={busy || !url.trim()} title="Subscribe to the feed (Enter); its items are imported on Refresh">
            {busy ? 'Adding…' : 'Add feed'}
          </button>
        </form>
        <p className="field-error" aria-live="assertive" data-testid="feed-error">
          {error}
        </p>
        {feeds === null ? (
          <p className="dialog-hint">Loading the feeds…</p>
        ) : feeds.length === 0 ? (
          <div className="feeds-empty">
            <FeedIcon />
            <p>No feeds yet. Add a news site’s RSS or Atom address; Refresh imports its new articles.</p>
          </div>
        ) : (
          <ul className="feed-list">
            {feeds.map((f) => {
              const refreshing = props.refreshing.has(f.id);
              return (
                <li key={f.id} className="feed" data-testid="feed-row" data-feed-id={f.id}>
                  <div className="feed-main">
                    <p className="feed-title">{f.title}</p>
                    <p className="feed-url" title={f.url}>
                      {f.url}
                    </p>
                    <p className="feed-meta">
                      <span data-testid="feed-last-refresh">
                        Last refresh: {f.lastRefresh ? <time dateTime={f.lastRefresh}>{when.format(new Date(f.lastRefresh))}</time> : 'never'}
                      </span>
                      <span aria-hidden="true">·</span>
                      <span data-testid="feed-seen">{plural(f.seenCount, 'item')} taken</span>
                    </p>
                    {f.lastError && (
                      <p className="feed-error" data-testid="feed-last-error">
                        Last refresh failed: {f.lastError}
                      </p>
                    )}
                  </div>
                  {confirming === f.id ? (
                    <div className="feed-confirm" role="group" aria-label={`Remove ${f.title}?`}>
                      <span>Remove? Its articles stay.</span>
                      <button
                        type="button"
                        className="btn btn-danger"
                        onClick={() => {
                          setConfirming(null);
                          props.onRemove(f.id);
                        }}
                      >
                        Remove
                      </button>
                      <button type="button" className="btn btn-quiet" onClick={() => setConfirming(null)}>
                        Keep
                      </button>
                    </div>
                  ) : (
                    <div className="feed-actions">
                      <button
                        type="button"
                        className="btn"
                        disabled={refreshing}
                        aria-label={`Refresh ${f.title}`}
                        title="Import the feed’s new articles"
                        onClick={() => props.onRefresh(f.id)}
                      >
                        <RefreshIcon />
                        <span>{refreshing ? 'Refreshing…' : 'Refresh'}</span>
                      </button>
                      <button
                        type="button"
                        className="icon-btn icon-btn-danger"
                        aria-label={`Remove ${f.title}`}
                        title="Remove the feed (its articles stay in the library)"
                        onClick={() => setConfirming(f.id)}
                      >
                        <TrashIcon />
                      </button>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        {feeds && feeds.length > 1 && (
          <div className="dialog-actions">
            <button type="button" className="btn" disabled={props.refreshing.size > 0} onClick={props.onRefreshAll} title="Import the new articles of every feed">
              <RefreshIcon />
              <span>Refresh all</span>
            </button>
          </div>
        )}
      </div>
    </Dialog>
  );
}

// ---- progress and summary ------------------------------------------------------

export type JobView = { id: string; label: string; done: number; total: number; cancelling: boolean };

const number = new Intl.NumberFormat();

/** Long imports (more than one item): a bar, the count, and Cancel. */
export function ImportProgress({ jobs, onCancel }: { jobs: readonly JobView[]; onCancel: (id: string) => void }) {
  const shown = jobs.filter((j) => j.total > 1);
  if (shown.length === 0) return null;
  return (
    <div className="import-progress-stack">
      {shown.map((j) => (
        <div key={j.id} className="import-progress" data-testid="import-progress" data-job-id={j.id}>
          <div className="import-progress-head">
            <ImportIcon />
            <span className="import-progress-text" data-testid="import-progress-text">
              {j.cancelling ? 'Cancelling…' : `Importing ${number.format(Math.min(j.done, j.total))} of ${number.format(j.total)}…`}
            </span>
            <button
              type="button"
              className="btn btn-quiet btn-small"
              disabled={j.cancelling}
              title="Stop the import: items under way finish, no new one starts"
              onClick={() => onCancel(j.id)}
            >
              Cancel
            </button>
          </div>
          <progress aria-label={`${j.label}: progress`} max={j.total} value={Math.min(j.done, j.total)} />
          <p className="import-progress-label">{j.label}</p>
        </div>
      ))}
    </div>
  );
}

export type ImportReport = {
  label: string;
  canceled: boolean;
  /** Items the import was asked to take (files, feed items), when known. */
  total: number | null;
  counts: Counts;
  outcomes: ImportOutcome[];
};

/** After a big batch: the counts, and every failure with its file and reason. */
export function SummaryDialog({ report, onClose }: { report: ImportReport; onClose: () => void }) {
  const { counts, outcomes } = report;
  const failed = outcomes.flatMap((o) => (o.status === 'failed' ? [o] : []));
  const others = (status: 'duplicate' | 'updated') => outcomes.flatMap((o) => (o.status === status ? [o] : []));
  const taken = outcomes.length;
  return (
    <Dialog title={report.canceled ? 'Import cancelled' : 'Import finished'} onClose={onClose} className="dialog-summary" testId="import-summary">
      <div className="dialog-body">
        <p className="summary-lead" data-testid="summary-lead">
          {report.canceled
            ? `Cancelled after ${number.format(taken)}${report.total ? ` of ${number.format(report.total)}` : ''} items; what was imported stays in the library.`
            : `${report.label}: ${plural(taken, 'item')} handled.`}
        </p>
        <dl className="summary-counts">
          {(
            [
              ['imported', 'Imported', counts.imported],
              ['updated', 'New versions', counts.updated],
              ['duplicate', 'Duplicates skipped', counts.duplicate],
              ['failed', 'Failed', counts.failed],
            ] as const
          ).map(([key, label, n]) => (
            <div key={key} className={`summary-count summary-${key}${n === 0 ? ' is-zero' : ''}`} data-testid={`summary-${key}`}>
              <dt>{label}</dt>
              <dd>{number.format(n)}</dd>
            </div>
          ))}
        </dl>
        {failed.length > 0 && (
          <section className="summary-section">
            <h3>Not imported</h3>
            <ul className="summary-failures" data-testid="summary-failures">
              {failed.map((f, i) => (
                <li key={i}>
                  <span className="summary-file" title={f.path}>
                    {fileName(f.path)}
                  </span>
                  <span className="summary-reason">{f.reason}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
        {(['updated', 'duplicate'] as const).map((status) => {
          const list = others(status);
          if (list.length === 0) return null;
          return (
            <details key={status} className="summary-section">
              <summary>{status === 'updated' ? `New versions of ${plural(list.length, 'article')}` : `${plural(list.length, 'duplicate')} already in the library`}</summary>
              <ul className="summary-list">
                {list.map((o, i) => (
                  <li key={i}>
                    <span className="summary-title">{o.title}</span> <span className="summary-file">{fileName(o.path)}</span>
                  </li>
                ))}
              </ul>
            </details>
          );
        })}
        <div className="dialog-actions">
          <button type="button" className="btn btn-primary" onClick={onClose} title="Close (Esc)">
            Done
          </button>
        </div>
      </div>
    </Dialog>
  );
}

export function DropOverlay() {
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-card">
        <ImportIcon />
        <p>Drop to import</p>
        <span>Files, folders or a link · {MOD}+V pastes</span>
      </div>
    </div>
  );
}

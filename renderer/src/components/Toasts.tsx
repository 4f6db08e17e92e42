import { CloseIcon } from './icons';

export type Toast = {
  id: number;
  kind: 'status' | 'error';
  message: string;
  detail?: string[];
  action?: { label: string; title?: string; run: () => void };
};

type Props = { toasts: Toast[]; onDismiss: (id: number) => void };

/**
 * Two live regions that always exist (a region added together with its
 * message is often not announced): one polite for outcomes, one assertive
 * for errors. Errors stay until dismissed; nothing is ever swallowed.
 */
export function Toasts({ toasts, onDismiss }: Props) {
  const render = (t: Toast) => (
    <div key={t.id} className={`toast toast-${t.kind}`}>
      <div className="toast-body">
        <p className="toast-message">{t.message}</p>
        {t.detail && t.detail.length > 0 && (
          <ul className="toast-detail">
            {t.detail.map((d, i) => (
              <li key={i}>{d}</li>
            ))}
          </ul>
        )}
      </div>
      {t.action && (
        <button
          type="button"
          className="toast-action"
          title={t.action.title}
          onClick={() => {
            t.action?.run();
          }}
        >
          {t.action.label}
        </button>
      )}
      <button type="button" className="toast-close" aria-label="Dismiss message" title="Dismiss" onClick={() => onDismiss(t.id)}>
        <CloseIcon />
      </button>
    </div>
  );
  return (
    <div className="toasts">
      <div role="alert" className="toast-region">
        {toasts.filter((t) => t.kind === 'error').map(render)}
      </div>
      <div role="status" aria-live="polite" className="toast-region">
        {toasts.filter((t) => t.kind === 'status').map(render)}
      </div>
    </div>
  );
}

import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ExportPreview, ExportSaved } from '../../../electron/ipc/contract';
import type { ExportProgressEvent } from '../../../electron/ipc/events';
import { api, call, describeError } from '../api';
import { MOD, isEditable, plural } from '../lib/format';
import { newJobId } from '../lib/importing';
import {
  FORMATS,
  GROUPINGS,
  exportOptions,
  isClipBook,
  loadChoices,
  namesSpeakers,
  phaseText,
  saveChoices,
  usesTemplates,
  type ExportChoices,
  type ExportTarget,
} from '../lib/exporting';
import { Dialog } from './ImportDialogs';
import { ExportIcon } from './icons';

export type ExportDone = Extract<ExportSaved, { canceled: false }>;

type Props = {
  target: ExportTarget;
  /** The export was written (the dialog has closed by then, or closes now). */
  onDone: (result: ExportDone) => void;
  onClose: () => void;
};

type Preview = { status: 'loading' } | { status: 'ready'; value: ExportPreview } | { status: 'error'; message: string };
type Running = { phase: ExportProgressEvent['phase']; done: number; total: number };

/**
 * The one export dialog, whatever is exported (an article, selected
 * clippings, a tag, a search, a press review, the whole library): the
 * format (keys 1–6), how a clip book is grouped, Markdown as one file or one
 * per article, the clip book's title. It says how many articles and
 * clippings will be written before anything is, shows the steps of a long
 * export, and keeps main's reason on screen when one fails.
 */
export function ExportDialog({ target, onDone, onClose }: Props) {
  const [choices, setChoices] = useState<ExportChoices>(loadChoices);
  const [title, setTitle] = useState('');
  const [preview, setPreview] = useState<Preview>({ status: 'loading' });
  const [running, setRunning] = useState<Running | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [templatesNote, setTemplatesNote] = useState<string | null>(null);
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const forComposition = target.selection.compositionId !== undefined;
  const { format, grouping, layout, speakers } = choices;
  const clipBook = isClipBook(format, format === 'md' ? layout : undefined);

  const selectionKey = JSON.stringify(target.selection);
  useEffect(() => {
    let live = true;
    setPreview({ status: 'loading' });
    call(api().export.preview(target.selection)).then(
      (value) => live && setPreview({ status: 'ready', value }),
      (e: unknown) => live && setPreview({ status: 'error', message: describeError('Could not count what will be exported', e) }),
    );
    return () => {
      live = false;
    };
    // The selection's content is what matters, not the object's identity.
  }, [selectionKey]);

  const counts = preview.status === 'ready' ? preview.value : null;
  const empty = counts !== null && counts.articleCount === 0;
  const canExport = !running && !empty && preview.status !== 'error';

  const choose = (patch: Partial<ExportChoices>) => {
    setChoices((c) => ({ ...c, ...patch }));
    setError(null);
  };

  const run = async () => {
    if (!canExport) return;
    const jobId = newJobId();
    setError(null);
    setRunning({ phase: 'choosing', done: 0, total: 0 });
    const stop = api().onExportProgress?.((e) => {
      if (e.jobId === jobId) setRunning({ phase: e.phase, done: e.done, total: e.total });
    });
    try {
      const result = await call(api().export.run({ selection: target.selection, options: exportOptions(choices, title, forComposition), jobId }));
      saveChoices(choices);
      setRunning(null);
      if (!result.canceled) onDone(result);
    } catch (e) {
      setRunning(null);
      setError(describeError('Could not export', e));
    } finally {
      stop?.();
    }
  };

  const openTemplates = async () => {
    setTemplatesNote(null);
    try {
      const folder = await call(api().templates.open());
      setTemplatesNote(`Templates folder: ${folder.path}${folder.written.length ? ` (the defaults were written there)` : ''}. Edit a file there and export again.`);
    } catch (e) {
      setTemplatesNote(describeError('Could not open the templates folder', e));
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.nativeEvent.isComposing) return;
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void run();
      return;
    }
    // Digits choose the format, except while typing (the title); on a radio button they are free.
    if (e.ctrlKey || e.metaKey || e.altKey || (isEditable(e.target) && !(e.target instanceof HTMLInputElement && (e.target.type === 'radio' || e.target.type === 'checkbox')))) return;
    const picked = FORMATS.find((f) => f.key === e.key);
    if (picked && !running) {
      e.preventDefault();
      choose({ format: picked.id });
      formRef.current?.querySelector<HTMLInputElement>(`input[name="${id}-format"][value="${picked.id}"]`)?.focus();
    }
  };

  const countText = counts
    ? counts.articleCount === 0
      ? 'Nothing to export: this selection holds no article or clipping.'
      : `${plural(counts.clippingCount, 'clipping')} from ${plural(counts.articleCount, 'article')} will be exported.`
    : preview.status === 'loading'
      ? 'Counting…'
      : '';

  return (
    <Dialog title={`Export ${target.what}`} onClose={onClose} className="dialog-export" testId="export-dialog">
      <form
        ref={formRef}
        className="dialog-body export-body"
        aria-describedby={`${id}-count`}
        onKeyDown={onKeyDown}
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <p id={`${id}-count`} className={`export-count${empty ? ' is-empty' : ''}`} role="status" data-testid="export-count">
          {countText}
          {counts && counts.missingClippings > 0 && ` ${plural(counts.missingClippings, 'clipping')} of the press review no longer exist${counts.missingClippings === 1 ? 's' : ''} and ${counts.missingClippings === 1 ? 'is' : 'are'} left out.`}
        </p>
        {preview.status === 'error' && (
          <p className="field-error" role="alert">
            {preview.message}
          </p>
        )}
        <fieldset className="export-formats" disabled={!!running}>
          <legend>
            Format <span className="export-legend-hint">keys 1–6</span>
          </legend>
          {FORMATS.map((f) => (
            <label key={f.id} className={`export-format${format === f.id ? ' is-on' : ''}`} data-testid={`export-format-${f.id}`}>
              <input
                type="radio"
                name={`${id}-format`}
                value={f.id}
                checked={format === f.id}
                data-autofocus={format === f.id ? true : undefined}
                aria-keyshortcuts={f.key}
                aria-labelledby={`${id}-${f.id}-name`}
                aria-describedby={`${id}-${f.id}-hint`}
                onChange={() => choose({ format: f.id })}
              />
              <span className="export-format-text">
                <span className="export-format-name" id={`${id}-${f.id}-name`}>
                  {f.name} <span className="export-format-ext">{f.extension}</span>
                </span>
                <span className="export-format-hint" id={`${id}-${f.id}-hint`}>
                  {f.hint}
                </span>
              </span>
              <kbd aria-hidden="true">{f.key}</kbd>
            </label>
          ))}
        </fieldset>
        {format === 'md' && (
          <fieldset className="export-choice" disabled={!!running}>
            <legend>Markdown files</legend>
            <div className="segmented" role="presentation">
              <label className={layout === 'clipbook' ? 'is-on' : ''}>
                <input type="radio" name={`${id}-layout`} checked={layout === 'clipbook'} onChange={() => choose({ layout: 'clipbook' })} />
                One clip-book file
              </label>
              <label className={layout === 'per-article' ? 'is-on' : ''}>
                <input type="radio" name={`${id}-layout`} checked={layout === 'per-article'} onChange={() => choose({ layout: 'per-article' })} />
                One file per article (a folder)
              </label>
            </div>
          </fieldset>
        )}
        {clipBook && !forComposition && (
          <fieldset className="export-choice" disabled={!!running}>
            <legend>Group the clip book by</legend>
            <div className="segmented" role="presentation">
              {GROUPINGS.map((g) => (
                <label key={g.id} className={grouping === g.id ? 'is-on' : ''}>
                  <input type="radio" name={`${id}-grouping`} checked={grouping === g.id} onChange={() => choose({ grouping: g.id })} />
                  {g.name}
                </label>
              ))}
            </div>
          </fieldset>
        )}
        {clipBook && (
          <label className="export-title">
            <span>Title</span>
            <input
              className="field"
              value={title}
              maxLength={500}
              placeholder={counts?.title ?? 'Clippings'}
              disabled={!!running}
              onChange={(e) => setTitle(e.target.value)}
            />
          </label>
        )}
        {namesSpeakers(format) && (
          <label className="export-check">
            <input type="checkbox" checked={speakers} disabled={!!running} onChange={(e) => choose({ speakers: e.target.checked })} />
            <span>
              Name who said each quote in its citation <span className="export-check-hint">(reads every article’s quotations: slower on a large export)</span>
            </span>
          </label>
        )}
        {forComposition && clipBook && <p className="dialog-hint">A press review keeps its own order, headings and introduction.</p>}
        {running && (
          <div className="export-progress" data-testid="export-progress">
            {running.phase === 'writing' && running.total > 1 ? <progress value={running.done} max={running.total} aria-label="Export progress" /> : <progress aria-label="Export progress" />}
            <p role="status">{phaseText(running.phase, running.done, running.total, counts?.clippingCount ?? null)}</p>
          </div>
        )}
        <p className="field-error" role="alert" data-testid="export-error">
          {error}
        </p>
        {templatesNote && (
          <p className="dialog-hint export-templates-note" role="status" data-testid="templates-note">
            {templatesNote}
          </p>
        )}
        <div className="dialog-actions export-actions">
          {usesTemplates(format) && (
            <button type="button" className="link-btn export-templates" title="Open the folder of the templates Markdown, HTML and text exports are made from" onClick={() => void openTemplates()}>
              Edit templates…
            </button>
          )}
          <button type="button" className="btn btn-quiet" onClick={onClose} title="Close (Esc)" aria-keyshortcuts="Escape">
            {running ? 'Close' : 'Cancel'}
          </button>
          <button type="submit" className="btn btn-primary" disabled={!canExport} title={`Choose where to save, then export (${MOD}+Enter)`} aria-keyshortcuts="Control+Enter" data-testid="export-run">
            <ExportIcon />
            <span>{running ? 'Exporting…' : 'Export…'}</span>
          </button>
        </div>
      </form>
    </Dialog>
  );
}

import { useLayoutEffect, useRef, useState } from 'react';
import type { LabelView } from '../lib/labels';
import type { PendingSelection } from './Reader';
import { LabelPicker, LabelSwatch } from './Labels';
import { AttachIcon, LabelIcon, NoteIcon, TagIcon } from './icons';

type Props = {
  selection: PendingSelection;
  labels: readonly LabelView[];
  /** The label `h` uses: the last one chosen. */
  currentLabel: string;
  /** The label picker's highlighted option while it is open (l), else null. */
  picker: number | null;
  /** Re-attaching a clipping: the toolbar offers only "Attach here". */
  reattaching: boolean;
  onHighlight: (label: string, focus: 'note' | 'tags' | null) => void;
  onOpenPicker: () => void;
  onEditLabels: () => void;
  onAttach: () => void;
  onCancelAttach: () => void;
};

/** Labels shown as buttons on the toolbar; the others are one `l` away. */
const INLINE_LABELS = 6;
const MARGIN = 8;

/** Floats above the selection. mousedown is cancelled so that clicking a button keeps the selection. */
export function SelectionToolbar(props: Props) {
  const { selection, labels, currentLabel } = props;
  const ref = useRef<HTMLDivElement>(null);
  // The toolbar is as wide as its labels: measured once drawn, so that it is kept inside the reader.
  const [half, setHalf] = useState(150);
  useLayoutEffect(() => {
    const width = ref.current?.offsetWidth;
    if (width && Math.abs(width / 2 - half) > 1) setHalf(width / 2);
  });
  const left = Math.min(Math.max(selection.centerX, half + MARGIN), Math.max(half + MARGIN, selection.width - half - MARGIN));
  const below = selection.nearTop;
  const current = labels.find((l) => l.id === currentLabel) ?? labels[0];
  const inline = labels.slice(0, INLINE_LABELS);
  if (current && !inline.includes(current)) inline[inline.length - 1] = current;

  return (
    <div
      ref={ref}
      data-testid="selection-toolbar"
      role="toolbar"
      aria-label={props.reattaching ? 'Attach the clipping here' : 'Clip the selection'}
      className={`selection-toolbar${below ? ' is-below' : ''}`}
      style={below ? { top: selection.bottom + 10, left } : { top: selection.top - 10, left }}
      onMouseDown={(e) => e.preventDefault()}
    >
      {props.reattaching ? (
        <div className="toolbar-row">
          <button
            type="button"
            className="btn btn-primary btn-small"
            title="Attach the clipping to the selected words (Enter)"
            aria-keyshortcuts="Enter"
            onClick={props.onAttach}
          >
            <AttachIcon />
            <span>Attach here</span>
          </button>
          <button type="button" className="toolbar-btn" title="Stop re-attaching (Esc)" aria-keyshortcuts="Escape" onClick={props.onCancelAttach}>
            Cancel
          </button>
        </div>
      ) : (
        <>
          <div className="toolbar-row">
            <div className="toolbar-labels" role="group" aria-label="Highlight with a label">
              {inline.map((l) => {
                const isCurrent = l.id === current?.id;
                return (
                  <button
                    key={l.id}
                    type="button"
                    className={`label-btn${isCurrent ? ' is-current' : ''}`}
                    aria-label={`Highlight ${l.name}`}
                    title={`Highlight as “${l.name}”${isCurrent ? ' (H)' : ''}`}
                    aria-keyshortcuts={isCurrent ? 'H' : undefined}
                    onClick={() => props.onHighlight(l.id, null)}
                  >
                    <LabelSwatch label={l} size="small" />
                    <span>{l.name}</span>
                  </button>
                );
              })}
              <button
                type="button"
                className="toolbar-btn toolbar-icon"
                aria-label="Choose a label"
                aria-keyshortcuts="L"
                aria-expanded={props.picker !== null}
                title={labels.length > INLINE_LABELS ? `All ${labels.length} labels (L)` : 'Choose a label (L)'}
                onClick={props.onOpenPicker}
              >
                <LabelIcon />
              </button>
            </div>
            <span className="toolbar-sep" aria-hidden="true" />
            <button
              type="button"
              className="toolbar-btn"
              aria-label="Add note"
              aria-keyshortcuts="N"
              title={`Highlight as “${current?.name ?? ''}” and add a note (N)`}
              onClick={() => current && props.onHighlight(current.id, 'note')}
            >
              <NoteIcon />
              <span>Note</span>
            </button>
            <button
              type="button"
              className="toolbar-btn"
              aria-label="Add tags"
              aria-keyshortcuts="T"
              title={`Highlight as “${current?.name ?? ''}” and add tags (T)`}
              onClick={() => current && props.onHighlight(current.id, 'tags')}
            >
              <TagIcon />
              <span>Tags</span>
            </button>
          </div>
          {props.picker !== null && (
            <LabelPicker
              labels={labels}
              current={current?.id ?? ''}
              highlighted={props.picker}
              onPick={(id) => props.onHighlight(id, null)}
              onEditLabels={props.onEditLabels}
            />
          )}
        </>
      )}
    </div>
  );
}

import type { Color } from '../../../electron/library/model';
import { COLORS, colorName } from '../lib/format';
import type { PendingSelection } from './Reader';
import { NoteIcon, TagIcon } from './icons';

type Props = {
  selection: PendingSelection;
  color: Color;
  onHighlight: (color: Color, focus: 'note' | 'tags' | null) => void;
};

const HALF_WIDTH = 150;

/** Floats above the selection. mousedown is cancelled so that clicking a button keeps the selection. */
export function SelectionToolbar({ selection, color, onHighlight }: Props) {
  const left = Math.min(Math.max(selection.centerX, HALF_WIDTH + 8), Math.max(HALF_WIDTH + 8, selection.width - HALF_WIDTH - 8));
  const below = selection.nearTop;
  return (
    <div
      data-testid="selection-toolbar"
      role="toolbar"
      aria-label="Clip the selection"
      className={`selection-toolbar${below ? ' is-below' : ''}`}
      style={below ? { top: selection.bottom + 10, left } : { top: selection.top - 10, left }}
      onMouseDown={(e) => e.preventDefault()}
    >
      <div className="swatches">
        {COLORS.map((c) => (
          <button
            key={c}
            type="button"
            className={`swatch sw-${c}${c === color ? ' is-current' : ''}`}
            aria-label={`Highlight ${c}`}
            title={`Highlight ${colorName(c).toLowerCase()}${c === color ? ' (H)' : ''}`}
            aria-keyshortcuts={c === color ? 'H' : undefined}
            onClick={() => onHighlight(c, null)}
          />
        ))}
      </div>
      <span className="toolbar-sep" aria-hidden="true" />
      <button type="button" className="toolbar-btn" aria-label="Add note" aria-keyshortcuts="N" title={`Highlight ${color} and add a note (N)`} onClick={() => onHighlight(color, 'note')}>
        <NoteIcon />
        <span>Note</span>
      </button>
      <button type="button" className="toolbar-btn" aria-label="Add tags" aria-keyshortcuts="T" title={`Highlight ${color} and add tags (T)`} onClick={() => onHighlight(color, 'tags')}>
        <TagIcon />
        <span>Tags</span>
      </button>
    </div>
  );
}

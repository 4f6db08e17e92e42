import type { HTMLAttributes, ReactNode } from 'react';
import type { ListRowProps } from '../lib/use-list-selection';

type Props = ListRowProps & Omit<HTMLAttributes<HTMLDivElement>, 'onClick' | 'onFocus' | 'onMouseDown' | 'style'> & { rowId: string; children: ReactNode };

/** One option of a virtualised multi-select listbox: placed by the virtualiser, measured, and in the Tab order only when it is the focused row. */
export function ListOption({ rowId, index, setSize, start, isSelected, tabbable, measure, onClick, onFocusRow, children, ...attributes }: Props) {
  return (
    <div
      {...attributes}
      ref={measure}
      data-index={index}
      role="option"
      tabIndex={tabbable ? 0 : -1}
      aria-selected={isSelected}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      style={{ transform: `translateY(${start}px)` }}
      onMouseDown={(e) => {
        // Shift+click selects rows, not the text between two clicks.
        if (e.shiftKey) e.preventDefault();
      }}
      onClick={(e) => onClick(index, e)}
      onFocus={() => onFocusRow(rowId)}
    >
      {children}
    </div>
  );
}

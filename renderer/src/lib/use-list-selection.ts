import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type RefObject } from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range, type VirtualItem } from '@tanstack/react-virtual';

export const NO_SELECTION: ReadonlySet<string> = new Set();

/** What a row of the list is given (rendered by ListOption). */
export type ListRowProps = {
  index: number;
  setSize: number;
  /** The row's offset from the top of the list, from the virtualiser. */
  start: number;
  isSelected: boolean;
  /** The one row in the Tab order. */
  tabbable: boolean;
  measure: (node: HTMLElement | null) => void;
  onClick: (index: number, e: MouseEvent, check?: boolean) => void;
  onFocusRow: (id: string) => void;
};

type Options<T> = {
  /** The rows, in the list's order. */
  items: readonly T[];
  /** A row's id; must be stable (a module-level function), or every row's offset is recomputed each render. */
  idOf: (item: T) => string;
  selected: ReadonlySet<string>;
  onSelect: (ids: ReadonlySet<string>) => void;
  /** A plain click or Enter on a row. */
  onOpen: (item: T) => void;
  /** A plain click clears the selection before it opens (the article list: opening one article ends a bulk choice). */
  clearOnOpenClick?: boolean;
  /** The open row, if any: the focus and a range's anchor start there until a row is clicked or focused. */
  currentId?: string | null;
  scrollRef: RefObject<HTMLElement | null>;
  estimateSize: (index: number) => number;
  /** The height PageUp/PageDown count in. */
  estimatedRow: number;
  gap: number;
};

/**
 * A virtualised multi-select listbox, shared by the article list and the
 * clippings view: a click opens a row, Ctrl/⌘+click (or a row's checkbox)
 * toggles it in the selection, Shift+click selects a range; with the keyboard,
 * the arrows, Home/End and PageUp/PageDown move, Enter opens, Space toggles,
 * Shift+moves extend, Ctrl+A selects every row and Esc clears the selection.
 * Only one row is in the Tab order (the one last focused), and that row is
 * always rendered, even scrolled out of view, so focus is never lost to the
 * virtualiser.
 */
export function useListSelection<T>({ items, idOf, selected, onSelect, onOpen, clearOnOpenClick = false, currentId = null, scrollRef, estimateSize, estimatedRow, gap }: Options<T>) {
  const [focusId, setFocusId] = useState<string | null>(null);
  const anchorRef = useRef<string | null>(null);
  const wantFocus = useRef(false);

  const indexById = useMemo(() => new Map(items.map((item, i) => [idOf(item), i])), [items, idOf]);
  const focusIndex = (focusId !== null ? indexById.get(focusId) : undefined) ?? (currentId !== null ? indexById.get(currentId) : undefined) ?? (items.length ? 0 : -1);

  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      // The row that has the focus stays in the page, scrolled out of view or not.
      if (focusIndex >= 0 && focusIndex < range.count && !indexes.includes(focusIndex)) {
        indexes.push(focusIndex);
        indexes.sort((a, b) => a - b);
      }
      return indexes;
    },
    [focusIndex],
  );
  // Stable across renders: the virtualiser recomputes every row's offset (100,000 of them) when getItemKey changes.
  const getItemKey = useCallback((i: number) => (items[i] !== undefined ? idOf(items[i]) : i), [items, idOf]);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    overscan: 6,
    gap,
    getItemKey,
    rangeExtractor,
  });

  // Keyboard moves: scroll the row into view, then focus it (it is rendered: see rangeExtractor).
  useEffect(() => {
    if (!wantFocus.current || focusIndex < 0) return;
    wantFocus.current = false;
    virtualizer.scrollToIndex(focusIndex, { align: 'auto' });
    scrollRef.current?.querySelector<HTMLElement>(`[data-index="${focusIndex}"]`)?.focus({ preventScroll: true });
  }, [focusIndex, virtualizer]);

  const rangeIds = (from: number, to: number) => items.slice(Math.min(from, to), Math.max(from, to) + 1).map(idOf);
  const anchorIndex = (fallback: number) => {
    const id = anchorRef.current ?? currentId;
    return (id !== null ? indexById.get(id) : undefined) ?? fallback;
  };
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  };

  const latest = useRef({ items, idOf, selected, rangeIds, anchorIndex, toggle, onSelect, onOpen, clearOnOpenClick });
  latest.current = { items, idOf, selected, rangeIds, anchorIndex, toggle, onSelect, onOpen, clearOnOpenClick };
  /** Stable, for memoised rows: `check` is a click on the row's checkbox, which toggles like Ctrl+click. */
  const onRowClick = useCallback((index: number, e: MouseEvent, check = false) => {
    const { items, idOf, selected, rangeIds, anchorIndex, toggle, onSelect, onOpen, clearOnOpenClick } = latest.current;
    const item = items[index];
    if (item === undefined) return;
    const id = idOf(item);
    setFocusId(id);
    if (e.shiftKey) {
      const range = rangeIds(anchorIndex(index), index);
      onSelect(e.ctrlKey || e.metaKey ? new Set([...selected, ...range]) : new Set(range));
      return;
    }
    anchorRef.current = id;
    if (e.ctrlKey || e.metaKey || check) {
      toggle(id);
      return;
    }
    if (clearOnOpenClick && selected.size > 0) onSelect(NO_SELECTION);
    onOpen(item);
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.target instanceof HTMLElement && !e.target.matches('[role="option"]')) return;
    const mod = e.ctrlKey || e.metaKey;
    const at = focusIndex;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / estimatedRow) - 1);
    const target =
      e.key === 'ArrowDown' ? at + 1 : e.key === 'ArrowUp' ? at - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : e.key === 'PageDown' ? at + page : e.key === 'PageUp' ? at - page : null;
    if (target !== null && !mod && !e.altKey) {
      e.preventDefault();
      const to = Math.max(0, Math.min(items.length - 1, target));
      const item = items[to];
      if (item === undefined) return;
      wantFocus.current = true;
      setFocusId(idOf(item));
      if (e.shiftKey) onSelect(new Set(rangeIds(anchorIndex(at), to)));
      else anchorRef.current = idOf(item);
      return;
    }
    const item = items[at];
    if (e.key === 'Enter' && !mod && item !== undefined) {
      e.preventDefault();
      anchorRef.current = idOf(item);
      onOpen(item);
    } else if (e.key === ' ' && !mod && item !== undefined) {
      e.preventDefault();
      anchorRef.current = idOf(item);
      toggle(idOf(item));
    } else if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      onSelect(new Set(items.map(idOf)));
    } else if (e.key === 'Escape' && selected.size > 0) {
      e.preventDefault();
      onSelect(NO_SELECTION);
    }
  };

  /** A rendered row's props but its set size (what the list counts, loaded or not). */
  const rowProps = (row: VirtualItem): Omit<ListRowProps, 'setSize'> => {
    const item = items[row.index];
    return {
      index: row.index,
      start: row.start,
      isSelected: item !== undefined && selected.has(idOf(item)),
      tabbable: row.index === focusIndex,
      measure: virtualizer.measureElement,
      onClick: onRowClick,
      onFocusRow: setFocusId,
    };
  };

  return { virtualizer, indexById, setFocusId, rowProps, onKeyDown };
}

import { useEffect, useRef, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';

export type PopupMenuItem = { label: string; run: () => void; shortcut?: string; keys?: string; testId?: string };

type Props = {
  label: string;
  items: readonly PopupMenuItem[];
  /** Where it opens (viewport coordinates), kept inside the window. */
  x: number;
  y: number;
  /** The button that opened it: focus goes back there. */
  opener: HTMLElement | null;
  onClose: () => void;
  testId?: string;
};

/**
 * A small menu at a point (a clipping card's ⋯): arrows move, Enter runs,
 * Esc, Tab or a click elsewhere closes it and focus goes back to its button.
 */
export function PopupMenu({ label, items, x, y, opener, onClose, testId }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      // Before the app's own Esc (which would clear the active clipping).
      e.preventDefault();
      e.stopPropagation();
      closeRef.current();
      opener?.focus({ preventScroll: true });
    };
    const onDown = (e: MouseEvent) => {
      if (!(e.target instanceof Node && ref.current?.contains(e.target))) closeRef.current();
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('mousedown', onDown, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('mousedown', onDown, true);
    };
  }, [opener]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      buttons[(at + (e.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length]?.focus();
    } else if (e.key === 'Tab') {
      onClose();
    }
  };

  const left = Math.max(8, Math.min(x, window.innerWidth - 250));
  const top = Math.max(8, Math.min(y, window.innerHeight - 24 - items.length * 32));
  // In the document's body: a card's containment would otherwise clip a fixed menu or place it wrong.
  return createPortal(
    <div ref={ref} className="menu" role="menu" aria-label={label} data-testid={testId} style={{ left, top }} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className="menu-item"
          data-testid={item.testId}
          aria-keyshortcuts={item.keys}
          onClick={() => {
            // Focus goes back to the opener first, so that a dialog the item opens returns it there.
            opener?.focus({ preventScroll: true });
            onClose();
            item.run();
          }}
        >
          <span>{item.label}</span>
          {item.shortcut && <span className="menu-item-keys">{item.shortcut}</span>}
        </button>
      ))}
    </div>,
    document.body,
  );
}

/**
 * Bringing one clipping into view once its article is on screen: a search
 * hit or a row of the clippings view names a clipping whose article may
 * still have to be opened, and the reader (and then the sidebar, a moment
 * later) has to draw it before it can be scrolled to.
 */
import { useEffect, useMemo, useRef, useState } from 'react';

/** Frames to wait for the sidebar's card (it draws a newly opened article's cards after its text). */
const CARD_FRAMES = 30;

/**
 * `reveal(id)` activates the clipping `id` (scrolls to its passage and card,
 * and focuses the card, as J/K do) as soon as `clippings` holds it: at once
 * when its article is open, else once it has been opened. `reveal(null)`
 * forgets a clipping still waiting (another article was chosen meanwhile).
 */
export function useRevealClipping(clippings: readonly { id: string }[] | undefined, activate: (id: string, focusCard: boolean) => void): (id: string | null) => void {
  const wanted = useRef<string | null>(null);
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    const id = wanted.current;
    if (!id || !clippings?.some((c) => c.id === id)) return;
    let frames = 0;
    let frame = 0;
    const go = () => {
      const card = document.querySelector(`[data-testid="clipping-card"][data-clipping-id="${CSS.escape(id)}"]`);
      if (!card && frames++ < CARD_FRAMES) {
        frame = requestAnimationFrame(go);
        return;
      }
      wanted.current = null;
      activate(id, true);
    };
    frame = requestAnimationFrame(go);
    return () => cancelAnimationFrame(frame);
  }, [clippings, activate, asked]);
  return useMemo(
    () => (id: string | null) => {
      wanted.current = id;
      if (id) setAsked((n) => n + 1);
    },
    [],
  );
}

/**
 * The window's fixed settings and the geometry rules for restoring it,
 * without Electron, so that a unit test can hold them in place.
 */
import type { WebPreferences } from 'electron';

/**
 * The renderer is a web page with no Node and no Electron: it reaches main
 * only through the preload's named API. Each flag is spelled out, even where
 * it is Electron's default, so that a change of default cannot loosen it.
 */
export const SECURE_WEB_PREFERENCES = Object.freeze({
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: true,
  // A middle click on a link fires no auxclick for a page to open a window with (new windows are refused anyway: app/security.ts).
  disableBlinkFeatures: 'Auxclick',
} satisfies WebPreferences);

export function webPreferences(preload: string): WebPreferences {
  return { ...SECURE_WEB_PREFERENCES, preload };
}

export const MIN_WIDTH = 720;
export const MIN_HEIGHT = 480;
export const DEFAULT_WIDTH = 1280;
export const DEFAULT_HEIGHT = 860;
/** Shown before the first paint: the renderer's --bg for each theme (renderer/src/styles.css). */
export const BACKGROUND = { light: '#f4f3ef', dark: '#19191b' } as const;

export type Rect = { x: number; y: number; width: number; height: number };

/** How much of the window must lie on one display for the saved position to be reused: enough to grab the title bar. */
const MIN_VISIBLE = { width: 160, height: 80 };

/**
 * The saved bounds if the window would still be reachable (a monitor may have
 * been unplugged or rearranged since), shrunk to fit the display it lands on;
 * otherwise null, and the window opens at its default size, centred.
 */
export function restorableBounds(saved: Rect | null, workAreas: readonly Rect[]): Rect | null {
  if (!saved) return null;
  if (![saved.x, saved.y, saved.width, saved.height].every(Number.isFinite)) return null;
  let best: { area: Rect; overlap: number } | null = null;
  for (const area of workAreas) {
    const w = Math.min(saved.x + saved.width, area.x + area.width) - Math.max(saved.x, area.x);
    const h = Math.min(saved.y + saved.height, area.y + area.height) - Math.max(saved.y, area.y);
    if (w >= MIN_VISIBLE.width && h >= MIN_VISIBLE.height && (!best || w * h > best.overlap)) best = { area, overlap: w * h };
  }
  if (!best) return null;
  const { area } = best;
  const width = Math.max(Math.min(saved.width, area.width), Math.min(MIN_WIDTH, area.width));
  const height = Math.max(Math.min(saved.height, area.height), Math.min(MIN_HEIGHT, area.height));
  // The title bar must not sit above the top of the display, where it cannot be grabbed.
  const y = Math.max(saved.y, area.y);
  return { x: Math.round(saved.x), y: Math.round(y), width: Math.round(width), height: Math.round(height) };
}

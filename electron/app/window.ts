import { existsSync } from 'node:fs';
import { BrowserWindow, nativeTheme, screen } from 'electron';
import type { SettingsStore } from '../settings/settings';
import { APP_ENTRY_URL } from './origin';
import { BACKGROUND, DEFAULT_HEIGHT, DEFAULT_WIDTH, MIN_HEIGHT, MIN_WIDTH, restorableBounds, webPreferences } from './window-policy';

export type WindowOptions = { settings: SettingsStore; preload: string; icon: string };

/** Bounds are written this long after the last resize or move, and at once on close. */
const SAVE_DELAY_MS = 500;

/**
 * The main window, where it was last time if that is still on a screen.
 * It is shown only once painted, on a background of the theme's colour,
 * so that it never flashes white.
 */
export function openMainWindow({ settings, preload, icon }: WindowOptions): BrowserWindow {
  const saved = restorableBounds(
    settings.get().windowBounds,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const window = new BrowserWindow({
    ...(saved ?? { width: DEFAULT_WIDTH, height: DEFAULT_HEIGHT, center: true }),
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    title: 'Cuttings',
    backgroundColor: nativeTheme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light,
    ...(existsSync(icon) ? { icon } : {}),
    webPreferences: webPreferences(preload),
  });

  window.once('ready-to-show', () => window.show());
  // If the page never paints (a broken build), show the window anyway rather than run invisibly.
  const showAnyway = setTimeout(() => {
    if (!window.isDestroyed() && !window.isVisible()) window.show();
  }, 5_000);
  window.once('show', () => clearTimeout(showAnyway));

  let timer: NodeJS.Timeout | undefined;
  const saveBounds = () => {
    clearTimeout(timer);
    timer = undefined;
    if (window.isDestroyed()) return;
    try {
      // The normal bounds: those of the un-maximized, un-minimized window, which is what to restore.
      settings.update({ windowBounds: window.getNormalBounds() });
    } catch (e) {
      console.warn('cuttings: could not save the window position:', e);
    }
  };
  const saveSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(saveBounds, SAVE_DELAY_MS);
  };
  window.on('resize', saveSoon);
  window.on('move', saveSoon);
  window.on('close', saveBounds);

  window.webContents.on('did-fail-load', (_event, code, description, url) => {
    console.error(`cuttings: could not load ${url}: ${description} (${code})`);
  });
  window.webContents.on('render-process-gone', (_event, details) => {
    console.error(`cuttings: the window's renderer stopped: ${details.reason} (exit code ${details.exitCode})`);
  });

  void window.loadURL(APP_ENTRY_URL).catch((e: unknown) => console.error('cuttings: loading the app failed:', e));
  return window;
}

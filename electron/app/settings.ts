import { ipcMain, nativeTheme } from 'electron';
import Store from 'electron-store';
import { ConfSettings, type SettingsStore } from '../settings/settings';

/**
 * The app's settings: electron-store's userData/config.json, the file the
 * CLI reads with conf. Also keeps Electron's theme (native dialogs, menus,
 * `prefers-color-scheme`) in step with the saved choice.
 */
export function openAppSettings(): SettingsStore {
  const settings = new ConfSettings(new Store<Record<string, unknown>>({ name: 'config' }));
  // electron-store answers renderer-side stores over a sync IPC channel that
  // hands out the user-data path. We have none; no page should get that answer.
  ipcMain.removeAllListeners('electron-store-get-data');
  nativeTheme.themeSource = settings.get().theme;
  return {
    get: () => settings.get(),
    update(patch) {
      const next = settings.update(patch);
      nativeTheme.themeSource = next.theme;
      return next;
    },
  };
}

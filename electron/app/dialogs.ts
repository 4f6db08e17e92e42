import { join } from 'node:path';
import { app, dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { Dialogs } from '../ipc/handlers';

/**
 * The native dialogs behind `library:import` and `export:markdown`: the
 * renderer never names a path; the person picks one here.
 */
export function createDialogs(getWindow: () => BrowserWindow | null): Dialogs {
  return {
    async chooseImportPaths() {
      const options: OpenDialogOptions = {
        title: 'Import articles',
        buttonLabel: 'Import',
        // Windows and Linux cannot offer files and folders in one dialog (asking
        // for both shows a folder picker only), so there it offers files.
        properties:
          process.platform === 'darwin' ? ['openFile', 'openDirectory', 'multiSelections'] : ['openFile', 'multiSelections'],
        filters: [
          { name: 'News text', extensions: ['txt', 'text', 'news'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const window = getWindow();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths;
    },
    async chooseSavePath(suggestedName) {
      const options: SaveDialogOptions = {
        title: 'Export clippings',
        buttonLabel: 'Export',
        defaultPath: join(app.getPath('documents'), suggestedName),
        filters: [{ name: 'Markdown', extensions: ['md'] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const window = getWindow();
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}

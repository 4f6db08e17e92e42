import { join } from 'node:path';
import { app, dialog, shell, type BrowserWindow, type MessageBoxOptions, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { Dialogs } from '../ipc/handlers';
import { printPdf } from './pdf';

/**
 * What only the host can do, for the IPC handlers: the native dialogs behind
 * imports, exports, backups and restores (the renderer never names a path;
 * the person picks one here), questions before anything is replaced, the
 * system's file manager, and printing a clip book to PDF.
 */
export function createDialogs(getWindow: () => BrowserWindow | null): Dialogs {
  const showOpen = async (options: OpenDialogOptions) => {
    const window = getWindow();
    return window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options);
  };
  const showSave = async (options: SaveDialogOptions) => {
    const window = getWindow();
    return window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options);
  };
  const showMessage = async (options: MessageBoxOptions) => {
    const window = getWindow();
    return window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options);
  };
  return {
    async chooseImportPaths() {
      const result = await showOpen({
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
      });
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths;
    },
    async chooseSavePath(suggestedName, kind) {
      const result = await showSave({
        title: kind?.title ?? 'Export clippings',
        buttonLabel: kind?.buttonLabel ?? 'Export',
        defaultPath: join(app.getPath('documents'), suggestedName),
        filters: [kind?.filter ?? { name: 'Markdown', extensions: ['md'] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseFolder(kind) {
      const result = await showOpen({
        title: kind.title,
        buttonLabel: kind.buttonLabel,
        defaultPath: app.getPath('documents'),
        properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
      });
      return result.canceled || result.filePaths.length === 0 ? null : (result.filePaths[0] ?? null);
    },
    async chooseBackup() {
      const result = await showOpen({
        title: 'Restore from a backup',
        buttonLabel: 'Restore…',
        defaultPath: app.getPath('documents'),
        properties: ['openFile'],
        filters: [
          { name: 'Cuttings backup', extensions: ['cuttings-backup', 'zip'] },
          { name: 'All files', extensions: ['*'] },
        ],
      });
      return result.canceled || result.filePaths.length === 0 ? null : (result.filePaths[0] ?? null);
    },
    async confirm(question) {
      // Cancel is the default and what Esc answers: replacing needs a deliberate click.
      const result = await showMessage({
        type: 'warning',
        title: question.title,
        message: question.message,
        detail: question.detail,
        buttons: ['Cancel', question.confirm],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      });
      return result.response === 1;
    },
    async openPath(path) {
      // shell.openPath answers with an error message rather than throwing.
      const problem = await shell.openPath(path);
      if (problem) throw new Error(`Could not open ${path}: ${problem}`);
    },
    printPdf,
  };
}

/**
 * The app's lifecycle, and nothing else: each concern lives in electron/app/.
 * Order matters: the scheme, the sandbox and the navigation guards are set
 * before the app is ready; the library is open before any window asks for it.
 */
import { app, dialog, session, type BrowserWindow } from 'electron';
import { createHandlers } from './ipc/handlers';
import { createRouter } from './ipc/router';
import { Library, defaultLibraryDir } from './library';
import { createDialogs } from './app/dialogs';
import { sendExportProgress, sendImportProgress, sendMenuCommand, serveIpc } from './app/ipc-transport';
import { parseLaunchOptions } from './app/launch-options';
import { appLocations } from './app/locations';
import { installMenu } from './app/menu';
import { registerAppScheme, serveRenderer } from './app/protocol';
import { denyAllPermissions, installNavigationGuards } from './app/security';
import { openAppSettings } from './app/settings';
import { isTrustedSender } from './app/trust-policy';
import { openMainWindow } from './app/window';

process.setSourceMapsEnabled(true);
const launch = parseLaunchOptions(process.argv.slice(1), process.env, process.cwd());
if (launch.userDataDir) app.setPath('userData', launch.userDataDir);
const where = appLocations(__dirname, app.isPackaged ? { resourcesPath: process.resourcesPath } : null);
let mainWindow: BrowserWindow | null = null;

registerAppScheme();
app.enableSandbox();
installNavigationGuards();

if (!app.requestSingleInstanceLock()) {
  // Cuttings is already running on this user-data folder: it focuses its window (below) and this one leaves.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  app.whenReady().then(start).catch(fail);
}

async function start(): Promise<void> {
  const settings = openAppSettings();
  const libraryDir = launch.libraryDir ?? settings.get().libraryDir ?? defaultLibraryDir(app.getPath('userData'));
  let library: Library;
  try {
    library = await Library.open(libraryDir, { seedDir: where.seedDir, search: true, purpose: 'the Cuttings app' });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    dialog.showErrorBox('Cuttings cannot open its library', `The library folder\n${libraryDir}\ncould not be opened:\n\n${reason}`);
    app.exit(1);
    return;
  }
  denyAllPermissions(session.defaultSession);
  serveRenderer(where.rendererDir, (articleId, name) => library.readAttachment(articleId, name));
  const dialogs = createDialogs(() => mainWindow);
  const handlers = createHandlers({
    library,
    settings,
    dialogs,
    events: { importProgress: (e) => sendImportProgress(mainWindow, e), exportProgress: (e) => sendExportProgress(mainWindow, e) },
    // A restore from a backup replaces the library: the same folder opened again, served and closed from then on.
    reopen: (dir) => Library.open(dir, { search: true, purpose: 'the Cuttings app' }),
    onLibraryReplaced: (next) => (library = next),
  });
  serveIpc(createRouter(handlers, { trusted: isTrustedSender, log: (m, e) => console.error(m, e) }));
  installMenu({ send: (command) => sendMenuCommand(mainWindow, command), isDev: !app.isPackaged, iconPath: where.icon });
  const open = () => {
    const opened = openMainWindow({ settings, preload: where.preload, icon: where.icon });
    opened.on('closed', () => (mainWindow = null));
    mainWindow = opened;
  };
  open();
  app.on('activate', () => (mainWindow ? mainWindow.show() : open()));
  app.on('window-all-closed', () => process.platform === 'darwin' || app.quit());
  // Put the journal's changes in place before leaving (they are safe without it: the next start replays them).
  let closing = false;
  app.on('will-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    void library.close().finally(() => app.quit());
  });
}

function fail(e: unknown): void {
  dialog.showErrorBox('Cuttings could not start', e instanceof Error ? (e.stack ?? e.message) : String(e));
  app.exit(1);
}

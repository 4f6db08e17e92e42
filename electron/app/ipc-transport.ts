import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS } from '../ipc/contract';
import { EXPORT_PROGRESS_CHANNEL, IMPORT_PROGRESS_CHANNEL, MENU_COMMAND_CHANNEL, type ExportProgressEvent, type ImportProgressEvent, type MenuCommand } from '../ipc/events';
import type { Router } from '../ipc/router';
import { describeSender } from './trust-policy';

/**
 * ipcMain is only a transport: one handler per channel of the contract, each
 * handing the payload and the sender to the router, which checks both. A
 * channel that is not in the contract has no handler and is refused by
 * Electron itself.
 */
export function serveIpc(router: Router): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, payload: unknown) =>
      router.dispatch(channel, payload, describeSender(event.senderFrame, mainFrameOf(event))),
    );
  }
  return () => CHANNELS.forEach((channel) => ipcMain.removeHandler(channel));
}

function mainFrameOf(event: IpcMainInvokeEvent) {
  try {
    return event.sender.mainFrame;
  } catch {
    return null;
  }
}

/** The one message main sends unasked (ipc/events.ts). */
export function sendMenuCommand(window: BrowserWindow | null, command: MenuCommand): void {
  if (window && !window.isDestroyed()) window.webContents.send(MENU_COMMAND_CHANNEL, command);
}

/** Import progress, to the window that asked (there is one window). */
export function sendImportProgress(window: BrowserWindow | null, event: ImportProgressEvent): void {
  if (window && !window.isDestroyed()) window.webContents.send(IMPORT_PROGRESS_CHANNEL, event);
}

/** Export progress, to the window that asked. */
export function sendExportProgress(window: BrowserWindow | null, event: ExportProgressEvent): void {
  if (window && !window.isDestroyed()) window.webContents.send(EXPORT_PROGRESS_CHANNEL, event);
}

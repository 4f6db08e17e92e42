// Runs in the page before the app: the same API object the preload exposes,
// forwarding each call to the bridge instead of ipcRenderer.
import { createCuttingsApi } from '../../electron/ipc/api';
import type { Invoke } from '../../electron/ipc/contract';
import {
  EXPORT_PROGRESS_CHANNEL,
  IMPORT_PROGRESS_CHANNEL,
  isExportProgressEvent,
  isImportProgressEvent,
  isMenuCommand,
  type ExportProgressEvent,
  type ImportProgressEvent,
  type MenuCommand,
  type OnExportProgress,
  type OnImportProgress,
  type OnMenuCommand,
} from '../../electron/ipc/events';

const invoke = (async (channel: string, payload: unknown) => {
  const response = await fetch('/__cuttings/ipc', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel, payload }),
  });
  return response.json();
}) as Invoke;

// Menu commands come from Electron's menu. Chromium has none, so a test plays
// the menu through window.__menu(command), as main's webContents.send would.
const listeners = new Set<(command: MenuCommand) => void>();
const onMenuCommand: OnMenuCommand = (listener) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
Object.defineProperty(window, '__menu', {
  value: (command: unknown) => {
    if (isMenuCommand(command)) for (const l of listeners) l(command);
  },
});

// Progress events arrive on the bridge's event stream, as webContents.send delivers them in the app.
const progressListeners = new Set<(event: ImportProgressEvent) => void>();
const exportListeners = new Set<(event: ExportProgressEvent) => void>();
if (location.protocol === 'http:') {
  const stream = new EventSource('/__cuttings/events');
  stream.onmessage = (message) => {
    const { channel, payload } = JSON.parse(String(message.data)) as { channel: string; payload: unknown };
    if (channel === IMPORT_PROGRESS_CHANNEL && isImportProgressEvent(payload)) for (const l of progressListeners) l(payload);
    if (channel === EXPORT_PROGRESS_CHANNEL && isExportProgressEvent(payload)) for (const l of exportListeners) l(payload);
  };
}
const onExportProgress: OnExportProgress = (listener) => {
  exportListeners.add(listener);
  return () => exportListeners.delete(listener);
};
const onImportProgress: OnImportProgress = (listener) => {
  progressListeners.add(listener);
  return () => progressListeners.delete(listener);
};

Object.defineProperty(window, 'cuttings', { value: Object.freeze({ ...createCuttingsApi(invoke), onMenuCommand, onImportProgress, onExportProgress }), enumerable: true });

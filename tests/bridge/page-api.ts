// Runs in the page before the app: the same API object the preload exposes,
// forwarding each call to the bridge instead of ipcRenderer.
import { createCuttingsApi } from '../../electron/ipc/api';
import type { Invoke } from '../../electron/ipc/contract';
import { isMenuCommand, type MenuCommand, type OnMenuCommand } from '../../electron/ipc/events';

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

Object.defineProperty(window, 'cuttings', { value: Object.freeze({ ...createCuttingsApi(invoke), onMenuCommand }), enumerable: true });

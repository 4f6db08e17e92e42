// Runs in the page before the app: the same API object the preload exposes,
// forwarding each call to the bridge instead of ipcRenderer.
import { createCuttingsApi } from '../../electron/ipc/api';
import type { Invoke } from '../../electron/ipc/contract';
import type { OnMenuCommand } from '../../electron/ipc/events';

const invoke = (async (channel: string, payload: unknown) => {
  const response = await fetch('/__cuttings/ipc', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel, payload }),
  });
  return response.json();
}) as Invoke;

// Menu commands come from Electron's menu; a page in Chromium has none, so nothing is ever sent.
const onMenuCommand: OnMenuCommand = () => () => undefined;

Object.defineProperty(window, 'cuttings', { value: Object.freeze({ ...createCuttingsApi(invoke), onMenuCommand }), enumerable: true });

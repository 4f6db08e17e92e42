// Runs in the page before the app: the same API object the preload exposes,
// forwarding each call to the bridge instead of ipcRenderer.
import { createCuttingsApi } from '../../electron/ipc/api';
import type { Invoke } from '../../electron/ipc/contract';

const invoke = (async (channel: string, payload: unknown) => {
  const response = await fetch('/__cuttings/ipc', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel, payload }),
  });
  return response.json();
}) as Invoke;

Object.defineProperty(window, 'cuttings', { value: Object.freeze(createCuttingsApi(invoke)), enumerable: true });

/**
 * The one bridge between the page and main. It runs sandboxed, so it is
 * bundled into a single file that requires nothing but 'electron'. The page
 * gets `window.cuttings`: the named methods of api.ts (each bound to one
 * channel of the contract) and one menu-command subscription. Neither
 * ipcRenderer nor any way to name a channel reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createCuttingsApi } from './ipc/api';
import type { Invoke } from './ipc/contract';
import {
  EXPORT_PROGRESS_CHANNEL,
  IMPORT_PROGRESS_CHANNEL,
  MENU_COMMAND_CHANNEL,
  isExportProgressEvent,
  isImportProgressEvent,
  isMenuCommand,
  type OnExportProgress,
  type OnImportProgress,
  type OnMenuCommand,
} from './ipc/events';

const invoke = ((channel, payload) => ipcRenderer.invoke(channel, payload)) as Invoke;

const onMenuCommand: OnMenuCommand = (listener) => {
  if (typeof listener !== 'function') throw new TypeError('onMenuCommand needs a function');
  // The event object (with its sender) stays here; the page gets only a known command name.
  const forward = (_event: IpcRendererEvent, command: unknown) => {
    if (isMenuCommand(command)) listener(command);
  };
  ipcRenderer.on(MENU_COMMAND_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(MENU_COMMAND_CHANNEL, forward);
  };
};

const onImportProgress: OnImportProgress = (listener) => {
  if (typeof listener !== 'function') throw new TypeError('onImportProgress needs a function');
  const forward = (_event: IpcRendererEvent, progress: unknown) => {
    if (isImportProgressEvent(progress)) listener(progress);
  };
  ipcRenderer.on(IMPORT_PROGRESS_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(IMPORT_PROGRESS_CHANNEL, forward);
  };
};

const onExportProgress: OnExportProgress = (listener) => {
  if (typeof listener !== 'function') throw new TypeError('onExportProgress needs a function');
  const forward = (_event: IpcRendererEvent, progress: unknown) => {
    if (isExportProgressEvent(progress)) listener(progress);
  };
  ipcRenderer.on(EXPORT_PROGRESS_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(EXPORT_PROGRESS_CHANNEL, forward);
  };
};

contextBridge.exposeInMainWorld('cuttings', { ...createCuttingsApi(invoke), onMenuCommand, onImportProgress, onExportProgress });

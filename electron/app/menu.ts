import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../ipc/events';

export type MenuOptions = {
  /** Hands a command to the renderer (ipc/events.ts). */
  send: (command: MenuCommand) => void;
  /** Reload and developer tools only when running from a checkout. */
  isDev: boolean;
  iconPath?: string;
};

export function installMenu(options: MenuOptions): void {
  app.setAboutPanelOptions({
    applicationName: 'Cuttings',
    applicationVersion: app.getVersion(),
    copyright: 'Read news offline, clip the quotes that matter, tag them, export clip books.',
    ...(options.iconPath ? { iconPath: options.iconPath } : {}),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(options, process.platform === 'darwin')));
}

export function menuTemplate({ send, isDev }: MenuOptions, mac: boolean): MenuItemConstructorOptions[] {
  const about: MenuItemConstructorOptions = { label: 'About Cuttings', click: () => app.showAboutPanel() };
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: '&Import…', accelerator: 'CmdOrCtrl+O', click: () => send('import') },
      { label: 'Import from &URL…', accelerator: 'CmdOrCtrl+L', click: () => send('import-url') },
      { label: '&Feeds…', click: () => send('feeds') },
      { type: 'separator' },
      // The renderer's own keys do the same in the window (and in the Chromium tests, which have no menu).
      { label: '&Export article as Markdown', accelerator: 'CmdOrCtrl+E', click: () => send('export') },
      { label: 'Export article &as…', click: () => send('export-as') },
      { label: 'Export &library…', accelerator: 'CmdOrCtrl+Shift+E', click: () => send('export-library') },
      { label: 'Export &templates…', click: () => send('templates') },
      { label: 'Reset export templates to default…', click: () => send('reset-templates') },
      { type: 'separator' },
      { label: '&Back up library…', click: () => send('backup') },
      { label: '&Restore from backup…', click: () => send('restore') },
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(isDev
        ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { label: '&Press reviews', click: () => send('press-reviews') },
      { type: 'separator' },
      { label: 'Toggle &theme', accelerator: 'CmdOrCtrl+Shift+L', click: () => send('toggle-theme') },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  return [
    ...(mac
      ? [
          {
            label: app.name,
            submenu: [about, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    file,
    { role: 'editMenu' },
    view,
    ...(mac ? [{ role: 'windowMenu' } as const] : []),
    { role: 'help', label: '&Help', submenu: mac ? [] : [about] },
  ];
}

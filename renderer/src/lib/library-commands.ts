/**
 * The File menu's library-wide commands that need no view of their own:
 * backup, restore, the export templates. Main asks the questions (where,
 * and whether to replace); the renderer tells what happened.
 */
import type { MenuCommand } from '../../../electron/ipc/events';
import { api, call } from '../api';
import { plural } from './format';

export type LibraryCommand = Extract<MenuCommand, 'backup' | 'restore' | 'templates' | 'reset-templates'>;
type Notify = (toast: { kind: 'status'; message: string; detail?: string[] }, ms?: number) => void;
type Fail = (action: string, error: unknown) => void;

export function isLibraryCommand(command: MenuCommand): command is LibraryCommand {
  return command === 'backup' || command === 'restore' || command === 'templates' || command === 'reset-templates';
}

export async function runLibraryCommand(command: LibraryCommand, notify: Notify, fail: Fail): Promise<void> {
  try {
    if (command === 'backup') {
      const saved = await call(api().library.backup());
      if (!saved.canceled) notify({ kind: 'status', message: `Library backed up to ${saved.path} (${(saved.bytes / 1048576).toFixed(1)} MB).` });
    } else if (command === 'restore') {
      const restored = await call(api().library.restore());
      if (restored.canceled) return;
      notify({
        kind: 'status',
        message: `Restored ${plural(restored.articleCount, 'article')} and ${plural(restored.clippingCount, 'clipping')} from ${restored.from}.`,
        ...(restored.previousMovedTo ? { detail: [`The library it replaced is kept at ${restored.previousMovedTo}.`] } : {}),
      });
      // The window shows the restored library from scratch: nothing it held is true any more.
      window.setTimeout(() => window.location.reload(), 1500);
    } else if (command === 'templates') {
      const folder = await call(api().templates.open());
      notify({
        kind: 'status',
        message: `Export templates: ${folder.path}`,
        detail: [folder.written.length > 0 ? `The default templates were written there (${folder.written.join(', ')}). Edit them and export again.` : 'Edit them and export again.'],
      });
    } else {
      const reset = await call(api().templates.reset());
      if (!reset.canceled) notify({ kind: 'status', message: `Export templates reset to the defaults in ${reset.path}.` });
    }
  } catch (e) {
    const what = { backup: 'back up the library', restore: 'restore the backup', templates: 'open the templates folder', 'reset-templates': 'reset the templates' }[command];
    fail(`Could not ${what}`, e);
  }
}

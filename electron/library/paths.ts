import { homedir } from 'node:os';
import { join } from 'node:path';

/** The name Electron's app.getName() gives us (package.json productName). */
export const APP_NAME = 'Cuttings';

/**
 * The folder Electron's `app.getPath('userData')` returns, computed without
 * Electron, so that the CLI finds the app's own settings and library.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.CUTTINGS_USER_DATA) return env.CUTTINGS_USER_DATA;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_NAME);
}

export function defaultLibraryDir(userData: string): string {
  return join(userData, 'Library');
}

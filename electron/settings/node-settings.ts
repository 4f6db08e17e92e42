import Conf from 'conf';
import { ConfSettings, type SettingsStore } from './settings';

/**
 * Settings in plain Node, reading and writing the very file electron-store
 * uses in the app (`config.json` in the user-data folder).
 */
export function openNodeSettings(userDataDir: string): SettingsStore {
  return new ConfSettings(new Conf({ cwd: userDataDir, configName: 'config', projectName: 'cuttings' }));
}

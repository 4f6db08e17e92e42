/**
 * What a launch asked for on the command line or in the environment.
 * `--library DIR` (or `--library=DIR`, or CUTTINGS_LIBRARY) opens that folder
 * instead of the one in the settings: tests, `npm start -- --library DIR`.
 */
import { resolve } from 'node:path';

export type LaunchOptions = { libraryDir: string | null; userDataDir: string | null };

export function parseLaunchOptions(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): LaunchOptions {
  let library: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--library' && i + 1 < argv.length) library = argv[++i] ?? null;
    else if (arg.startsWith('--library=')) library = arg.slice('--library='.length);
  }
  library ||= env.CUTTINGS_LIBRARY || null;
  return {
    libraryDir: library ? resolve(cwd, library) : null,
    // The same variable the CLI reads (electron/library/paths.ts): one user-data folder for both.
    userDataDir: env.CUTTINGS_USER_DATA ? resolve(cwd, env.CUTTINGS_USER_DATA) : null,
  };
}

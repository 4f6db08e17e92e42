#!/usr/bin/env node
// Opens the app from the checkout: `npm start [-- --library DIR]`.
//
// The Electron binary is not fetched at install time (scripts/setup.sh sets
// ELECTRON_SKIP_BINARY_DOWNLOAD: its download host may be out of reach when
// npm's registry is not). Here we try once to fetch it, briefly, and if that
// fails say so in one line instead of a stack trace.
//
// `require('electron')` is not used to find the binary: in Electron 45 it
// starts the download itself, with no time limit and a long stack on failure.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const DOWNLOAD_TIMEOUT_MS = 60_000;

/** Where install.js puts the executable (its path.txt, or the name it would write there). */
function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
  }
  let name;
  try {
    name = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
  } catch {
    name = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform] ?? 'electron';
  }
  return join(electronDir, 'dist', name);
}

/** Runs Electron's own installer once; returns null on success or why it failed. */
function tryDownload() {
  const installer = join(electronDir, 'install.js');
  if (!existsSync(installer)) return 'the electron package is not installed; run npm ci';
  const run = spawnSync(process.execPath, [installer], {
    cwd: electronDir,
    encoding: 'utf8',
    timeout: DOWNLOAD_TIMEOUT_MS,
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' },
  });
  if (run.error?.code === 'ETIMEDOUT') return `the download did not finish within ${DOWNLOAD_TIMEOUT_MS / 1000} s`;
  if (run.error) return run.error.message;
  if (run.status !== 0) {
    const first = `${run.stderr}\n${run.stdout}`.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('at '));
    return `download from ${downloadHost()} failed: ${(first ?? `exit code ${run.status}`).slice(0, 160)}`;
  }
  return existsSync(electronBinary()) ? null : 'the installer finished but left no executable';
}

/** Where @electron/get fetches from: a configured mirror, or GitHub's releases. */
function downloadHost() {
  const mirror = process.env.ELECTRON_MIRROR || process.env.npm_config_electron_mirror;
  try {
    return mirror ? new URL(mirror).host : 'github.com';
  } catch {
    return mirror;
  }
}

let binary = electronBinary();
if (!existsSync(binary)) {
  const reason = tryDownload();
  binary = electronBinary();
  if (reason || !existsSync(binary)) {
    console.error(
      `Cuttings: the Electron binary is not installed and could not be downloaded here (${reason ?? 'no executable'}); ` +
        'the app cannot open a window on this machine. Everything else (tests, CLI: npm run cuttings) works without it.',
    );
    process.exit(1);
  }
}

// ELECTRON_RUN_AS_NODE would turn the app into a plain Node process.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
// npm runs scripts from the project root; start Electron where the person
// typed the command so that a relative `--library DIR` means what they meant.
const cwd = process.env.INIT_CWD && existsSync(process.env.INIT_CWD) ? process.env.INIT_CWD : process.cwd();
const child = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit', env, cwd });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (e) => {
  console.error(`Cuttings: could not start Electron (${e.message})`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

#!/usr/bin/env node
// Bundles the main process and the preload into dist/electron/ as CommonJS.
//
// main.cjs: dependencies are bundled in. Several are ESM-only
// (electron-store, conf, lowdb): esbuild converts them, but `import.meta.url`
// has no CommonJS meaning, so it is defined as the bundle's own file URL.
// The exception is a package that reads its own files at run time (jsdom
// loads a stylesheet and a worker next to its sources): it stays a plain
// require, found in node_modules in the checkout and in the packaged app
// (electron-builder copies the production dependencies into app.asar).
//
// preload.cjs: the preload runs sandboxed, where `require` knows only
// 'electron' and a few Node polyfills. It must be one self-contained file;
// the build fails if anything else is required from it.
//
//   node scripts/build-electron.mjs           build once
//   node scripts/build-electron.mjs --watch   rebuild on change
import { build, context } from 'esbuild';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'electron');
const watch = process.argv.includes('--watch');

/**
 * The export templates (electron/library/export/templates/*.liquid) go into
 * main.cjs as text: templates.ts reads them from beside itself when run from
 * the sources (tsx, vitest) and takes this define in the bundle, so the app
 * carries no loose template files it could lose. (In --watch, a changed
 * template needs a restart of the watcher.)
 */
const TEMPLATES_DIR = join(root, 'electron', 'library', 'export', 'templates');
const templates = Object.fromEntries(
  await Promise.all(
    (await readdir(TEMPLATES_DIR))
      .filter((name) => name.endsWith('.liquid'))
      .sort()
      .map(async (name) => [name, await readFile(join(TEMPLATES_DIR, name), 'utf8')]),
  ),
);

/** Packages that cannot be bundled because they read files beside their own sources. */
const UNBUNDLABLE = ['jsdom'];

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
  // A dependency may ship only an ESM build; prefer Node's conditions when it has both.
  conditions: ['node', 'import', 'default'],
};

/** @type {import('esbuild').BuildOptions} */
const main = {
  ...common,
  // html-worker parses saved pages off the main thread (electron/library/import/html-pool.ts loads it from beside main.cjs).
  entryPoints: { main: 'electron/main.ts', 'html-worker': 'electron/library/import/html-worker.ts' },
  outdir,
  outExtension: { '.js': '.cjs' },
  platform: 'node',
  target: 'node22',
  external: ['electron', ...UNBUNDLABLE],
  define: { 'import.meta.url': '__cuttingsImportMetaUrl', __CUTTINGS_EXPORT_TEMPLATES__: JSON.stringify(templates) },
  banner: { js: "const __cuttingsImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/** @type {import('esbuild').BuildOptions} */
const preload = {
  ...common,
  entryPoints: { preload: 'electron/preload.ts' },
  outdir,
  outExtension: { '.js': '.cjs' },
  // It runs in the page's renderer process, not in Node.
  platform: 'browser',
  target: 'chrome130',
};

/** The sandboxed preload may require 'electron' and nothing else. */
async function checkPreload() {
  const file = join(outdir, 'preload.cjs');
  const code = await readFile(file, 'utf8');
  const required = [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
  const stray = required.filter((name) => name !== 'electron');
  if (stray.length) throw new Error(`${relative(root, file)} requires ${[...new Set(stray)].join(', ')}; a sandboxed preload may require only 'electron'`);
}

if (watch) {
  const contexts = await Promise.all([context(main), context({ ...preload, plugins: [{ name: 'check', setup: (b) => b.onEnd(() => checkPreload().catch((e) => console.error(e.message))) }] })]);
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('build-electron: watching electron/ for changes');
} else {
  await Promise.all([build(main), build(preload)]);
  await checkPreload();
}

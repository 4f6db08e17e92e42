// html-worker.ts run from the TypeScript sources (tests, the CLI, scripts,
// all under tsx): bundled here with esbuild, as scripts/build-electron.mjs
// bundles it for the app (jsdom left outside, required from where it is
// installed), and the bundle run. Not run through tsx's loader: every module
// would go through its hooks, and parse5 (ESM, required by jsdom) would be
// converted to CommonJS with a getter per export, read in the tokenizer's
// inner loop; the worker took twice the start-up and ~15% more CPU per page.
// html-pool.ts starts this worker without the tsx flags it would inherit.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
const entry = fileURLToPath(new URL('./html-worker.ts', import.meta.url));
const jsdom = require.resolve('jsdom');
let code;
try {
  const { outputFiles } = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    conditions: ['node', 'import', 'default'],
    logLevel: 'error',
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(entry).href) },
    plugins: [{ name: 'jsdom-installed', setup: (b) => b.onResolve({ filter: /^jsdom$/ }, () => ({ path: jsdom, external: true })) }],
  });
  code = outputFiles[0].text;
} finally {
  await esbuild.stop();
}
const dir = mkdtempSync(join(tmpdir(), 'cuttings-html-worker-'));
try {
  const file = join(dir, 'html-worker.cjs');
  writeFileSync(file, code);
  require(file);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The Chromium walkthrough (walkthrough.chromium.spec.ts) against the real
 * app: the built main process, preload and renderer in Electron, with the
 * library in a temp folder (--library) and its own user-data folder. The
 * save dialog is answered by replacing it in the main process, as a person
 * would pick a file. Where no Electron binary is installed it skips, saying so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { Library } from '../../electron/library';
import { selectInReader } from './select';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SENTENCE = 'It is time for serious dialogue';

/**
 * The executable `npx install-electron` puts in node_modules/electron/dist.
 * Found by hand: `require('electron')` would start a download when it is missing.
 */
function electronBinary(): string | null {
  const dir = join(ROOT, 'node_modules', 'electron');
  let name = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform as string] ?? 'electron';
  try {
    name = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
  } catch {
    // No path.txt: the binary was never downloaded; the check below says so.
  }
  const file = join(dir, 'dist', name);
  return existsSync(file) ? file : null;
}

const binary = electronBinary();
const MISSING = 'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD); run npx install-electron to enable';
test.skip(!binary, MISSING);

type Running = { app: ElectronApplication; page: Page };

async function launch(workDir: string): Promise<Running> {
  // ELECTRON_RUN_AS_NODE (set by some tools) would start a Node shell instead of the app.
  const { ELECTRON_RUN_AS_NODE: _asNode, ...env } = process.env;
  const app = await electron.launch({
    executablePath: binary!,
    // Chromium refuses to run as root with its OS sandbox (CI containers); the renderer stays sandboxed by Electron.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ROOT, '--library', join(workDir, 'library')],
    env: { ...env, CUTTINGS_USER_DATA: join(workDir, 'user-data') } as Record<string, string>,
    cwd: ROOT,
  });
  const page = await app.firstWindow();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  app.on('close', () => errors.length && console.warn(`page errors:\n${errors.join('\n')}`));
  return { app, page };
}

// The list reporter prints a skipped test's title but not its reason: the
// reason goes in the title of the group, so the skip reads as one line that says why.
test.describe(binary ? 'Electron app' : `skipped: ${MISSING}`, () => {
  test('clip a quote, relaunch the app, and export it as Markdown', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'cuttings-electron-'));
    let running: Running | undefined;
    try {
      running = await launch(workDir);
      let { page } = running;
      expect(page.url()).toBe('cuttings://app/index.html');
      // The page has the preload's API and nothing of Node or Electron.
      expect(await page.evaluate(() => [typeof (window as { cuttings?: unknown }).cuttings, typeof (globalThis as { require?: unknown }).require])).toEqual([
        'object',
        'undefined',
      ]);

      await expect(page.getByTestId('article-item')).toHaveCount(1);
      const reader = page.getByTestId('reader');
      await expect(reader).toContainText(SENTENCE);

      await selectInReader(page, SENTENCE);
      await page.locator('[aria-label="Highlight quote"]').click();
      await expect(reader.locator('mark[data-clipping-id]')).toHaveText(SENTENCE);
      await page.locator('textarea[aria-label="Note"]').fill('key line');
      const tagInput = page.locator('input[aria-label="Add a tag"]');
      await tagInput.fill('quote');
      await tagInput.press('Enter');
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByTestId('clipping-card').getByTestId('clipping-note')).toHaveText('key line');

      // Relaunch: a new process opens the same library folder from disk.
      await running.app.close();
      running = await launch(workDir);
      page = running.page;
      const mark = page.getByTestId('reader').locator('mark[data-clipping-id]');
      await expect(mark).toHaveCount(1);
      await expect(mark).toHaveText(SENTENCE);
      await expect(page.getByTestId('clipping-card').getByTestId('clipping-tag')).toHaveText(['quote']);

      // Export: the native save dialog answers with our path.
      const out = join(workDir, 'clippings.md');
      await running.app.evaluate(({ dialog }, path) => {
        dialog.showSaveDialog = (async () => ({ canceled: false, filePath: path })) as typeof dialog.showSaveDialog;
      }, out);
      await page.getByRole('button', { name: 'Export clippings as Markdown' }).click();
      await expect(page.getByRole('status')).toContainText(out);
      const md = await readFile(out, 'utf8');
      expect(md).toContain(`> ${SENTENCE}`);
      expect(md).toContain('key line');
      expect(md).toContain('`quote`');

      await running.app.close();
      running = undefined;
      // What the app showed is what the library holds on disk.
      const library = await Library.open(join(workDir, 'library'), { mustExist: true });
      const [stored] = (await library.getArticle((await library.listArticles())[0]!.id)).clippings;
      expect(stored).toMatchObject({ note: 'key line', tags: ['quote'], label: 'quote', target: { quote: { exact: SENTENCE } } });
    } finally {
      await running?.app.close();
      await rm(workDir, { recursive: true, force: true });
    }
  });
});

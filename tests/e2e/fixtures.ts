import { test as base, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pageApiScript, startBridge, type Bridge, type DialogAnswers } from '../bridge/server';
import { MemorySettings } from '../../electron/settings/settings';

type Fixtures = {
  /** What the save and open dialogs answer; kept across restart(). */
  dialogAnswers: DialogAnswers;
  /** A fresh temp folder per test; the library lives in `${workDir}/library`. */
  workDir: string;
  bridge: Bridge;
  /** The app open on a new library seeded with seeds/, as on first run. */
  app: Page;
  /** Stops the bridge, opens the same library folder in a new one, and reloads the page there. */
  restart: () => Promise<Page>;
};

export const test = base.extend<Fixtures>({
  workDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'cuttings-e2e-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
  dialogAnswers: async ({}, use) => {
    await use({ savePath: null, openPaths: null });
  },
  bridge: async ({ workDir, dialogAnswers }, use) => {
    const bridge = await startBridge({ libraryDir: join(workDir, 'library'), settings: new MemorySettings(), dialogAnswers });
    await use(bridge);
    await bridge.close();
  },
  app: async ({ page, bridge }, use) => {
    await page.addInitScript({ content: await pageApiScript() });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(bridge.url);
    await use(page);
    if (errors.length) console.warn(`page errors:\n${errors.join('\n')}`);
  },
  restart: async ({ app, bridge, workDir, dialogAnswers }, use) => {
    let current = bridge;
    await use(async () => {
      const settings = current.settings;
      await current.close();
      // A new process would open the same folder from disk: so does a new bridge.
      current = await startBridge({ libraryDir: join(workDir, 'library'), settings, dialogAnswers });
      await app.goto(current.url);
      return app;
    });
    if (current !== bridge) await current.close();
  },
});

export { expect } from '@playwright/test';

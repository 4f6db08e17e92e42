#!/usr/bin/env node
// Renders assets/icon.svg to assets/icon.png (512×512, transparent corners)
// with Debian's Chromium through Playwright: `node assets/render-icon.mjs`.
// electron-builder derives the .ico and .icns from the PNG.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @playwright/test is the declared dependency; it re-exports playwright-core's launcher.
import { chromium } from '@playwright/test';

const here = dirname(fileURLToPath(import.meta.url));
const size = Number(process.argv[2] ?? 512);
const out = process.argv[3] ?? join(here, 'icon.png');
const svg = await readFile(join(here, 'icon.svg'), 'utf8');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
  );
  await page.screenshot({ path: out, omitBackground: true });
  console.log(`render-icon: wrote ${out} (${size}×${size})`);
} finally {
  await browser.close();
}

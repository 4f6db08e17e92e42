import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests. Browsers cannot be downloaded here, so Chromium is
 * Debian's (/usr/bin/chromium, or CHROMIUM_PATH); the Electron project runs
 * wherever an Electron binary is installed and skips with a reason elsewhere.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    headless: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'chromium', testMatch: /.*\.chromium\.spec\.ts$/ },
    { name: 'electron', testMatch: /.*\.electron\.spec\.ts$/ },
  ],
});

// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

/** Node's own modules, bare and with the node: prefix. */
const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // The layers (DESIGN.md): the domain runs in plain Node, so it may import
  // neither Electron nor React, nor reach up into the IPC or app shell.
  {
    files: ['electron/library/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'electron/library/ is plain Node: no electron import (DESIGN.md).' },
            { name: 'react', message: 'electron/library/ is the domain: no React.' },
            { name: 'react-dom', message: 'electron/library/ is the domain: no React.' },
            { name: 'electron-store', message: 'electron-store runs only inside Electron; settings live in electron/settings.' },
          ],
          patterns: [{ group: ['**/ipc/**', '**/renderer/**', '../main', '../preload'], message: 'The domain does not depend on the IPC layer or the UI.' }],
        },
      ],
    },
  },
  // The renderer talks to main only through window.cuttings: no Node, no
  // Electron, and from the main-process code only types.
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeModules.map((name) => ({ name, message: 'The renderer runs sandboxed: no Node modules; ask main over window.cuttings.' })),
            { name: 'electron', message: 'The renderer never imports electron; use window.cuttings.' },
          ],
          patterns: [
            { group: ['**/electron/**'], allowTypeImports: true, message: 'The renderer may import only types from the main-process code.' },
            { group: ['node:*'], message: 'The renderer runs sandboxed: no Node modules.' },
          ],
        },
      ],
    },
  },
  // Playwright fixtures that depend on nothing are written `async ({}, use) => …`.
  { files: ['tests/e2e/**'], rules: { 'no-empty-pattern': 'off' } },
);

import { createRequire } from 'node:module';
import type * as Jsdom from 'jsdom';

let loaded: typeof Jsdom | undefined;

/**
 * jsdom, loaded when a page or a note is first sanitised. It takes about a
 * second to load, which every CLI command and every start of the app (and
 * each child of the crash test) paid, though most never sanitise anything.
 * A plain require: jsdom is CommonJS, and stays outside the app's bundle
 * (scripts/build-electron.mjs), so this is what the bundle would do anyway.
 */
export function jsdom(): typeof Jsdom {
  return (loaded ??= createRequire(import.meta.url)('jsdom') as typeof Jsdom);
}

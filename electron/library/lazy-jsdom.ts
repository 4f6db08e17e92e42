import { createRequire } from 'node:module';
import createDOMPurify from 'dompurify';
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

type DOMPurify = ReturnType<typeof createDOMPurify>;

/**
 * DOMPurify in a jsdom window where nothing runs or loads (no scripts,
 * default resource loader), reused for `usesPerWindow` sanitisations and
 * then replaced. DOMPurify parses each input into a new Document of the
 * window, and jsdom's selector engine adds listeners to the window for every
 * Document, never removed, scanning those already there on each addition: a
 * window kept for the life of the app would collect them without end. What a
 * sanitised result is made into must be taken before the next call, so that
 * the window it lives in can be closed then.
 */
export function purifierPool(usesPerWindow: number): () => DOMPurify {
  let current: { window: { close(): void }; dompurify: DOMPurify; uses: number } | undefined;
  return () => {
    if (!current || current.uses >= usesPerWindow) {
      current?.window.close();
      const { JSDOM, VirtualConsole } = jsdom();
      const { window } = new JSDOM('', { virtualConsole: new VirtualConsole() });
      current = { window, dompurify: createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]), uses: 0 };
    }
    current.uses++;
    return current.dompurify;
  };
}

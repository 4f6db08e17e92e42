/**
 * The PDF clip book, as a reader gets it: printed by headless Chromium
 * (electron/export/chromium-pdf.ts, the CLI's printer), then opened with
 * pdf.js (pdfjs-dist's legacy build, in Chromium driven by Playwright):
 * every page rendered to a PNG that must not be blank, and the pages' text
 * must hold every quote.
 *
 * Chromium is Debian's (/usr/bin/chromium, or CHROMIUM_PATH); a machine
 * without it skips these tests, saying so.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import { main } from '../../electron/cli';
import { chromiumPdf } from '../../electron/export/chromium-pdf';
import { quoteParagraphs } from '../../electron/library/export/escape';
import { runExport } from '../../electron/library/export';
import { FIXED_NOW, HOSTILE_PARAGRAPHS, SAMPLE_QUOTES, exportLibrary } from './helpers/export-fixtures';
import { ROOT, tempDir } from './helpers/temp';

const PDFJS = join(ROOT, 'node_modules', 'pdfjs-dist', 'legacy', 'build');
/** Where the rendered pages are kept to look at (test-results/ is not in git). */
const PAGES_DIR = join(ROOT, 'test-results', 'export-pdf');
const ORIGIN = 'http://pdfjs.test';
const haveChromium = existsSync(CHROMIUM_PATH);
if (!haveChromium) console.warn(`export-pdf: skipped, no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`);

type Page = { text: string; png: string; inked: number; width: number; height: number };

/** In the page: pdf.js opens the PDF; each page is rendered on a white canvas and its text read. */
const READER = `
import * as pdfjs from '${ORIGIN}/pdf.mjs';
pdfjs.GlobalWorkerOptions.workerSrc = '${ORIGIN}/pdf.worker.mjs';
window.readPdf = async (base64) => {
  const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const doc = await pdfjs.getDocument({ data }).promise;
  const pages = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const viewport = page.getViewport({ scale: 1.25 });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(viewport.width);
    canvas.height = Math.ceil(viewport.height);
    const context = canvas.getContext('2d');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvasContext: context, viewport, canvas }).promise;
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 200 || pixels[i + 1] < 200 || pixels[i + 2] < 200) inked++;
    const { items } = await page.getTextContent();
    pages.push({
      text: items.map((it) => (it.str ?? '') + (it.hasEOL ? '\\n' : '')).join(''),
      png: canvas.toDataURL('image/png'),
      inked: inked / (pixels.length / 4),
      width: canvas.width,
      height: canvas.height,
    });
  }
  return pages;
};
`;

let browser: Browser;

beforeAll(async () => {
  if (haveChromium) browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** The PDF's pages through pdf.js: each page's text, its PNG (data URL) and the share of its pixels that are not white. */
async function readPdf(pdf: Uint8Array): Promise<Page[]> {
  const page = await browser.newPage();
  try {
    // pdf.js and its worker come from node_modules, served on a made-up origin: nothing goes to the network.
    await page.route(`${ORIGIN}/**`, async (route) => {
      const name = new URL(route.request().url()).pathname.slice(1);
      if (name === '') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>pdf</title>' });
      if (!/^pdf(\.worker)?\.mjs$/.test(name)) return route.fulfill({ status: 404, body: '' });
      return route.fulfill({ contentType: 'text/javascript', body: await readFile(join(PDFJS, name)) });
    });
    await page.goto(`${ORIGIN}/`);
    // Plain JavaScript in a module script (not a function passed to evaluate, which the test runner would rewrite).
    await page.addScriptTag({ type: 'module', content: READER });
    await page.waitForFunction(() => 'readPdf' in window);
    return await page.evaluate((base64) => (window as unknown as { readPdf(b: string): Promise<Page[]> }).readPdf(base64), Buffer.from(pdf).toString('base64'));
  } finally {
    await page.close();
  }
}

/** Text as compared: white space (line ends of the layout included) collapsed. */
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

describe.skipIf(!haveChromium)('PDF clip book', () => {
  it('prints every quote, with its citation, on pages that render', async () => {
    const { library } = await exportLibrary();
    const { files, clippingCount } = await runExport(library, {}, { format: 'pdf', grouping: 'source', title: 'Press review' }, { now: FIXED_NOW, printPdf: (html) => chromiumPdf(html) });
    expect(files[0]?.name).toBe('Press review.pdf');
    const pdf = files[0]?.data as Uint8Array;
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');

    const pages = await readPdf(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(2); // the contents page breaks before the sections
    await mkdir(PAGES_DIR, { recursive: true });
    for (const [i, p] of pages.entries()) {
      await writeFile(join(PAGES_DIR, `page-${i + 1}.png`), Buffer.from(p.png.replace(/^data:image\/png;base64,/, ''), 'base64'));
      // A4 (210 × 297 mm, 595 × 842 pt) at 1.25 × 72 dpi, portrait.
      expect(Math.abs(p.width - 595.3 * 1.25)).toBeLessThan(2);
      expect(Math.abs(p.height - 841.9 * 1.25)).toBeLessThan(2);
      expect(p.inked, `page ${i + 1} has ink`).toBeGreaterThan(0.002);
    }
    const all = flat(pages.map((p) => p.text).join('\n'));
    expect(all).toContain('Press review');
    expect(all).toContain(`${clippingCount} clippings from 3 articles`);
    for (const quote of [...SAMPLE_QUOTES, 'Residents said the water was clean again.', ...HOSTILE_PARAGRAPHS.map((p) => quoteParagraphs(p).join(' '))]) {
      expect(all, `the PDF holds “${quote}”`).toContain(flat(quote));
    }
    // The provenance under a quote.
    expect(all).toMatch(/SHA-256 [0-9a-f]{64}/);
    expect(all).toContain('Paragraph 6');
  }, 120_000);

  it('is written by `cuttings export --format pdf`', async () => {
    const fixture = await exportLibrary();
    await fixture.library.close();
    const out = join(await tempDir(), 'review.pdf');
    const lines: string[] = [];
    const code = await main(['export', fixture.sample, '--format', 'pdf', '--out', out, '--library', fixture.dir], { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect({ code, lines }).toEqual({ code: 0, lines: [`exported 1 article to ${out}`] });
    const pages = await readPdf(new Uint8Array(await readFile(out)));
    expect(flat(pages.map((p) => p.text).join('\n'))).toContain(SAMPLE_QUOTES[1]);
  }, 120_000);

  it('reports a browser that cannot be started, naming it', async () => {
    await expect(chromiumPdf('<p>x</p>', { executablePath: '/nonexistent/chromium' })).rejects.toThrow(/Could not start Chromium \(\/nonexistent\/chromium\)/);
  });
});

/**
 * How long the reader takes to show a long, heavily annotated article:
 * one article of ~50,000 words (paragraphs of real news and feature text
 * from the Readability test pages) with 1,000 clippings, some overlapping,
 * in a library on a temp folder behind the loopback bridge, opened in
 * Chromium on the built renderer.
 *
 * Measured inside the page, so no Playwright round trip is counted: from
 * the click on the article in the list (performance.now() just before
 * dispatching it) to the moment all 1,000 marks are in the DOM (a
 * MutationObserver counts them), and to the next frame after that (the
 * browser has laid out and painted). Median of the runs; the other article
 * is opened between runs, so each run renders the whole article again.
 *
 *   npm run -s build:renderer && npx tsx scripts/bench-render.ts
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { pageApiScript, startBridge } from '../tests/bridge/server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = join(ROOT, '..', 'shared', 'corpus', 'mozilla-readability', 'test', 'test-pages');
const WORDS = 50_000;
const CLIPPINGS = 1_000;
const RUNS = 5;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', mdash: '—', ndash: '–', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', hellip: '…' };

function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&([a-z]+);/gi, (m, name: string) => ENTITIES[name.toLowerCase()] ?? m)
    .replace(/\s+/g, ' ')
    .trim();
}

/** English paragraphs of 25 words or more from the Readability pages' expected output, in a fixed order. */
async function corpusParagraphs(): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(CORPUS)).sort()) {
    let html: string;
    try {
      html = await readFile(join(CORPUS, name, 'expected.html'), 'utf8');
    } catch {
      continue;
    }
    for (const m of html.matchAll(/<p\b[^>]*>([\s\S]*?)<\/p>/gi)) {
      const text = textOf(m[1] ?? '');
      const words = text.split(' ').length;
      // Mostly Latin letters: the reader's cost does not depend on the script, but the figure should be about news prose.
      if (words >= 25 && words <= 400 && /^[\x20-\x7e\u2018-\u201d\u2013\u2014\u2026]+$/.test(text)) out.push(text);
    }
  }
  return out;
}

/** ~WORDS words of paragraphs, and CLIPPINGS clippings on whole words, every fifth overlapping the one before. */
function makeArticle(paragraphs: readonly string[]) {
  const blocks: { kind: 'paragraph'; text: string }[] = [];
  let words = 0;
  for (let i = 0; words < WORDS; i++) {
    const text = paragraphs[i % paragraphs.length]!;
    blocks.push({ kind: 'paragraph', text });
    words += text.split(' ').length;
  }
  const starts: number[] = [];
  let offset = 0;
  for (const b of blocks) {
    starts.push(offset);
    offset += b.text.length + 2;
  }
  let seed = 11;
  const rnd = (k: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % k;
  const clippings: { start: number; end: number; note: string; tags: string[]; label: string }[] = [];
  const labels = ['quote', 'fact', 'claim', 'background', 'follow-up'];
  const taken = new Set<string>();
  while (clippings.length < CLIPPINGS) {
    const index = Math.floor((clippings.length / CLIPPINGS) * blocks.length + rnd(3)) % blocks.length;
    const text = blocks[index]!.text;
    const spaces = [...text.matchAll(/ /g)].map((m) => m.index);
    const bounds = [0, ...spaces.map((s) => s + 1)];
    const from = rnd(Math.max(1, bounds.length - 12));
    const length = 3 + rnd(10);
    let start = bounds[from]!;
    let end = (spaces[Math.min(spaces.length - 1, from + length)] ?? text.length) as number;
    const previous = clippings[clippings.length - 1];
    // Every fifth clipping overlaps the one before: it starts inside it and runs past its end.
    if (clippings.length % 5 === 4 && previous && previous.end - previous.start > 8) {
      start = previous.start + Math.floor((previous.end - previous.start) / 2);
      end = Math.min(previous.end + 30, starts[index]! + text.length);
      if (end <= start) continue;
    } else {
      start += starts[index]!;
      end += starts[index]!;
    }
    const key = `${start}:${end}`;
    if (end <= start || taken.has(key)) continue;
    taken.add(key);
    clippings.push({ start, end, note: clippings.length % 3 === 0 ? `Check **figure** ${clippings.length}` : '', tags: [], label: labels[clippings.length % labels.length]! });
  }
  return { blocks, clippings, words };
}

/**
 * Runs in the page: clicks the article and resolves with the milliseconds to
 * all its clippings in the DOM (counted by a MutationObserver) and to the
 * frame after. Kept as plain JavaScript in a string, because tsx's compiled
 * functions carry helpers (__name) that do not exist in the page.
 */
const MEASURE = `(id, expected) => new Promise((resolve, reject) => {
  const button = document.querySelector('[data-testid="article-item"][data-article-id="' + id + '"]');
  if (!button) return reject(new Error('no article item'));
  // When the article's detail is in the page, parsed (the window API's answer resolves): what the transport took.
  const articles = window.cuttings.articles;
  if (!articles.__timed) {
    const get = articles.get;
    articles.get = (...args) => get(...args).then((answer) => { window.__articleAt = performance.now(); return answer; });
    articles.__timed = true;
  }
  const marks = () => document.querySelectorAll('[data-testid="reader"] mark[data-clipping-id]');
  // Marks are nested where clippings overlap and split at paragraph ends: count distinct clippings.
  const distinct = () => new Set([...marks()].map((m) => m.getAttribute('data-clipping-id'))).size;
  let t0 = 0;
  const timeout = setTimeout(() => reject(new Error('only ' + distinct() + ' of ' + expected + ' clippings drawn after 30 s')), 30000);
  const observer = new MutationObserver(() => {
    if (marks().length < expected || distinct() < expected) return;
    const dom = performance.now() - t0;
    observer.disconnect();
    const data = window.__articleAt - t0;
    requestAnimationFrame(() => setTimeout(() => { clearTimeout(timeout); resolve({ dom, frame: performance.now() - t0, data }); }, 0));
  });
  observer.observe(document.body, { childList: true, subtree: true });
  t0 = performance.now();
  button.click();
})`;

/** Milliseconds from the click: to every clipping in the DOM, to the frame after, and to the article's detail answered by the window API. */
type Timing = { dom: number; frame: number; data: number };

/** The bench library in a temp folder, the app open on the sample article in Chromium; `close` removes it all. */
export async function openBench() {
  const work = await mkdtemp(join(tmpdir(), 'cuttings-bench-render-'));
  const bridge = await startBridge({ libraryDir: join(work, 'library') });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const close = async () => {
    await browser.close();
    await bridge.close();
    await rm(work, { recursive: true, force: true });
  };
  try {
    const { blocks, clippings, words } = makeArticle(await corpusParagraphs());
    const title = 'Long read: fifty thousand words with a thousand clippings';
    const outcome = await bridge.library.importDocument(
      { kind: 'plain-text', title, source: 'Bench', byline: null, published: '2025-01-01', dateline: null, language: 'en', blocks, clippings },
      { kind: 'plain-text', name: 'bench.txt', path: 'bench.txt' },
    );
    if (outcome.status !== 'imported') throw new Error(`the bench article was not imported: ${outcome.status}`);
    const detail = await bridge.library.getArticle(outcome.id);
    const overlapping = detail.clippings.filter((c, i, all) => i > 0 && c.target.position.start < all[i - 1]!.target.position.end).length;
    console.log(`article: ${words.toLocaleString('en')} words in ${blocks.length} paragraphs, ${detail.clippings.length} clippings (${overlapping} overlapping the one before)`);

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript({ content: await pageApiScript() });
    await page.goto(bridge.url);
    const otherId = (await bridge.library.listArticles()).find((a) => a.id !== outcome.id)!.id;
    const openOther = async () => {
      await page.locator(`[data-testid="article-item"][data-article-id="${otherId}"]`).click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="reader"] mark[data-clipping-id]').length < 100);
      await page.locator('[data-testid="reader"] p[data-block-index]').first().waitFor();
      await page.waitForTimeout(300);
    };
    // Start on the small sample article, so each run opens the long one from another.
    await openOther();
    /** Opens the long article as a click would and answers the in-page timings. */
    const measure = async () => (await page.evaluate(`(${MEASURE})(${JSON.stringify(outcome.id)}, ${detail.clippings.length})`)) as Timing;
    return { page, measure, openOther, expected: detail.clippings.length, close };
  } catch (e) {
    await close();
    throw e;
  }
}

export async function benchRender(): Promise<{ render_1000_highlights_ms: number }> {
  const bench = await openBench();
  try {
    const runs: Timing[] = [];
    for (let run = 0; run < RUNS; run++) {
      const timing = await bench.measure();
      runs.push(timing);
      console.log(
        `run ${run + 1}: all ${bench.expected} clippings in the DOM after ${timing.dom.toFixed(1)} ms (the article's detail was in the page after ${timing.data.toFixed(1)} ms); next frame after ${timing.frame.toFixed(1)} ms`,
      );
      await bench.openOther();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const dom = median(runs.map((r) => r.dom));
    const frame = median(runs.map((r) => r.frame));
    const data = median(runs.map((r) => r.data));
    const own = median(runs.map((r) => r.dom - r.data));
    console.log(
      `render: median ${dom.toFixed(1)} ms to all ${CLIPPINGS} highlights in the DOM (target < 150 ms), ${frame.toFixed(1)} ms to the next frame; ` +
        `of which ${data.toFixed(1)} ms until the window API answered with the article (~1 MB of JSON over the test bridge's HTTP, decoded and parsed) and ${own.toFixed(1)} ms rendering it (React render and commit)`,
    );
    return { render_1000_highlights_ms: Math.round(dom * 10) / 10 };
  } finally {
    await bench.close();
  }
}

// Run directly (npx tsx scripts/bench-render.ts): print the figures as one JSON line too.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await benchRender()));
}

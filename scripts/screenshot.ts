/**
 * Renders the README screenshot from the real UI: the built renderer over
 * the loopback bridge, on a fresh sample library with labelled clippings
 * (two of them overlapping), Markdown notes and tags.  npm run -s build:renderer && npx tsx scripts/screenshot.ts [out.png]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { pageApiScript, startBridge } from '../tests/bridge/server';

const out = process.argv[2] ?? 'docs/screenshot.png';
const work = await mkdtemp(join(tmpdir(), 'cuttings-shot-'));
const bridge = await startBridge({ libraryDir: join(work, 'library') });
const library = bridge.library;
const id = (await library.listArticles())[0]!.id;
const { text } = await library.getArticle(id);
const clip = async (quote: string, label: string, note: string, tags: string[]) => {
  const start = text.indexOf(quote);
  await library.createClipping({ articleId: id, start, end: start + quote.length, exact: quote, label, note, tags });
};
await clip('It is time for serious dialogue', 'quote', 'Speaker: Antonio Guterres\n\n**Key line**: he calls for talks under resolution 2254.', ['place/Syria']);
await clip('Tens of thousands of civilians are at risk in a region already on fire', 'quote', 'Speaker: Antonio Guterres', []);
await clip('civilians are at risk', 'claim', 'How many? Check the *OCHA* figures.', []);
await clip('a group sanctioned by the Security Council', 'background', '', []);
await clip('after 14 years of conflict', 'fact', '', []);
await clip('Geir Pedersen, UN special envoy for Syria', 'follow-up', 'Ask his office for the talks schedule.', []);
await library.setArticleTags(id, ['Syria', 'UN']);

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
await page.addInitScript({ content: await pageApiScript() });
await page.goto(bridge.url);
await page.locator('mark[data-clipping-id]').first().waitFor();
// Open the key quote, as a reader would: the reader scrolls to it and its card is active.
await page.getByTestId('clipping-card').filter({ hasText: 'It is time for serious dialogue' }).click();
const mark = page.locator('mark[data-clipping-id]', { hasText: 'It is time for serious dialogue' });
await mark.waitFor();
await page.waitForFunction(() => {
  const m = [...document.querySelectorAll('mark')].find((e) => e.textContent?.includes('It is time for serious dialogue'));
  const r = m?.getBoundingClientRect();
  return !!r && r.top > 80 && r.bottom < window.innerHeight - 80;
});
await page.waitForTimeout(600); // let the smooth scroll settle
await page.screenshot({ path: out });
await browser.close();
await bridge.close();
await rm(work, { recursive: true, force: true });
console.log(`screenshot: ${out}`);

import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { VECTORS, HOSTILE_NOTES, HOSTILE_TAGS } from '../golden/xss/vectors';

/**
 * Hostile content never runs and never reaches out. Every Mozilla
 * Readability test page (93 of the 98 carry scripts) and a set of XSS
 * vectors written for this test are imported, then opened one by one in
 * the reader, with a probe in the page that records:
 *   - executions: every vector calls window.__probe(name) if it runs;
 *     alert/confirm/prompt and dialogs count too;
 *   - attempts the Content-Security-Policy stopped (securitypolicyviolation);
 *   - dangerous nodes that reached the reader's DOM at all (script, iframe,
 *     object, embed, form, base, meta, link, on* attributes, javascript:
 *     or data:text URLs), whether or not they could have run;
 *   - requests to anything but the app's own origin.
 */

const CORPUS = join(fileURLToPath(new URL('../../..', import.meta.url)), 'shared', 'corpus', 'mozilla-readability', 'test', 'test-pages');

const PROBE = `
  window.__executions = [];
  window.__violations = [];
  window.__probe = (name) => window.__executions.push(String(name));
  for (const f of ['alert', 'confirm', 'prompt', 'print']) window[f] = () => window.__executions.push(f);
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI), true);
`;

/** What in the reader could run or load something: none of it may be there. */
async function dangerousNodes(page: Page): Promise<string[]> {
  return page.getByTestId('reader').evaluate((reader) => {
    const found: string[] = [];
    // In the article's text, nothing but text, links and pictures; around it (clipping cards, notes, tags),
    // the app's own buttons and icons, but no element that loads or runs anything.
    const anywhere = 'script,iframe,frame,object,embed,form,base,meta,link,style,math,template,noscript,video,audio,source';
    for (const el of reader.querySelectorAll(anywhere)) found.push(`<${el.localName}>`);
    for (const el of reader.querySelectorAll('.reader-body :is(input,button,svg,textarea,select)')) found.push(`body <${el.localName}>`);
    for (const el of reader.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        const value = attr.value.replace(/[\s\p{Cc}]/gu, '').toLowerCase();
        if (attr.name.startsWith('on')) found.push(`${el.localName}[${attr.name}]`);
        else if (/^(javascript|vbscript|data:text|data:image\/svg)/.test(value) && /^(href|src|action|formaction|xlink:href|srcdoc|poster|data)$/.test(attr.name)) found.push(`${el.localName}[${attr.name}=${value.slice(0, 30)}]`);
        else if (attr.name === 'src' && /^https?:/.test(value)) found.push(`${el.localName}[src=${value.slice(0, 40)}]`);
        else if (attr.name === 'style' && /url\(|expression|@import/.test(value)) found.push(`${el.localName}[style]`);
      }
    }
    return found;
  });
}

test('hostile pages and XSS vectors neither run nor load anything when imported and read', async ({ app, bridge, workDir }) => {
  test.setTimeout(300_000);
  const requests: string[] = [];
  const origin = new URL(bridge.url).origin;
  app.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) requests.push(r.url());
  });
  app.on('dialog', (d) => {
    requests.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });

  // The corpus pages, saved as files, and the vectors, as they would be dropped or pasted.
  const pages = join(workDir, 'pages');
  await mkdir(pages);
  const names = (await readdir(CORPUS, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const name of names) await copyFile(join(CORPUS, name, 'source.html'), join(pages, `${name}.html`));
  const library = bridge.library;
  const fromPages = await library.importPaths([pages]);
  const fromVectors = await library.importContent(VECTORS.map((v) => ({ name: v.name, bytes: Buffer.from(v.content) })));
  const imported = [...fromPages, ...fromVectors].filter((o) => o.status === 'imported');
  // Every vector file is an article (none of them is refused as empty: each has text around its payload).
  expect(fromVectors.map((o) => `${o.path}: ${o.status}`)).toEqual(VECTORS.map((v) => `${v.name}: imported`));
  // Notes and tags are user input that reaches the renderer too.
  const target = fromVectors.find((o) => o.status === 'imported');
  if (target?.status !== 'imported') throw new Error('no vector article');
  const { text } = await library.getArticle(target.id);
  for (const [i, note] of HOSTILE_NOTES.entries()) await library.createClipping({ articleId: target.id, start: i, end: i + 12, label: 'quote', note, tags: HOSTILE_TAGS });
  await library.setArticleTags(target.id, HOSTILE_TAGS);
  expect(text.length).toBeGreaterThan(12 * HOSTILE_NOTES.length);

  await app.addInitScript({ content: PROBE });
  await app.reload();
  console.log(`hostile content: imported ${imported.length} of ${names.length + VECTORS.length} files (${[...fromPages, ...fromVectors].filter((o) => o.status !== 'imported').map((o) => `${o.path.split('/').pop()}: ${o.status === 'failed' ? o.reason : o.status}`).join('; ')})`);
  const items = app.getByTestId('article-item');
  await expect(items.first()).toBeVisible();
  const total = imported.length + 1; // and the seeded sample
  await items.first().focus();
  await app.keyboard.press('Enter');
  // The probe itself works: an injected handler is stopped by the CSP and recorded, a script
  // element in the reader is found; then the records start empty.
  await expect(app.getByTestId('reader').locator('.reader-body')).toBeVisible();
  await app.evaluate(() => {
    const img = document.createElement('img');
    img.setAttribute('onerror', "__probe('canary')");
    img.src = 'data:,not-an-image';
    document.querySelector('.reader-body')?.append(img, document.createElement('script'));
  });
  await expect.poll(() => app.evaluate(() => (window as unknown as { __violations: string[] }).__violations.length)).toBeGreaterThan(0);
  expect(await dangerousNodes(app)).toEqual(expect.arrayContaining(['<script>', 'img[onerror]']));
  await app.evaluate(() => {
    const w = window as unknown as { __violations: string[]; __executions: string[] };
    w.__violations.length = 0;
    w.__executions.length = 0;
    document.querySelectorAll('.reader-body script, .reader-body img[onerror]').forEach((el) => el.remove());
  });
  const seen = new Set<string>();
  const started = Date.now();
  const dangerous: string[] = [];
  for (let i = 0; i < total; i++) {
    const current = app.locator('[data-testid="article-item"][aria-current="true"]');
    await expect(current).toHaveCount(1);
    const id = await current.getAttribute('data-article-id');
    await expect(app.getByTestId('reader').locator('h1')).toBeVisible();
    if (id) seen.add(id);
    for (const d of await dangerousNodes(app)) dangerous.push(`${id}: ${d}`);
    // The clippings' notes and tags are shown beside the text: the vector article has them.
    await app.keyboard.press('ArrowDown');
    await app.keyboard.press('Enter');
  }
  // The All clippings view and the tag list show the hostile notes and tags too.
  const executions = await app.evaluate(() => (window as unknown as { __executions: string[] }).__executions);
  const violations = await app.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
  console.log(
    `hostile content: ${names.length} corpus pages, ${VECTORS.length} vector files, ${HOSTILE_NOTES.length} hostile notes, ${HOSTILE_TAGS.length} hostile tags; ` +
      `${seen.size} articles opened in ${((Date.now() - started) / 1000).toFixed(1)} s; executions ${executions.length}, blocked attempts ${violations.length}, dangerous nodes ${dangerous.length}, outside requests ${requests.length}`,
  );
  expect(seen.size).toBe(total);
  expect(executions).toEqual([]);
  expect(violations).toEqual([]);
  expect(dangerous).toEqual([]);
  expect(requests).toEqual([]);
});

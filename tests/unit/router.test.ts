import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library } from '../../electron/library';
import { CHANNELS, type Envelope } from '../../electron/ipc/contract';
import { createHandlers } from '../../electron/ipc/handlers';
import { createRouter, type Sender } from '../../electron/ipc/router';
import { MemorySettings } from '../../electron/settings/settings';
import { SEED_DIR, snapshot, tempDir } from './helpers/temp';

const APP: Sender = { isMainFrame: true, url: 'cuttings://app/index.html' };
const QUOTE = 'It is time for serious dialogue';

/** The router over a real library in a temp folder, called in-process: the transport is the only thing missing. */
async function setup() {
  const work = await tempDir();
  const dir = join(work, 'library');
  const library = await Library.open(dir, { seedDir: SEED_DIR });
  // Everything in place and the journal empty, so file snapshots compare only what a request changes.
  await library.flush();
  const settings = new MemorySettings();
  let savePath: string | null = null;
  const router = createRouter(
    createHandlers({ library, settings, dialogs: { chooseImportPaths: async () => null, chooseSavePath: async () => savePath } }),
    { trusted: (s) => s.isMainFrame && s.url.startsWith('cuttings://app/') },
  );
  const call = (channel: unknown, payload: unknown, sender: Sender = APP) => router.dispatch(channel, payload, sender);
  const articleId = (await library.listArticles())[0]!.id;
  const text = (await library.getArticle(articleId)).text;
  const start = text.indexOf(QUOTE);
  return { work, dir, library, settings, call, articleId, start, end: start + QUOTE.length, saveTo: (p: string | null) => (savePath = p) };
}

function value<T>(e: Envelope<T>): T {
  if (!e.ok) throw new Error(`expected ok, got ${e.error.code}: ${e.error.message}`);
  return e.value;
}

describe('IPC router', () => {
  it('answers valid requests on every channel that needs no dialog', async () => {
    const { call, articleId, start, end } = await setup();
    const list = value(await call('articles:list', {})) as { id: string }[];
    expect(list.map((a) => a.id)).toEqual([articleId]);
    const clip = value(await call('clippings:create', { articleId, start, end, exact: QUOTE, label: 'quote', note: 'key line', tags: ['quote'] })) as { id: string };
    const updated = value(await call('clippings:update', { id: clip.id, note: 'changed', tags: ['quote', 'UN'] })) as { note: string; tags: string[] };
    expect(updated).toMatchObject({ note: 'changed', tags: ['quote', 'UN'] });
    const tagged = value(await call('articles:setTags', { id: articleId, tags: ['place/Syria'] })) as { tags: string[]; clippingCount: number };
    expect(tagged).toMatchObject({ tags: ['place/Syria'], clippingCount: 1 });
    const deleted = value(await call('clippings:delete', { id: clip.id }));
    value(await call('clippings:restore', { clipping: deleted }));
    const detail = value(await call('articles:get', { id: articleId })) as { clippings: { note: string }[] };
    expect(detail.clippings.map((c) => c.note)).toEqual(['changed']);
    expect(value(await call('settings:update', { theme: 'dark', fontSize: 21 }))).toMatchObject({ theme: 'dark', fontSize: 21 });
    expect(value(await call('library:info', {}))).toMatchObject({ articleCount: 1, clippingCount: 1 });
  });

  it('exports Markdown to the path the save dialog gives, and nothing when it is cancelled', async () => {
    const { call, articleId, start, end, work, saveTo } = await setup();
    value(await call('clippings:create', { articleId, start, end, exact: QUOTE, label: 'quote', note: 'key line', tags: ['quote'] }));
    expect(value(await call('export:markdown', { articleIds: [articleId] }))).toEqual({ canceled: true });
    const out = join(work, 'out.md');
    saveTo(out);
    const saved = value(await call('export:markdown', { articleIds: [articleId] })) as { path: string; bytes: number };
    expect(saved.path).toBe(out);
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(out, 'utf8')).toContain(`> ${QUOTE}`);
  });

  // Each row: a request that must be refused with the given code, leaving every file as it was.
  const refusals: [string, unknown, unknown, string, Sender?][] = [
    ['an unknown channel', 'library:drop', {}, 'unknown-channel'],
    ['a channel that is not a string', 42, {}, 'unknown-channel'],
    ['an inherited property as channel', 'toString', {}, 'unknown-channel'],
    ['a missing payload', 'clippings:create', undefined, 'invalid-payload'],
    ['a payload that is an array', 'articles:get', ['id'], 'invalid-payload'],
    ['missing fields', 'clippings:create', { articleId: 'ART' }, 'invalid-payload'],
    ['wrong types', 'clippings:create', { articleId: 'ART', start: '1', end: 5, exact: 'x', label: 'quote' }, 'invalid-payload'],
    ['a fractional offset', 'clippings:create', { articleId: 'ART', start: 1.5, end: 5, exact: 'x', label: 'quote' }, 'invalid-payload'],
    ['end before start', 'clippings:create', { articleId: 'ART', start: 9, end: 5, exact: 'x', label: 'quote' }, 'invalid-payload'],
    ['a colour instead of a label', 'clippings:create', { articleId: 'ART', start: 0, end: 5, exact: 'x', color: 'red' }, 'invalid-payload'],
    ['a malformed label id', 'clippings:create', { articleId: 'ART', start: 0, end: 5, exact: 'x', label: 'Not A Label!' }, 'invalid-payload'],
    ['a label the library does not have', 'clippings:create', { articleId: 'ART', start: 'START', end: 'END', exact: 'QUOTE', label: 'no-such-label' }, 'invalid-input'],
    ['a reattach whose range is backwards', 'clippings:reattach', { id: 'abc', start: 9, end: 5, exact: 'x' }, 'invalid-payload'],
    ['labels with the same id twice', 'labels:save', { labels: [{ id: 'quote', name: 'quote', color: 'yellow' }, { id: 'quote', name: 'other', color: 'green' }] }, 'invalid-payload'],
    ['no labels at all', 'labels:save', { labels: [] }, 'invalid-payload'],
    ['a label with an unknown colour', 'labels:save', { labels: [{ id: 'quote', name: 'quote', color: 'red' }] }, 'invalid-payload'],
    ['a reading change with nothing in it', 'articles:setReading', { id: 'ART' }, 'invalid-payload'],
    ['a progress beyond the end', 'articles:setReading', { id: 'ART', progress: 1.5 }, 'invalid-payload'],
    ['an unknown reading state', 'articles:setReading', { id: 'ART', readingState: 'skimmed' }, 'invalid-payload'],
    ['a tag renamed to nothing', 'tags:rename', { from: 'x', to: '' }, 'invalid-payload'],
    ['a tag moved below itself', 'tags:rename', { from: 'place', to: 'place/Syria' }, 'invalid-input'],
    ['bulk tagging an unknown article', 'tags:add', { articleIds: ['nope'], tags: ['x'] }, 'not-found'],
    ['bulk tagging with no tag', 'tags:add', { articleIds: ['ART'], tags: [] }, 'invalid-payload'],
    ['an undo naming a path as id', 'tags:restore', { undo: { articles: [{ id: '../x', tags: [] }], clippings: [] } }, 'invalid-payload'],
    ['a page of the whole library at once', 'articles:page', { offset: 0, limit: 100_000 }, 'invalid-payload'],
    ['a page before the first', 'articles:page', { offset: -1, limit: 10 }, 'invalid-payload'],
    ['a search query of a whole book', 'search:query', { query: 'x'.repeat(501) }, 'invalid-payload'],
    ['a search filter with a made-up date', 'search:query', { query: 'x', filters: { published: { from: '2024-13-45' } } }, 'invalid-payload'],
    ['a search filter nobody defined', 'search:query', { query: 'x', filters: { sql: '1=1' } }, 'invalid-payload'],
    ['a search page past any library', 'search:query', { query: 'x', limit: 10_000 }, 'invalid-payload'],
    ['an export naming nothing', 'export:markdown', { articleIds: [], clippingIds: [] }, 'invalid-payload'],
    ['an export of an unknown clipping', 'export:markdown', { clippingIds: ['nope'] }, 'not-found'],
    ['an empty revised text', 'articles:revise', { id: 'ART', text: ' \n\n ' }, 'invalid-input'],
    ['an extra field', 'articles:setTags', { id: 'ART', tags: [], admin: true }, 'invalid-payload'],
    ['a path-like id', 'articles:get', { id: '../../etc/passwd' }, 'invalid-payload'],
    ['an oversized note', 'clippings:update', { id: 'abc', note: 'x'.repeat(20_001) }, 'invalid-payload'],
    ['too many tags', 'articles:setTags', { id: 'ART', tags: Array.from({ length: 101 }, (_, i) => `t${i}`) }, 'invalid-payload'],
    ['a settings key the renderer may not set', 'settings:update', { libraryDir: '/tmp/elsewhere' }, 'invalid-payload'],
    ['a font size out of range', 'settings:update', { fontSize: 400 }, 'invalid-payload'],
    ['an unknown article', 'articles:get', { id: 'nope' }, 'not-found'],
    ['a range outside the article', 'clippings:create', { articleId: 'ART', start: 0, end: 1_000_000, exact: 'x', label: 'quote' }, 'invalid-input'],
    ['a quote that does not match the text', 'clippings:create', { articleId: 'ART', start: 'START', end: 'END', exact: 'not what it says', label: 'quote' }, 'conflict'],
    ['a restore of something that is not a clipping', 'clippings:restore', { clipping: { id: 'x' } }, 'invalid-payload'],
    ['a sub-frame', 'articles:list', {}, 'forbidden-sender', { isMainFrame: false, url: 'cuttings://app/index.html' }],
    ['another origin', 'articles:list', {}, 'forbidden-sender', { isMainFrame: true, url: 'https://evil.example/' }],
  ];

  it.each(refusals)('refuses %s with a typed error and leaves the library unchanged', async (_what, channel, payload, code, sender) => {
    const { dir, call, articleId, start, end, settings } = await setup();
    const fill = (v: unknown): unknown =>
      v === 'ART' ? articleId : v === 'QUOTE' ? QUOTE : v === 'START' ? start : v === 'END' ? end : v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)])) : v;
    const before = await snapshot(dir);
    const settingsBefore = settings.get();
    const answer = await call(channel, fill(payload), sender);
    expect(answer.ok).toBe(false);
    if (!answer.ok) {
      expect(answer.error.code).toBe(code);
      expect(answer.error.message.length).toBeGreaterThan(10);
    }
    expect(await snapshot(dir)).toEqual(before);
    expect(settings.get()).toEqual(settingsBefore);
  });

  it('has a schema for every channel it routes', () => {
    expect(CHANNELS.sort()).toEqual(
      [
        'articles:get', 'articles:list', 'articles:setTags', 'clippings:create', 'clippings:delete', 'clippings:restore',
        'clippings:update', 'export:markdown', 'library:import', 'library:info', 'settings:get', 'settings:update',
        'import:url', 'import:content', 'import:cancel', 'feeds:list', 'feeds:add', 'feeds:refresh', 'feeds:remove',
        'clippings:reattach', 'articles:revise', 'articles:analyse', 'labels:list', 'labels:save',
        'tags:list', 'tags:rename', 'tags:delete', 'tags:add', 'tags:restore', 'articles:setReading',
        'search:query', 'search:status', 'articles:page',
      ].sort(),
    );
  });
});

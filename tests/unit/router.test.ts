import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library } from '../../electron/library';
import { CHANNELS, type Envelope } from '../../electron/ipc/contract';
import { createHandlers, type Question } from '../../electron/ipc/handlers';
import { defaultTemplates } from '../../electron/library/export/templates';
import { createRouter, type Sender } from '../../electron/ipc/router';
import { MemorySettings } from '../../electron/settings/settings';
import { SEED_DIR, snapshot, tempDir } from './helpers/temp';

const APP: Sender = { isMainFrame: true, url: 'cuttings://app/index.html' };
const QUOTE = 'It is time for serious dialogue';

/** The router over a real library in a temp folder, called in-process: the transport is the only thing missing. */
async function setup({ search = false } = {}) {
  const work = await tempDir();
  const dir = join(work, 'library');
  const library = await Library.open(dir, { seedDir: SEED_DIR, search });
  // Everything in place and the journal empty, so file snapshots compare only what a request changes.
  await library.flush();
  const settings = new MemorySettings();
  let savePath: string | null = null;
  let yes = false;
  let backupFile: string | null = null;
  const libraries: Library[] = [];
  const questions: Question[] = [];
  const opened: string[] = [];
  const printed: string[] = [];
  const progress: unknown[] = [];
  const router = createRouter(
    createHandlers({
      library,
      settings,
      dialogs: {
        chooseImportPaths: async () => null,
        chooseSavePath: async () => savePath,
        chooseFolder: async () => savePath,
        chooseBackup: async () => backupFile,
        confirm: async (q) => {
          questions.push(q);
          return yes;
        },
        openPath: async (p) => void opened.push(p),
        // A stand-in printer: the HTML it was given, as bytes after a PDF header.
        printPdf: async (html) => {
          printed.push(html);
          return new TextEncoder().encode(`%PDF-1.7\n${html.length}`);
        },
      },
      events: { importProgress: () => undefined, exportProgress: (e) => void progress.push(e) },
      reopen: (dir) => Library.open(dir),
      onLibraryReplaced: (next) => void libraries.push(next),
    }),
    { trusted: (s) => s.isMainFrame && s.url.startsWith('cuttings://app/') },
  );
  const call = (channel: unknown, payload: unknown, sender: Sender = APP) => router.dispatch(channel, payload, sender);
  const articleId = (await library.listArticles())[0]!.id;
  const text = (await library.getArticle(articleId)).text;
  const start = text.indexOf(QUOTE);
  return {
    work,
    dir,
    library,
    settings,
    call,
    articleId,
    start,
    end: start + QUOTE.length,
    saveTo: (p: string | null) => (savePath = p),
    answer: (a: boolean) => (yes = a),
    restoreFrom: (f: string | null) => (backupFile = f),
    libraries,
    questions,
    opened,
    printed,
    progress,
  };
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
    const { call, articleId, start, end, work, saveTo, progress } = await setup();
    value(await call('clippings:create', { articleId, start, end, exact: QUOTE, label: 'quote', note: 'key line', tags: ['quote'] }));
    const request = { selection: { articleIds: [articleId] }, options: { format: 'md' }, jobId: 'job-1' };
    expect(value(await call('export:run', request))).toEqual({ canceled: true });
    const out = join(work, 'out.md');
    saveTo(out);
    const saved = value(await call('export:run', request)) as { path: string; bytes: number; files: number; clippingCount: number };
    expect(saved).toMatchObject({ path: out, files: 1, clippingCount: 1, articleCount: 1, format: 'md' });
    const markdown = await readFile(out, 'utf8');
    expect(markdown).toContain(`> ${QUOTE}`);
    expect(saved.bytes).toBe(Buffer.byteLength(markdown));
    // The steps of the job, in order: the dialog, the rendering, the file.
    expect(progress.map((e) => (e as { phase: string }).phase)).toEqual(['choosing', 'choosing', 'rendering', 'writing', 'writing']);
    expect(progress.every((e) => (e as { jobId: string }).jobId === 'job-1')).toBe(true);
  });

  it('counts what an export would hold, for every kind of selection', async () => {
    const { call, articleId, start, end, library } = await setup({ search: true });
    const clip = value(await call('clippings:create', { articleId, start, end, exact: QUOTE, label: 'quote', tags: ['dossier'] })) as { id: string };
    const count = async (selection: unknown) => value(await call('export:preview', { selection })) as { articleCount: number; clippingCount: number; title: string };
    expect(await count({ all: true })).toMatchObject({ articleCount: 1, clippingCount: 1, title: 'Cuttings library' });
    expect(await count({ tag: 'dossier' })).toMatchObject({ articleCount: 1, clippingCount: 1 });
    expect(await count({ tag: 'nothing-tagged' })).toMatchObject({ articleCount: 0, clippingCount: 0 });
    expect(await count({ clippingIds: [clip.id] })).toMatchObject({ articleCount: 1, clippingCount: 1 });
    expect(await count({ query: 'serious dialogue', kinds: ['clipping'] })).toMatchObject({ articleCount: 1, clippingCount: 1 });
    // A filtered search that finds nothing exports nothing, not the whole library.
    expect(await count({ query: '', filters: { labels: ['fact'] } })).toMatchObject({ articleCount: 0, clippingCount: 0 });
    await library.close();
  });

  it('writes a PDF through the host printer, and Markdown one file per article into a folder, asking before it replaces files', async () => {
    const { call, articleId, start, end, work, saveTo, printed, questions, answer } = await setup();
    value(await call('clippings:create', { articleId, start, end, exact: QUOTE, label: 'quote' }));
    const pdf = join(work, 'review.pdf');
    saveTo(pdf);
    expect(value(await call('export:run', { selection: { all: true }, options: { format: 'pdf', title: 'Weekly review' } }))).toMatchObject({ path: pdf, files: 1 });
    expect((await readFile(pdf)).subarray(0, 5).toString()).toBe('%PDF-');
    expect(printed[0]).toContain('Weekly review');

    const folder = join(work, 'notes');
    saveTo(folder);
    const first = value(await call('export:run', { selection: { all: true }, options: { format: 'md', layout: 'per-article' } })) as { files: number };
    expect(first.files).toBe(1);
    const names = await readdir(folder);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/\.md$/);
    // Again into the same folder: main asks, and a No writes nothing.
    await writeFile(join(folder, names[0]!), 'mine');
    expect(value(await call('export:run', { selection: { all: true }, options: { format: 'md', layout: 'per-article' } }))).toEqual({ canceled: true });
    expect(questions.at(-1)?.detail).toContain(names[0]);
    expect(await readFile(join(folder, names[0]!), 'utf8')).toBe('mine');
    answer(true);
    value(await call('export:run', { selection: { all: true }, options: { format: 'md', layout: 'per-article' } }));
    expect(await readFile(join(folder, names[0]!), 'utf8')).toContain(QUOTE);
  });

  it('keeps press reviews: saved, listed, read, deleted and saved back under the same id', async () => {
    const { call, articleId, start, end } = await setup();
    const clip = value(await call('clippings:create', { articleId, start, end, exact: QUOTE, label: 'quote' })) as { id: string };
    const items = [{ kind: 'heading', text: 'Syria' }, { kind: 'clipping', clippingId: clip.id }];
    const made = value(await call('compositions:save', { title: ' Weekly ', introduction: 'Intro', items })) as { id: string; title: string };
    expect(made.title).toBe('Weekly');
    expect((value(await call('compositions:list', {})) as { id: string }[]).map((c) => c.id)).toEqual([made.id]);
    expect(value(await call('compositions:get', { id: made.id }))).toMatchObject({ title: 'Weekly', introduction: 'Intro', items });
    const gone = value(await call('compositions:delete', { id: made.id })) as { id: string; title: string; introduction: string; items: unknown[] };
    expect(value(await call('compositions:list', {}))).toEqual([]);
    value(await call('compositions:save', { id: gone.id, title: gone.title, introduction: gone.introduction, items: gone.items }));
    expect(value(await call('compositions:get', { id: made.id }))).toMatchObject({ title: 'Weekly', items });
    expect(value(await call('export:preview', { selection: { compositionId: made.id } }))).toMatchObject({ articleCount: 1, clippingCount: 1, title: 'Weekly' });
  });

  it('describes clippings for the composer and names the missing ones', async () => {
    const { call, articleId, start, end } = await setup();
    const clip = value(await call('clippings:create', { articleId, start, end, exact: QUOTE, label: 'quote' })) as { id: string };
    const answer = value(await call('clippings:lookup', { ids: [clip.id, 'gone1'] })) as { found: { quote: string; articleTitle: string; source: string | null }[]; missing: string[] };
    expect(answer.missing).toEqual(['gone1']);
    expect(answer.found).toHaveLength(1);
    expect(answer.found[0]).toMatchObject({ quote: QUOTE, source: 'Xinhua' });
    expect(answer.found[0]!.articleTitle).toMatch(/Guterres/);
  });

  it('gives a clipping as a citation: the quote, then source, dateline and date', async () => {
    const { call, articleId, start, end } = await setup();
    const clip = value(await call('clippings:create', { articleId, start, end, exact: QUOTE, label: 'quote' })) as { id: string };
    const citation = value(await call('clippings:citation', { id: clip.id })) as { text: string; speaker: string | null };
    expect(citation.text.startsWith(`“${QUOTE}” — `)).toBe(true);
    expect(citation.text).toContain('Xinhua');
    expect(citation.text).toContain('2024-12-06');
    if (citation.speaker) expect(citation.text).toContain(citation.speaker);
  });

  it('opens the templates folder with the defaults written there, and resets them only when the person says yes', async () => {
    const { call, dir, opened, questions, answer } = await setup();
    const folder = value(await call('templates:open', {})) as { path: string; written: string[] };
    const defaults = defaultTemplates();
    expect(folder.path).toBe(join(dir, 'templates'));
    expect(folder.written.sort()).toEqual(Object.keys(defaults).sort());
    expect(opened).toEqual([folder.path]);
    const [name, text] = Object.entries(defaults)[0]!;
    await writeFile(join(folder.path, name), `${text}\nmine`);
    // Opened again: the person's file is kept.
    expect((value(await call('templates:open', {})) as { written: string[] }).written).toEqual([]);
    expect(await readFile(join(folder.path, name), 'utf8')).toContain('mine');

    expect(value(await call('templates:reset', {}))).toEqual({ canceled: true });
    expect(questions.at(-1)?.detail).toContain(name);
    expect(await readFile(join(folder.path, name), 'utf8')).toContain('mine');
    answer(true);
    expect(value(await call('templates:reset', {}))).toMatchObject({ canceled: false, path: folder.path });
    expect(await readFile(join(folder.path, name), 'utf8')).toBe(text);
    // The changed one is kept aside, not lost.
    const aside = (await readdir(folder.path)).find((n) => n.startsWith('replaced-'))!;
    expect(await readFile(join(folder.path, aside, name), 'utf8')).toContain('mine');
  });

  it('backs the library up to one file, and restores it in place only after asking, the old library moved aside', async () => {
    const { call, articleId, start, end, work, dir, saveTo, restoreFrom, answer, questions, libraries } = await setup();
    const kept = value(await call('clippings:create', { articleId, start, end, exact: QUOTE, label: 'quote', note: 'in the backup' })) as { id: string };
    const file = join(work, 'library.cuttings-backup');
    saveTo(file);
    expect(value(await call('library:backup', {}))).toMatchObject({ canceled: false, path: file });
    // A change after the backup: the restore takes it back.
    value(await call('clippings:delete', { id: kept.id }));

    restoreFrom(file);
    expect(value(await call('library:restore', {}))).toEqual({ canceled: true });
    expect(questions.at(-1)).toMatchObject({ message: 'Replace the library with this backup?' });
    expect(questions.at(-1)!.detail).toContain(dir);
    expect(questions.at(-1)!.detail).toContain('1 article and 1 clipping');
    expect(libraries).toEqual([]);
    expect(value(await call('library:info', {}))).toMatchObject({ clippingCount: 0 });

    answer(true);
    const restored = value(await call('library:restore', {})) as { previousMovedTo: string; library: string; articleCount: number; clippingCount: number };
    expect(restored).toMatchObject({ canceled: false, from: file, library: dir, articleCount: 1, clippingCount: 1 });
    expect(questions.at(-1)!.detail).toContain(restored.previousMovedTo);
    expect(libraries).toHaveLength(1);
    // The handlers answer from the restored library now; the old one is kept where the question said.
    const detail = value(await call('articles:get', { id: articleId })) as { clippings: { note: string }[] };
    expect(detail.clippings.map((c) => c.note)).toEqual(['in the backup']);
    expect((await readdir(restored.previousMovedTo)).length).toBeGreaterThan(0);
    await libraries[0]!.close();
  });

  it('refuses to restore a file that is not a backup, before asking anything, and keeps the library open', async () => {
    const { call, work, restoreFrom, questions, libraries } = await setup();
    const bogus = join(work, 'letter.cuttings-backup');
    await writeFile(bogus, 'not a zip');
    restoreFrom(bogus);
    const answer = await call('library:restore', {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(questions).toEqual([]);
    expect(libraries).toEqual([]);
    expect(value(await call('library:info', {}))).toMatchObject({ articleCount: 1 });
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
    ['an export naming nothing', 'export:run', { selection: { articleIds: [], clippingIds: [] }, options: { format: 'md' } }, 'invalid-payload'],
    ['an export of the whole library that also names a tag', 'export:run', { selection: { all: true, tag: 'x' }, options: { format: 'md' } }, 'invalid-payload'],
    ['an export in a format nobody defined', 'export:run', { selection: { all: true }, options: { format: 'docx' } }, 'invalid-payload'],
    ['a PDF one file per article', 'export:run', { selection: { all: true }, options: { format: 'pdf', layout: 'per-article' } }, 'invalid-payload'],
    ['an export grouped by something unknown', 'export:run', { selection: { all: true }, options: { format: 'html', grouping: 'mood' } }, 'invalid-payload'],
    ['an export naming where to write', 'export:run', { selection: { all: true }, options: { format: 'md' }, path: '/tmp/x.md' }, 'invalid-payload'],
    ['an export job id that is a path', 'export:run', { selection: { all: true }, options: { format: 'md' }, jobId: '../x' }, 'invalid-payload'],
    ['an export of a press review that does not exist', 'export:run', { selection: { compositionId: 'nope' }, options: { format: 'html' } }, 'not-found'],
    ['counting an export of an unknown article', 'export:preview', { selection: { articleIds: ['nope'] } }, 'not-found'],
    ['counting an export that names nothing', 'export:preview', { selection: {} }, 'invalid-payload'],
    ['a press review without a title', 'compositions:save', { title: '   ', introduction: '', items: [] }, 'invalid-payload'],
    ['a press review item of an unknown kind', 'compositions:save', { title: 'x', introduction: '', items: [{ kind: 'image', src: 'x' }] }, 'invalid-payload'],
    ['a press review heading with no words', 'compositions:save', { title: 'x', introduction: '', items: [{ kind: 'heading', text: '' }] }, 'invalid-payload'],
    ['a press review naming a path as clipping', 'compositions:save', { title: 'x', introduction: '', items: [{ kind: 'clipping', clippingId: '../x' }] }, 'invalid-payload'],
    ['reading a press review that does not exist', 'compositions:get', { id: 'nope' }, 'not-found'],
    ['deleting a press review that does not exist', 'compositions:delete', { id: 'nope' }, 'not-found'],
    ['a citation of an unknown clipping', 'clippings:citation', { id: 'nope' }, 'not-found'],
    ['a lookup of more clippings than a press review holds', 'clippings:lookup', { ids: Array.from({ length: 10_001 }, (_, i) => `c${i}`) }, 'invalid-payload'],
    ['a backup naming its file', 'library:backup', { path: '/tmp/backup.zip' }, 'invalid-payload'],
    ['a restore naming its file', 'library:restore', { file: '/tmp/backup.zip' }, 'invalid-payload'],
    ['opening a templates folder the renderer names', 'templates:open', { path: '/etc' }, 'invalid-payload'],
    ['a template reset with content', 'templates:reset', { templates: { 'clipbook.html.liquid': '{{x}}' } }, 'invalid-payload'],
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
        'clippings:update', 'library:import', 'library:info', 'settings:get', 'settings:update',
        'import:url', 'import:content', 'import:cancel', 'feeds:list', 'feeds:add', 'feeds:refresh', 'feeds:remove',
        'clippings:reattach', 'articles:revise', 'articles:analyse', 'labels:list', 'labels:save',
        'tags:list', 'tags:rename', 'tags:delete', 'tags:add', 'tags:restore', 'articles:setReading',
        'search:query', 'search:status', 'articles:page',
        'export:preview', 'export:run', 'compositions:list', 'compositions:get', 'compositions:save', 'compositions:delete',
        'clippings:lookup', 'clippings:citation', 'library:backup', 'library:restore', 'templates:open', 'templates:reset',
      ].sort(),
    );
  });
});

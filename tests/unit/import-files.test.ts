import { mkdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library } from '../../electron/library';
import { FileReads } from '../../electron/library/import/files';
import { SHARED, snapshot, tempDir } from './helpers/temp';

const NEWS = ' date 2025-01-02 Geneva, Jan 2 Talks resumed on Thursday, Reuters reported.\n\nA second paragraph.\n';

async function emptyLibrary() {
  const dir = join(await tempDir(), 'lib');
  return { dir, library: await Library.open(dir) };
}

describe('bad input in a batch', () => {
  // Each row: a file that must fail with a reason a person understands, while the rest of the batch imports.
  const rows: [string, string, (path: string) => Promise<void>, RegExp][] = [
    ['an empty file', 'empty.txt', (p) => writeFile(p, ''), /the file is empty/],
    ['a binary file', 'photo.txt', (p) => writeFile(p, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])), /not a text file/],
    ['Latin-1 text', 'latin1.txt', (p) => writeFile(p, Buffer.from('Une d\xe9p\xeache de l\x92agence', 'latin1')), /not a text file/],
    ['mixed encodings', 'mixed.txt', (p) => writeFile(p, Buffer.concat([Buffer.from('caf\u00e9 '), Buffer.from('cr\xe8me', 'latin1')])), /not a text file/],
    ['a 50 MB file', 'huge.txt', (p) => writeFile(p, '').then(() => truncate(p, 50 * 1024 * 1024)), /too large \(50\.0 MB; the limit is 20 MB\)/],
    ['HTML with no article', 'nav.html', (p) => writeFile(p, '<html><head><title>t</title></head><body></body></html>'), /no readable article|empty/],
    ['a Kindle file with only bookmarks', 'My Clippings.txt', (p) => writeFile(p, '\ufeffBook (Author)\r\n- Your Bookmark on page 5 | Location 70 | Added on Monday, 1 January 2024 10:00:00\r\n\r\n\r\n==========\r\n'), /no highlights or notes to import \(1 bookmark skipped\)/],
  ];

  it.each(rows)('%s fails with a clear reason naming the file; the rest of the batch imports', async (_what, name, make, reason) => {
    const { dir, library } = await emptyLibrary();
    const src = await tempDir();
    await make(join(src, name));
    await writeFile(join(src, 'good.txt'), NEWS);
    await library.flush();
    const outcomes = await library.importPaths([join(src, name), join(src, 'good.txt')]);
    expect(outcomes[0]).toMatchObject({ status: 'failed', path: join(src, name), reason: expect.stringMatching(reason) });
    expect(outcomes[1]).toMatchObject({ status: 'imported', title: 'Talks resumed on Thursday, Reuters reported' });
    expect(library.articleCount).toBe(1);
    await library.flush();
    // Only the good file's article was written.
    const files = Object.keys(await snapshot(dir)).filter((f) => f.startsWith('articles'));
    expect(new Set(files.map((f) => f.split('/')[1])).size).toBe(1);
  });

  it('reads Markdown with front matter, headings, quotes and lists', async () => {
    const { library } = await emptyLibrary();
    const src = await tempDir();
    await writeFile(
      join(src, 'note.md'),
      '---\ntitle: "Ceasefire talks: what we know"\nsource: The Gazette\nurl: https://gazette.example/talks\ndate: 2025-03-01\n---\n# Ceasefire talks\n\nTalks **resumed** on [Thursday](https://x.example).\n\n> "We have no choice," a minister said.\n\n- first point\n- second point\n\n<script>alert(1)</script>\n',
    );
    const [outcome] = await library.importPaths([src]);
    if (outcome?.status !== 'imported') throw new Error(JSON.stringify(outcome));
    const d = await library.getArticle(outcome.id);
    expect(d.article).toMatchObject({ title: 'Ceasefire talks: what we know', source: 'The Gazette', url: 'https://gazette.example/talks', published: '2025-03-01' });
    expect(d.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Ceasefire talks' },
      { kind: 'paragraph', text: 'Talks resumed on Thursday.' },
      { kind: 'quote', text: '"We have no choice," a minister said.' },
      { kind: 'listItem', ordered: false, text: 'first point' },
      { kind: 'listItem', ordered: false, text: 'second point' },
    ]);
  });
});

describe('Kindle My Clippings.txt', () => {
  const file = join(SHARED, 'corpus', 'kindle-eugeneware-kindle-clippings', 'test', 'fixtures', 'My Clippings.txt');

  it('makes each book an article whose highlights are clippings with their notes', async () => {
    const { library } = await emptyLibrary();
    const outcomes = await library.importPaths([file]);
    expect(outcomes.map((o) => o.status)).toEqual(['imported', 'imported', 'imported']);
    const books = await Promise.all((await library.listArticles()).map((a) => library.getArticle(a.id)));
    const clippings = books.flatMap((b) => b.clippings);
    expect(clippings.length).toBe(books.reduce((n, b) => n + b.blocks.length, 0));
    for (const b of books) for (const c of b.clippings) expect(b.text.slice(c.target.position.start, c.target.position.end)).toBe(c.target.quote.exact);
    expect(clippings.filter((c) => c.note !== '').length).toBeGreaterThan(0);
    // The same file again: nothing new.
    expect((await library.importPaths([file])).map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
  });

  it('turns a later export with more highlights into a new version of the same book, keeping its clippings and notes', async () => {
    const { library } = await emptyLibrary();
    const src = await tempDir();
    const entry = (text: string, loc: string) => `Walden (Henry David Thoreau)\n- Your Highlight on Location ${loc} | Added on Monday, 1 January 2024 10:00:00\n\n${text}\n==========\n`;
    await mkdir(join(src, 'v1'));
    await mkdir(join(src, 'v2'));
    await writeFile(join(src, 'v1', 'My Clippings.txt'), entry('I went to the woods because I wished to live deliberately.', '10-11'));
    await writeFile(join(src, 'v2', 'My Clippings.txt'), entry('I went to the woods because I wished to live deliberately.', '10-11') + entry('Our life is frittered away by detail.', '40-41'));
    const [first] = await library.importPaths([join(src, 'v1')]);
    if (first?.status !== 'imported') throw new Error(JSON.stringify(first));
    const [clip] = (await library.getArticle(first.id)).clippings;
    await library.updateClipping(clip!.id, { note: 'my note', tags: ['nature'] });
    const [second] = await library.importPaths([join(src, 'v2')]);
    expect(second).toMatchObject({ status: 'updated', id: first.id });
    const after = await library.getArticle(first.id);
    expect(after.clippings.map((c) => [c.target.quote.exact, c.note, c.tags])).toEqual([
      ['I went to the woods because I wished to live deliberately.', 'my note', ['nature']],
      ['Our life is frittered away by detail.', '', []],
    ]);
    expect(library.articleCount).toBe(1);
  });
});

it('keeps the text it read: show --json gives back each paragraph', async () => {
  const { library } = await emptyLibrary();
  const src = await tempDir();
  await writeFile(join(src, 'a.txt'), NEWS);
  const [o] = await library.importPaths([src]);
  if (o?.status !== 'imported') throw new Error('not imported');
  expect((await library.getArticle(o.id)).text).toBe('Talks resumed on Thursday, Reuters reported.\n\nA second paragraph.');
  expect(await readFile(join(src, 'a.txt'), 'utf8')).toBe(NEWS); // the source is never touched
});

describe('reading the files of a batch', () => {
  it('reads synchronously while reads are quick, asynchronously after a few slow ones, and both ways alike', async () => {
    const dir = await tempDir();
    const names = ['a.txt', 'b.md', 'c.txt', 'd.txt', 'e.txt', 'big.txt', 'empty.txt'];
    for (const [i, name] of names.entries()) {
      const body = name === 'empty.txt' ? '' : name === 'big.txt' ? `Big file\n\n${'A long paragraph of words. '.repeat(60_000)}\n` : `Story ${i}\n\nThe talks resumed on Thursday, officials said.\n`;
      await writeFile(join(dir, name), body);
    }
    const quick = new FileReads();
    const slow = new FileReads(-1); // every read counts as slow
    const seen: boolean[] = [];
    for (const name of names) {
      seen.push(slow.sync);
      const [fromQuick, fromSlow] = [await quick.read(join(dir, name)), await slow.read(join(dir, name))];
      expect(fromSlow).toEqual(fromQuick);
    }
    // The first three reads were synchronous, then the batch went asynchronous; the quick one never did.
    expect(seen).toEqual([true, true, true, false, false, false, false]);
    expect(quick.sync).toBe(true);
    // What they read: the files' documents, and the refusals with their reasons.
    expect(await quick.read(join(dir, 'big.txt'))).toMatchObject({ ok: true, docs: [{ title: 'Big file' }] });
    expect(await quick.read(join(dir, 'empty.txt'))).toMatchObject({ ok: false, reason: 'the file is empty' });
    expect(await quick.read(join(dir, 'missing.txt'))).toMatchObject({ ok: false, reason: 'no such file or folder' });
  });
});

import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../electron/cli';
import { ROOT, SEED_DIR, tempDir } from './helpers/temp';

const QUOTE = 'It is time for serious dialogue';

/** Runs the CLI in-process and captures what it prints. */
async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('cuttings CLI', () => {
  it('imports the sample, clips a quote and exports Markdown', async () => {
    const work = await tempDir();
    const lib = join(work, 'lib');
    const imported = await cli('import', SEED_DIR, '--library', lib, '--empty');
    expect(imported.code).toBe(0);
    const [status, id, ...title] = imported.out.split(' ');
    expect(status).toBe('imported');
    expect(title.join(' ')).toMatch(/^UN Secretary-General Antonio Guterres/);

    expect((await cli('import', SEED_DIR, '--library', lib)).out).toBe(`duplicate ${id} ${title.join(' ')}`);

    const clip = await cli('clip', id!, '--quote', QUOTE, '--note', 'key line', '--tag', 'quote', '--tag', 'place/Syria', '--library', lib);
    expect(clip.code).toBe(0);
    expect(clip.out).toMatch(new RegExp(`^clipped [0-9a-f]+ 1537-1568 in ${id}$`));

    const shown = JSON.parse((await cli('show', id!, '--json', '--library', lib)).out);
    expect(shown.article).toMatchObject({ id, published: '2024-12-06', dateline: 'United Nations', source: 'Xinhua', clippingCount: 1 });
    expect(shown.text.slice(1537, 1568)).toBe(QUOTE);
    expect(shown.clippings[0]).toMatchObject({
      note: 'key line',
      tags: ['quote', 'place/Syria'],
      selectors: [
        { type: 'TextQuoteSelector', exact: QUOTE },
        { type: 'TextPositionSelector', start: 1537, end: 1568 },
      ],
    });

    const out = join(work, 'clips.md');
    const exported = await cli('export', '--format', 'md', '--out', out, '--library', lib);
    expect(exported.out).toBe(`exported 1 article to ${out}`);
    const md = await readFile(out, 'utf8');
    expect(md).toContain(`> ${QUOTE}`);
    expect(md).toContain('key line');
    expect(md).toContain('`place/Syria`');
  });

  it('reports each failed file with its reason and exits 1', async () => {
    const work = await tempDir();
    await writeFile(join(work, 'empty.txt'), '');
    const r = await cli('import', join(work, 'empty.txt'), join(work, 'missing.txt'), SEED_DIR, '--library', join(work, 'lib'), '--empty');
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toEqual([
      `failed ${join(work, 'missing.txt')} no such file or folder`,
      `failed ${join(work, 'empty.txt')} the file is empty`,
      expect.stringMatching(/^imported [0-9a-f]{12} UN Secretary-General/),
    ]);
  });

  it('refuses a quote that is not in the article, and unknown commands', async () => {
    const lib = join(await tempDir(), 'lib');
    const id = JSON.parse((await cli('list', '--json', '--library', lib)).out)[0].id;
    const r = await cli('clip', id, '--quote', 'words nobody wrote', '--library', lib);
    expect(r).toMatchObject({ code: 1, err: `cuttings: The quote was not found in article ${id}` });
    expect((await cli('frobnicate', '--library', lib)).code).toBe(2);
    expect((await cli('show', 'nope', '--library', lib)).err).toBe('cuttings: No article with id nope');
  });

  it('prints only JSON with npm run -s … --json', async () => {
    const lib = join(await tempDir(), 'lib');
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'cuttings', '--', 'list', '--json', '--library', lib], { cwd: ROOT });
    const list = JSON.parse(stdout) as { title: string }[];
    expect(list).toHaveLength(1);
    expect(list[0]?.title).toMatch(/^UN Secretary-General/);
  });

  it('revises an article from a text file and reports each clipping as anchored, re-attached or orphan', async () => {
    const work = await tempDir();
    const lib = join(work, 'lib');
    const id = JSON.parse((await cli('list', '--json', '--library', lib)).out)[0].id as string;
    const kept = (await cli('clip', id, '--quote', QUOTE, '--label', 'Fact', '--library', lib, '--json')).out;
    const gone = (await cli('clip', id, '--quote', 'These must change.', '--library', lib, '--json')).out;
    const [keptId, goneId] = [JSON.parse(kept).id as string, JSON.parse(gone).id as string];
    expect(JSON.parse(kept).label).toBe('fact');

    const { text } = JSON.parse((await cli('show', id, '--json', '--library', lib)).out) as { text: string };
    const file = join(work, 'corrected.txt');
    await writeFile(file, `Editor's note: this article was updated.\n\n${text.replace(' "These must change."', '')}`);
    const revised = await cli('revise', id, '--text-file', file, '--library', lib);
    expect(revised).toMatchObject({ code: 0 });
    expect(revised.out.split('\n')[0]).toBe(`revised ${id}: 2 clippings, 0 in place, 1 re-attached, 1 orphaned`);

    const shown = JSON.parse((await cli('show', id, '--json', '--library', lib)).out) as { text: string; clippings: { id: string; anchor: { state: string; confidence?: number }; target: { position: { start: number; end: number } } }[] };
    const byId = new Map(shown.clippings.map((c) => [c.id, c]));
    const moved = byId.get(keptId)!;
    expect(moved.anchor.state).toBe('reanchored');
    expect(moved.anchor.confidence).toBeGreaterThan(0.9);
    expect(shown.text.slice(moved.target.position.start, moved.target.position.end)).toBe(QUOTE);
    expect(byId.get(goneId)!.anchor).toEqual({ state: 'orphan' });

    const latin1 = join(work, 'latin1.txt');
    await writeFile(latin1, Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    expect(await cli('revise', id, '--text-file', latin1, '--library', lib)).toMatchObject({ code: 1, err: `cuttings: ${latin1} is not UTF-8 text; article ${id} was left as it was` });
    expect((await cli('clip', id, '--quote', QUOTE, '--label', 'gossip', '--library', lib)).code).toBe(2);
    expect((await cli('labels', '--library', lib)).out.split('\n')[0]).toMatch(/^quote\s+yellow\s+quote$/);
  });

  it('searches titles, texts and notes with filters, in text and as JSON', async () => {
    const lib = join(await tempDir(), 'lib');
    const imported = await cli('import', SEED_DIR, '--library', lib, '--empty');
    const id = imported.out.split(' ')[1]!;
    await cli('clip', id, '--quote', QUOTE, '--note', 'see the quokkaish memo', '--label', 'claim', '--tag', 'place/Syria', '--library', lib);

    const text = await cli('search', 'quokkaish', '--library', lib);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^Articles: 0\nClippings: 1\n/);
    expect(text.out).toContain('note: see the [quokkaish] memo');

    const json = JSON.parse((await cli('search', 'guteres', 'secur', '--json', '--library', lib)).out);
    expect(json.articles.map((a: { articleId: string }) => a.articleId)).toEqual([id]);
    expect(json.terms).toEqual(expect.arrayContaining(['guterres']));

    const filtered = JSON.parse((await cli('search', '--label', 'claim', '--tag', 'place', '--json', '--library', lib)).out);
    expect(filtered.clippings.map((c: { quote: string }) => c.quote)).toEqual([QUOTE]);
    expect(JSON.parse((await cli('search', 'guterres', '--state', 'archived', '--json', '--library', lib)).out).totals).toEqual({ articles: 0, clippings: 0 });

    const bad = await cli('search', 'x', '--state', 'skimmed', '--library', lib);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--state is one of unread, reading, read, archived');
    expect((await cli('search', 'x', '--from', '12/01/2024', '--library', lib)).err).toContain('--from takes a date as YYYY-MM-DD');
    expect((await cli('search', '--library', lib)).err).toContain('search needs a query or a filter');
  });

  it('lists, renames (merging) and deletes tags everywhere', async () => {
    const lib = join(await tempDir(), 'lib');
    const id = JSON.parse((await cli('list', '--json', '--library', lib)).out)[0].id as string;
    await cli('clip', id, '--quote', QUOTE, '--tag', 'Syria', '--tag', 'place/Syria', '--library', lib);
    expect((await cli('tags', '--library', lib)).out.split('\n')).toEqual(['place/Syria  0 articles, 1 clipping', 'Syria  0 articles, 1 clipping']);
    expect((await cli('tags', 'rename', 'Syria', 'place/Syria', '--library', lib)).out).toBe('renamed Syria to place/Syria: 0 articles, 1 clipping');
    expect(JSON.parse((await cli('tags', 'list', '--json', '--library', lib)).out)).toEqual([{ tag: 'place/Syria', articles: 0, clippings: 1 }]);
    expect((await cli('tags', 'delete', 'place', '--library', lib)).out).toBe('deleted place: 0 articles, 1 clipping');
    expect((await cli('tags', '--library', lib)).out).toBe('(no tags)');
  });
});

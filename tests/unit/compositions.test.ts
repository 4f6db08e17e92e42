import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library, type CompositionItem } from '../../electron/library';
import { snapshot, tempDir } from './helpers/temp';

/** A clock that moves one second per reading. */
function ticking(start = Date.parse('2025-03-01T09:00:00.000Z')) {
  let t = start;
  return () => new Date((t += 1000));
}

const items: CompositionItem[] = [
  { kind: 'heading', text: 'Syria' },
  { kind: 'clipping', clippingId: 'c0ffee000001' },
  { kind: 'clipping', clippingId: 'c0ffee000002' },
];

describe('press reviews (compositions)', () => {
  it('are created, listed newest first, replaced (createdAt kept, updatedAt now) and kept across a restart', async () => {
    const dir = join(await tempDir(), 'lib');
    const library = await Library.open(dir, { now: ticking() });
    const first = await library.saveComposition({ title: '  Weekly  ', introduction: 'Intro', items });
    expect(first).toEqual({ id: expect.stringMatching(/^[0-9a-f]{12}$/), title: 'Weekly', introduction: 'Intro', items, createdAt: expect.any(String), updatedAt: first.createdAt });
    const second = await library.saveComposition({ title: 'Monthly', introduction: '', items: [] });
    expect((await library.listCompositions()).map((c) => c.title)).toEqual(['Monthly', 'Weekly']);

    const replaced = await library.saveComposition({ id: first.id, title: 'Weekly (final)', introduction: 'Intro', items: items.slice(1) });
    expect(replaced).toMatchObject({ id: first.id, createdAt: first.createdAt, items: items.slice(1) });
    expect(replaced.updatedAt > second.updatedAt).toBe(true);
    expect((await library.listCompositions()).map((c) => c.id)).toEqual([first.id, second.id]);
    await library.close();

    const reopened = await Library.open(dir);
    expect(await reopened.getComposition(first.id)).toEqual(replaced);
    expect(JSON.parse(await readFile(join(dir, 'compositions.json'), 'utf8'))).toMatchObject({ schemaVersion: 2, compositions: [expect.objectContaining({ id: first.id }), expect.objectContaining({ id: second.id })] });
    await reopened.close();
  });

  it('deleting gives the press review back for undo; saving it with its id restores it', async () => {
    const library = await Library.open(join(await tempDir(), 'lib'), { now: ticking() });
    const saved = await library.saveComposition({ title: 'Weekly', introduction: 'Intro', items });
    const deleted = await library.deleteComposition(saved.id);
    expect(deleted).toEqual(saved);
    expect(await library.listCompositions()).toEqual([]);
    await expect(library.getComposition(saved.id)).rejects.toMatchObject({ code: 'not-found' });
    const restored = await library.saveComposition(deleted);
    expect(restored).toEqual({ ...saved, updatedAt: expect.any(String) });
    expect(restored.updatedAt > saved.updatedAt).toBe(true);
    await expect(library.deleteComposition('nope')).rejects.toMatchObject({ code: 'not-found', message: 'No press review with id nope' });
    await library.close();
  });

  it('refuses what the schema refuses, and writes nothing', async () => {
    const dir = join(await tempDir(), 'lib');
    const library = await Library.open(dir);
    await library.saveComposition({ title: 'Weekly', introduction: '', items });
    await library.flush();
    const before = await snapshot(dir, { records: true });
    await expect(library.saveComposition({ title: '   ', introduction: '', items })).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/title/) });
    await expect(library.saveComposition({ title: 'x', introduction: '', items: [{ kind: 'heading', text: '' }] })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(library.saveComposition({ title: 'x', introduction: '', items: [{ kind: 'clipping', clippingId: '../x' }] })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(library.saveComposition({ id: 'bad id', title: 'x', introduction: '', items: [] })).rejects.toMatchObject({ code: 'invalid-input' });
    await library.flush();
    expect(await snapshot(dir, { records: true })).toEqual(before);
    await library.close();
  });

  it('keeps every one of many saved at once (each change rewrites the file from the one before)', async () => {
    const library = await Library.open(join(await tempDir(), 'lib'));
    await Promise.all(Array.from({ length: 20 }, (_, i) => library.saveComposition({ title: `Review ${i}`, introduction: '', items: [] })));
    expect(await library.listCompositions()).toHaveLength(20);
    await library.close();
  });

  it('a damaged file no backup holds is reported, naming it, and left untouched', async () => {
    const dir = join(await tempDir(), 'lib');
    const library = await Library.open(dir);
    await library.saveComposition({ title: 'Weekly', introduction: '', items });
    await library.close();
    await rm(join(dir, 'backups'), { recursive: true });
    await writeFile(join(dir, 'compositions.json'), '{"schemaVersion": 2, "compositions": [{"id": "x"}]}');
    const reopened = await Library.open(dir);
    await expect(reopened.listCompositions()).rejects.toMatchObject({ code: 'corrupt', message: expect.stringContaining(join(dir, 'compositions.json')) });
    await reopened.close();
    expect(await readFile(join(dir, 'compositions.json'), 'utf8')).toBe('{"schemaVersion": 2, "compositions": [{"id": "x"}]}');
  });

  it('a damaged file is restored from the catalog backup made when the library last closed', async () => {
    const dir = join(await tempDir(), 'lib');
    const library = await Library.open(dir);
    const saved = await library.saveComposition({ title: 'Weekly', introduction: 'Monday', items });
    await library.close();
    await writeFile(join(dir, 'compositions.json'), '{"schemaVersion": 2, "compositions": [{"id": "x"}]}');
    const reopened = await Library.open(dir);
    expect(await reopened.listCompositions()).toEqual([saved]);
    expect(reopened.problems.join('\n')).toMatch(/compositions\.json could not be read .*restored from the backup of/);
    await reopened.close();
    expect((await readdir(dir)).filter((n) => n.startsWith('compositions.json.damaged-'))).toHaveLength(1);
  });
});

import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LABELS, Library } from '../../electron/library';
import { SEED_DIR, snapshot, tempDir } from './helpers/temp';

const QUOTE = 'It is time for serious dialogue';

async function seeded() {
  const dir = join(await tempDir(), 'library');
  const library = await Library.open(dir, { seedDir: SEED_DIR });
  const id = (await library.listArticles())[0]!.id;
  const { text } = await library.getArticle(id);
  const clip = (words: string, label = 'quote', note = '') => {
    const start = text.indexOf(words);
    return library.createClipping({ articleId: id, start, end: start + words.length, exact: words, label, note });
  };
  return { dir, library, id, text, clip };
}

describe('labels', () => {
  it('gives a new library the five default labels, and keeps renames and colours across a restart', async () => {
    const { dir, library, clip } = await seeded();
    expect(library.labels().map((l) => l.name)).toEqual(['quote', 'fact', 'claim', 'background', 'follow-up']);
    const c = await clip(QUOTE, 'claim');
    const renamed = library.labels().map((l) => (l.id === 'claim' ? { ...l, name: 'Disputed claim', color: 'purple' as const } : l));
    await library.saveLabels([...renamed, { id: 'context', name: 'context', color: 'teal' }]);
    await library.close();
    const again = await Library.open(dir);
    expect(again.labels().find((l) => l.id === 'claim')).toEqual({ id: 'claim', name: 'Disputed claim', color: 'purple' });
    expect(again.labels()).toHaveLength(6);
    // The clipping keeps the label's id, so it shows the new name and colour.
    expect((await again.getClipping(c.id)).label).toBe('claim');
    await again.close();
  });

  it('refuses to drop a label that clippings still use, naming it and the count, and changes nothing', async () => {
    const { dir, library, clip } = await seeded();
    await clip(QUOTE, 'fact');
    await clip('These must change.', 'fact');
    await library.flush();
    const before = await snapshot(dir);
    await expect(library.saveLabels(DEFAULT_LABELS.filter((l) => l.id !== 'fact'))).rejects.toThrow(/“fact” \(2 clippings\)/);
    expect(library.labels().map((l) => l.id)).toContain('fact');
    await library.flush();
    expect(await snapshot(dir)).toEqual(before);
  });

  it('refuses a clipping with a label the library does not have', async () => {
    const { library, clip } = await seeded();
    await expect(clip(QUOTE, 'opinion')).rejects.toMatchObject({ code: 'invalid-input' });
    expect(library.clippingCount).toBe(0);
  });
});

describe('undo and re-attaching', () => {
  it('restores an earlier state of a changed clipping (undo of an edit)', async () => {
    const { library, clip } = await seeded();
    const original = await clip(QUOTE, 'quote', 'first note');
    await library.updateClipping(original.id, { note: 'second note', label: 'fact', tags: ['x'] });
    const restored = await library.restoreClipping(original);
    expect(restored).toMatchObject({ note: 'first note', label: 'quote', tags: [] });
    expect((await library.getClipping(original.id))).toEqual(original);
    expect(library.clippingCount).toBe(1);
  });

  it('attaches an orphan to the words the user selects, keeping its note and label', async () => {
    const { library, id, text, clip } = await seeded();
    const c = await clip('Tens of thousands of civilians are at risk', 'fact', 'scale of the threat');
    const revised = text.replace('Tens of thousands of civilians are at risk', 'Many people are in danger');
    const detail = await library.reviseArticle(id, revised);
    const orphan = detail.clippings.find((x) => x.id === c.id)!;
    expect(orphan.anchor?.state).toBe('orphan');
    const at = detail.text.indexOf('Many people are in danger');
    const reattached = await library.reattachClipping(c.id, at, at + 'Many people are in danger'.length, 'Many people are in danger');
    expect(reattached).toMatchObject({ label: 'fact', note: 'scale of the threat', target: { quote: { exact: 'Many people are in danger' }, position: { start: at } } });
    expect(reattached.anchor).toBeUndefined();
    // And undo puts the orphan back as it was.
    await library.restoreClipping(orphan);
    expect((await library.getClipping(c.id)).anchor?.state).toBe('orphan');
  });

  it('refuses to re-attach to words that are not what the user saw', async () => {
    const { library, clip } = await seeded();
    const c = await clip(QUOTE);
    await expect(library.reattachClipping(c.id, 0, 10, 'not these words')).rejects.toMatchObject({ code: 'conflict' });
    expect((await library.getClipping(c.id))).toEqual(c);
  });
});

describe('revising an article', () => {
  it('keeps the old text as a version, headings and unchanged paragraphs as they were, and re-attaches clippings', async () => {
    const { library, id, text, clip } = await seeded();
    const c = await clip(QUOTE, 'quote', 'talks');
    const before = await library.getArticle(id);
    const revised = `Correction: an earlier version misstated the date.\n\n${text}`;
    const after = await library.reviseArticle(id, revised);
    expect(after.text).toBe(revised.trim());
    expect(after.blocks.slice(1)).toEqual(before.blocks);
    expect((await library.versions(id))).toHaveLength(1);
    const moved = after.clippings.find((x) => x.id === c.id)!;
    expect(after.text.slice(moved.target.position.start, moved.target.position.end)).toBe(QUOTE);
    expect(moved.note).toBe('talks');
  });

  it('does nothing for an unchanged text, and refuses an empty one leaving the library as it was', async () => {
    const { dir, library, id, text } = await seeded();
    await library.reviseArticle(id, `${text}\r\n`);
    expect((await library.versions(id))).toHaveLength(0);
    await library.flush();
    const before = await snapshot(dir);
    await expect(library.reviseArticle(id, '\n \n')).rejects.toMatchObject({ code: 'invalid-input' });
    await library.flush();
    expect(await snapshot(dir)).toEqual(before);
  });
});

describe('schema migration 1 → 2', () => {
  it('reads a library written by schema 1 (colours, no labels file) without writing, and upgrades a record on its next change', async () => {
    const { dir, library, id, clip } = await seeded();
    const pink = await clip(QUOTE, 'claim');
    const yellow = await clip('These must change.', 'quote');
    await library.close();
    // Turn the record back into what Cuttings with schema 1 wrote: colours on clippings, no labels.json.
    const recordPath = join(dir, 'articles', id, 'article.json');
    const record = JSON.parse(await readFile(recordPath, 'utf8'));
    record.schemaVersion = 1;
    record.clippings = record.clippings.map(({ label, ...c }: { label: string }) => ({ ...c, color: label === 'claim' ? 'pink' : 'yellow' }));
    await writeFile(recordPath, JSON.stringify(record));
    await rm(join(dir, 'labels.json'), { force: true });
    // Nor a catalog cache or change markers (they came with schema 2's Cuttings).
    await rm(join(dir, 'catalog.cache'), { force: true });
    await rm(join(dir, 'changes'), { recursive: true, force: true });
    const v1 = await snapshot(dir);

    const reopened = await Library.open(dir);
    expect(reopened.problems).toEqual([]);
    expect((await reopened.getClipping(pink.id)).label).toBe('claim');
    expect((await reopened.getClipping(yellow.id)).label).toBe('quote');
    expect(reopened.labels()).toEqual(DEFAULT_LABELS);
    await reopened.flush();
    expect(await snapshot(dir)).toEqual(v1);

    await reopened.updateClipping(pink.id, { note: 'now schema 2' });
    await reopened.close();
    const upgraded = JSON.parse(await readFile(recordPath, 'utf8'));
    expect(upgraded.schemaVersion).toBe(2);
    expect(upgraded.clippings.map((c: { label: string; color?: string }) => [c.label, c.color])).toEqual([
      ['claim', undefined],
      ['quote', undefined],
    ]);
  });

  it('reports a schema-1 clipping with a colour it never had as damage, leaving the file untouched', async () => {
    const { dir, library, id, clip } = await seeded();
    await clip(QUOTE);
    await library.close();
    const recordPath = join(dir, 'articles', id, 'article.json');
    const record = JSON.parse(await readFile(recordPath, 'utf8'));
    record.schemaVersion = 1;
    record.clippings = record.clippings.map(({ label: _l, ...c }: { label: string }) => ({ ...c, color: 'ultraviolet' }));
    const raw = JSON.stringify(record);
    await writeFile(recordPath, raw);
    await rm(join(dir, 'catalog.cache'), { force: true });
    // No backup of the catalog to restore it from (catalog-backups.test.ts covers restoring).
    await rm(join(dir, 'backups'), { recursive: true, force: true });
    const reopened = await Library.open(dir);
    expect(reopened.problems.join('\n')).toMatch(/from schema 1 to 2 .*ultraviolet/);
    expect(reopened.articleCount).toBe(0);
    await reopened.close();
    expect(await readFile(recordPath, 'utf8')).toBe(raw);
  });
});

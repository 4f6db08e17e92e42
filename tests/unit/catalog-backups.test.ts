import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Library } from '../../electron/library';
import { SNAPSHOTS_KEPT, backupTime, listSnapshots } from '../../electron/library/storage/snapshots';
import { SEED_DIR, tempDir } from './helpers/temp';

const QUOTE = 'It is time for serious dialogue';
const HOUR = 60 * 60 * 1000;

/** A clock the test moves on: backups are made at most once an hour. */
function clock(start = Date.parse('2026-03-01T09:00:00.000Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

/** A seeded library with one clipping, closed (which backs up its catalog), and the clock an hour on. */
async function backedUp() {
  const dir = join(await tempDir(), 'library');
  const time = clock();
  const library = await Library.open(dir, { seedDir: SEED_DIR, now: time.now });
  const [article] = await library.listArticles();
  if (!article) throw new Error('the seeded library is empty');
  const text = (await library.getArticle(article.id)).text;
  const start = text.indexOf(QUOTE);
  const first = await library.createClipping({ articleId: article.id, start, end: start + QUOTE.length, exact: QUOTE, label: 'quote', note: 'first' });
  await library.close();
  time.advance(HOUR);
  return { dir, time, id: article.id, first, clip: { start, end: start + QUOTE.length } };
}

async function damaged(dir: string, file: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith(`${file}.damaged-`));
}

describe('rotating backups of the catalog', () => {
  it('backs up a changed library when it closes, at most once an hour, keeping the newest seven', async () => {
    const { dir, time, id, clip } = await backedUp();
    expect(await listSnapshots(dir)).toHaveLength(1);

    // Opened and closed without a change: no new backup.
    await (await Library.open(dir, { now: time.now })).close();
    expect(await listSnapshots(dir)).toHaveLength(1);

    // A change within the hour: none either.
    time.advance(-HOUR / 2);
    let library = await Library.open(dir, { now: time.now });
    await library.setArticleTags(id, ['within-the-hour']);
    await library.close();
    expect(await listSnapshots(dir)).toHaveLength(1);

    for (let i = 0; i < SNAPSHOTS_KEPT + 2; i++) {
      time.advance(HOUR);
      library = await Library.open(dir, { now: time.now });
      await library.createClipping({ articleId: id, ...clip, exact: QUOTE, label: 'quote', note: `change ${i}` });
      await library.close();
    }
    const kept = await listSnapshots(dir);
    expect(kept).toHaveLength(SNAPSHOTS_KEPT);
    expect(kept[0]?.takenAt).toBe(time.now().toISOString());
    // Newest first, an hour apart: the two oldest were deleted.
    expect(Date.parse(kept[0]!.takenAt) - Date.parse(kept.at(-1)!.takenAt)).toBe((SNAPSHOTS_KEPT - 1) * HOUR);
  });

  it('restores a damaged article record from the newest backup, tells what was lost, and keeps the damaged file', async () => {
    const { dir, time, id, first, clip } = await backedUp();
    // A second clipping, backed up an hour later; then a third that no backup has.
    let library = await Library.open(dir, { now: time.now });
    const second = await library.createClipping({ articleId: id, ...clip, exact: QUOTE, label: 'quote', note: 'second' });
    await library.close();
    time.advance(10 * 60 * 1000);
    library = await Library.open(dir, { now: time.now });
    await library.createClipping({ articleId: id, ...clip, exact: QUOTE, label: 'quote', note: 'third, after the backup' });
    await library.close();
    const backups = await listSnapshots(dir);
    expect(backups).toHaveLength(2);

    const folder = join(dir, 'articles', id);
    const garbage = '{"schemaVersion": 1, "article": {"id": "tor';
    await writeFile(join(folder, 'article.json'), garbage);

    // Opened from the catalog cache, the record is read when the article is opened: restored then.
    library = await Library.open(dir, { now: time.now });
    const detail = await library.getArticle(id);
    expect(detail.clippings.map((c) => c.note).sort()).toEqual([first.note, second.note].sort());
    const said = library.problems.join('\n');
    expect(said).toContain(`${join(folder, 'article.json')} could not be read (it is not valid JSON)`);
    expect(said).toContain(`restored from the backup of ${backupTime(backups[0]!.takenAt)}`);
    expect(said).toContain('changes made to it after then are lost');
    const aside = await damaged(folder, 'article.json');
    expect(aside).toHaveLength(1);
    expect(said).toContain(`kept beside it as ${aside[0]!}`);
    expect(await readFile(join(folder, aside[0]!), 'utf8')).toBe(garbage);
    // The library goes on from the restored record, and it is in place on disk.
    await library.setArticleTags(id, ['after-restore']);
    await library.close();
    const again = await Library.open(dir, { now: time.now });
    expect((await again.getArticle(id)).article.tags).toEqual(['after-restore']);
    expect(again.problems).toEqual([]);
    await again.close();
    // The damaged copy is still there, untouched.
    expect(await readFile(join(folder, aside[0]!), 'utf8')).toBe(garbage);
  });

  it('restores at open when every record is read then, and skips a backup that cannot be read itself', async () => {
    const { dir, time, id, first } = await backedUp();
    let library = await Library.open(dir, { now: time.now });
    await library.setArticleTags(id, ['second-backup']);
    await library.close();
    const [newest, older] = await listSnapshots(dir);
    // The newest backup is truncated; the older one still has the record.
    const newestPath = join(dir, 'backups', newest!.name);
    await writeFile(newestPath, (await readFile(newestPath)).subarray(0, 100));
    await writeFile(join(dir, 'articles', id, 'article.json'), 'not json at all');
    await rm(join(dir, 'catalog.cache'));

    library = await Library.open(dir, { now: time.now });
    expect(library.articleCount).toBe(1);
    expect(library.problems.join('\n')).toContain(`restored from the backup of ${backupTime(older!.takenAt)}`);
    const detail = await library.getArticle(id);
    expect(detail.clippings.map((c) => c.id)).toEqual([first.id]);
    // The older backup did not have the tag: that change is what was lost.
    expect(detail.article.tags).toEqual([]);
    await library.close();
  });

  it('restores damaged labels, which would otherwise stop the library opening', async () => {
    const { dir, time } = await backedUp();
    const before = await Library.open(dir, { now: time.now });
    // Labels the user renamed: a file of their own, backed up at close.
    const labels = await before.saveLabels(before.labels().map((l, i) => (i === 0 ? { ...l, name: 'Key quote' } : l)));
    await before.close();
    await writeFile(join(dir, 'labels.json'), '{"schemaVersion":1,"labels":[{"id":"quote","name":');
    const library = await Library.open(dir, { now: time.now });
    expect(library.labels()).toEqual(labels);
    expect(library.problems.join('\n')).toMatch(/labels\.json could not be read .* restored from the backup of/);
    expect(await damaged(dir, 'labels.json')).toHaveLength(1);
    await library.close();
  });

  it('with no backup, a damaged labels file is refused by name and the library is let go, not left locked', async () => {
    const { dir, time } = await backedUp();
    await rm(join(dir, 'backups'), { recursive: true });
    await writeFile(join(dir, 'labels.json'), '{"schemaVersion":1,"labels":[');
    for (let attempt = 0; attempt < 2; attempt++) {
      // The second attempt is refused for the same reason, not because the first left the library locked.
      await expect(Library.open(dir, { now: time.now })).rejects.toMatchObject({ code: 'corrupt', message: expect.stringContaining(join(dir, 'labels.json')) });
    }
    expect(await readFile(join(dir, 'labels.json'), 'utf8')).toBe('{"schemaVersion":1,"labels":[');
    expect(await damaged(dir, 'labels.json')).toEqual([]);
  });

  it('never "restores" a record written by a newer Cuttings: the library is refused and the file left as it is', async () => {
    const { dir, time, id } = await backedUp();
    const file = join(dir, 'articles', id, 'article.json');
    const record = JSON.parse(await readFile(file, 'utf8')) as { schemaVersion: number };
    const newer = JSON.stringify({ ...record, schemaVersion: 99 });
    await writeFile(file, newer);
    await rm(join(dir, 'catalog.cache'));
    await expect(Library.open(dir, { now: time.now })).rejects.toMatchObject({ code: 'newer-schema' });
    expect(await readFile(file, 'utf8')).toBe(newer);
    expect(await damaged(join(dir, 'articles', id), 'article.json')).toEqual([]);
  });
});

import { createHash } from 'node:crypto';
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../electron/library/storage/store';
import { crashed, tempDir } from './helpers/temp';

describe('Store (journal + group commit)', () => {
  it('keeps every acknowledged write when checkpoints run while writes are being appended', async () => {
    const dir = await tempDir();
    const store = await Store.open(dir);
    const writes: Promise<void>[] = [];
    const checkpoints: Promise<void>[] = [];
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 25; i++) writes.push(store.write([{ path: `a/${i}.json`, data: `{"round":${round}}` }]));
      checkpoints.push(store.checkpoint());
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all([...writes, ...checkpoints]);
    for (let i = 0; i < 25; i++) expect(await store.read(`a/${i}.json`)).toBe('{"round":19}');
    for (let i = 0; i < 25; i++) expect(await readFile(join(dir, `a/${i}.json`), 'utf8')).toBe('{"round":19}');
    // One more round, acknowledged but not yet in place; then a crash (no close) and a new process.
    await Promise.all(Array.from({ length: 25 }, (_, i) => store.write([{ path: `a/${i}.json`, data: '{"round":20}' }])));
    expect(await readFile(join(dir, 'a/0.json'), 'utf8')).toBe('{"round":19}');
    await crashed(dir);
    const reopened = await Store.open(dir);
    for (let i = 0; i < 25; i++) expect(await readFile(join(dir, `a/${i}.json`), 'utf8')).toBe('{"round":20}');
    await reopened.close();
    expect((await readdir(dir)).filter((n) => n.startsWith('journal-'))).toEqual([]);
  });

  it('replays intact journal lines and ignores a torn last line', async () => {
    const dir = await tempDir();
    const store = await Store.open(dir);
    await store.write([{ path: 'x.json', data: 'first' }]);
    await store.write([{ path: 'y.json', data: 'second' }]);
    const [journal] = (await readdir(dir)).filter((n) => n.startsWith('journal-'));
    // A crash mid-append: half a line, never acknowledged.
    await appendFile(join(dir, journal!), '{"v":1,"seq":3,"h":"abc","files":"[{\\"p\\":\\"z.json\\",\\"d\\":\\"to');
    await crashed(dir);
    const reopened = await Store.open(dir);
    expect(await reopened.read('x.json')).toBe('first');
    expect(await reopened.read('y.json')).toBe('second');
    expect(await reopened.read('z.json')).toBeNull();
    expect(await readFile(join(dir, 'y.json'), 'utf8')).toBe('second'); // in place after the replay
  });

  it('refuses paths outside the library, in writes and in a tampered journal', async () => {
    const dir = await tempDir();
    const store = await Store.open(dir);
    for (const path of ['../escape.json', '/etc/passwd', 'a/../../b', 'journal-000009.jsonl']) {
      await expect(store.write([{ path, data: 'x' }])).rejects.toMatchObject({ code: 'invalid-input' });
    }
    const line = (files: string) => `${JSON.stringify({ v: 1, seq: 1, h: createHash('sha256').update(files).digest('hex').slice(0, 32), files })}\n`;
    await writeFile(join(dir, 'journal-000001.jsonl'), line(JSON.stringify([{ p: '../../outside.txt', d: 'pwned' }])));
    await crashed(dir);
    await expect(Store.open(dir)).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('replays a journal left by the previous journal format (version 1) after a crash', async () => {
    const dir = await tempDir();
    const v1 = (seq: number, files: string) => `${JSON.stringify({ v: 1, seq, h: createHash('sha256').update(files).digest('hex').slice(0, 32), files })}\n`;
    await writeFile(
      join(dir, 'journal-000001.jsonl'),
      v1(1, JSON.stringify([{ p: 'a/old.json', d: '{"kept":true}' }])) + v1(2, JSON.stringify([{ p: 'img.png', b: Buffer.from([1, 2, 3]).toString('base64') }])),
    );
    const store = await Store.open(dir);
    expect(await readFile(join(dir, 'a/old.json'), 'utf8')).toBe('{"kept":true}');
    expect([...(await readFile(join(dir, 'img.png')))]).toEqual([1, 2, 3]);
    await store.close();
  });

  it('stops replaying at a line whose files were torn or do not match their checksum', async () => {
    const dir = await tempDir();
    const store = await Store.open(dir);
    await store.write([{ path: 'x.json', data: 'first\twith a tab\nand a newline' }]);
    const [journal] = (await readdir(dir)).filter((n) => n.startsWith('journal-'));
    const lines = (await readFile(join(dir, journal!), 'utf8')).split('\n');
    expect(lines).toHaveLength(2); // one line per transaction, whatever its data holds
    const [header] = lines[0]!.split('\t');
    // A damaged line (same header, other files), then a good-looking one after it: replay stops at the damage.
    await appendFile(join(dir, journal!), `${header}\t[{"p":"y.json","d":"forged"}]\n${lines[0]}\n`);
    await crashed(dir);
    const reopened = await Store.open(dir);
    expect(await reopened.read('x.json')).toBe('first\twith a tab\nand a newline');
    expect(await reopened.read('y.json')).toBeNull();
    await reopened.close();
  });
});

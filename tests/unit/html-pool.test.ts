import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import type { FileRead } from '../../electron/library/import/files';
import { parseArticleBytes } from '../../electron/library/import/files';
import { PagePool } from '../../electron/library/import/html-pool';
import { ROOT } from './helpers/temp';

const page = (name: string) => readFileSync(join(ROOT, 'tests', 'golden', 'html', name, 'source.html'));
const reasons = (reads: FileRead[]) => reads.map((r) => (r.ok ? 'ok' : r.reason));

/** A pool whose in-thread parses are counted, and a wait until its workers are up. */
function countingPool(startWorker?: () => Worker) {
  const inThread: string[] = [];
  const pool = new PagePool((path, bytes) => {
    inThread.push(path);
    return parseArticleBytes(path, bytes);
  }, startWorker);
  const warm = async () => {
    // A second page within the idle time starts the workers; both are parsed here meanwhile.
    await pool.parse('first.html', page('structure'));
    await pool.parse('second.html', page('structure'));
    await vi.waitFor(() => expect(pool.readyWorkers).toBeGreaterThan(0), { timeout: 60_000, interval: 50 });
  };
  return { pool, inThread, warm };
}

describe('parsing pages in worker threads', () => {
  it('parses a page alone on the calling thread, starting no worker', async () => {
    const { pool, inThread } = countingPool();
    expect(await pool.parse('alone.html', page('structure'))).toEqual(parseArticleBytes('alone.html', page('structure')));
    expect(inThread).toEqual(['alone.html']);
    expect(pool.readyWorkers).toBe(0);
  });

  it('parses a batch in workers once they are up, exactly as on the calling thread', { timeout: 90_000 }, async () => {
    const { pool, inThread, warm } = countingPool();
    await warm();
    const names = ['hostile', 'structure', 'hostile', 'structure'];
    const reads = await Promise.all(names.map((name, i) => pool.parse(`${name}-${i}.html`, page(name))));
    reads.forEach((read, i) => expect(read).toEqual(parseArticleBytes(`${names[i]}-${i}.html`, page(names[i] as string))));
    const empty = Buffer.from('<html><head><title>t</title></head><body></body></html>');
    expect(await pool.parse('nav.html', empty)).toEqual({ ok: false, path: 'nav.html', reason: 'no readable article found in the page' });
    expect(inThread).toEqual(['first.html', 'second.html']);
  });

  it('parses on the calling thread where no worker can start', async () => {
    const throwing = countingPool(() => {
      throw new Error('no workers here');
    });
    // A worker whose code fails to load, as a build without the worker's file would.
    const failing = countingPool(() => new Worker('throw new Error("cannot load")', { eval: true }));
    for (const { pool, inThread } of [throwing, failing]) {
      const reads = [];
      for (const name of ['a.html', 'b.html', 'c.html']) reads.push(await pool.parse(name, page('structure')));
      await new Promise((r) => setTimeout(r, 500));
      reads.push(await pool.parse('d.html', page('structure')));
      expect(reasons(reads)).toEqual(['ok', 'ok', 'ok', 'ok']);
      expect(inThread).toEqual(['a.html', 'b.html', 'c.html', 'd.html']);
      expect(pool.readyWorkers).toBe(0);
    }
  });

  it('fails only the page whose worker died while parsing it, naming why, and goes on with the rest', { timeout: 90_000 }, async () => {
    // Dies on a page named crash.html (as one could on running out of memory), answers the others.
    const dying = () =>
      new Worker(
        `const { parentPort } = require('node:worker_threads');
         parentPort.on('message', ({ id, path }) => {
           if (path === 'crash.html') throw new Error('out of memory');
           parentPort.postMessage({ id, read: { ok: false, path, reason: 'answered' } });
         });
         parentPort.postMessage({ ready: true });`,
        { eval: true },
      );
    const { pool, warm } = countingPool(dying);
    await warm();
    const reads = await Promise.all(['a.html', 'crash.html', 'b.html', 'c.html'].map((p) => pool.parse(p, page('structure'))));
    expect(reasons(reads)[1]).toBe('the page could not be read (its parser stopped: out of memory)');
    // The others: by a worker still up, or here if none is left.
    for (const i of [0, 2, 3]) expect(['answered', 'ok']).toContain(reasons(reads)[i]);
  });
});

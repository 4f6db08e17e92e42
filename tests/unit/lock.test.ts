import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Library, LibraryError } from '../../electron/library';
import { LOCK_FILE, writeForeignLock } from '../../electron/library/storage/lock';
import { main } from '../../electron/cli';
import { SEED_DIR, tempDir } from './helpers/temp';

/** A child process that stays alive until killed, and its pid. */
function liveProcess() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  return child;
}

function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((r) => child.on('exit', r));
  return child.pid as number;
}

describe('one process writes a library at a time', () => {
  it('refuses a second open of a library that is open, naming the library, and opens once it is closed', async () => {
    const dir = await tempDir();
    const first = await Library.open(dir, { purpose: 'the Cuttings app' });
    const refused = await Library.open(dir).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LibraryError);
    expect((refused as LibraryError).code).toBe('locked');
    expect((refused as LibraryError).message).toContain(dir);
    await first.close();
    expect(await readdir(dir)).not.toContain(LOCK_FILE);
    const again = await Library.open(dir);
    await again.close();
  });

  it('refuses while another live process holds it, and says who', async () => {
    const dir = await tempDir();
    await (await Library.open(dir)).close();
    const holder = liveProcess();
    try {
      await new Promise((r) => holder.on('spawn', r));
      writeForeignLock(dir, { pid: holder.pid as number, started: startTimeOf(holder.pid as number), purpose: 'the Cuttings app' });
      const refused = (await Library.open(dir).catch((e: unknown) => e)) as LibraryError;
      expect(refused.code).toBe('locked');
      expect(refused.message).toMatch(new RegExp(`in use: it is open in the Cuttings app \\(process ${holder.pid}`));
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('takes over at once the lock of a process that died (a crash never locks the user out)', async () => {
    const dir = await tempDir();
    await (await Library.open(dir)).close();
    writeForeignLock(dir, { pid: await deadPid(), purpose: 'the Cuttings app' });
    const library = await Library.open(dir);
    await library.close();
    expect(await readdir(dir)).not.toContain(LOCK_FILE);
  });

  it('does not mistake a recycled pid for the process that left the lock', async () => {
    const dir = await tempDir();
    await (await Library.open(dir)).close();
    const other = liveProcess();
    try {
      await new Promise((r) => other.on('spawn', r));
      // The lock's owner started at another time than the process now using that pid.
      writeForeignLock(dir, { pid: other.pid as number, started: '1', purpose: 'the Cuttings app' });
      const library = await Library.open(dir);
      await library.close();
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('a CLI command refuses, with exit code 1 and a clear message, while the library is held', async () => {
    const dir = await tempDir();
    await (await Library.open(dir)).close();
    const holder = liveProcess();
    try {
      await new Promise((r) => holder.on('spawn', r));
      writeForeignLock(dir, { pid: holder.pid as number, started: startTimeOf(holder.pid as number), purpose: 'the Cuttings app' });
      const err: string[] = [];
      const code = await main(['import', SEED_DIR, '--library', dir], { out: () => undefined, err: (s: string) => err.push(s) });
      expect(code).toBe(1);
      expect(err.join('\n')).toMatch(/is in use: it is open in the Cuttings app/);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});

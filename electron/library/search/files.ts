import { open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { IndexFiles } from './types';
import { ensureOwnDir } from '../storage/atomic-file';

/**
 * Index files in a folder, written whole (temp file, rename) so a reader sees
 * the old file or the new one. Not fsynced: the index is derived data, and a
 * file torn by a crash fails its checksum and is rebuilt from the library;
 * keeping it out of the Store's journal also spares the journal a large
 * binary (base64 in JSON) that nobody needs replayed.
 */
export function folderIndexFiles(root: string): IndexFiles {
  return {
    async read(path) {
      // One read of the whole file, not readFile's 512 KB chunks: each chunk is a trip through
      // libuv's thread pool, and on a busy machine those trips, not the copying, were most of
      // the time (100 MB: 0.8 s vs 0.25 s here).
      const fh = await openIfThere(join(root, path));
      if (!fh) return null;
      try {
        const size = (await fh.stat()).size;
        const bytes = Buffer.allocUnsafeSlow(size);
        let at = 0;
        while (at < size) {
          const { bytesRead } = await fh.read(bytes, at, size - at, at);
          if (bytesRead === 0) break;
          at += bytesRead;
        }
        return at === size ? bytes : bytes.subarray(0, at);
      } finally {
        await fh.close();
      }
    },
    async readRange(path, offset, length) {
      const fh = await openIfThere(join(root, path));
      if (!fh) return null;
      try {
        const bytes = Buffer.allocUnsafeSlow(length);
        const { bytesRead } = await fh.read(bytes, 0, length, offset);
        return bytesRead === length ? bytes : bytes.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    },
    async write(path, data) {
      const target = join(root, path);
      await ensureOwnDir(root, dirname(target));
      const temp = join(dirname(target), `.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(temp, data);
        await rename(temp, target);
      } catch (e) {
        await rm(temp, { force: true }).catch(() => undefined);
        throw e;
      }
    },
  };
}

/** The file open for reading, or null when there is none. */
async function openIfThere(path: string): Promise<FileHandle | null> {
  try {
    return await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Files kept in memory: for tests, and for a library that should not persist its index. */
export function memoryIndexFiles(): IndexFiles & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    // A copy, as a file read gives: the index uses what it reads in place and changes it.
    read: async (path) => {
      const data = files.get(path);
      return data ? new Uint8Array(data) : null;
    },
    readRange: async (path, offset, length) => {
      const data = files.get(path);
      return data ? data.slice(offset, offset + length) : null;
    },
    write: async (path, data) => {
      files.set(path, new Uint8Array(data));
    },
  };
}

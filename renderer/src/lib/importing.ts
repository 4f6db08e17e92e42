/**
 * What the renderer does before handing content to main: job ids, bytes to
 * base64, files out of a drop (folders walked with the File System entries
 * API), batches that stay under the contract's size per call, and counting
 * outcomes. No parsing here: main decides what a file is (by name and content).
 */
import type { ImportOutcome } from '../../../electron/library/model';

/** Job ids the contract accepts: letters, digits, - and _, at most 64. */
export function newJobId(): string {
  return `job-${crypto.randomUUID()}`;
}

/**
 * Base64 of bytes, in slices whose length is a multiple of 3 so that the
 * encoded slices join without padding in between; spreading a whole 50 MB
 * array into String.fromCharCode would overflow the call stack.
 */
export function toBase64(bytes: Uint8Array): string {
  const SLICE = 3 * 8192;
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += SLICE) parts.push(btoa(String.fromCharCode(...bytes.subarray(i, i + SLICE))));
  return parts.join('');
}

/** The contract takes ~50 MB of base64 per call; a batch stays well under it. */
export const BATCH_BASE64_CHARS = 40_000_000;
/** The contract takes at most 1000 items per call; smaller batches also let a cancel land between calls. */
export const BATCH_ITEMS = 200;
/** One item may be at most 70,000,000 base64 characters (contract.ts): 50 MiB of bytes. */
export const MAX_ITEM_BYTES = 50 * 1024 * 1024;

/** Only these are taken from a dropped folder (the same list main uses for folders on disk). */
const WANTED_IN_FOLDERS = /\.(txt|text|news|md|markdown|html?|xhtml)$/i;

export type DroppedFile = { file: File; name: string };

/** Items grouped for imports.content calls: each group under the size and count limits. */
export function batches(files: readonly DroppedFile[]): DroppedFile[][] {
  const out: DroppedFile[][] = [];
  let current: DroppedFile[] = [];
  let size = 0;
  for (const f of files) {
    const chars = Math.ceil(f.file.size / 3) * 4;
    if (current.length > 0 && (size + chars > BATCH_BASE64_CHARS || current.length >= BATCH_ITEMS)) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(f);
    size += chars;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** The name main sees: the path inside the dropped folder (for messages), ending in the file's own extension. */
function itemName(path: string): string {
  const name = path.replace(/^\/+/, '');
  return name.length <= 300 ? name : name.slice(-300);
}

/**
 * Takes what a drop holds. Must be called during the drop event itself:
 * DataTransfer items are emptied as soon as the event handler returns, so
 * entries are taken now and read later.
 */
export function takeDrop(dt: DataTransfer): { entries: FileSystemEntry[]; files: File[]; url: string | null } {
  const entries: FileSystemEntry[] = [];
  const files: File[] = [];
  for (const item of Array.from(dt.items)) {
    if (item.kind !== 'file') continue;
    let entry: FileSystemEntry | null;
    try {
      entry = item.webkitGetAsEntry();
    } catch {
      // A DataTransfer made by script (or an old engine) may have no entries: take the file itself.
      entry = null;
    }
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) files.push(file);
    }
  }
  if (entries.length === 0 && files.length === 0) files.push(...Array.from(dt.files));
  const url = firstWebUrl(dt.getData('text/uri-list')) ?? firstWebUrl(dt.getData('text/plain'));
  return { entries, files, url };
}

/** The first http(s) line of a text/uri-list (comments start with #), or a text that is one URL. */
export function firstWebUrl(text: string): string | null {
  for (const line of text.split(/\r?\n/)) {
    const candidate = line.trim();
    if (!candidate || candidate.startsWith('#')) continue;
    return isWebUrl(candidate) ? candidate : null;
  }
  return null;
}

export function isWebUrl(text: string): boolean {
  if (!/^https?:\/\/\S+$/i.test(text)) return false;
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The files under dropped entries: a file named in the drop is always
 * taken (main says if it cannot read it); inside folders only text, Markdown
 * and HTML files, and nothing hidden.
 */
export async function collectDropped(entries: readonly FileSystemEntry[], loose: readonly File[]): Promise<DroppedFile[]> {
  const out: DroppedFile[] = loose.map((file) => ({ file, name: itemName(file.name) }));
  const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((ok, fail) => entry.file(ok, fail));
  const walk = async (entry: FileSystemEntry, inFolder: boolean): Promise<void> => {
    if (inFolder && entry.name.startsWith('.')) return;
    if (entry.isFile) {
      if (inFolder && !WANTED_IN_FOLDERS.test(entry.name)) return;
      out.push({ file: await fileOf(entry as FileSystemFileEntry), name: itemName(entry.fullPath || entry.name) });
      return;
    }
    if (!entry.isDirectory) return;
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries answers in pages (100 at a time in Chromium) until it answers an empty one.
    for (;;) {
      const page = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
      if (page.length === 0) break;
      page.sort((a, b) => a.name.localeCompare(b.name));
      for (const child of page) await walk(child, true);
    }
  };
  for (const entry of entries) await walk(entry, false);
  return out;
}

export type Counts = { imported: number; updated: number; duplicate: number; failed: number };

export function countOutcomes(outcomes: readonly ImportOutcome[]): Counts {
  const counts: Counts = { imported: 0, updated: 0, duplicate: 0, failed: 0 };
  for (const o of outcomes) counts[o.status]++;
  return counts;
}

/** The article to open after an import: the first new one, else the first new version, else (one item) the one already held. */
export function articleToOpen(outcomes: readonly ImportOutcome[]): string | null {
  const withId = outcomes.flatMap((o) => (o.status === 'failed' ? [] : [o]));
  const pick =
    withId.find((o) => o.status === 'imported') ?? withId.find((o) => o.status === 'updated') ?? (outcomes.length === 1 ? withId[0] : undefined);
  return pick?.id ?? null;
}

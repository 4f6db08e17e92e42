/**
 * `cuttings export`: a selection of the library to a file (or, for
 * Markdown one file per article, a folder), in any export format.
 *
 *   export [<article-id>...] --format md|html|pdf|jsonld|csv|txt --out PATH
 *          [--tag T] [--query Q] [--clipping ID]... [--group article|tag|source|date]
 *          [--layout clipbook|per-article] [--title T] [--speakers] [--force]
 *
 * Everything named is exported (articles, clippings, a tag with the tags
 * below it, a search); nothing named exports every clipped article. The
 * files are rendered in full before the first is written, each written
 * atomically, and an existing file is replaced only with --force.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LibraryError, describeIoError } from '../library/errors';
import type { Library } from '../library/library';
import { writeFileAtomic } from '../library/storage/atomic-file';
import { EXPORT_FORMATS, runExport, type ExportFile, type ExportFormat, type ExportGrouping, type ExportSelection } from '../library/export';
import { chromiumPdf } from '../export/chromium-pdf';

export type ExportArgs = {
  format?: string;
  out?: string;
  tag?: string[];
  query?: string;
  clipping?: string[];
  group?: string;
  layout?: string;
  title?: string;
  speakers?: boolean;
  force?: boolean;
};

type Io = { out: (line: string) => void; err: (line: string) => void };

/** A mistake in the command line (exit code 2, with the usage). */
export class ExportUsageError extends Error {}

const GROUPINGS: readonly ExportGrouping[] = ['article', 'tag', 'source', 'date'];
const LAYOUTS = ['clipbook', 'per-article'] as const;

export async function exportCommand(library: Library, ids: string[], args: ExportArgs, io: Io): Promise<number> {
  const format = args.format as ExportFormat | undefined;
  if (!format || !EXPORT_FORMATS.includes(format)) throw new ExportUsageError(`export needs --format ${EXPORT_FORMATS.join('|')}${args.format ? `, not "${args.format}"` : ''}`);
  if (!args.out) throw new ExportUsageError('export needs --out PATH');
  if ((args.tag?.length ?? 0) > 1) throw new ExportUsageError('export takes one --tag (the tags below it are included)');
  const grouping = args.group as ExportGrouping | undefined;
  if (grouping !== undefined && !GROUPINGS.includes(grouping)) throw new ExportUsageError(`--group is one of ${GROUPINGS.join(', ')}, not "${grouping}"`);
  const layout = args.layout as (typeof LAYOUTS)[number] | undefined;
  if (layout !== undefined && !LAYOUTS.includes(layout)) throw new ExportUsageError(`--layout is one of ${LAYOUTS.join(', ')}, not "${layout}"`);
  if (layout === 'per-article' && format !== 'md') throw new ExportUsageError('--layout per-article is for --format md');
  if (args.query !== undefined && !args.query.trim()) throw new ExportUsageError('--query needs words to search for');

  const selection: ExportSelection = {
    ...(ids.length ? { articleIds: ids } : {}),
    ...(args.clipping?.length ? { clippingIds: args.clipping } : {}),
    ...(args.tag?.[0] !== undefined ? { tag: args.tag[0] } : {}),
    ...(args.query !== undefined ? { query: args.query } : {}),
  };
  // A search exports what the whole index finds: wait until it has caught up with the library.
  if (selection.query !== undefined) await library.searchIdle();

  const result = await runExport(
    library,
    selection,
    { format, ...(grouping ? { grouping } : {}), ...(layout ? { layout } : {}), ...(args.title !== undefined ? { title: args.title } : {}), ...(args.speakers ? { speakers: true } : {}) },
    format === 'pdf' ? { printPdf: (html) => chromiumPdf(html) } : {},
  );
  for (const id of result.missingClippingIds) io.err(`warning: clipping ${id} no longer exists; it was left out`);
  if (result.articleCount === 0) throw new LibraryError('not-found', 'Nothing to export: the selection holds no clippings');

  const out = resolve(args.out);
  const force = args.force === true;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (layout === 'per-article') {
    await ensureFolder(out);
    const targets = result.files.map((f) => ({ file: f, path: join(out, f.name) }));
    await refuseExisting(targets.map((t) => t.path), force);
    for (const t of targets) await writeExport(t.path, t.file);
    io.out(`exported ${plural(result.articleCount, 'article')} (${plural(result.clippingCount, 'clipping')}) to ${out}: ${plural(targets.length, 'file')}`);
    return 0;
  }
  const [file] = result.files as [ExportFile];
  // --out naming a folder that exists: the file goes in it, under its own name.
  const path = (await isFolder(out)) ? join(out, file.name) : out;
  await ensureFolder(dirname(path));
  await refuseExisting([path], force);
  await writeExport(path, file);
  io.out(`exported ${plural(result.articleCount, 'article')} to ${path}`);
  return 0;
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function ensureFolder(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (e) {
    throw new LibraryError('io', `Could not make the folder ${path}: ${describeIoError(e)}`, { cause: e });
  }
  if (!(await isFolder(path))) throw new LibraryError('invalid-input', `${path} is a file, not a folder`);
}

/** Every file that would be replaced is named before anything is written. */
async function refuseExisting(paths: readonly string[], force: boolean): Promise<void> {
  const existing: string[] = [];
  for (const p of paths) {
    try {
      const s = await stat(p);
      if (s.isDirectory()) throw new LibraryError('invalid-input', `${p} is a folder; give a file name to --out`);
      existing.push(p);
    } catch (e) {
      if (e instanceof LibraryError) throw e;
    }
  }
  if (existing.length > 0 && !force) {
    const named = existing.slice(0, 3).join(', ') + (existing.length > 3 ? ` and ${existing.length - 3} more` : '');
    throw new LibraryError('conflict', `${named} already exist${existing.length === 1 ? 's' : ''}; nothing was written (add --force to replace)`);
  }
}

async function writeExport(path: string, file: ExportFile): Promise<void> {
  await writeFileAtomic(path, file.data);
}

/**
 * The export side of the contract: export:preview, export:run, the press
 * reviews (compositions:*), citations, backup and restore, templates. The
 * library does the work (electron/library/export, backup); this module only
 * asks the host where things go, writes atomically there and reports.
 */
import { basename, dirname, extname, join } from 'node:path';
import { access, mkdir, readFile, rename } from 'node:fs/promises';
import { LibraryError, writeFileAtomic, type Library } from '../library';
import { collectExport } from '../library/export/collect';
import { runExport } from '../library/export';
import { formatCitation, speakerOf } from '../library/export/citation';
import { USER_TEMPLATES_DIR, defaultTemplates } from '../library/export/templates';
import type { ExportFormat, ExportSelection } from '../library/export/types';
import type { ClippingRef, ExportPreview, ExportSaved, ParsedRequest, TemplatesFolder, TemplatesReset } from './contract';
import type { Dialogs, Events } from './handlers';

type SelectionInput = ParsedRequest<'export:preview'>['selection'];

/** What a save dialog offers for each format: its filter and the file's extension. */
export const FORMAT_FILES: Record<ExportFormat, { name: string; extension: string }> = {
  md: { name: 'Markdown', extension: 'md' },
  html: { name: 'HTML clip book', extension: 'html' },
  pdf: { name: 'PDF clip book', extension: 'pdf' },
  jsonld: { name: 'W3C Web Annotations (JSON-LD)', extension: 'jsonld' },
  csv: { name: 'CSV (Readwise columns)', extension: 'csv' },
  txt: { name: 'Plain text', extension: 'txt' },
};

/** Hits of each kind a search export reads at most: the contract's limit on clippings named at once. */
const SEARCH_EXPORT_LIMIT = 100_000;

/**
 * The library's selection from the renderer's. A search with filters (the
 * palette's, the clippings view's) is resolved here to the articles and
 * clippings it finds, since the exporter takes a query alone; `all` is the
 * exporter's empty selection.
 */
export async function toExportSelection(library: Library, input: SelectionInput): Promise<ExportSelection | null> {
  const { all: _all, filters, kinds, query, ...rest } = input;
  const selection: ExportSelection = { ...rest };
  if (filters === undefined && kinds === undefined) {
    if (query !== undefined) selection.query = query;
    return selection;
  }
  const found = await library.search(query ?? '', { ...(filters ? { filters } : {}), ...(kinds ? { kinds } : {}), limit: SEARCH_EXPORT_LIMIT });
  const articleIds = [...(selection.articleIds ?? []), ...found.articles.map((a) => a.articleId)];
  const clippingIds = [...(selection.clippingIds ?? []), ...found.clippings.map((c) => c.clippingId)];
  // A search that finds nothing exports nothing (the exporter would take an empty selection for the whole library).
  if (articleIds.length + clippingIds.length === 0 && !selection.tag && !selection.compositionId) return null;
  return { ...selection, articleIds, clippingIds };
}

/** A title for what is exported: the clip book's heading and the suggested file name. */
export async function titleFor(library: Library, input: SelectionInput): Promise<string> {
  if (input.all) return 'Cuttings library';
  if (input.compositionId) return (await library.getComposition(input.compositionId)).title;
  if (input.tag) return `Clippings tagged ${input.tag}`;
  if (input.query !== undefined || input.filters) return input.query?.trim() ? `Clippings matching ${input.query.trim()}` : 'Clippings found';
  const articleId = input.articleIds?.[0];
  if (articleId && input.articleIds?.length === 1 && !input.clippingIds?.length) return (await library.getSummary(articleId)).title;
  return 'Cuttings clippings';
}

export async function previewExport(library: Library, input: SelectionInput): Promise<ExportPreview> {
  const title = await titleFor(library, input);
  if (input.all) {
    await library.whenReady(); // the clipping count is complete
    return { articleCount: library.articleCount, clippingCount: library.clippingCount, missingClippings: 0, title };
  }
  const selection = await toExportSelection(library, input);
  if (!selection) return { articleCount: 0, clippingCount: 0, missingClippings: 0, title };
  const composition = selection.compositionId ? await library.getComposition(selection.compositionId) : null;
  const set = await collectExport(library, selection, composition);
  return { articleCount: set.articles.length, clippingCount: set.clippingCount, missingClippings: set.missingClippingIds.length, title };
}

type RunInput = ParsedRequest<'export:run'>;

/**
 * Asks where (a file, or a folder for one Markdown file per article), then
 * renders and writes. The place is asked first: a long export then runs
 * with its progress shown, and a cancelled dialog costs nothing.
 */
export async function runExportTo(
  library: Library,
  { selection: input, options, jobId }: RunInput,
  dialogs: Dialogs,
  events: Events | undefined,
): Promise<ExportSaved> {
  const id = jobId ?? `export-${Date.now()}`;
  const progress = (phase: 'choosing' | 'rendering' | 'printing' | 'writing', done = 0, total = 0) => events?.exportProgress?.({ jobId: id, phase, done, total });
  const title = options.title ?? (await titleFor(library, input));
  const perArticle = options.format === 'md' && options.layout === 'per-article';
  const kind = FORMAT_FILES[options.format];
  progress('choosing');
  const target = perArticle
    ? await dialogs.chooseFolder({ title: 'Export one Markdown file per article into…', buttonLabel: 'Export here' })
    : await dialogs.chooseSavePath(`${fileNameFor(title)}.${kind.extension}`, { title: `Export ${kind.name}`, buttonLabel: 'Export', filter: { name: kind.name, extensions: [kind.extension] } });
  if (!target) return { canceled: true };

  progress('rendering');
  const selection = await toExportSelection(library, input);
  if (!selection) throw new LibraryError('invalid-input', 'The search finds nothing to export');
  const composition = selection.compositionId ? await library.getComposition(selection.compositionId) : undefined;
  const printPdf = dialogs.printPdf;
  const result = await runExport(library, selection, { ...options, title }, {
    ...(composition ? { composition } : {}),
    ...(printPdf
      ? {
          printPdf: (html: string) => {
            progress('printing');
            return printPdf(html);
          },
        }
      : {}),
  });
  if (result.files.length === 0) throw new LibraryError('invalid-input', 'There is nothing to export in this selection');

  let bytes = 0;
  const total = result.files.length;
  // The first file goes where the person said (the save dialog asked about replacing it); any other beside it, under its own (cleaned) name.
  const paths = result.files.map((file, i) => (perArticle ? join(target, safeFileName(file.name, 'md')) : i === 0 ? target : join(dirname(target), safeFileName(file.name, kind.extension))));
  const existing = [];
  for (const path of perArticle ? paths : paths.slice(1)) if (await exists(path)) existing.push(basename(path));
  if (existing.length > 0) {
    const named = existing.slice(0, 5).join(', ') + (existing.length > 5 ? ` and ${existing.length - 5} more` : '');
    const yes = await dialogs.confirm({
      title: 'Replace files?',
      message: `${existing.length === 1 ? 'A file' : `${existing.length} files`} of this export already exist${existing.length === 1 ? 's' : ''} in ${perArticle ? target : dirname(target)}.`,
      detail: `Replace ${named}? The other files there are left alone.`,
      confirm: 'Replace',
    });
    if (!yes) return { canceled: true };
  }
  if (perArticle) await mkdir(target, { recursive: true });
  for (const [i, file] of result.files.entries()) {
    progress('writing', i, total);
    const path = paths[i] as string;
    // Never half a file over the person's previous export.
    await writeFileAtomic(path, file.data);
    bytes += typeof file.data === 'string' ? Buffer.byteLength(file.data) : file.data.byteLength;
  }
  progress('writing', total, total);
  return {
    canceled: false,
    format: options.format,
    path: target,
    files: total,
    bytes,
    articleCount: result.articleCount,
    clippingCount: result.clippingCount,
  };
}

/** What the composer shows of each clipping; those that are gone are named as missing. */
export async function lookupClippings(library: Library, ids: readonly string[]): Promise<{ found: ClippingRef[]; missing: string[] }> {
  const found: ClippingRef[] = [];
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    try {
      const c = await library.getClipping(id);
      const a = await library.getSummary(c.articleId);
      found.push({ id: c.id, articleId: c.articleId, quote: c.target.quote.exact, note: c.note, label: c.label, tags: c.tags, articleTitle: a.title, source: a.source, published: a.published });
    } catch (e) {
      if (e instanceof LibraryError && e.code === 'not-found') missing.push(id);
      else throw e;
    }
  }
  return { found, missing };
}

/** The clipping as a citation, its speaker found among the article's quotations. */
export async function citationOf(library: Library, id: string): Promise<{ text: string; speaker: string | null }> {
  const clipping = await library.getClipping(id);
  const article = await library.getSummary(clipping.articleId);
  const analysis = await library.analyseArticle(clipping.articleId);
  const speaker = speakerOf(clipping.target.position, analysis.quotes);
  const text = formatCitation({
    exact: clipping.target.quote.exact,
    speaker,
    source: article.source,
    dateline: article.dateline,
    published: article.published,
    url: article.url,
  });
  return { text, speaker };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** A file name that is valid on Windows, macOS and Linux. */
export function fileNameFor(title: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  const cleaned = title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80).trim();
  return cleaned.replace(/[. ]+$/, '') || 'clippings';
}

/** A name the exporter gave, kept to one plain file name: never a path, never hidden. */
function safeFileName(name: string, fallbackExtension: string): string {
  const ext = extname(basename(name)).slice(1) || fallbackExtension;
  const stem = fileNameFor(basename(name, extname(name)).replace(/^\.+/, ''));
  return `${stem}.${ext.replace(/[^A-Za-z0-9]/g, '') || fallbackExtension}`;
}

// ---- templates ------------------------------------------------------------------

/** The library's templates folder, with every default template it lacks written there (the person's own are kept). */
export async function ensureTemplates(libraryDir: string): Promise<TemplatesFolder> {
  const dir = join(libraryDir, USER_TEMPLATES_DIR);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of Object.entries(defaultTemplates())) {
    if ((await readText(join(dir, name))) !== null) continue;
    await writeFileAtomic(join(dir, name), text);
    written.push(name);
  }
  return { path: dir, written };
}

/**
 * Puts the default templates back, once the person said yes. The ones they
 * changed are not lost: they move to a dated folder beside them (which the
 * exporter does not read), named in the question.
 */
export async function resetTemplates(libraryDir: string, dialogs: Dialogs, now = new Date()): Promise<TemplatesReset> {
  const dir = join(libraryDir, USER_TEMPLATES_DIR);
  const defaults = defaultTemplates();
  const changed: string[] = [];
  for (const [name, text] of Object.entries(defaults)) {
    const current = await readText(join(dir, name));
    if (current !== null && current !== text) changed.push(name);
  }
  const aside = join(dir, `replaced-${now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`);
  const yes = await dialogs.confirm({
    title: 'Reset export templates',
    message: 'Reset the export templates to the defaults?',
    detail:
      changed.length > 0
        ? `Your versions of ${changed.join(', ')} in ${dir} will be replaced by the defaults. They are moved to ${aside}, not deleted.`
        : `The templates in ${dir} will be the defaults. None of them has been changed.`,
    confirm: 'Reset templates',
  });
  if (!yes) return { canceled: true };
  await mkdir(dir, { recursive: true });
  if (changed.length > 0) {
    await mkdir(aside, { recursive: true });
    for (const name of changed) await rename(join(dir, name), join(aside, name));
  }
  for (const [name, text] of Object.entries(defaults)) await writeFileAtomic(join(dir, name), text);
  return { canceled: false, path: dir, files: Object.keys(defaults) };
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new LibraryError('io', `Could not read ${path}: ${(e as Error).message}`, { cause: e });
  }
}

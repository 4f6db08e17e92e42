/**
 * One entry point for every export: a selection and a format in, files
 * (names and contents) out. Nothing is written here: the CLI and the app
 * decide where files go and write them atomically.
 *
 *   selection ──collectExport──▶ ExportSet ──┬─ view + templates ─▶ md, html, txt
 *                                            ├─ html ─ printPdf ──▶ pdf
 *                                            ├─ renderJsonLdBytes ▶ jsonld
 *                                            └─ renderReadwiseCsv ▶ csv
 *
 * Printing a PDF needs a browser engine, which the library does not have:
 * the caller injects `printPdf` (Electron's printToPDF in the app, headless
 * Chromium in the CLI and tests: electron/export/chromium-pdf.ts).
 */
import type { Library } from '../library';
import type { Composition } from '../model';
import { LibraryError } from '../errors';
import { parallel } from '../storage/store';
import { collectExport, type ExportSet } from './collect';
import { speakerOf } from './citation';
import { renderReadwiseCsv } from './csv';
import { UniqueNames, safeFileName } from './escape';
import { renderJsonLdBytes } from './jsonld';
import { defaultMarkdownArticle, defaultMarkdownClipbook } from './markdown-default';
import { checkTemplates, defaultTemplates, loadTemplates, parseTemplate, renderTemplate, templateEngine, type LoadedTemplates, type TemplateName } from './templates';
import type { ExportFile, ExportFormat, ExportOptions, ExportResult, ExportSelection } from './types';
import { buildClipbook, type ClipbookView } from './view';

export { EXPORT_FORMATS, type ExportFormat, type ExportGrouping, type ExportOptions, type ExportResult, type ExportSelection, type ExportFile, type Provenance } from './types';
export { collectExport, type ExportSet, type ExportArticle, type ExportClipping } from './collect';
export { formatCitation, speakerOf, type CitationParts } from './citation';
export { defaultTemplates, loadTemplates, TEMPLATE_NAMES, USER_TEMPLATES_DIR, type TemplateName, type TemplateSet, type LoadedTemplates } from './templates';

export type PrintPdf = (html: string) => Promise<Uint8Array>;

export type ExportDeps = {
  /** Prints a clip book's HTML to PDF (required for `pdf`). */
  printPdf?: PrintPdf;
  /** The saved press review `selection.compositionId` names, read by the caller. */
  composition?: Composition | null;
  /** The clock for "compiled on" (tests). */
  now?: () => Date;
  /**
   * The folder whose `templates/` holds the user's templates; default the
   * library's own. Null: the defaults only.
   */
  templatesDir?: string | null;
};

const DEFAULT_TITLE = 'Clippings';
/** Articles analysed at once when speakers are looked up (the analysis is CPU work: a few at a time is enough). */
const ANALYSE_LIMIT = 4;

export async function runExport(library: Library, selection: ExportSelection, options: ExportOptions, deps: ExportDeps = {}): Promise<ExportResult> {
  const composition = deps.composition ?? null;
  if (selection.compositionId !== undefined && composition?.id !== selection.compositionId) {
    throw new LibraryError('not-found', `No press review with id ${selection.compositionId}`);
  }
  if (options.format === 'pdf' && !deps.printPdf) throw new LibraryError('invalid-input', 'PDF export needs a printer (none was given)');
  // Templates first: a broken one stops the export before the library is read.
  const templates = usesTemplates(options.format) ? await loadTemplates(deps.templatesDir === undefined ? library.dir : deps.templatesDir) : null;
  if (templates) prepare(templates, options);

  // JSON-LD carries each article whole; the other formats quote clippings and need no body.
  const lossless = options.format === 'jsonld';
  const set = await collectExport(library, selection, composition, { bodies: lossless ? 'json' : false, everyArticle: lossless });
  const speakers = options.speakers ? await findSpeakers(library, set) : undefined;
  return renderExport(set, options, {
    templates,
    generated: (deps.now ?? (() => new Date()))().toISOString(),
    ...(speakers ? { speakers } : {}),
    ...(deps.printPdf ? { printPdf: deps.printPdf } : {}),
  });
}

export type RenderContext = {
  /** The templates (loadTemplates); null for formats that use none (jsonld, csv). */
  templates: LoadedTemplates | null;
  /** When the export was made (ISO 8601), printed in clip books. */
  generated: string;
  speakers?: ReadonlyMap<string, string | null>;
  printPdf?: PrintPdf;
  /**
   * Render default Markdown templates with their compiled twin
   * (markdown-default.ts); default true. False forces Liquid (tests compare the two).
   */
  compiled?: boolean;
};

/** An ExportSet as files in one format: what runExport does once the set is collected. */
export async function renderExport(set: ExportSet, options: ExportOptions, context: RenderContext): Promise<ExportResult> {
  const title = options.title?.trim() || set.composition?.title || DEFAULT_TITLE;
  const base = safeFileName(title, DEFAULT_TITLE);
  const counts = { articleCount: set.articles.length, clippingCount: set.clippingCount, missingClippingIds: [...set.missingClippingIds] };
  const one = (extension: string, data: string | Uint8Array): ExportResult => ({ files: [{ name: `${base}.${extension}`, data }], ...counts });

  switch (options.format) {
    case 'jsonld':
      return one('jsonld', renderJsonLdBytes(set));
    case 'csv':
      return one('csv', renderReadwiseCsv(set));
    default:
      break;
  }
  const { templates, generated, speakers } = context;
  if (!templates || !usesTemplates(options.format)) throw new LibraryError('invalid-input', `The ${String(options.format)} export needs its templates`);
  const render = prepare(templates, options);
  const grouping = options.grouping ?? 'article';

  // The default Markdown templates have a compiled twin (markdown-default.ts says why); the user's go through Liquid.
  if (options.format === 'md' && context.compiled !== false && usesDefaults(templates, MARKDOWN_TEMPLATES)) {
    if (options.layout === 'per-article') {
      const names = new UniqueNames();
      return { files: set.articles.map((a) => ({ name: names.take(safeFileName(a.article.title), '.md'), data: defaultMarkdownArticle(a, speakers) })), ...counts };
    }
    return one('md', defaultMarkdownClipbook(set, { title, grouping, generated, ...(speakers ? { speakers } : {}) }));
  }

  const view = buildClipbook(set, {
    title,
    grouping,
    generated,
    html: options.format === 'html' || options.format === 'pdf',
    ...(speakers ? { speakers } : {}),
  });

  switch (options.format) {
    case 'md':
      if (options.layout === 'per-article') return { files: render.perArticle(view), ...counts };
      return one('md', render.clipbook(view));
    case 'txt':
      return one('txt', render.clipbook(view));
    case 'html':
      return one('html', render.clipbook(view));
    case 'pdf': {
      if (!context.printPdf) throw new LibraryError('invalid-input', 'PDF export needs a printer (none was given)');
      return one('pdf', await context.printPdf(render.clipbook(view)));
    }
  }
}

function usesTemplates(format: ExportFormat): boolean {
  return format === 'md' || format === 'html' || format === 'pdf' || format === 'txt';
}

const MARKDOWN_TEMPLATES: readonly TemplateName[] = ['clipbook.md.liquid', 'article.md.liquid', 'quote.md.liquid'];

function usesDefaults(templates: LoadedTemplates, names: readonly TemplateName[]): boolean {
  const defaults = defaultTemplates();
  return names.every((name) => templates[name].text === defaults[name]);
}

type Renderer = { clipbook: (view: ClipbookView) => string; perArticle: (view: ClipbookView) => ExportFile[] };

/** The engine and parsed templates for one format; every template the format may use is checked here. */
function prepare(templates: LoadedTemplates, options: ExportOptions): Renderer {
  if (options.format === 'html' || options.format === 'pdf') {
    const engine = templateEngine(templates, 'html');
    const parsed = parseTemplate(engine, templates, 'clipbook.html.liquid');
    return { clipbook: (view) => renderTemplate(engine, parsed, view, templates, 'clipbook.html.liquid'), perArticle: () => [] };
  }
  const engine = templateEngine(templates, 'text');
  if (options.format === 'txt') {
    const parsed = parseTemplate(engine, templates, 'clipbook.txt.liquid');
    return { clipbook: (view) => renderTemplate(engine, parsed, view, templates, 'clipbook.txt.liquid'), perArticle: () => [] };
  }
  // Markdown: the quote template is included by both others, so it is checked too.
  checkTemplates(engine, templates, ['quote.md.liquid']);
  const clipbook = parseTemplate(engine, templates, 'clipbook.md.liquid');
  const article = parseTemplate(engine, templates, 'article.md.liquid');
  return {
    clipbook: (view) => renderTemplate(engine, clipbook, view, templates, 'clipbook.md.liquid'),
    perArticle: (view) => {
      const names = new UniqueNames();
      return view.articles.map((a) => {
        const { quotes, ...articleOnly } = a;
        const data = renderTemplate(engine, article, { article: articleOnly, quotes, generated: view.generated }, templates, 'article.md.liquid');
        return { name: names.take(safeFileName(a.title), '.md'), data };
      });
    },
  };
}

/** Who said each clipping's words, from each article's analysis (CPU work: asked for, not done by default). */
async function findSpeakers(library: Library, set: ExportSet): Promise<Map<string, string | null>> {
  const speakers = new Map<string, string | null>();
  await parallel(
    set.articles.filter((a) => a.clippings.length > 0),
    async (a) => {
      const { quotes } = await library.analyseArticle(a.article.id);
      for (const { clipping } of a.clippings) speakers.set(clipping.id, speakerOf(clipping.target.position, quotes));
    },
    ANALYSE_LIMIT,
  );
  return speakers;
}

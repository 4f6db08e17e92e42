/**
 * The templates Markdown, HTML and text exports are rendered from.
 *
 * LiquidJS, configured so that a template can shape text and nothing more:
 * no code runs (Liquid has no eval and we add no tag that would), no file is
 * read (templates come from an in-memory map: `include`/`render` find only
 * the templates below), only own properties of the data are visible (no
 * `constructor`, no prototype), an unknown filter is an error rather than
 * silently skipped. HTML templates escape every output unless a template
 * says `| raw`; Markdown ones escape with the filters below.
 *
 * The defaults ship with the app (templates/ beside this file; inlined into
 * the main-process bundle by scripts/build-electron.mjs). A user overrides
 * one by putting a file of the same name in `<library>/templates/`; a
 * template that does not parse or render stops the export with its file
 * and line.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Liquid, type Template } from 'liquidjs';
import { LibraryError, describeIoError } from '../errors';
import { mdBlockquote, mdCode, mdInline, mdLink, mdQuoteLines, mdUserText, obsidianTag, yamlString } from './escape';

export const TEMPLATE_NAMES = ['clipbook.md.liquid', 'article.md.liquid', 'quote.md.liquid', 'clipbook.html.liquid', 'clipbook.txt.liquid'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export type TemplateSet = Record<TemplateName, string>;

/** Where a library keeps the user's own templates. */
export const USER_TEMPLATES_DIR = 'templates';

/** Set by the main-process build (the templates' text, by name); undefined when run from the sources. */
declare const __CUTTINGS_EXPORT_TEMPLATES__: Record<string, string> | undefined;

let defaults: TemplateSet | null = null;

/** The templates the app ships, by file name: what "reset to default" writes back. */
export function defaultTemplates(): TemplateSet {
  if (!defaults) {
    const bundled = typeof __CUTTINGS_EXPORT_TEMPLATES__ === 'undefined' ? undefined : __CUTTINGS_EXPORT_TEMPLATES__;
    const read = (name: TemplateName) => bundled?.[name] ?? readFileSync(new URL(`./templates/${name}`, import.meta.url), 'utf8');
    defaults = Object.fromEntries(TEMPLATE_NAMES.map((name) => [name, read(name)])) as TemplateSet;
  }
  return { ...defaults };
}

/** A template's text and the name a person knows it by (the user's file, or "the default …"). */
export type LoadedTemplate = { text: string; origin: string };
export type LoadedTemplates = Record<TemplateName, LoadedTemplate>;

/**
 * The templates for a library: the defaults, each replaced by the user's
 * file of the same name in `<libraryDir>/templates/` when there is one.
 */
export async function loadTemplates(libraryDir: string | null): Promise<LoadedTemplates> {
  const base = defaultTemplates();
  const out = {} as LoadedTemplates;
  for (const name of TEMPLATE_NAMES) {
    out[name] = { text: base[name], origin: `the default template ${name}` };
    if (!libraryDir) continue;
    const path = join(libraryDir, USER_TEMPLATES_DIR, name);
    try {
      out[name] = { text: await readFile(path, 'utf8'), origin: path };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new LibraryError('io', `Could not read the template ${path}: ${describeIoError(e)}`, { cause: e });
    }
  }
  return out;
}

/**
 * Limits on what a template can make Liquid do, so that a mistake (a loop
 * over a range of a billion) fails with a message instead of holding the
 * process: characters of template, milliseconds of rendering, and values
 * created (Liquid's count, ranges and joins included). Far beyond what the
 * largest clip book needs.
 */
const PARSE_LIMIT = 2_000_000;
const RENDER_LIMIT_MS = 300_000;
const MEMORY_LIMIT = 500_000_000;

const FILTERS: Record<string, (...args: never[]) => unknown> = {
  /** Article text (a title, a source, a paragraph) as inline Markdown that reads as printed. */
  md_escape: (v: unknown) => mdInline(str(v)),
  /** A quote as a Markdown block quote, paragraphs kept. */
  md_blockquote: (v: unknown) => mdBlockquote(str(v)),
  /** The user's own Markdown (a note), raw HTML made text. */
  md_user: (v: unknown) => mdUserText(str(v)),
  /** Lines prefixed with `> `, to keep them inside a quote or callout. */
  md_quote_lines: (v: unknown) => mdQuoteLines(str(v)),
  /** Text as a Markdown code span: shown exactly as it is (a tag with `/`, `#` or spaces). */
  md_code: (v: unknown) => mdCode(str(v)),
  /** A web address as a Markdown autolink, or as escaped text when it is not one. */
  md_link: (v: unknown) => mdLink(str(v)),
  /** A YAML double-quoted scalar (front matter). */
  yaml: (v: unknown) => yamlString(v === null || v === undefined ? null : str(v)),
  /** A tag as Obsidian writes it (`place/Syria`, no spaces). */
  obsidian_tag: (v: unknown) => obsidianTag(str(v)),
  /** A line of `char` (default `=`) as long as the text: a plain-text heading's underline. */
  underline: (v: unknown, char?: unknown) => (typeof char === 'string' && char ? char.slice(0, 1) : '=').repeat([...str(v)].length),
  /** Every line but the first indented by `n` spaces (default 4): a multi-line note under a plain-text quote. */
  indent: (v: unknown, n?: unknown) => str(v)
      .replace(/\r\n?/g, '\n')
      .replace(/\n(?=[^\n])/g, `\n${' '.repeat(typeof n === 'number' && n >= 0 && n <= 40 ? n : 4)}`),
  /** The first characters of a hash or id. */
  short: (v: unknown, n?: unknown) => str(v).slice(0, typeof n === 'number' && n > 0 ? n : 12),
};

function str(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}


/** One engine per export: HTML escapes every output, text and Markdown leave it to the filters. */
export function templateEngine(templates: LoadedTemplates, kind: 'html' | 'text'): Liquid {
  const engine = new Liquid({
    templates: Object.fromEntries(TEMPLATE_NAMES.map((name) => [name, templates[name].text])),
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    relativeReference: false,
    jsTruthy: false,
    cache: true,
    parseLimit: PARSE_LIMIT,
    renderLimit: RENDER_LIMIT_MS,
    memoryLimit: MEMORY_LIMIT,
    ...(kind === 'html' ? { outputEscape: 'escape' as const } : {}),
  });
  for (const [name, filter] of Object.entries(FILTERS)) engine.registerFilter(name, filter as (...args: unknown[]) => unknown);
  return engine;
}

/** Parses a template; a mistake becomes an error naming the file and line. */
export function parseTemplate(engine: Liquid, templates: LoadedTemplates, name: TemplateName): Template[] {
  try {
    return engine.parse(templates[name].text, name);
  } catch (e) {
    throw templateError(e, templates, name);
  }
}

/** Renders a parsed template with `data`, synchronously (much faster than Liquid's async render for thousands of quotes). */
export function renderTemplate(engine: Liquid, parsed: Template[], data: object, templates: LoadedTemplates, name: TemplateName): string {
  try {
    return engine.renderSync(parsed, data) as string;
  } catch (e) {
    throw templateError(e, templates, name);
  }
}

/** Every template of one family parses (so that an include that is broken stops the export before anything is written). */
export function checkTemplates(engine: Liquid, templates: LoadedTemplates, names: readonly TemplateName[]): void {
  for (const name of names) parseTemplate(engine, templates, name);
}

function templateError(e: unknown, templates: LoadedTemplates, fallback: TemplateName): LibraryError {
  const message = e instanceof Error ? e.message : String(e);
  // Liquid's messages end ", file:NAME, line:L, col:C"; NAME is one of ours (an include names the included one).
  const where = /,?\s*file:([^,]*), line:(\d+), col:(\d+)\s*$/.exec(message);
  const named = (where?.[1] ?? fallback).trim() as TemplateName;
  const origin = (templates[named] ?? templates[fallback]).origin;
  let reason = (where ? message.slice(0, where.index) : message).replace(/^[A-Za-z]*Error:\s*/, '');
  const lookup = /Failed to lookup "([^"]*)"/.exec(reason);
  if (lookup) reason = `it includes "${lookup[1]}", which is not one of the export templates (${TEMPLATE_NAMES.join(', ')})`;
  const at = where ? `, line ${where[2]}, column ${where[3]}` : '';
  return new LibraryError('invalid-input', `The export template ${origin}${at}: ${reason}. Nothing was exported: fix the template, or remove it to use the default.`, { cause: e });
}

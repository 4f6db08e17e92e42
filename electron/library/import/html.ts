/**
 * HTML pages → the body blocks of the data model.
 *
 * jsdom parses the page (never with `runScripts`, and with jsdom's default
 * resource loader, which fetches nothing: no script runs, no stylesheet,
 * image or frame is requested). The page's own metadata is read first, then
 * Mozilla Readability finds the article (rewriting the tree as it goes),
 * DOMPurify sanitises what it kept, and a walk over the sanitised tree turns
 * it into blocks (see html-blocks.ts for the mapping).
 */
import { Readability } from '@mozilla/readability';
import { purifierPool } from '../lazy-jsdom';
import { parseHTML } from 'linkedom';
import { ArticleSchema, LIMITS } from '../model';
import { blocksFromHtml } from './html-blocks';
import type { ParsedDocument } from './document';

export type HtmlImportOptions = {
  /** Where the page came from: the base for relative image URLs, and the article's url. */
  url?: string;
  /** The file name, the title of last resort. */
  fileName: string;
};

export const NO_ARTICLE_REASON = 'no readable article found in the page';

/**
 * Elements that must not survive sanitising even though DOMPurify allows
 * some of them by default; their text is dropped with them where it is
 * never article text (controls, embedded documents).
 */
const FORBID_TAGS = ['form', 'input', 'button', 'select', 'option', 'textarea', 'iframe', 'frame', 'frameset', 'object', 'embed', 'link', 'meta', 'base', 'style', 'audio', 'video', 'source', 'track'];
const FORBID_CONTENTS = ['button', 'select', 'option', 'textarea'];

export function parseHtmlArticle(html: string, options: HtmlImportOptions): ParsedDocument | null {
  const baseUrl = validBaseUrl(options.url);
  // linkedom parses the page: a DOM with no scripting, no loading, no layout,
  // ~5x faster than jsdom on the test pages, which matters for folders of
  // saved pages. Readability reads it. Only Readability's (much smaller)
  // output then goes through DOMPurify in jsdom, the DOM it is built for.
  const { document } = parseHTML(html) as unknown as { document: Document };
  {
    const pageUrl = baseUrl ?? declaredUrl(document, html);
    const root = document.documentElement;
    const htmlLang = normaliseLanguage(root?.getAttribute('lang') ?? root?.getAttribute('xml:lang'));
    const htmlDir = normaliseDir(root?.getAttribute('dir') ?? document.body?.getAttribute('dir'));
    const fallbackLanguage = htmlLang ?? metaLanguage(document);

    // Readability rewrites the tree it reads, so everything taken from the page
    // itself is read above, first.
    const article = new Readability(document).parse();
    if (!article?.content) return null;

    // With RETURN_DOM DOMPurify answers the body it parsed into (typed as a Node).
    const clean = sanitizer().sanitize(article.content, {
      // The sanitised body itself: a fragment would mean moving every node out of it (~3% of a page's work).
      RETURN_DOM: true,
      FORBID_TAGS,
      ADD_FORBID_CONTENTS: FORBID_CONTENTS,
      // Event handlers and javascript: URLs DOMPurify refuses by default; inline
      // style and srcset carry nothing the blocks keep, so they go too.
      FORBID_ATTR: ['style', 'srcset'],
    }) as HTMLElement;
    const blocks = blocksFromHtml(clean, { baseUrl });
    if (blocks.length === 0) return null;

    const firstHeading = blocks.find((b) => b.kind === 'heading')?.text;
    const title = clip(collapse(article.title ?? ''), LIMITS.titleChars) || firstHeading?.slice(0, LIMITS.titleChars) || options.fileName;
    return {
      kind: 'html',
      title,
      source: clipOrNull(article.siteName, 300),
      byline: clipOrNull(article.byline, 300),
      published: normalisePublished(article.publishedTime),
      dateline: null,
      language: normaliseLanguage(article.lang) ?? fallbackLanguage,
      dir: normaliseDir(article.dir) ?? contentDir(clean) ?? htmlDir,
      url: pageUrl ?? null,
      blocks,
    };
  }
}

/**
 * Articles sanitised in one jsdom window before it is replaced. DOMPurify
 * parses each article into a new Document of the window, and jsdom's
 * selector engine adds nine event listeners to the window for every
 * Document, never removed, scanning those already there on every addition:
 * the scans grow with the count, and a window kept for the life of the app
 * would collect them without end. A new window costs ~20 ms; at 50 articles
 * it and the scans cost under a millisecond per article (at 500, the scans
 * alone were ~4 ms).
 */
const SANITISED_PER_WINDOW = 50;

/** One window at a time for the process (see purifierPool); a new window costs ~20 ms. */
const sanitizer = purifierPool(SANITISED_PER_WINDOW);

/** Only http(s) URLs are a base for anything; a file: or javascript: "url" is ignored. */
function validBaseUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The URL a saved page says it has: canonical link, og:url, or the comment
 * browsers write into "Save page as" copies. Used as the article's url only,
 * never as a base for images (a saved page's images sit beside the file).
 */
function declaredUrl(document: Document, html: string): string | undefined {
  const candidates = [
    document.querySelector('link[rel~="canonical" i]')?.getAttribute('href'),
    document.querySelector('meta[property="og:url" i]')?.getAttribute('content'),
    /<!--\s*saved from url=\(\d+\)(\S+?)\s*-->/i.exec(html.slice(0, 2048))?.[1],
  ];
  for (const c of candidates) {
    const url = validBaseUrl(c?.trim());
    if (url && url.length <= 4000) return url;
  }
  return undefined;
}

function metaLanguage(document: Document): string | null {
  const meta = document.querySelector('meta[http-equiv="content-language" i]')?.getAttribute('content');
  const og = document.querySelector('meta[property="og:locale" i]')?.getAttribute('content');
  return normaliseLanguage(meta?.split(',')[0]) ?? normaliseLanguage(og);
}

/** A BCP 47-looking tag ("en", "pt-BR", "zh-Hant-TW"); og:locale's "en_US" becomes "en-US". */
export function normaliseLanguage(raw: string | null | undefined): string | null {
  const tag = (raw ?? '').trim().replace(/_/g, '-');
  return /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/.test(tag) && tag.length <= 35 ? tag : null;
}

/**
 * Readability reports only a direction set on the article's ancestors; one
 * set inside it (an <article dir="rtl"> under a plain <main>) counts when the
 * element carrying it holds most of the article's text.
 */
function contentDir(root: ParentNode & Node): 'ltr' | 'rtl' | null {
  // Most articles set no direction inside: their text (slow to gather in jsdom) is not needed.
  const marked = elementsWithDir(root);
  if (marked.length === 0) return null;
  const total = (root.textContent ?? '').trim().length;
  if (total === 0) return null;
  for (const el of marked) {
    const dir = normaliseDir(el.getAttribute('dir'));
    if (dir && (el.textContent ?? '').trim().length * 2 >= total) return dir;
  }
  return null;
}

/**
 * The elements under `root` that have a dir attribute, in document order
 * (what querySelectorAll('[dir]') finds, without jsdom's selector engine,
 * which keeps hold of the last tree it searched).
 */
function elementsWithDir(root: ParentNode & Node): Element[] {
  const found: Element[] = [];
  let el = root.firstElementChild;
  while (el) {
    if (el.hasAttribute('dir')) found.push(el);
    // Next in document order: the first child, else the next sibling of the element or of its nearest ancestor below root.
    let next = el.firstElementChild;
    for (let at: Element | null = el; !next && at; at = at.parentNode === root ? null : at.parentElement) next = at.nextElementSibling;
    el = next;
  }
  return found;
}

function normaliseDir(raw: string | null | undefined): 'ltr' | 'rtl' | null {
  const dir = (raw ?? '').trim().toLowerCase();
  return dir === 'rtl' || dir === 'ltr' ? dir : null;
}

const PublishedField = ArticleSchema.shape.published;

/**
 * Pages give dates in every shape. What the model accepts is kept as given
 * (keeping the publisher's offset); a timestamp with no zone keeps only its
 * date, since the hour would be a guess; anything else Date can read and that
 * has a clock time becomes UTC; a date with no time stays a calendar date.
 */
export function normalisePublished(raw: string | null | undefined): string | null {
  const value = (raw ?? '').trim();
  if (!value) return null;
  if (PublishedField.safeParse(value).success) return value;
  const isoLike = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?)?/i.exec(value);
  if (isoLike?.[1]) {
    const [, date, time, zone] = isoLike;
    if (time && zone) {
      const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
      const candidate = `${date}T${time.length === 5 ? `${time}:00` : time}${offset}`;
      if (PublishedField.safeParse(candidate).success) return candidate;
    }
    return PublishedField.safeParse(date).success ? date : null;
  }
  const when = new Date(value);
  if (Number.isNaN(when.getTime())) return null;
  if (/\d{1,2}:\d{2}/.test(value)) return when.toISOString();
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`;
  return PublishedField.safeParse(date).success ? date : null;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

function clipOrNull(raw: string | null | undefined, max: number): string | null {
  const text = clip(collapse(raw ?? ''), max);
  return text || null;
}

/**
 * A user's Markdown (a clipping's note, a press review's introduction) as
 * HTML safe to put in an exported page: marked renders it, DOMPurify (in a
 * jsdom window where nothing runs or loads, as for imports) keeps a short
 * list of text elements. No images, media, styles or forms survive: a clip
 * book is self-contained and loads nothing, printed or opened.
 */
import { purifierPool } from '../lazy-jsdom';
import { Marked } from 'marked';

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'mark', 'sub', 'sup', 'small', 'code', 'pre', 'kbd', 'blockquote',
  'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'dl', 'dt', 'dd',
];
const ALLOWED_ATTR = ['href', 'title', 'start', 'colspan', 'rowspan'];
/** Links a reader can follow from a printed page or a file; nothing that runs or reads local files. */
const ALLOWED_URI_REGEXP = /^(?:https?:|mailto:|#)/i;

/** One line with nothing Markdown or HTML would read as markup: written as an escaped paragraph without parsing. */
function isPlain(text: string): boolean {
  return !/[\n\\`*_[\]<>|~&!]/.test(text) && !/^(\s|[#>+=-]|\d+[.)])/.test(text);
}

const marked = new Marked({ gfm: true, breaks: false, async: false });

/** Sanitised texts per jsdom window before it is replaced (see SANITISED_PER_WINDOW in import/html.ts: jsdom keeps listeners per Document). */
const USES_PER_WINDOW = 500;
const sanitizer = purifierPool(USES_PER_WINDOW);

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** Markdown → sanitised HTML (an empty string for blank text). */
export function markdownToSafeHtml(markdown: string): string {
  const text = markdown.replace(/\r\n?/g, '\n').trim();
  if (text === '') return '';
  // Most notes are a sentence of plain words: no parser, no DOM needed for them.
  if (isPlain(text)) return `<p>${escapeHtml(text)}</p>`;
  const html = marked.parse(text) as string;
  return sanitizer().sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    KEEP_CONTENT: true,
  });
}

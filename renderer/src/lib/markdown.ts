/**
 * Notes are Markdown, shown as HTML in the sidebar. A note may come from
 * anywhere (a Kindle file, a shared library, a pasted text), so it is
 * treated as hostile: marked turns it into HTML, then DOMPurify keeps only a
 * short allowlist of harmless elements, with two lines of defence:
 *
 * 1. marked's renderer writes raw HTML in a note as visible text (a `<b>` the
 *    user typed shows as `<b>`), images as their alt text (nothing is ever
 *    fetched from the web), and links only when they are http(s).
 * 2. DOMPurify then drops anything outside the allowlist, whatever marked
 *    produced: no script, no event handler, no style, no image, no form.
 *
 * Links open in a new window (target=_blank), which main hands to the system
 * browser; rel=noopener so that the page opened has no handle on this one.
 */
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';

const ALLOWED_TAGS = ['p', 'br', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'];
const ALLOWED_ATTR = ['href', 'title', 'start'];
const WEB_LINK = /^https?:\/\//i;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    image: ({ text }: Tokens.Image) => escapeHtml(text ? `[${text}]` : ''),
    link({ href, title, tokens }: Tokens.Link) {
      const inner = this.parser.parseInline(tokens);
      if (!WEB_LINK.test(href.trim())) return inner;
      return `<a href="${escapeHtml(href.trim())}"${title ? ` title="${escapeHtml(title)}"` : ''}>${inner}</a>`;
    },
  },
});

const purify = DOMPurify(window);
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName !== 'A') return;
  const href = node.getAttribute('href') ?? '';
  if (!WEB_LINK.test(href)) {
    node.removeAttribute('href');
    return;
  }
  // Set after the allowlist has been applied, so target is never taken from the note itself.
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', 'noopener noreferrer');
  if (!node.getAttribute('title')) node.setAttribute('title', href);
});

/** Sanitised HTML for a note. */
export function noteToHtml(markdown: string): string {
  const html = marked.parse(markdown) as string;
  return purify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOWED_URI_REGEXP: WEB_LINK,
  });
}

const cache = new Map<string, string>();
/** noteToHtml, remembered: a sidebar of a thousand cards re-renders without re-parsing. */
export function noteHtml(markdown: string): string {
  let html = cache.get(markdown);
  if (html === undefined) {
    html = noteToHtml(markdown);
    if (cache.size > 2000) cache.clear();
    cache.set(markdown, html);
  }
  return html;
}

/** The note as plain text (for tooltips): Markdown marks stripped well enough to read. */
export function notePlain(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_~`>#]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

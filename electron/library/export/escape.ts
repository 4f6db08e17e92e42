/**
 * Escaping for the text formats an export writes: Markdown (Obsidian's
 * dialect included), YAML front matter, and file names. Article text is
 * data: whatever it holds, it must come out reading exactly as printed and
 * never become structure (a heading, a link, a tag, the end of the front
 * matter, an HTML element).
 */

/**
 * Characters that are Markdown (CommonMark, GFM, Obsidian) syntax anywhere
 * in a line: emphasis, code, links and wikilinks, raw HTML, tables,
 * strikethrough and highlights (~ =), math ($), comments (%), tags (#),
 * block ids (^). CommonMark lets a backslash escape any ASCII punctuation,
 * so over-escaping costs only a backslash in the raw file.
 */
const MD_INLINE = /[\\`*_[\]<>|~#$%=^]/g;
/** Character references (`&amp;`, `&#60;`) would be decoded: the `&` is escaped, a lone one is left alone. */
const MD_ENTITY = /&(?=#?[A-Za-z0-9]+;)/g;
/** What makes a line a list item, a quote or a heading underline where it starts. */
const MD_LINE_START = /^([-+]|\d{1,9}(?=[.)]))/;

/** Anything mdInline would change besides white space; most text has none of it, and is returned as it is. */
const MD_SPECIAL = /[\\`*_[\]<>|~#$%=^&]|^[-+\d]/;

/** One paragraph of article text as inline Markdown: white space (line breaks too) collapsed, syntax escaped. */
export function mdInline(text: string): string {
  const flat = (/[^\S ]|\s\s/.test(text) ? text.replace(/\s+/g, ' ') : text).trim();
  if (!MD_SPECIAL.test(flat)) return flat;
  return flat
    .replace(MD_INLINE, (c) => `\\${c}`)
    .replace(MD_ENTITY, '\\&')
    .replace(MD_LINE_START, (m) => (/^\d/.test(m) ? m : `\\${m}`))
    .replace(/^(\d{1,9})([.)])/, '$1\\$2');
}

/** Paragraphs of a quote (blank lines between them in the canonical text). */
export function quoteParagraphs(exact: string): string[] {
  const out = exact
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0);
  return out.length > 0 ? out : [exact.trim()];
}

/** Text as a Markdown block quote: every paragraph escaped, every line prefixed, paragraphs kept apart. */
export function mdBlockquote(text: string): string {
  // Most quotes are one paragraph.
  if (!text.includes('\n')) return `> ${mdInline(text)}`;
  return quoteParagraphs(text)
    .map((p) => `> ${mdInline(p)}`)
    .join('\n>\n');
}

/** Link targets a note may keep: a reader follows them; nothing runs or reads a local file. */
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);
const unsafeScheme = (scheme: string) => !SAFE_SCHEMES.has(scheme.toLowerCase());

/**
 * A user's own Markdown (a note, an introduction), kept as Markdown with
 * what could act on a reader's machine made text: raw HTML (`<` and `>`),
 * images (a note loads nothing when the file is opened: `![` is escaped),
 * and links to anything but http(s) and mailto (`javascript:`, `file:`).
 * Notes can come from imported annotations, written by anyone.
 */
export function mdUserText(text: string): string {
  if (!/[\r&<>![]/.test(text)) return text.trim();
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>(?!\s)/g, '&gt;')
    .replace(/!\[/g, '!\\[')
    .replace(/\]\(\s*([A-Za-z][A-Za-z0-9+.-]*):/g, (m, scheme: string) => (unsafeScheme(scheme) ? m.replace('](', ']\\(') : m))
    .replace(/^( {0,3})\[([^\]\n]+)\]:(\s*)([A-Za-z][A-Za-z0-9+.-]*):/gm, (m, indent: string, label: string, space: string, scheme: string) =>
      unsafeScheme(scheme) ? `${indent}\\[${label}]:${space}${scheme}:` : m,
    )
    .trim();
}

/**
 * Lines prefixed with `> ` so that they stay inside a block quote or an
 * Obsidian callout whatever they hold: a `---` line, a heading or a list in
 * a note cannot end the block or change what comes after it.
 */
export function mdQuoteLines(text: string): string {
  if (!text.includes('\n')) return text.trim() === '' ? '>' : `> ${text}`;
  return text
    .split('\n')
    .map((line) => (line.trim() === '' ? '>' : `> ${line}`))
    .join('\n');
}

/** A web address as a Markdown autolink, or as escaped text when it is not a link a reader should follow. */
export function mdLink(url: string): string {
  if (!/^(https?|mailto):/i.test(url)) return mdInline(url);
  // Inside <…> a space, < or > would end the link: percent-encode them (and anything invisible).
  // eslint-disable-next-line no-control-regex -- control characters are what must be encoded
  return `<${url.replace(/[\s<>\u0000-\u001f\u007f]/g, (c) => encodeURIComponent(c))}>`;
}

/**
 * Text as a Markdown code span, which shows its content literally: the
 * fence is one backtick longer than any run of backticks inside, and a
 * space pads content that starts or ends with one. Line breaks become spaces.
 */
export function mdCode(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * A tag as Obsidian writes one (`#place/Syria`): letters, digits, `_`, `-`
 * and `/`; anything else becomes `-`. A tag of digits only is not a tag in
 * Obsidian, so it gets a leading `_`.
 */
export function obsidianTag(tag: string): string {
  let t = tag
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}\p{M}_\-/]+/gu, '-')
    .replace(/\/{2,}/g, '/')
    .replace(/^[-/]+|[-/]+$/g, '');
  if (t === '') t = 'tag';
  if (/^[\d/]+$/.test(t)) t = `_${t}`;
  return t;
}

/**
 * A YAML double-quoted scalar. Everything YAML could read as structure or
 * fold (quotes, backslashes, line breaks of every kind, control characters,
 * a byte-order mark) is escaped, so a title with `:`, `"`, `#` or a newline
 * is one valid string whatever the parser.
 */
export function yamlString(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return 'null';
  const s = String(value);
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    const code = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0xfeff) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      // A surrogate pair passes as it is; a lone surrogate (not text) becomes the replacement character.
      const next = s.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += ch + (s[i + 1] as string);
        i++;
      } else out += '\uFFFD';
    } else out += ch;
  }
  return out + '"';
}

/** Names Windows keeps for devices, whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;
/** Most file systems allow 255 bytes per name; this leaves room for " (999)" and an extension. */
const NAME_BYTES = 120;

/**
 * A file name (without extension) valid on Windows, macOS and Linux: no
 * `/ \ : * ? " < > |` or control characters, no leading dot (hidden) or
 * trailing dot or space (Windows drops them), no device name, at most
 * NAME_BYTES bytes of UTF-8, never cut inside a character.
 */
export function safeFileName(title: string, fallback = 'Untitled'): string {
  let name = title
    .normalize('NFC')
    .replace(/"/g, "'")
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[/\\:*?<>|\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '');
  let bytes = 0;
  let cut = 0;
  for (const ch of name) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > NAME_BYTES) break;
    bytes += size;
    cut += ch.length;
  }
  name = name.slice(0, cut).replace(/[.\s]+$/, '');
  if (name === '') name = fallback;
  if (RESERVED.test(name)) name = `_${name}`;
  return name;
}

/**
 * Gives each name once: a second "Budget" becomes "Budget (2)". Compared
 * without case, as Windows and macOS compare file names.
 */
export class UniqueNames {
  private readonly taken = new Set<string>();

  take(base: string, extension: string): string {
    for (let n = 1; ; n++) {
      const name = `${n === 1 ? base : `${base} (${n})`}${extension}`;
      const key = name.normalize('NFC').toLocaleLowerCase('en');
      if (!this.taken.has(key)) {
        this.taken.add(key);
        return name;
      }
    }
  }
}

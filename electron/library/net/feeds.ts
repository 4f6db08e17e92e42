/**
 * RSS 2.0 (and 0.9x), RSS 1.0 (RDF) and Atom 1.0 feeds → a list of items to
 * import.
 *
 * fast-xml-parser reads the XML with its entity processing switched off
 * (`processEntities: false`): it then expands nothing at all, neither the
 * entities a DOCTYPE declares (so no "billion laughs", no external entity is
 * ever read) nor the predefined ones, and this module decodes the five XML
 * entities and numeric character references itself, in one pass, only in
 * text and attribute values, never inside CDATA (which is literal). An entity
 * a DOCTYPE declares stays as written ("&foo;"). A DOCTYPE that declares an
 * external entity (SYSTEM) is refused by the parser outright.
 *
 * Elements are matched by namespace URI, not by prefix, so a feed that binds
 * Dublin Core to "dcterms:" or Atom to the default namespace reads the same.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { normalisePublished } from '../import/html';
import { decodeXml } from './decode';
import { FeedError, FetchError } from './errors';
import { fetchResource, type FetchOptions } from './fetch-page';

export type FeedItem = {
  /** RSS guid, Atom id, RDF about; else the item's link. Unique within the feed. */
  id: string;
  /** Absolute http(s) address of the article. */
  url: string;
  title: string;
  /** ISO date or date-time (see normalisePublished), or null. */
  published: string | null;
  /** The item's summary (RSS description, Atom summary or content) as HTML, unsanitised. */
  summaryHtml?: string;
};

export type ParsedFeed = {
  title: string;
  /** The site the feed belongs to (its alternate link), else the feed's own origin. */
  siteUrl: string;
  items: FeedItem[];
};

const NS = {
  xml: 'http://www.w3.org/XML/1998/namespace',
  atom: 'http://www.w3.org/2005/Atom',
  atom03: 'http://purl.org/atom/ns#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rss1: 'http://purl.org/rss/1.0/',
  rss090: 'http://my.netscape.com/rdf/simple/0.9/',
  dc: 'http://purl.org/dc/elements/1.1/',
  content: 'http://purl.org/rss/1.0/modules/content/',
} as const;

const ACCEPT_FEED = 'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';

// ---------------------------------------------------------------------------
// A small namespace-aware tree over fast-xml-parser's ordered output.

type Attr = { ns: string; local: string; value: string };
type Element = {
  ns: string;
  local: string;
  /** As written, for messages. */
  qname: string;
  attrs: Attr[];
  children: Node[];
  /** xml:base in force here, resolved against the feed's address. */
  base: string;
};
/** Text is already entity-decoded; CDATA is kept as it was. */
type Node = Element | { text: string };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  attributesGroupName: ':@',
  textNodeName: '#text',
  cdataPropName: '#cdata',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function buildTree(raw: unknown[], scope: Map<string, string>, base: string): Node[] {
  const out: Node[] = [];
  for (const entry of raw) {
    if (!isRecord(entry)) continue;
    if (typeof entry['#text'] === 'string' || typeof entry['#text'] === 'number') {
      out.push({ text: decodeEntities(String(entry['#text'])) });
      continue;
    }
    if (Array.isArray(entry['#cdata'])) {
      const literal = entry['#cdata'].map((c) => (isRecord(c) && c['#text'] !== undefined ? String(c['#text']) : '')).join('');
      out.push({ text: literal });
      continue;
    }
    const qname = Object.keys(entry).find((k) => k !== ':@');
    if (!qname || qname.startsWith('#') || qname.startsWith('?')) continue;
    const rawAttrs = isRecord(entry[':@']) ? entry[':@'] : {};
    const innerScope = new Map(scope);
    const attrPairs: [string, string][] = [];
    for (const [name, value] of Object.entries(rawAttrs)) {
      const decoded = decodeEntities(String(value));
      if (name === 'xmlns') innerScope.set('', decoded);
      else if (name.startsWith('xmlns:')) innerScope.set(name.slice(6), decoded);
      else attrPairs.push([name, decoded]);
    }
    const resolveName = (name: string, isAttr: boolean): { ns: string; local: string } => {
      const colon = name.indexOf(':');
      if (colon < 0) return { ns: isAttr ? '' : (innerScope.get('') ?? ''), local: name };
      const prefix = name.slice(0, colon);
      const ns = prefix === 'xml' ? NS.xml : (innerScope.get(prefix) ?? `unbound:${prefix}`);
      return { ns, local: name.slice(colon + 1) };
    };
    const attrs = attrPairs.map(([name, value]) => ({ ...resolveName(name, true), value }));
    const xmlBase = attrs.find((a) => a.ns === NS.xml && a.local === 'base')?.value;
    const elementBase = xmlBase ? (resolveUrl(xmlBase, base) ?? base) : base;
    const kids = Array.isArray(entry[qname]) ? (entry[qname] as unknown[]) : [];
    out.push({ ...resolveName(qname, false), qname, attrs, base: elementBase, children: buildTree(kids, innerScope, elementBase) });
  }
  return out;
}

function isElement(n: Node): n is Element {
  return 'local' in n;
}

function childrenOf(el: Element, ns: readonly string[], local: string): Element[] {
  return el.children.filter((n): n is Element => isElement(n) && n.local === local && ns.includes(n.ns));
}

function childOf(el: Element | undefined, ns: readonly string[], local: string): Element | undefined {
  return el ? childrenOf(el, ns, local)[0] : undefined;
}

function attr(el: Element | undefined, local: string, ns = ''): string | undefined {
  return el?.attrs.find((a) => a.local === local && a.ns === ns)?.value;
}

/** All text inside, markup dropped (for elements meant as plain text). */
function textOf(el: Element | undefined): string {
  if (!el) return '';
  return el.children.map((n) => (isElement(n) ? textOf(n) : n.text)).join('');
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------
// Entities and HTML.

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * The HTML entities that turn up in feed titles double-escaped
 * ("&amp;rsquo;"); titles are shown as plain text, so they are decoded there.
 */
const TITLE_HTML_ENTITIES: Record<string, string> = {
  ...XML_ENTITIES,
  nbsp: '\u00a0', ndash: '–', mdash: '—', hellip: '…', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”',
  bdquo: '„', laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›', copy: '©', reg: '®', trade: '™', euro: '€', pound: '£',
  yen: '¥', cent: '¢', deg: '°', middot: '·', bull: '•', times: '×', shy: '\u00ad', eacute: 'é', egrave: 'è',
  agrave: 'à', aacute: 'á', ccedil: 'ç', ouml: 'ö', uuml: 'ü', auml: 'ä', szlig: 'ß', ntilde: 'ñ', oacute: 'ó',
  iacute: 'í', uacute: 'ú', ecirc: 'ê', ocirc: 'ô', acirc: 'â', icirc: 'î', ucirc: 'û', euml: 'ë', iuml: 'ï',
};

function decodeWith(table: Record<string, string>, s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(?:#[xX]([0-9a-fA-F]{1,6})|#(\d{1,7})|([A-Za-z][A-Za-z0-9]{0,31}));/g, (whole, hex?: string, dec?: string, name?: string) => {
    if (name !== undefined) return table[name] ?? whole;
    const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : whole;
  });
}

/** The five predefined entities and character references; anything else (a DOCTYPE's own entities) stays as written. */
export function decodeEntities(s: string): string {
  return decodeWith(XML_ENTITIES, s);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** HTML given as a title → text: tags dropped, entities decoded. */
function htmlToText(html: string): string {
  return collapse(decodeWith(TITLE_HTML_ENTITIES, html.replace(/<\/?[A-Za-z][^<>]*>/g, ' ').replace(/<!--[\s\S]*?-->/g, '')));
}

/** An Atom xhtml construct's children (inside its wrapper div) as HTML. */
function serialiseXhtml(nodes: Node[]): string {
  return nodes
    .map((n) => {
      if (!isElement(n)) return escapeHtml(n.text);
      const attrs = n.attrs.filter((a) => a.ns === '').map((a) => ` ${a.local}="${escapeHtml(a.value)}"`).join('');
      return `<${n.local}${attrs}>${serialiseXhtml(n.children)}</${n.local}>`;
    })
    .join('');
}

/** An Atom text construct (title, summary, content) by its type, as HTML. */
function atomHtml(el: Element | undefined): string | undefined {
  if (!el) return undefined;
  const type = (attr(el, 'type') ?? 'text').toLowerCase();
  if (type === 'xhtml') {
    const div = el.children.find(isElement);
    return serialiseXhtml(div && div.local === 'div' ? div.children : el.children);
  }
  if (type === 'html' || type === 'text/html') return textOf(el);
  return escapeHtml(textOf(el));
}

function atomText(el: Element | undefined): string {
  if (!el) return '';
  const type = (attr(el, 'type') ?? 'text').toLowerCase();
  return type === 'text' || type === 'text/plain' ? collapse(textOf(el)) : htmlToText(atomHtml(el) ?? '');
}

/**
 * RSS titles are plain text by the spec, but many feeds escape them as
 * HTML once more; markup and entities left in after XML decoding are
 * treated as HTML, as feed readers do.
 */
function rssText(el: Element | undefined): string {
  return htmlToText(textOf(el));
}

// ---------------------------------------------------------------------------
// URLs and dates.

function resolveUrl(raw: string, base: string): string | undefined {
  try {
    return new URL(raw.trim(), base).href;
  } catch {
    return undefined;
  }
}

/** Only http(s) addresses become item or site URLs: a javascript: or mailto: link is no article. */
function httpUrl(raw: string | undefined, base: string): string | undefined {
  if (!raw?.trim()) return undefined;
  const url = resolveUrl(raw, base);
  return url && /^https?:/i.test(url) ? url : undefined;
}

function date(...candidates: (Element | undefined)[]): string | null {
  for (const el of candidates) {
    const value = normalisePublished(collapse(textOf(el)));
    if (value) return value;
  }
  return null;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s && s.trim() ? s : undefined;
}

// ---------------------------------------------------------------------------
// The formats.

function looksLikeHtmlPage(text: string): boolean {
  return /^(?:\s|<!--[\s\S]*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html[\s>])/i.test(text.slice(0, 4096));
}

export function parseFeed(xml: string, feedUrl: string): ParsedFeed {
  const text = xml.replace(/^\uFEFF/, '');
  if (!text.trim()) throw new FeedError(feedUrl, 'the document is empty');
  if (looksLikeHtmlPage(text)) throw new FeedError(feedUrl, 'it is a web page (HTML)');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new FeedError(feedUrl, `it is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  let tree: Node[];
  try {
    const raw: unknown = parser.parse(text);
    tree = buildTree(Array.isArray(raw) ? raw : [], new Map(), feedUrl);
  } catch (e) {
    throw new FeedError(feedUrl, `it could not be read as XML (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  const root = tree.find(isElement);
  if (!root) throw new FeedError(feedUrl, 'it holds no XML element');

  if (root.local === 'rss') return parseRss2(root, feedUrl);
  if (root.local === 'RDF' && root.ns === NS.rdf) return parseRdf(root, feedUrl);
  if (root.local === 'feed' && (root.ns === NS.atom || root.ns === NS.atom03)) return parseAtom(root, feedUrl);
  if (root.local === 'html') throw new FeedError(feedUrl, 'it is a web page (XHTML)');
  throw new FeedError(feedUrl, `it is XML whose root element is <${root.qname}>, not <rss>, <rdf:RDF> or <feed>`);
}

/** RSS 2.0 and its 0.9x ancestors, in no namespace (or whatever the root declares, as some feeds do). */
function parseRss2(root: Element, feedUrl: string): ParsedFeed {
  const ns = [root.ns];
  const channel = childOf(root, ns, 'channel');
  if (!channel) throw new FeedError(feedUrl, 'an <rss> document with no <channel>');
  // Items belong in the channel; RSS 0.91 feeds in the wild sometimes put them beside it.
  const itemEls = [...childrenOf(channel, ns, 'item'), ...childrenOf(root, ns, 'item')];
  const items = itemEls.map((item): Partial<FeedItem> => {
    const guidEl = childOf(item, ns, 'guid');
    const guid = nonEmpty(collapse(textOf(guidEl)));
    const link = httpUrl(textOf(childOf(item, ns, 'link')), item.base);
    const permaLink = (attr(guidEl, 'isPermaLink') ?? 'true').trim().toLowerCase() !== 'false';
    const url = link ?? (guid && permaLink ? httpUrl(guid, item.base) : undefined);
    return {
      id: guid ?? url,
      url,
      title: rssText(childOf(item, ns, 'title')),
      published: date(childOf(item, ns, 'pubDate'), childOf(item, [NS.dc], 'date')),
      summaryHtml: nonEmpty(textOf(childOf(item, ns, 'description'))) ?? nonEmpty(textOf(childOf(item, [NS.content], 'encoded'))),
    };
  });
  return {
    title: rssText(childOf(channel, ns, 'title')) || hostOf(feedUrl),
    siteUrl: httpUrl(textOf(childOf(channel, ns, 'link')), channel.base) ?? originOf(feedUrl),
    items: complete(items),
  };
}

/** RSS 1.0 (and 0.90): channel and items are siblings under rdf:RDF. */
function parseRdf(root: Element, feedUrl: string): ParsedFeed {
  const ns = [NS.rss1, NS.rss090];
  const channel = childOf(root, ns, 'channel');
  if (!channel) throw new FeedError(feedUrl, 'an RDF document with no RSS <channel>');
  const items = childrenOf(root, ns, 'item').map((item): Partial<FeedItem> => {
    const url = httpUrl(textOf(childOf(item, ns, 'link')), item.base) ?? httpUrl(attr(item, 'about', NS.rdf), item.base);
    return {
      id: nonEmpty(attr(item, 'about', NS.rdf)?.trim()) ?? url,
      url,
      title: rssText(childOf(item, ns, 'title')),
      published: date(childOf(item, [NS.dc], 'date')),
      summaryHtml: nonEmpty(textOf(childOf(item, ns, 'description'))) ?? nonEmpty(textOf(childOf(item, [NS.content], 'encoded'))),
    };
  });
  return {
    title: rssText(childOf(channel, ns, 'title')) || hostOf(feedUrl),
    siteUrl: httpUrl(textOf(childOf(channel, ns, 'link')), channel.base) ?? originOf(feedUrl),
    items: complete(items),
  };
}

/** The alternate (HTML) link among Atom <link>s: rel absent or "alternate", text/html preferred. */
function atomLink(el: Element, ns: readonly string[]): string | undefined {
  const links = childrenOf(el, ns, 'link').filter((l) => (attr(l, 'rel') ?? 'alternate').trim().toLowerCase() === 'alternate');
  const best = links.find((l) => /html/i.test(attr(l, 'type') ?? 'text/html')) ?? links[0];
  return best ? httpUrl(attr(best, 'href'), best.base) : undefined;
}

function parseAtom(root: Element, feedUrl: string): ParsedFeed {
  const ns = [root.ns];
  const items = childrenOf(root, ns, 'entry').map((entry): Partial<FeedItem> => {
    const id = nonEmpty(collapse(textOf(childOf(entry, ns, 'id'))));
    const url = atomLink(entry, ns) ?? httpUrl(id, entry.base);
    return {
      id: id ?? url,
      url,
      title: atomText(childOf(entry, ns, 'title')),
      // Atom 1.0 published/updated; Atom 0.3 issued/modified.
      published: date(childOf(entry, ns, 'published'), childOf(entry, ns, 'issued'), childOf(entry, ns, 'updated'), childOf(entry, ns, 'modified')),
      summaryHtml: nonEmpty(atomHtml(childOf(entry, ns, 'summary'))) ?? nonEmpty(atomHtml(childOf(entry, ns, 'content'))),
    };
  });
  return {
    title: atomText(childOf(root, ns, 'title')) || hostOf(feedUrl),
    siteUrl: atomLink(root, ns) ?? originOf(feedUrl),
    items: complete(items),
  };
}

/**
 * Items that can be imported: with an http(s) address (an item with no link
 * is no article to fetch), each id once (the first wins, as feeds list the
 * newest first).
 */
function complete(items: Partial<FeedItem>[]): FeedItem[] {
  const seen = new Set<string>();
  const out: FeedItem[] = [];
  for (const item of items) {
    if (!item.url || !item.id || seen.has(item.id)) continue;
    seen.add(item.id);
    const done: FeedItem = { id: item.id, url: item.url, title: item.title ?? '', published: item.published ?? null };
    if (item.summaryHtml !== undefined) done.summaryHtml = item.summaryHtml;
    out.push(done);
  }
  return out;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname || url;
  } catch {
    return url;
  }
}

function originOf(url: string): string {
  try {
    const u = new URL(url);
    return /^https?:$/.test(u.protocol) ? `${u.origin}/` : url;
  } catch {
    return url;
  }
}

/** Fetches and parses a feed. Relative links resolve against the address the feed was finally fetched from. */
export async function fetchFeed(url: string, opts: FetchOptions = {}): Promise<ParsedFeed & { finalUrl: string }> {
  const res = await fetchResource(url, { ...opts, accept: opts.accept ?? ACCEPT_FEED });
  const text = decodeXml(res.bytes, res.charset);
  if (text === null) throw new FetchError('bad-encoding', url, 'the feed is not text in the encoding it declares (or in UTF-8)');
  try {
    return { ...parseFeed(text, res.finalUrl), finalUrl: res.finalUrl };
  } catch (e) {
    // Name the address the caller gave, not a redirect target it never saw.
    if (e instanceof FeedError && res.finalUrl !== url) throw new FeedError(url, e.reason, { cause: e.cause });
    throw e;
  }
}

/**
 * W3C Web Annotation JSON-LD: the export other annotation tools read, and
 * the one Cuttings reads back without losing anything.
 *
 * One document, an AnnotationCollection:
 *
 *   {
 *     "@context": ["http://www.w3.org/ns/anno.jsonld", { "cuttings": "https://cuttings.app/ns#", … }],
 *     "id": "urn:cuttings:collection:<sha-256 of the content>",
 *     "type": "AnnotationCollection", "label": "…", "total": <clippings>,
 *     "cuttings:library": { format, version, labels, articles (metadata and blocks), composition },
 *     "first": { the first AnnotationPage, embedded: id, partOf, startIndex, items, next },
 *     "last": "<id of the last page>",
 *     "cuttings:pages": [ the other pages, embedded, in order ]
 *   }
 *
 * Each item is an Annotation (see web-annotation.ts) with one extension,
 * `cuttings:clipping` (the article's id, the label's id, how it is
 * anchored), and no @context of its own: embedded nodes take the
 * collection's, as JSON-LD says, which keeps 50,000 of them 4 MB smaller.
 * The W3C model says `next`, `prev` and `last` are IRIs, so pages after the
 * first cannot hang from those; they are embedded in `cuttings:pages`.
 *
 * What the W3C vocabulary has no term for (an article's text and metadata,
 * the labels, a clipping's anchoring) is in terms of our own namespace. The
 * two structured ones are JSON literals (`@type: @json`, JSON-LD 1.1): a
 * JSON-LD processor carries them as they are instead of reading their keys
 * as terms of the annotation vocabulary. The W3C schemas ignore keys they do
 * not know, so the document still passes every "must" of the test suite
 * (tests/unit/w3c-schemas.test.ts).
 *
 * Ids depend on the content only, never on who exported it or when: the
 * same clippings exported twice give the same document, byte for byte.
 *
 * Written as UTF-8 into one buffer (see renderJsonLd): each article is
 * stringified once, each annotation written from its fields, nothing large
 * stringified or copied twice. 50,000 clippings (38 MB) are measured in
 * tests/unit/interchange.test.ts.
 */
import { createHash } from 'node:crypto';
import type { Article, ArticleSummary, Clipping, Label } from '../model';
import type { ExportArticle, ExportSet } from './collect';
import { ANNOTATION_CONTEXT, articleSource, clippingUrn, motivationOf } from './web-annotation';

export const CUTTINGS_NS = 'https://cuttings.app/ns#';
export const JSONLD_FORMAT = 'cuttings-annotations';
export const JSONLD_VERSION = 1;
/** Annotations per AnnotationPage. */
export const PAGE_SIZE = 1000;

export const JSONLD_CONTEXT = [
  ANNOTATION_CONTEXT,
  {
    cuttings: CUTTINGS_NS,
    'cuttings:library': { '@type': '@json' },
    'cuttings:clipping': { '@type': '@json' },
    'cuttings:pages': { '@container': '@list' },
  },
] as const;

/** An article as the export carries it: its metadata (without list-only counts) and its blocks. */
export type ExportedArticle = Article & { blocks: ExportArticle['blocks'] };

function articleRecord(article: ArticleSummary, blocks: ExportArticle['blocks']): ExportedArticle {
  const { clippingCount: _count, ...rest } = article;
  return { ...rest, blocks };
}

/** An article with its blocks as the document carries it (JSON). */
export function exportedArticleJson(article: ArticleSummary, blocks: ExportArticle['blocks']): string {
  return JSON.stringify(articleRecord(article, blocks));
}

export function renderJsonLd(set: ExportSet): string {
  return renderJsonLdBytes(set).toString('utf8');
}

/** The same document as UTF-8 bytes, as it is written to a file: a large export is never decoded into one string. */
export function renderJsonLdBytes(set: ExportSet): Buffer {
  const composition = set.composition
    ? {
        id: set.composition.id,
        title: set.composition.title,
        introduction: set.composition.introduction,
        items: set.composition.sequence.map((s) => (s.kind === 'heading' ? { kind: 'heading', text: s.text } : { kind: 'clipping', clippingId: s.item.clipping.id })),
      }
    : null;

  // The whole document is written as UTF-8 into one growing buffer and decoded once. Building it as
  // strings (by concatenation, or pieces joined) left a million small strings alive to the end, and
  // the garbage collector copying them took most of an export of 50,000. The collection's id is a hash
  // of the content written after it: it is written as a placeholder of the same length (64 hex digits)
  // wherever it occurs, and filled in at the end.
  const label = set.composition?.title ?? `Cuttings: ${plural(set.clippingCount, 'clipping')} from ${plural(set.articles.length, 'article')}`;
  const total = set.articles.reduce((n, a) => n + a.clippings.length, 0);
  const pageCount = Math.ceil(total / PAGE_SIZE);
  const out = new ByteWriter(estimateBytes(set));
  const holes: number[] = [];
  const id = () => {
    out.write(COLLECTION_URN);
    holes.push(out.length);
    out.write(PLACEHOLDER);
  };
  const pageId = (i: number) => {
    out.write('"');
    id();
    out.write(`:page:${i}"`);
  };
  out.write(`{"@context":${JSON.stringify(JSONLD_CONTEXT)},\n"id":"`);
  id();
  out.write(`",\n"type":"AnnotationCollection",\n"label":${JSON.stringify(label)},\n"total":${total},\n"cuttings:library":`);
  const libraryStart = out.length;
  // JSON.stringify of { format, version, labels, articles, composition }, an article at a time: the
  // whole as one string (tens of megabytes) was copied twice more on its way into the buffer.
  out.write(`{"format":${q(JSONLD_FORMAT)},"version":${JSONLD_VERSION},"labels":${q(set.labels)},"articles":[`);
  set.articles.forEach((a, i) => {
    if (i > 0) out.write(',');
    out.write(a.json ?? exportedArticleJson(a.article, a.blocks));
  });
  out.write(`],"composition":${q(composition)}}`);
  // What the id is the hash of: the library's part and each page's annotations (byte ranges of `out`).
  const content: [number, number][] = [[libraryStart, out.length]];
  let itemsStart = 0;
  const closeItems = () => content.push([itemsStart, out.length]);

  let n = 0;
  for (const a of set.articles) {
    const source = JSON.stringify(articleSource(a.article)); // once per article: it parses the URL
    const articleId = JSON.stringify(a.article.id);
    for (const { clipping, label: clippingLabel } of a.clippings) {
      if (n % PAGE_SIZE === 0) {
        const i = n / PAGE_SIZE;
        if (i > 0) {
          closeItems();
          out.write('\n]}');
        }
        out.write(i === 0 ? ',\n"first":' : i === 1 ? ',\n"cuttings:pages":[\n' : ',\n');
        // The collection described in each page (the model's Example 43), not only named: a page read on its
        // own says what it is part of, and the suite's page schemas read partOf as that description.
        out.write('{"id":');
        pageId(i);
        out.write(',"type":"AnnotationPage","partOf":{"id":"');
        id();
        out.write(`","label":${JSON.stringify(label)},"total":${total}},"startIndex":${n}`);
        if (i > 0) {
          out.write(',"prev":');
          pageId(i - 1);
        }
        if (i < pageCount - 1) {
          out.write(',"next":');
          pageId(i + 1);
        }
        out.write(',"items":[\n');
        itemsStart = out.length;
      } else out.write(',\n');
      annotationJson(out, clipping, clippingLabel, source, articleId);
      n++;
    }
  }
  if (pageCount > 0) {
    closeItems();
    out.write('\n]}');
    if (pageCount > 1) out.write('\n]');
    out.write(',\n"last":');
    pageId(pageCount - 1);
  }
  out.write('}\n');

  const bytes = out.bytes();
  const hash = createHash('sha256');
  for (const [from, to] of content) hash.update(bytes.subarray(from, to)).update('\n');
  const hex = hash.digest('hex');
  for (const at of holes) bytes.write(hex, at, 'latin1');
  return bytes;
}

const COLLECTION_URN = 'urn:cuttings:collection:';
const PLACEHOLDER = '0'.repeat(64);

/**
 * About how many bytes the document takes (a little more, as a rule): the buffer is allocated once
 * instead of doubling (each doubling copies all that was written).
 */
function estimateBytes(set: ExportSet): number {
  let n = 4096;
  for (const a of set.articles) {
    n += 1024 + a.article.id.length + (a.article.url?.length ?? 0) * 3;
    if (a.json !== undefined) n += a.json.length * 2;
    for (const b of a.blocks) n += 64 + b.text.length * 2 + ('src' in b ? b.src.length * 3 : 0);
    for (const { clipping: c, label } of a.clippings) {
      let text = c.target.quote.exact.length + c.target.quote.prefix.length + c.target.quote.suffix.length + c.note.length + (label?.name.length ?? 0);
      for (const t of c.tags) text += t.length + 60;
      n += 640 + (a.article.url?.length ?? 40) * 3 + text * 2;
    }
  }
  return n;
}

/**
 * UTF-8 appended to one buffer that doubles if it fills. Small pieces are
 * gathered into a string of a few kilobytes first: each Buffer.write is a
 * call into C++, and an export of 50,000 annotations writes a million pieces.
 */
class ByteWriter {
  private buf: Buffer;
  private written = 0;
  private pending = '';

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(Math.max(1024, size));
  }

  /** Bytes written so far (what is pending included). */
  get length(): number {
    this.flush();
    return this.written;
  }

  write(s: string): void {
    if (s.length >= 4096) {
      // A large piece (an article with its text) goes in as it is: joined to the pending ones it would be copied once more.
      this.flush();
      this.put(s);
      return;
    }
    this.pending += s;
    if (this.pending.length >= 16_384) this.flush();
  }

  private flush(): void {
    const s = this.pending;
    if (s === '') return;
    this.pending = '';
    this.put(s);
  }

  private put(s: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4).
    if (this.written + s.length * 3 > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.written + s.length * 3));
      this.buf.copy(next, 0, 0, this.written);
      this.buf = next;
    }
    this.written += this.buf.write(s, this.written, 'utf8');
  }

  bytes(): Buffer {
    this.flush();
    return this.buf.subarray(0, this.written);
  }
}

const q = JSON.stringify;

/**
 * One annotation as JSON, written directly: what JSON.stringify of
 * embeddedAnnotation(clipping, article, label) gives, then the extension
 * (tests/unit/interchange.test.ts checks that the two agree), without
 * building and walking an object per clipping, which took most of an
 * export of 50,000.
 */
function annotationJson(out: ByteWriter, clipping: Clipping, label: Label | undefined, source: string, articleId: string): void {
  const { quote, position } = clipping.target;
  out.write(`{"id":${q(clippingUrn(clipping.id))},"type":"Annotation","motivation":"${motivationOf(clipping)}","created":${q(clipping.createdAt)},"modified":${q(clipping.updatedAt)},"body":[`);
  if (clipping.note !== '') out.write(`{"type":"TextualBody","purpose":"commenting","value":${q(clipping.note)},"format":"text/markdown"},`);
  for (const tag of clipping.tags) out.write(`{"type":"TextualBody","purpose":"tagging","value":${q(tag)}},`);
  out.write(`{"type":"TextualBody","purpose":"classifying","value":${q(label?.name ?? clipping.label)}}],"target":{"source":${source},"selector":[`);
  out.write(`{"type":"TextQuoteSelector","exact":${q(quote.exact)},"prefix":${q(quote.prefix)},"suffix":${q(quote.suffix)}},`);
  out.write(`{"type":"TextPositionSelector","start":${position.start},"end":${position.end}}]},"cuttings:clipping":{"articleId":${articleId},"label":${q(clipping.label)}`);
  out.write(clipping.anchor ? `,"anchor":${q(clipping.anchor)}}}` : '}}');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

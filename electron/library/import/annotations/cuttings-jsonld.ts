/**
 * Our own W3C Web Annotation JSON-LD (export/jsonld.ts) read back: the
 * collection, its pages and annotations, and the articles and labels it
 * carries in the `cuttings:library` extension. Everything is validated and
 * cross-checked (counts, ids, every article's text against its checksum,
 * every clipping's quote against the text) before anything is imported.
 */
import { z } from 'zod';
import {
  AnchorSchema,
  ArticleSchema,
  BlockSchema,
  ClippingSchema,
  CompositionItemSchema,
  IdSchema,
  LabelIdSchema,
  LabelListSchema,
  LIMITS,
  type Clipping,
} from '../../model';
import { canonicalText, sha256 } from '../../text';
import { JSONLD_FORMAT, JSONLD_VERSION } from '../../export/jsonld';
import { ANNOTATION_CONTEXT } from '../../export/web-annotation';
import { AnnotationFileError, type CuttingsExport } from './types';

const DateTime = z.iso.datetime({ offset: true });
const CLIPPING_URN = /^urn:cuttings:clipping:([A-Za-z0-9_-]{1,64})$/;

const BodySchema = z.object({
  type: z.literal('TextualBody'),
  purpose: z.enum(['commenting', 'tagging', 'classifying']),
  value: z.string(),
});

const SelectorSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('TextQuoteSelector'), exact: z.string(), prefix: z.string(), suffix: z.string() }),
  z.object({ type: z.literal('TextPositionSelector'), start: z.number().int(), end: z.number().int() }),
]);

const AnnotationSchema = z.object({
  id: z.string().regex(CLIPPING_URN, 'an annotation id is urn:cuttings:clipping:<id>'),
  type: z.literal('Annotation'),
  created: DateTime,
  modified: DateTime,
  body: z.array(BodySchema).max(LIMITS.tagsPerItem + 2),
  target: z.object({ source: z.string(), selector: z.array(SelectorSchema).min(2).max(2) }),
  'cuttings:clipping': z.object({ articleId: IdSchema, label: LabelIdSchema, anchor: AnchorSchema.optional() }),
});

const PageSchema = z.object({
  id: z.string(),
  type: z.literal('AnnotationPage'),
  startIndex: z.number().int().min(0),
  items: z.array(AnnotationSchema),
});

const LibrarySchema = z.object({
  format: z.literal(JSONLD_FORMAT),
  version: z.number().int().min(1),
  labels: LabelListSchema,
  articles: z.array(ArticleSchema.extend({ blocks: z.array(BlockSchema) })),
  composition: z
    .object({ id: IdSchema, title: z.string().min(1).max(LIMITS.titleChars), introduction: z.string().max(LIMITS.noteChars), items: z.array(CompositionItemSchema).max(10_000) })
    .nullable(),
});

const CollectionSchema = z.object({
  type: z.literal('AnnotationCollection'),
  total: z.number().int().min(0),
  'cuttings:library': LibrarySchema,
  first: PageSchema.optional(),
  'cuttings:pages': z.array(PageSchema).optional(),
});

/** True for a document that says it is a Cuttings export (whatever else is wrong with it). */
export function isCuttingsExport(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'cuttings:library' in value;
}

/** True for a document whose @context is the W3C annotation context (ours or another tool's). */
export function hasAnnotationContext(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const context = (value as { '@context'?: unknown })['@context'];
  return context === ANNOTATION_CONTEXT || (Array.isArray(context) && context.includes(ANNOTATION_CONTEXT));
}

export function parseCuttingsExport(value: unknown): CuttingsExport {
  const version = (value as { 'cuttings:library'?: { version?: unknown } })['cuttings:library']?.version;
  if (typeof version === 'number' && version > JSONLD_VERSION) {
    throw new AnnotationFileError(`it was exported by a newer version of Cuttings (format version ${version}; this one reads ${JSONLD_VERSION}); update Cuttings to import it`);
  }
  const parsed = CollectionSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AnnotationFileError(`it is not a Cuttings annotation export this version can read (${issue?.path.join('.') || 'the collection'}: ${issue?.message})`);
  }
  const collection = parsed.data;
  const library = collection['cuttings:library'];
  const pages = [...(collection.first ? [collection.first] : []), ...(collection['cuttings:pages'] ?? [])];
  let count = 0;
  for (const page of pages) {
    if (page.startIndex !== count) throw new AnnotationFileError(`its annotation page ${page.id} starts at ${page.startIndex}, not ${count}: pages are missing or out of order`);
    count += page.items.length;
  }
  if (count !== collection.total) throw new AnnotationFileError(`it says it holds ${collection.total} annotations but has ${count}: the file is incomplete`);

  const articles = new Map<string, { article: CuttingsExport['articles'][number]['article']; blocks: CuttingsExport['articles'][number]['blocks']; text: string; clippings: Clipping[] }>();
  for (const { blocks, ...article } of library.articles) {
    if (articles.has(article.id)) throw new AnnotationFileError(`it holds article ${article.id} twice`);
    const text = canonicalText(blocks);
    if (sha256(text) !== article.textHash) throw new AnnotationFileError(`the text of article ${article.id} (“${article.title}”) does not match its checksum: the file was changed or damaged`);
    articles.set(article.id, { article, blocks, text, clippings: [] });
  }

  const seen = new Set<string>();
  for (const page of pages) {
    for (const item of page.items) {
      const id = (CLIPPING_URN.exec(item.id) as RegExpExecArray)[1] as string;
      if (seen.has(id)) throw new AnnotationFileError(`it holds annotation ${item.id} twice`);
      seen.add(id);
      const ext = item['cuttings:clipping'];
      const home = articles.get(ext.articleId);
      if (!home) throw new AnnotationFileError(`annotation ${item.id} belongs to article ${ext.articleId}, which the file does not carry`);
      const quote = item.target.selector.find((s) => s.type === 'TextQuoteSelector');
      const position = item.target.selector.find((s) => s.type === 'TextPositionSelector');
      if (!quote || !position) throw new AnnotationFileError(`annotation ${item.id} lacks its TextQuoteSelector or its TextPositionSelector`);
      const candidate = {
        id,
        articleId: ext.articleId,
        target: { quote: { exact: quote.exact, prefix: quote.prefix, suffix: quote.suffix }, position: { start: position.start, end: position.end } },
        ...(ext.anchor ? { anchor: ext.anchor } : {}),
        label: ext.label,
        note: item.body.find((b) => b.purpose === 'commenting')?.value ?? '',
        tags: item.body.filter((b) => b.purpose === 'tagging').map((b) => b.value),
        createdAt: item.created,
        updatedAt: item.modified,
      };
      const clipping = ClippingSchema.safeParse(candidate);
      if (!clipping.success) {
        const issue = clipping.error.issues[0];
        throw new AnnotationFileError(`annotation ${item.id} is not a valid clipping (${issue?.path.join('.') || 'it'}: ${issue?.message})`);
      }
      const c = clipping.data;
      if (c.anchor?.state !== 'orphan' && home.text.slice(c.target.position.start, c.target.position.end) !== c.target.quote.exact) {
        throw new AnnotationFileError(`annotation ${item.id} quotes words that are not at ${c.target.position.start}–${c.target.position.end} of its article's text`);
      }
      home.clippings.push(c);
    }
  }

  return {
    labels: library.labels,
    articles: [...articles.values()].map(({ article, blocks, clippings }) => ({ article, blocks, clippings })),
    composition: library.composition,
  };
}

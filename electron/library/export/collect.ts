/**
 * Every export starts here: a selection (articles, clippings, a tag, a
 * search, a saved press review, or the whole library) becomes an ExportSet,
 * the articles with the clippings chosen from each and the provenance of
 * every quote. The formats (Markdown, HTML, JSON-LD, CSV, text) only render
 * an ExportSet; none of them reads the library.
 */
import type { Library } from '../library';
import type { ArticleSummary, Block, Clipping, Composition, Label } from '../model';
import { LibraryError } from '../errors';
import { parallel } from '../storage/store';
import { blockOffsets, canonicalText } from '../text';
import { readArticlesInBulk, type ArticleBody } from './bulk-read';
import { exportedArticleJson } from './jsonld';
import type { ExportSelection, Provenance } from './types';

export type ExportClipping = {
  clipping: Clipping;
  /** The clipping's label as the library defines it now (undefined when the label was removed). */
  label: Label | undefined;
  provenance: Provenance;
};

export type ExportArticle = {
  article: ArticleSummary;
  /** The article's body (empty when collected with `bodies: false` or `'json'`). */
  blocks: Block[];
  /**
   * With `bodies: 'json'`: the article with its body as the JSON-LD export
   * carries it (exportedArticleJson), made as it is read.
   */
  json?: string;
  /** The canonical text the clippings' positions refer to (made from `blocks` when asked for). */
  readonly text: string;
  /** The chosen clippings, in text order. */
  clippings: ExportClipping[];
  /** The article itself was selected (not only some of its clippings): all its clippings are here. */
  whole: boolean;
};

/** A saved press review's order: its headings and its clippings, each pointing into `articles`. */
export type ExportSequenceItem = { kind: 'heading'; text: string } | { kind: 'clipping'; article: ExportArticle; item: ExportClipping };

export type ExportSet = {
  /** Articles in the order first selected (whole library: list order). */
  articles: ExportArticle[];
  /** The library's labels, for formats that carry them (JSON-LD, backups). */
  labels: Label[];
  /** Set when a composition was exported: its title, introduction and order. */
  composition: { id: string; title: string; introduction: string; sequence: ExportSequenceItem[] } | null;
  /** Clippings the selection named that no longer exist (a composition that outlived them). */
  missingClippingIds: string[];
  clippingCount: number;
};

/** Articles read at once while collecting: bounded, as for any bulk read of records. */
const READ_LIMIT = 32;
/** From this many articles on, their files are read in bulk (see bulk-read.ts); fewer go through the library one by one. */
const BULK_FROM = 64;

function isUnder(tag: string, root: string): boolean {
  return tag === root || tag.startsWith(`${root}/`);
}

/**
 * What the selection names, resolved to articles. `composition` is the
 * saved press review `selection.compositionId` names (the caller reads it,
 * so that this module needs no knowledge of where compositions are kept).
 */
export type CollectOptions = {
  /**
   * Keep each article's body (`blocks`, `text`); default true. The clip-book
   * formats need only where its paragraphs start (for the quotes' paragraph
   * numbers, computed here); not keeping 5,000 bodies spares their memory
   * and most of the collector's work in a large export.
   */
  bodies?: boolean | 'json';
  /** With nothing named, include articles that have no clippings too (a lossless export of the whole library). */
  everyArticle?: boolean;
};

export async function collectExport(library: Library, selection: ExportSelection, composition: Composition | null = null, options: CollectOptions = {}): Promise<ExportSet> {
  const keepBodies = options.bodies === true || options.bodies === undefined;
  const bodiesAsJson = options.bodies === 'json';
  if (selection.compositionId !== undefined && composition?.id !== selection.compositionId) {
    // Without it the selection would name nothing, which means the whole library.
    throw new LibraryError('not-found', `No press review with id ${selection.compositionId}`);
  }
  const wholeIds: string[] = [];
  const picked = new Map<string, Set<string>>();
  const order: string[] = [];
  const seen = new Set<string>();
  const missing: string[] = [];
  const addArticle = (id: string) => {
    if (!seen.has(id)) {
      seen.add(id);
      order.push(id);
    }
  };
  const wholeSet = new Set<string>();
  const addWhole = (id: string) => {
    if (!wholeSet.has(id)) {
      wholeSet.add(id);
      wholeIds.push(id);
    }
    addArticle(id);
  };
  const addClipping = (articleId: string, clippingId: string) => {
    addArticle(articleId);
    let set = picked.get(articleId);
    if (!set) picked.set(articleId, (set = new Set()));
    set.add(clippingId);
  };
  const addClippingById = async (clippingId: string) => {
    try {
      const c = await library.getClipping(clippingId);
      addClipping(c.articleId, c.id);
    } catch (e) {
      if (e instanceof LibraryError && e.code === 'not-found') missing.push(clippingId);
      else throw e;
    }
  };

  const namesSomething =
    (selection.articleIds?.length ?? 0) > 0 ||
    (selection.clippingIds?.length ?? 0) > 0 ||
    selection.tag !== undefined ||
    selection.query !== undefined ||
    composition !== null;

  // Nothing named: every article with something to export (an article without clippings has no quote to give),
  // or every article at all for a lossless export (JSON-LD), which must bring the whole library back.
  if (!namesSomething) {
    for (const a of await library.listArticles()) if (a.clippingCount > 0 || options.everyArticle) addWhole(a.id);
  }
  for (const id of selection.articleIds ?? []) {
    await library.getSummary(id); // not-found names the id
    addWhole(id);
  }
  for (const id of selection.clippingIds ?? []) await addClippingById(id);
  if (selection.tag !== undefined) {
    const tag = selection.tag;
    const withClippings: string[] = [];
    for (const a of await library.listArticles()) {
      if (a.tags.some((t) => isUnder(t, tag))) addWhole(a.id);
      else if (a.clippingCount > 0) withClippings.push(a.id);
    }
    // Clippings tagged in articles that are not: read those articles' clippings.
    const found: [string, string][] = [];
    await parallel(
      withClippings,
      async (id) => {
        const detail = await library.getArticle(id);
        for (const c of detail.clippings) if (c.tags.some((t) => isUnder(t, tag))) found.push([id, c.id]);
      },
      READ_LIMIT,
    );
    const rank = new Map(withClippings.map((id, i) => [id, i]));
    found.sort((a, b) => (rank.get(a[0]) ?? 0) - (rank.get(b[0]) ?? 0));
    for (const [articleId, clippingId] of found) addClipping(articleId, clippingId);
  }
  if (selection.query !== undefined) {
    const results = await library.search(selection.query, { limit: 10_000 });
    for (const hit of results.articles) addWhole(hit.articleId);
    for (const hit of results.clippings) addClipping(hit.articleId, hit.clippingId);
  }
  if (composition) {
    for (const item of composition.items) if (item.kind === 'clipping') await addClippingById(item.clippingId);
  }

  const labels = library.labels();
  const labelById = new Map(labels.map((l) => [l.id, l]));
  const byId = new Map<string, ExportArticle>();
  await readArticles(library, order, (id, detail) => {
    const whole = wholeSet.has(id);
    const only = picked.get(id);
    const chosen = whole ? detail.clippings : detail.clippings.filter((c) => only?.has(c.id));
    const offsets = blockOffsets(detail.blocks);
    const { article } = detail;
    const blocks = keepBodies ? detail.blocks : [];
    byId.set(id, {
      article,
      blocks,
      // As JSON at once: 5,000 bodies held as objects until the export was written cost more in garbage collection than in writing.
      ...(bodiesAsJson ? { json: exportedArticleJson(article, detail.blocks) } : {}),
      // Made again when asked for: the text is the blocks joined, and a large export need not hold both.
      get text() {
        return canonicalText(blocks);
      },
      whole,
      clippings: chosen.map((clipping) => ({
        clipping,
        label: labelById.get(clipping.label),
        provenance: {
          source: article.source,
          byline: article.byline,
          dateline: article.dateline,
          published: article.published,
          url: article.url,
          retrieved: article.importedAt,
          textSha256: article.textHash,
          paragraph: paragraphAt(offsets, clipping.target.position.start),
        },
      })),
    });
  });
  const articles = order.map((id) => byId.get(id)).filter((a): a is ExportArticle => a !== undefined);

  let sequence: ExportSequenceItem[] | null = null;
  if (composition) {
    const where = new Map<string, { article: ExportArticle; item: ExportClipping }>();
    for (const article of articles) for (const item of article.clippings) where.set(item.clipping.id, { article, item });
    sequence = [];
    for (const item of composition.items) {
      if (item.kind === 'heading') sequence.push({ kind: 'heading', text: item.text });
      else {
        const found = where.get(item.clippingId);
        if (found) sequence.push({ kind: 'clipping', ...found });
      }
    }
  }

  return {
    articles,
    labels,
    composition: composition && sequence ? { id: composition.id, title: composition.title, introduction: composition.introduction, sequence } : null,
    missingClippingIds: missing,
    clippingCount: articles.reduce((n, a) => n + a.clippings.length, 0),
  };
}

/** 1-based number of the block holding `position` (binary search over the block offsets). */
export function paragraphAt(offsets: readonly number[], position: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((offsets[mid] ?? 0) <= position) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** Every article's detail, handed to `take` as it is read (in no particular order). */
async function readArticles(library: Library, ids: readonly string[], take: (id: string, detail: ArticleBody) => void): Promise<void> {
  if (ids.length >= BULK_FROM) return readArticlesInBulk(library, ids, take);
  await parallel(ids, async (id) => take(id, await library.getArticle(id)), READ_LIMIT);
}

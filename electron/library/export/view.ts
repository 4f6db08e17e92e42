/**
 * An ExportSet as the templates see it: plain objects with snake_case
 * fields (Liquid's convention), only own properties, nothing that runs.
 * Grouping and the order of a saved press review are decided here, so a
 * template only walks `sections`; what a template cannot compute safely
 * (sanitised HTML of a note, a link that is really a web address, the
 * citation) is computed here too.
 */
import type { ExportArticle, ExportClipping, ExportSet } from './collect';
import type { ExportGrouping } from './types';
import { citationDate, formatAttribution, formatCitation } from './citation';
import { quoteParagraphs } from './escape';
import { markdownToSafeHtml } from './rich-text';

export type ArticleView = {
  id: string;
  title: string;
  source: string | null;
  byline: string | null;
  dateline: string | null;
  published: string | null;
  /** The date part of `published`. */
  published_date: string | null;
  url: string | null;
  /** `url` when it is a web address a link may point to (http, https), else null. */
  url_href: string | null;
  language: string | null;
  retrieved: string;
  tags: string[];
  sha256: string;
  word_count: number;
  clipping_count: number;
};

export type ProvenanceView = {
  source: string | null;
  byline: string | null;
  dateline: string | null;
  published: string | null;
  url: string | null;
  url_href: string | null;
  retrieved: string;
  sha256: string;
  paragraph: number;
};

export type QuoteView = {
  id: string;
  /** An id for the HTML element, unique in the document (a quote may appear under several tags). */
  anchor: string;
  exact: string;
  paragraphs: string[];
  note: string;
  /** The note (Markdown) as sanitised HTML; empty unless the format is HTML. */
  note_html: string;
  tags: string[];
  label: string;
  label_id: string;
  label_color: string;
  /** anchored, reanchored (found again after the text changed) or orphan (not found: positions are stale). */
  state: string;
  speaker: string | null;
  /** `“quote” — speaker, source, dateline, date, URL`. */
  citation: string;
  /** The same without the quote: `speaker, source, dateline, date`. */
  attribution: string;
  start: number;
  end: number;
  created: string;
  updated: string;
  article: ArticleView;
  provenance: ProvenanceView;
};

export type SectionView = {
  /** An id for the HTML element and the table of contents' link. */
  id: string;
  /** Null for a composition's clippings before its first heading. */
  title: string | null;
  kind: 'article' | 'tag' | 'source' | 'date' | 'heading';
  /** The article, for sections of one article. */
  article: ArticleView | null;
  quotes: QuoteView[];
  count: number;
};

export type ClipbookView = {
  title: string;
  generated: string;
  grouping: ExportGrouping | 'composition';
  introduction: string;
  introduction_html: string;
  sections: SectionView[];
  /** The sections that have a title, for a table of contents. */
  toc: SectionView[];
  articles: (ArticleView & { quotes: QuoteView[] })[];
  /** Every tag of the articles and clippings exported, sorted. */
  tags: string[];
  article_count: number;
  clipping_count: number;
  missing_clipping_ids: string[];
};

export type ViewOptions = {
  title: string;
  grouping: ExportGrouping;
  generated: string;
  /** Render notes and the introduction as sanitised HTML (HTML and PDF only: it costs a DOM). */
  html: boolean;
  /** Clipping id → who said it, when speakers were looked up. */
  speakers?: ReadonlyMap<string, string | null>;
};

const NO_TAG = 'No tag';
const NO_SOURCE = 'Unknown source';
const NO_DATE = 'Undated';

function webAddress(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A text field that holds something, else null: a template tests `{% if field %}` (Liquid finds "" true). */
export function present(value: string | null | undefined): string | null {
  return value && /\S/.test(value) ? value : null;
}

export function articleView(a: ExportArticle): ArticleView {
  const { article } = a;
  const url = present(article.url);
  return {
    id: article.id,
    title: article.title,
    source: present(article.source),
    byline: present(article.byline),
    dateline: present(article.dateline),
    published: present(article.published),
    published_date: citationDate(present(article.published)),
    url,
    url_href: webAddress(url),
    language: article.language,
    retrieved: article.importedAt,
    tags: [...article.tags],
    sha256: article.textHash,
    word_count: article.wordCount,
    clipping_count: a.clippings.length,
  };
}

/** A clipping where a clip book places it. */
export type Placed = { article: ExportArticle; item: ExportClipping };

/** A clip book's section before it is made into template data: the grouping, decided once for every renderer. */
export type RawSection = {
  id: string;
  title: string | null;
  kind: SectionView['kind'];
  article: ExportArticle | null;
  items: Placed[];
};

/**
 * The sections of a clip book: a saved press review's own headings and
 * order; else one section per article, tag, source or date. A clipping
 * sits under each of its tags (its own and its article's); tags and
 * sources are sorted alphabetically, dates newest first, and the section of
 * clippings with no tag, source or date comes last.
 */
export function groupSections(set: ExportSet, grouping: ExportGrouping): RawSection[] {
  let n = 0;
  const sections: RawSection[] = [];
  const section = (title: string | null, kind: SectionView['kind'], article: ExportArticle | null, items: Placed[]) =>
    sections.push({ id: `section-${++n}`, title, kind, article, items });

  if (set.composition) {
    let title: string | null = null;
    let items: Placed[] = [];
    let started = false;
    for (const entry of set.composition.sequence) {
      if (entry.kind === 'heading') {
        if (started) section(title, 'heading', null, items);
        title = entry.text;
        items = [];
      } else items.push({ article: entry.article, item: entry.item });
      started = true;
    }
    if (started) section(title, 'heading', null, items);
    return sections;
  }
  if (grouping === 'article') {
    for (const a of set.articles) section(a.article.title, 'article', a, a.clippings.map((item) => ({ article: a, item })));
    return sections;
  }
  const groups = new Map<string, Placed[]>();
  const add = (key: string, placed: Placed) => {
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    if (list.at(-1)?.item !== placed.item) list.push(placed);
  };
  for (const a of set.articles) {
    for (const item of a.clippings) {
      const placed = { article: a, item };
      if (grouping === 'tag') {
        const tags = new Set([...item.clipping.tags, ...a.article.tags]);
        if (tags.size === 0) add(NO_TAG, placed);
        for (const t of tags) add(t, placed);
      } else if (grouping === 'source') add(a.article.source?.trim() || NO_SOURCE, placed);
      else add(citationDate(a.article.published) ?? NO_DATE, placed);
    }
  }
  const last = grouping === 'tag' ? NO_TAG : grouping === 'source' ? NO_SOURCE : NO_DATE;
  const keys = [...groups.keys()].filter((k) => k !== last);
  if (grouping === 'date') keys.sort((x, y) => (x < y ? 1 : x > y ? -1 : 0));
  else keys.sort(byName);
  if (groups.has(last)) keys.push(last);
  for (const key of keys) section(key, grouping, null, groups.get(key) ?? []);
  return sections;
}

/** Alphabetical for a person (case and accents aside), then by code point so that the order is total. */
export function byName(x: string, y: string): number {
  return x.localeCompare(y, 'en', { sensitivity: 'base' }) || (x < y ? -1 : x > y ? 1 : 0);
}

/** Every tag of the articles and clippings exported, sorted. */
export function allTags(set: ExportSet): string[] {
  const tags = new Set<string>();
  for (const a of set.articles) {
    for (const t of a.article.tags) tags.add(t);
    for (const c of a.clippings) for (const t of c.clipping.tags) tags.add(t);
  }
  return [...tags].sort(byName);
}

export function buildClipbook(set: ExportSet, options: ViewOptions): ClipbookView {
  const articleViews = new Map<ExportArticle, ArticleView>();
  const quoteViews = new Map<ExportClipping, QuoteView>();
  const articleOf = (a: ExportArticle) => {
    let v = articleViews.get(a);
    if (!v) articleViews.set(a, (v = articleView(a)));
    return v;
  };
  const quoteOf = ({ article, item }: Placed): QuoteView => {
    let v = quoteViews.get(item);
    if (!v) quoteViews.set(item, (v = quoteView(articleOf(article), item, options)));
    return v;
  };
  // A quote under a section has its own anchor there (the same quote can sit under two tags).
  const sections: SectionView[] = groupSections(set, options.grouping).map((s) => ({
    id: s.id,
    title: s.title,
    kind: s.kind,
    article: s.article ? articleOf(s.article) : null,
    quotes: s.items.map((p) => ({ ...quoteOf(p), anchor: `${s.id}-${p.item.clipping.id}` })),
    count: s.items.length,
  }));

  const articles = set.articles.map((a) => ({ ...articleOf(a), quotes: a.clippings.map((item) => quoteOf({ article: a, item })) }));
  const introduction = set.composition?.introduction ?? '';
  return {
    title: options.title,
    generated: options.generated,
    grouping: set.composition ? 'composition' : options.grouping,
    introduction,
    introduction_html: options.html ? markdownToSafeHtml(introduction) : '',
    sections,
    toc: sections.filter((s) => s.title !== null),
    articles,
    tags: allTags(set),
    article_count: set.articles.length,
    clipping_count: set.clippingCount,
    missing_clipping_ids: [...set.missingClippingIds],
  };
}

/** Who said it and where: `speaker, source, dateline, date` (no URL: the provenance gives it in full). */
export function attributionOf(article: ArticleView, speaker: string | null): string {
  return formatAttribution({ speaker, source: article.source, dateline: article.dateline, published: article.published });
}

function quoteView(article: ArticleView, item: ExportClipping, options: ViewOptions): QuoteView {
  const { clipping, label, provenance } = item;
  const speaker = options.speakers?.get(clipping.id) ?? null;
  const exact = clipping.target.quote.exact;
  // The provenance is the article's (collectExport takes it from there): its fields were cleaned once, above.
  return {
    id: clipping.id,
    anchor: clipping.id,
    exact,
    paragraphs: quoteParagraphs(exact),
    note: clipping.note,
    note_html: options.html ? markdownToSafeHtml(clipping.note) : '',
    tags: [...clipping.tags],
    label: label?.name ?? clipping.label,
    label_id: clipping.label,
    label_color: label?.color ?? 'grey',
    state: clipping.anchor?.state ?? 'anchored',
    speaker,
    citation: formatCitation({ exact, speaker, source: article.source, dateline: article.dateline, published: article.published, url: article.url }),
    attribution: attributionOf(article, speaker),
    start: clipping.target.position.start,
    end: clipping.target.position.end,
    created: clipping.createdAt,
    updated: clipping.updatedAt,
    article,
    provenance: {
      source: article.source,
      byline: article.byline,
      dateline: article.dateline,
      published: article.published,
      url: article.url,
      url_href: article.url_href,
      retrieved: provenance.retrieved,
      sha256: provenance.textSha256,
      paragraph: provenance.paragraph,
    },
  };
}

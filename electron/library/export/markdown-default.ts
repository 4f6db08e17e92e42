/**
 * The default Markdown templates (templates/clipbook.md.liquid,
 * article.md.liquid and quote.md.liquid), written out in TypeScript.
 *
 * Why twice: LiquidJS interprets a template through generators, about
 * 3–5 µs per output or tag here, and the quote template has some forty of
 * them; a 50,000-clipping export took 6–8 s to render through it, against a
 * budget of 2 s for collecting and rendering together. When the library's
 * Markdown templates are the defaults (the user changed none of the three),
 * the export takes this path; any user template goes through Liquid.
 *
 * The two must give the same bytes: tests/unit/export-markdown.test.ts
 * renders ordinary and hostile clip books both ways and compares them, so
 * a change to a default template that is not made here too fails there.
 */
import type { ExportArticle, ExportSet } from './collect';
import { mdBlockquote, mdCode, mdInline, mdLink, mdQuoteLines, mdUserText, obsidianTag, yamlString } from './escape';
import { allTags, articleView, attributionOf, groupSections, type ArticleView, type Placed } from './view';
import type { ExportGrouping } from './types';

export type DefaultMarkdownOptions = {
  title: string;
  grouping: ExportGrouping;
  generated: string;
  speakers?: ReadonlyMap<string, string | null>;
};

const blank = (s: string) => !/\S/.test(s);

type ArticleParts = {
  view: ArticleView;
  /** Its attribution without a speaker (the common case). */
  attribution: string;
  /** The provenance line up to the paragraph number, the same for every quote of the article. */
  provenance: string;
  /** The line under a quote up to its paragraph number, when no speaker is named. */
  cite: string;
};

/** What every quote of an article shares, made once per article. */
class Articles {
  private readonly parts = new Map<ExportArticle, ArticleParts>();
  private readonly labels = new Map<string, string>();

  get(article: ExportArticle): ArticleParts {
    let p = this.parts.get(article);
    if (!p) {
      const a = articleView(article);
      let provenance = '\n- Provenance: ';
      if (a.source !== null) provenance += `${mdInline(a.source)}; `;
      if (a.byline !== null) provenance += `${mdInline(a.byline)}; `;
      if (a.dateline !== null) provenance += `${mdInline(a.dateline)}; `;
      if (a.published !== null) provenance += `published ${mdInline(a.published)}; `;
      if (a.url !== null) provenance += `${mdLink(a.url)}; `;
      provenance += `retrieved ${mdInline(a.retrieved)}; SHA-256 \`${a.sha256}\`; paragraph `;
      const attribution = attributionOf(a, null);
      this.parts.set(article, (p = { view: a, attribution, provenance, cite: citeLine(attribution) }));
    }
    return p;
  }

  label(name: string): string {
    let md = this.labels.get(name);
    if (md === undefined) this.labels.set(name, (md = mdInline(name)));
    return md;
  }
}

/** The line under a quote, up to its paragraph number. */
function citeLine(attribution: string): string {
  return `\n>\n> — ${mdInline(attribution)}${blank(attribution) ? '' : ', '}paragraph `;
}

/**
 * quote.md.liquid. Strings are concatenated, not collected in an array and
 * joined: V8 keeps a concatenation as a rope and copies it once, at the end,
 * which measured faster for a 50,000-quote clip book.
 */
function quote({ article, item }: Placed, articles: Articles, speakers: ReadonlyMap<string, string | null> | undefined): string {
  const parts = articles.get(article);
  const { clipping, label, provenance } = item;
  const speaker = speakers?.get(clipping.id) ?? null;
  const paragraph = String(provenance.paragraph);
  let out = mdBlockquote(clipping.target.quote.exact) + (speaker === null ? parts.cite : citeLine(attributionOf(parts.view, speaker))) + paragraph;
  if ((clipping.anchor?.state ?? 'anchored') === 'orphan') out += "\n>\n> *This passage is no longer found in the article's current text.*";
  if (!blank(clipping.note)) out += '\n\n> [!note]\n' + mdQuoteLines(mdUserText(clipping.note));
  out += '\n\n- Label: ' + articles.label(label?.name ?? clipping.label);
  if (clipping.tags.length > 0) out += '\n- Tags: ' + clipping.tags.map(mdCode).join(', ');
  // The article's provenance holds its retrieval time and text hash: the clipping's (from collectExport) are the same.
  return out + parts.provenance + paragraph;
}

/** clipbook.md.liquid */
export function defaultMarkdownClipbook(set: ExportSet, options: DefaultMarkdownOptions): string {
  const articles = new Articles();
  const grouping = set.composition ? 'composition' : options.grouping;
  const tags = allTags(set);
  let md =
    `---\ntitle: ${yamlString(options.title)}\ngenerated: ${yamlString(options.generated)}\ngrouping: ${yamlString(grouping)}\narticles: ${set.articles.length}\nclippings: ${set.clippingCount}`;
  if (tags.length > 0) md += `\ntags:${tags.map((t) => `\n  - ${yamlString(obsidianTag(t))}`).join('')}`;
  md += `\n---\n\n# ${mdInline(options.title)}`;
  const introduction = set.composition?.introduction ?? '';
  if (!blank(introduction)) md += `\n\n${mdUserText(introduction)}`;
  for (const section of groupSections(set, options.grouping)) {
    if (section.title !== null) md += `\n\n## ${mdInline(section.title)}`;
    if (section.article) {
      const a = articles.get(section.article).view;
      let meta = a.source !== null ? mdInline(a.source) : 'Unknown source';
      if (a.byline !== null) meta += ` · ${mdInline(a.byline)}`;
      if (a.dateline !== null) meta += ` · ${mdInline(a.dateline)}`;
      if (a.published !== null) meta += ` · ${mdInline(a.published)}`;
      if (a.url !== null) meta += ` · ${mdLink(a.url)}`;
      md += `\n\n${meta}`;
      if (section.items.length === 0) md += '\n\n*No clippings.*';
    }
    let previous = '';
    for (const placed of section.items) {
      if (section.article === null && placed.article.article.id !== previous) {
        previous = placed.article.article.id;
        md += `\n\n### ${mdInline(placed.article.article.title)}`;
      }
      md += '\n\n' + quote(placed, articles, options.speakers);
    }
  }
  md += '\n';
  return md;
}

/** article.md.liquid, for one article of the set. */
export function defaultMarkdownArticle(article: ExportArticle, speakers?: ReadonlyMap<string, string | null>): string {
  const articles = new Articles();
  const a = articles.get(article).view;
  let out = `---\ntitle: ${yamlString(a.title)}`;
  if (a.source !== null) out += `\nsource: ${yamlString(a.source)}`;
  if (a.byline !== null) out += `\nbyline: ${yamlString(a.byline)}`;
  if (a.dateline !== null) out += `\ndateline: ${yamlString(a.dateline)}`;
  if (a.published !== null) out += `\npublished: ${yamlString(a.published)}`;
  if (a.url !== null) out += `\nurl: ${yamlString(a.url)}`;
  out += `\nretrieved: ${yamlString(a.retrieved)}`;
  out += a.tags.length > 0 ? `\ntags:${a.tags.map((t) => `\n  - ${yamlString(obsidianTag(t))}`).join('')}` : '\ntags: []';
  out += `\ncuttings_id: ${yamlString(a.id)}\ntext_sha256: ${yamlString(a.sha256)}\nclippings: ${article.clippings.length}\n---\n\n# ${mdInline(a.title)}`;
  let facts = '';
  if (a.source !== null) facts += `\n- Source: ${mdInline(a.source)}`;
  if (a.byline !== null) facts += `\n- Byline: ${mdInline(a.byline)}`;
  if (a.dateline !== null) facts += `\n- Dateline: ${mdInline(a.dateline)}`;
  if (a.published !== null) facts += `\n- Published: ${mdInline(a.published)}`;
  if (a.url !== null) facts += `\n- URL: ${mdLink(a.url)}`;
  if (facts) out += `\n${facts}`;
  if (article.clippings.length === 0) out += '\n\n*No clippings.*';
  for (const item of article.clippings) out += '\n\n' + quote({ article, item }, articles, speakers);
  return out + '\n';
}

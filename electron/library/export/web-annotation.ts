import type { Article, Clipping, Label } from '../model';

/**
 * A clipping as a W3C Web Annotation (https://www.w3.org/TR/annotation-model/),
 * one to one: the target is the article with both selectors on its canonical
 * text; the note is a commenting body (Markdown), each passage tag a tagging
 * body, the label a classifying body. Ids are URNs made from our own ids, so
 * the same clipping exported twice, or by two people, has the same id
 * whoever made it (no creator or host in them).
 *
 * Positions count UTF-16 code units, as ours and Hypothesis' do (the model
 * says "characters"; for text outside the Basic Multilingual Plane the two
 * differ, and the TextQuoteSelector is what other tools anchor with).
 */
export const ANNOTATION_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';

/** An annotation without its own @context: as it is embedded in a collection's page (the page's context applies). */
export type EmbeddedAnnotation = {
  id: string;
  type: 'Annotation';
  motivation: 'highlighting' | 'commenting' | 'tagging';
  created: string;
  modified: string;
  body: TextualBody[];
  target: {
    source: string;
    selector: [
      { type: 'TextQuoteSelector'; exact: string; prefix: string; suffix: string },
      { type: 'TextPositionSelector'; start: number; end: number },
    ];
  };
};

export type WebAnnotation = { '@context': typeof ANNOTATION_CONTEXT } & EmbeddedAnnotation;

export type TextualBody = { type: 'TextualBody'; purpose: 'commenting' | 'tagging' | 'classifying'; value: string; format?: 'text/markdown' };

export const clippingUrn = (id: string) => `urn:cuttings:clipping:${id}`;
export const articleUrn = (id: string) => `urn:cuttings:article:${id}`;

export function clippingToAnnotation(clipping: Clipping, article: Pick<Article, 'id' | 'url'>, label: Label | undefined): WebAnnotation {
  return { '@context': ANNOTATION_CONTEXT, ...embeddedAnnotation(clipping, article, label) };
}

export function embeddedAnnotation(clipping: Clipping, article: Pick<Article, 'id' | 'url'>, label: Label | undefined): EmbeddedAnnotation {
  const body: TextualBody[] = [];
  // Any note, even white space, so that an export carries it exactly.
  if (clipping.note !== '') body.push({ type: 'TextualBody', purpose: 'commenting', value: clipping.note, format: 'text/markdown' });
  for (const tag of clipping.tags) body.push({ type: 'TextualBody', purpose: 'tagging', value: tag });
  // No id on the label's body: the suite's schemas (3.3.5-bodyEWRNoPurpose) take any body with an id
  // for an External Web Resource, which may not have a purpose. The label's id travels in our extension.
  body.push({ type: 'TextualBody', purpose: 'classifying', value: label?.name ?? clipping.label });
  const { quote, position } = clipping.target;
  return {
    id: clippingUrn(clipping.id),
    type: 'Annotation',
    motivation: motivationOf(clipping),
    created: clipping.createdAt,
    modified: clipping.updatedAt,
    body,
    target: {
      // The web page when there is one, so other tools can anchor it there too.
      source: articleSource(article),
      selector: [
        { type: 'TextQuoteSelector', exact: quote.exact, prefix: quote.prefix, suffix: quote.suffix },
        { type: 'TextPositionSelector', start: position.start, end: position.end },
      ],
    },
  };
}

/**
 * Why the annotation was made: a note makes it a comment, tags alone a
 * tagging, otherwise it marks the passage.
 */
export function motivationOf(clipping: Pick<Clipping, 'note' | 'tags'>): EmbeddedAnnotation['motivation'] {
  return clipping.note.trim() ? 'commenting' : clipping.tags.length > 0 ? 'tagging' : 'highlighting';
}

/** The article's web address when it has a usable one (as a URI), else its URN. */
export function articleSource(article: Pick<Article, 'id' | 'url'>): string {
  return (article.url && webUri(article.url)) || articleUrn(article.id);
}

/** Characters RFC 3986 allows in a URI outside the host (unreserved, reserved, and % for escapes). */
const URI_CHARS = /[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]/gu;

/**
 * An http(s) address as a strict RFC 3986 URI, or null. Stored URLs are
 * what the page or the user gave (an IRI with accented letters, a space, a
 * `|`); the W3C model wants a URI there, and a WHATWG URL leaves some of
 * those characters as they are, so whatever is still outside the URI
 * alphabet is percent-encoded. (The exact stored URL travels in the
 * export's own extension; this one is for other tools.)
 */
export function webUri(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (u.hostname.startsWith('[')) return u.href; // an IPv6 literal: its brackets are the URI's own
  const href = u.href
    .replace(/%(?![0-9A-Fa-f]{2})/g, '%25')
    .replace(URI_CHARS, (c) => encodeURIComponent(c).replace(/[!'()*]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`));
  return href;
}

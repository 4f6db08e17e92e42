import type { Article, Clipping, Label } from '../model';

/**
 * A clipping as a W3C Web Annotation (https://www.w3.org/TR/annotation-model/),
 * one to one: the target is the article with both selectors on its canonical
 * text; the note is a commenting body (Markdown), each passage tag a tagging
 * body, the label a classifying body. Ids are URNs made from our own ids, so
 * the same clipping exported twice, or by two people, has the same id
 * whoever made it (no creator or host in them).
 */
export type WebAnnotation = {
  '@context': 'http://www.w3.org/ns/anno.jsonld';
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

type TextualBody = { type: 'TextualBody'; purpose: 'commenting' | 'tagging' | 'classifying'; value: string; format?: 'text/markdown'; id?: string };

export const clippingUrn = (id: string) => `urn:cuttings:clipping:${id}`;
export const articleUrn = (id: string) => `urn:cuttings:article:${id}`;

export function clippingToAnnotation(clipping: Clipping, article: Pick<Article, 'id' | 'url'>, label: Label | undefined): WebAnnotation {
  const note = clipping.note.trim();
  const body: TextualBody[] = [];
  if (note) body.push({ type: 'TextualBody', purpose: 'commenting', value: clipping.note, format: 'text/markdown' });
  for (const tag of clipping.tags) body.push({ type: 'TextualBody', purpose: 'tagging', value: tag });
  body.push({ type: 'TextualBody', purpose: 'classifying', value: label?.name ?? clipping.label, id: `urn:cuttings:label:${clipping.label}` });
  // The motivation says why the annotation was made: a note makes it a comment,
  // tags alone a tagging, otherwise it marks the passage.
  const motivation = note ? 'commenting' : clipping.tags.length > 0 ? 'tagging' : 'highlighting';
  const { quote, position } = clipping.target;
  return {
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: clippingUrn(clipping.id),
    type: 'Annotation',
    motivation,
    created: clipping.createdAt,
    modified: clipping.updatedAt,
    body,
    target: {
      // The web page when there is one, so other tools can anchor it there too.
      source: article.url ?? articleUrn(article.id),
      selector: [
        { type: 'TextQuoteSelector', exact: quote.exact, prefix: quote.prefix, suffix: quote.suffix },
        { type: 'TextPositionSelector', start: position.start, end: position.end },
      ],
    },
  };
}

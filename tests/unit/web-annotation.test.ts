import { describe, expect, it } from 'vitest';
import { clippingToAnnotation, DEFAULT_LABELS, type Clipping } from '../../electron/library';

const base: Clipping = {
  id: 'c0ffee000001',
  articleId: 'a1',
  target: { quote: { exact: 'It is time for serious dialogue', prefix: 'the crisis. "', suffix: '," Guterres noted' }, position: { start: 1537, end: 1568 } },
  label: 'quote',
  note: '',
  tags: [],
  createdAt: '2024-12-06T10:00:00.000Z',
  updatedAt: '2024-12-07T11:00:00.000Z',
};
const quote = DEFAULT_LABELS[0];

describe('a clipping as a W3C Web Annotation', () => {
  it.each([
    ['a bare highlight', {}, 'highlighting', [['classifying', 'quote']]],
    ['a highlight with a note', { note: 'key **line**' }, 'commenting', [['commenting', 'key **line**'], ['classifying', 'quote']]],
    ['a highlight with tags only', { tags: ['place/Syria', 'UN'] }, 'tagging', [['tagging', 'place/Syria'], ['tagging', 'UN'], ['classifying', 'quote']]],
  ] as const)('maps %s to its motivation and bodies', (_what, change, motivation, bodies) => {
    const a = clippingToAnnotation({ ...base, ...change } as Clipping, { id: 'a1', url: null }, quote);
    expect(a.motivation).toBe(motivation);
    expect(a.body.map((b) => [b.purpose, b.value])).toEqual(bodies);
  });

  it('targets the article with both selectors, with ids that do not depend on who exports it', () => {
    const a = clippingToAnnotation(base, { id: 'a1', url: 'https://news.example/un' }, quote);
    expect(a).toMatchObject({
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      id: 'urn:cuttings:clipping:c0ffee000001',
      type: 'Annotation',
      created: base.createdAt,
      modified: base.updatedAt,
      target: {
        source: 'https://news.example/un',
        selector: [
          { type: 'TextQuoteSelector', exact: 'It is time for serious dialogue', prefix: 'the crisis. "', suffix: '," Guterres noted' },
          { type: 'TextPositionSelector', start: 1537, end: 1568 },
        ],
      },
    });
    expect(clippingToAnnotation(base, { id: 'a1', url: null }, quote).target.source).toBe('urn:cuttings:article:a1');
  });
});

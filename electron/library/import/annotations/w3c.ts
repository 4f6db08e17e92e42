/**
 * W3C Web Annotations made by other tools (a single Annotation, an
 * AnnotationPage, an AnnotationCollection with its first page embedded, or
 * a list of annotations): those whose target names a source and quotes
 * words with a TextQuoteSelector are attached to the article at that
 * address, as Hypothesis' are. Textual bodies become the note, tagging
 * bodies the tags. Targets without a quote (a whole page, an image region)
 * have no place in an article's text: counted and reported.
 */
import { sha256 } from '../../text';
import { quoteAnnotation, groupByPage, selectorsOf } from './quotes';
import type { PageAnnotations, QuoteAnnotation } from './types';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const hasType = (v: Json, type: string) => asList(v.type).includes(type);

/** Any of the shapes that hold W3C annotations. */
export function isW3cAnnotations(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.every((v) => isObject(v) && hasType(v, 'Annotation'));
  return isObject(value) && (hasType(value, 'Annotation') || hasType(value, 'AnnotationPage') || hasType(value, 'AnnotationCollection'));
}

function annotationsIn(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (!isObject(value)) return [];
  if (hasType(value, 'Annotation')) return [value];
  if (hasType(value, 'AnnotationPage')) return asList(value.items);
  const first = value.first;
  return isObject(first) ? asList(first.items) : [];
}

export function parseW3c(value: unknown): { pages: PageAnnotations[]; skipped: string[] } {
  const skipped: string[] = [];
  const found: { page: { url: string | null; title: string | null }; annotation: QuoteAnnotation }[] = [];
  let unplaced = 0;
  const all = annotationsIn(value);
  if (isObject(value) && hasType(value, 'AnnotationCollection') && typeof value.first === 'string') {
    skipped.push(`the collection's pages are not in the file (its first page is only named: ${value.first})`);
  }
  all.forEach((raw, i) => {
    if (!isObject(raw)) return void unplaced++;
    const name = typeof raw.id === 'string' ? raw.id : `number ${i + 1}`;
    const target = asList(raw.target).find((t) => isObject(t) && selectorsOf(asList(t.selector)).quote !== null) as Json | undefined;
    const source = target && typeof target.source === 'string' ? target.source : null;
    const { quote, position } = selectorsOf(asList(target?.selector));
    if (!quote || !source) return void unplaced++;
    const notes: string[] = [];
    const tags: string[] = [];
    if (typeof raw.bodyValue === 'string') notes.push(raw.bodyValue);
    const tagging = asList(raw.motivation).includes('tagging');
    for (const body of asList(raw.body)) {
      if (!isObject(body) || typeof body.value !== 'string') continue;
      const purpose = asList(body.purpose);
      if (purpose.includes('tagging') || (tagging && purpose.length === 0)) tags.push(body.value);
      else if (!purpose.includes('classifying')) notes.push(body.value);
    }
    found.push({
      page: { url: source, title: null },
      annotation: quoteAnnotation(
        {
          // Ours when it is one of ours; else one made from theirs, so that importing the file again adds nothing twice.
          sourceId: typeof raw.id === 'string' ? (/^urn:cuttings:clipping:/.test(raw.id) ? raw.id.slice('urn:cuttings:clipping:'.length) : `w3c_${sha256(raw.id).slice(0, 24)}`) : null,
          idPrefix: '',
          name,
          quote,
          position,
          note: notes.join('\n\n'),
          tags,
          created: typeof raw.created === 'string' ? raw.created : undefined,
          updated: typeof raw.modified === 'string' ? raw.modified : undefined,
        },
        skipped,
      ),
    });
  });
  if (unplaced > 0) skipped.push(`${unplaced} annotation${unplaced === 1 ? '' : 's'} without a source and a quoted passage (a TextQuoteSelector)`);
  return { pages: groupByPage(found), skipped };
}

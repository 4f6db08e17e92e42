/**
 * Offline analysis of an article's canonical text: direct quotations with
 * their speakers, and the people, places and organisations it names as
 * suggested tags.
 */
import { indexNames, suggestTags, type TagSuggestion } from './entities';
import { detectQuotes, type QuoteFinding } from './quotes';

export { detectQuotes, type QuoteFinding, type DetectOptions } from './quotes';
export { suggestTags, indexNames, type TagSuggestion, type EntityKind, type NameIndex } from './entities';

/** Quotations and tag suggestions together, reading the names once for both. */
export function analyseText(text: string): { quotes: QuoteFinding[]; suggestions: TagSuggestion[] } {
  const names = indexNames(text);
  return { quotes: detectQuotes(text, { names }), suggestions: suggestTags(text, { names }) };
}

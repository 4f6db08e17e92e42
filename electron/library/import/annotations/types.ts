import type { Article, Block, Clipping, CompositionItem, Label } from '../../model';

/**
 * What the annotation importers read from a file, before anything touches
 * the library: each file is read and validated whole first, so that a bad
 * file changes nothing.
 */

/** An annotation that names its words by quote (and perhaps position), as Hypothesis and other W3C tools write them. */
export type QuoteAnnotation = {
  /** The source's own id, made into ours, so that importing the same file again adds nothing twice; null when it has none. */
  id: string | null;
  /** How the report names it (the source's id, or its quote). */
  name: string;
  exact: string;
  prefix: string;
  suffix: string;
  /** Where the source says the words are, in its own text (a web page's, not our article's). */
  start: number | null;
  end: number | null;
  note: string;
  tags: string[];
  createdAt: string | null;
  updatedAt: string | null;
};

/** Annotations on one page, found in the library by its address, else its title. */
export type PageAnnotations = { url: string | null; title: string | null; annotations: QuoteAnnotation[] };

/** Our own JSON-LD export, validated: the articles as they were, and their clippings. */
export type CuttingsExport = {
  labels: Label[];
  articles: { article: Article; blocks: Block[]; clippings: Clipping[] }[];
  composition: { id: string; title: string; introduction: string; items: CompositionItem[] } | null;
};

export type ReadwiseHighlight = { text: string; note: string; tags: string[]; location: number | null; date: string | null; row: number };
export type ReadwiseBook = { title: string; author: string | null; url: string | null; highlights: ReadwiseHighlight[] };

export type AnnotationFile =
  | { kind: 'cuttings'; data: CuttingsExport }
  /** `skipped`: what the file holds that is not imported, one sentence each (page notes, replies…). */
  | { kind: 'hypothesis' | 'w3c'; pages: PageAnnotations[]; skipped: string[] }
  | { kind: 'readwise'; books: ReadwiseBook[]; skipped: string[] };

/** A file that is not what it claims to be: the message says why, in words a person can act on. */
export class AnnotationFileError extends Error {}

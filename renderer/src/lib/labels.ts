/**
 * Labels as the renderer shows them. A label is a name and a colour; since
 * colour must never be the only cue (colour-blind readers, grey-scale
 * printouts, two labels in one colour), each label also gets an underline
 * pattern from its place in the list, drawn on its marks and on every label
 * swatch, and its name is shown in cards and in the marks' tooltips.
 */
import type { Color, Label } from '../../../electron/library/model';

/** Every colour a label may have (model.ts ColorSchema; only types may be imported from main). */
export const LABEL_COLORS = ['yellow', 'green', 'blue', 'pink', 'orange', 'purple', 'teal', 'grey'] as const satisfies readonly Color[];

/** Underline patterns, one per place in the label list (styles.css .pat-*); beyond eight they repeat. */
export const PATTERNS = ['solid', 'dashed', 'dotted', 'double', 'thick', 'dash-dot', 'long-dash', 'over-under'] as const;
export type Pattern = (typeof PATTERNS)[number];

/** What a clipping's label id resolves to, even when the label is not (yet) in the list the renderer holds. */
export type LabelView = Label & { pattern: Pattern; index: number };

/** Same limits as model.ts (LIMITS.labels, LIMITS.labelChars, LabelIdSchema). */
export const MAX_LABELS = 24;
export const MAX_LABEL_NAME = 40;
const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

export function colorName(color: Color): string {
  return color.charAt(0).toUpperCase() + color.slice(1);
}

export type LabelIndex = { list: LabelView[]; byId: Map<string, LabelView> };

export function indexLabels(labels: readonly Label[]): LabelIndex {
  const list = labels.map((l, index) => ({ ...l, index, pattern: PATTERNS[index % PATTERNS.length]! }));
  return { list, byId: new Map(list.map((l) => [l.id, l])) };
}

/** The label for an id; an id the list does not hold (a label removed elsewhere) is shown by its id, in grey. */
export function labelOf(index: LabelIndex, id: string): LabelView {
  return index.byId.get(id) ?? { id, name: id, color: 'grey', pattern: 'solid', index: -1 };
}

/** The label a quote from the Quotes panel gets: "quote" (by id, else by name), or the first label. */
export function quoteLabel(labels: readonly Label[]): Label | undefined {
  return labels.find((l) => l.id === 'quote') ?? labels.find((l) => l.name.toLocaleLowerCase() === 'quote') ?? labels[0];
}

/** A new, unused label id from its name: lower-case ASCII letters, digits and -, at most 32. */
export function newLabelId(name: string, taken: ReadonlySet<string>): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 24)
    .replace(/-+$/, '');
  const base = slug && ID_PATTERN.test(slug) ? slug : 'label';
  if (!taken.has(base) && base !== 'label') return base;
  for (let n = 2; ; n++) {
    const id = `${base}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** Problems with a label list the user is editing, in words; empty when it can be saved. */
export function labelProblems(labels: readonly Label[]): string[] {
  const problems: string[] = [];
  if (labels.length === 0) problems.push('Keep at least one label.');
  if (labels.length > MAX_LABELS) problems.push(`At most ${MAX_LABELS} labels.`);
  const seen = new Set<string>();
  for (const l of labels) {
    const name = l.name.trim();
    if (!name) problems.push('Every label needs a name.');
    else if (name.length > MAX_LABEL_NAME) problems.push(`“${name.slice(0, 20)}…” is longer than ${MAX_LABEL_NAME} characters.`);
    const folded = name.toLocaleLowerCase();
    if (name && seen.has(folded)) problems.push(`Two labels are named “${name}”.`);
    seen.add(folded);
  }
  return [...new Set(problems)];
}

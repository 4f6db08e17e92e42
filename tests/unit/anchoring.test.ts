import { describe, expect, it } from 'vitest';
import { ANCHORING, locate, reanchor, reanchorAll, type Anchorable } from '../../electron/library/anchoring';
import { quoteSelector } from '../../electron/library/text';
import { benchCase, buildEditCorpus, judge, loadArticles, tally, type EditCase } from '../anchoring/edit-corpus';

const P = [
  'GENEVA — Talks on a ceasefire in the north resumed on Tuesday after a two-week pause, diplomats said.',
  'The United Nations envoy said both delegations had agreed to discuss humanitarian access first. "It is time for serious dialogue," she told reporters outside the Palais des Nations.',
  'Aid agencies estimate that 1.2 million people have been displaced since the fighting began in March. Food prices in the region have tripled, according to the World Food Programme.',
  'The talks are expected to last three days. A second round could follow next month if progress is made.',
  'Observers cautioned that previous rounds had collapsed within hours.',
];
const ARTICLE = P.join('\n\n');
const QUOTE = 'both delegations had agreed to discuss humanitarian access first';
/** The quote's sentence repeated with more than 32 characters either side of "agreed to discuss". */
const COPY = 'The United Nations envoy said both delegations had agreed to discuss humanitarian access first. "It is time to talk," he added.';

/** A clipping on the first (or given) occurrence of `quote` in `text`. */
function clip(quote: string, text = ARTICLE, from = 0): Anchorable {
  const start = text.indexOf(quote, from);
  if (start < 0) throw new Error(`not in the text: ${quote}`);
  return { target: { quote: quoteSelector(text, start, start + quote.length), position: { start, end: start + quote.length } } };
}

type Row = {
  kind: string;
  /** The text the clipping was made on, when not ARTICLE. */
  old?: string;
  quote?: string;
  edit: (text: string) => string;
  state: 'anchored' | 'reanchored' | 'orphan';
  /** The words the clipping must end up on (for an orphan: none, its old target is kept). */
  words?: string;
  /** Which occurrence of `words` in the new text, when it occurs more than once. */
  occurrence?: 'first' | 'last';
};

const ROWS: Row[] = [
  { kind: 'no change', edit: (t) => t, state: 'anchored', words: QUOTE },
  { kind: 'insertion before the quote (a new paragraph at the top)', edit: (t) => `UPDATE: This story has been updated.\n\n${t}`, state: 'reanchored', words: QUOTE },
  { kind: 'insertion right before the quote', edit: (t) => t.replace('said both', 'said that both'), state: 'reanchored', words: QUOTE },
  { kind: 'insertion inside the quote', edit: (t) => t.replace('had agreed', 'had formally agreed'), state: 'reanchored', words: 'both delegations had formally agreed to discuss humanitarian access first' },
  { kind: 'deleted sentence after the quote', edit: (t) => t.replace(P[3]!, 'A second round could follow next month if progress is made.'), state: 'anchored', words: QUOTE },
  { kind: 'deleted sentence before the quote', edit: (t) => t.replace(`${P[0]!}\n\n`, ''), state: 'reanchored', words: QUOTE },
  { kind: 'deleted sentence holding the quote', edit: (t) => t.replace('The United Nations envoy said both delegations had agreed to discuss humanitarian access first. ', ''), state: 'orphan' },
  { kind: 'reworded word inside the quote', edit: (t) => t.replace('to discuss', 'to address'), state: 'reanchored', words: 'both delegations had agreed to address humanitarian access first' },
  { kind: 'reworded first word of the quote', edit: (t) => t.replace('said both delegations', 'said the delegations'), state: 'reanchored', words: 'the delegations had agreed to discuss humanitarian access first' },
  { kind: 'reworded word outside the quote, in its context', edit: (t) => t.replace('envoy', 'mediator'), state: 'reanchored', words: QUOTE },
  { kind: "moved paragraph (the quote's)", edit: () => [P[0], P[2], P[3], P[4], P[1]].join('\n\n'), state: 'reanchored', words: QUOTE },
  { kind: 'moved paragraph (another one, from above to below)', edit: () => [P[1], P[2], P[0], P[3], P[4]].join('\n\n'), state: 'reanchored', words: QUOTE },
  { kind: "split paragraph (the quote's, after it)", edit: (t) => t.replace('first. "It', 'first.\n\n"It'), state: 'anchored', words: QUOTE },
  { kind: 'split paragraph (above the quote)', edit: (t) => t.replace('resumed on Tuesday', 'resumed\n\non Tuesday'), state: 'reanchored', words: QUOTE },
  {
    kind: 'typo fixed inside the quote',
    old: ARTICLE.replace('humanitarian', 'humanitrian'),
    quote: 'both delegations had agreed to discuss humanitrian access first',
    edit: (t) => t.replace('humanitrian', 'humanitarian'),
    state: 'reanchored',
    words: QUOTE,
  },
  { kind: 'white space changed inside the quote', edit: (t) => t.replace('had agreed', 'had  agreed'), state: 'reanchored', words: 'both delegations had  agreed to discuss humanitarian access first' },
  {
    kind: 'punctuation restyled inside the quote',
    quote: '"It is time for serious dialogue," she told reporters',
    edit: (t) => t.replace('"It is time for serious dialogue,"', '“It is time for serious dialogue,”'),
    state: 'reanchored',
    words: '“It is time for serious dialogue,” she told reporters',
  },
  {
    kind: 'duplicated passage elsewhere: the original is told by its context',
    edit: (t) => t.replace('GENEVA — ', 'GENEVA — Both delegations had agreed to discuss humanitarian access first, the envoy said. '),
    state: 'reanchored',
    words: QUOTE,
    occurrence: 'last',
  },
  {
    kind: 'duplicated passage with the same context both sides: cannot be told apart, so orphaned',
    quote: 'agreed to discuss',
    edit: (t) => t.replace('GENEVA — ', `GENEVA — ${COPY} `),
    state: 'orphan',
  },
  { kind: 'a figure changed inside the quote: another statement, orphaned', quote: '1.2 million people have been displaced', edit: (t) => t.replace('1.2 million', '1.4 million'), state: 'orphan' },
  { kind: 'the whole quote rewritten', edit: (t) => t.replace(QUOTE, 'the parties would meet again soon'), state: 'orphan' },
];

describe('reanchor, one row per kind of edit', () => {
  it.each(ROWS)('$kind → $state', (row) => {
    const old = row.old ?? ARTICLE;
    const clipping = clip(row.quote ?? QUOTE, old);
    const text = row.edit(old);
    const result = reanchor(clipping, text);
    expect(result.anchor?.state ?? 'anchored').toBe(row.state);
    if (row.state === 'orphan') {
      expect(result.target).toEqual(clipping.target); // kept as it was, never dropped
      return;
    }
    const words = row.words!;
    const start = row.occurrence === 'last' ? text.lastIndexOf(words) : text.indexOf(words);
    expect(result.target.position).toEqual({ start, end: start + words.length });
    expect(result.target.quote).toEqual(quoteSelector(text, start, start + words.length));
    if (row.state === 'reanchored') {
      expect(result.anchor?.confidence).toBeGreaterThanOrEqual(ANCHORING.confidenceBar);
      expect(result.anchor?.confidence).toBeLessThanOrEqual(1);
    }
  });
});

describe('reanchor, states', () => {
  it('keeps a clipping re-anchored before as it was when its words have not moved since', () => {
    const before: Anchorable = { ...clip(QUOTE), anchor: { state: 'reanchored', confidence: 0.87 } };
    expect(reanchor(before, ARTICLE)).toEqual(before);
  });

  it('leaves the rest of a clipping untouched', () => {
    const full = { ...clip(QUOTE), id: 'c1', note: 'key line', tags: ['un'] };
    const after = reanchor(full, `Update.\n\n${ARTICLE}`);
    expect(after).toMatchObject({ id: 'c1', note: 'key line', tags: ['un'], anchor: { state: 'reanchored' } });
  });

  it('brings an orphan back only when its exact words return with their context', () => {
    const orphan: Anchorable = { ...clip(QUOTE), anchor: { state: 'orphan' } };
    const back = reanchor(orphan, `Update.\n\n${ARTICLE}`);
    expect(back.anchor?.state).toBe('reanchored');
    expect(back.target.position.start).toBe(`Update.\n\n${ARTICLE}`.indexOf(QUOTE));
    // Reworded: a live clipping would follow the words, an orphan stays one.
    const reworded = ARTICLE.replace('to discuss', 'to address');
    expect(reanchor(clip(QUOTE), reworded).anchor?.state).toBe('reanchored');
    expect(reanchor(orphan, reworded)).toEqual(orphan);
    // The words alone, elsewhere and in other surroundings: still an orphan.
    const elsewhere = `${P[0]!}\n\nIn short: ${QUOTE}; nothing else.`;
    expect(reanchor(orphan, elsewhere)).toEqual(orphan);
    // Even at its old offset: an orphan's position is from an older text.
    const start = orphan.target.position.start;
    expect(reanchor(orphan, `${'-'.repeat(start - 1)} ${QUOTE}. Nothing else.`)).toEqual(orphan);
  });

  it('turns down a short quote found elsewhere in other surroundings, but takes a long one found once', () => {
    const shortQuote = 'three days';
    const moved = ARTICLE.replace('The talks are expected to last three days.', 'It will take three days, or longer, officials said.');
    expect(reanchor(clip(shortQuote), `Update.\n\n${moved}`).anchor?.state).toBe('orphan');
    // A paragraph-long quote moved: both sides of its context change, the words are surely the same.
    const whole = P[4]!;
    const text = [P[4], P[0], P[1], P[2], P[3]].join('\n\n');
    expect(reanchor(clip(whole), text)).toMatchObject({ anchor: { state: 'reanchored' }, target: { position: { start: 0, end: whole.length } } });
  });

  it('turns down the nearly identical neighbour of a deleted passage (a numbered one)', () => {
    const paragraphs = Array.from({ length: 6 }, (_, i) => `Paragraph ${i + 1}. Officials from both sides met in the capital on Tuesday.`);
    const text = paragraphs.join('\n\n');
    const lost = clip('Paragraph 6. Officials', text);
    const after = ['Update: a new paragraph at the top. ' + paragraphs[0], ...paragraphs.slice(0, 5)].join('\n\n');
    expect(reanchor(lost, after)).toEqual({ ...lost, anchor: { state: 'orphan' } });
  });

  it('explains an orphan: the best candidate it turned down and its scores', () => {
    const l = locate(clip(QUOTE), ARTICLE.replace(QUOTE, 'both sides wanted to talk about aid routes first'), 0);
    expect(l.via).toBe('none');
    if (l.via === 'none' && l.best) expect(l.best.confidence).toBeLessThan(ANCHORING.confidenceBar);
  });
});

describe('reanchorAll', () => {
  it('tells two copies with the same context apart by where the neighbours went', () => {
    const first = clip('previous rounds had collapsed');
    const tied = clip('agreed to discuss');
    const text = ARTICLE.replace('GENEVA — ', `GENEVA — ${COPY} `);
    // Alone, the copy inserted above makes the clipping ambiguous.
    expect(reanchor(tied, text).anchor?.state).toBe('orphan');
    // With a neighbour just before it that moved by the same amount, it is not.
    const neighbour = clip('The United Nations envoy said');
    const [a, b, c] = reanchorAll([first, tied, neighbour], text);
    const shift = text.lastIndexOf('The United Nations envoy said') - ARTICLE.indexOf('The United Nations envoy said');
    expect(c!.target.position.start).toBe(neighbour.target.position.start + shift);
    expect(b).toMatchObject({ anchor: { state: 'reanchored' }, target: { position: { start: tied.target.position.start + shift } } });
    expect(a!.target.quote.exact).toBe('previous rounds had collapsed');
  });

  it('returns the clippings in the order given', () => {
    const clippings = [clip('previous rounds'), clip(QUOTE), clip('GENEVA')];
    expect(reanchorAll(clippings, `Update.\n\n${ARTICLE}`).map((c) => c.target.quote.exact)).toEqual(['previous rounds', QUOTE, 'GENEVA']);
  });

  it('re-anchors 200 clippings on a long article after a shift, rewordings and deletions with none wrong', () => {
    const bench = benchCase({ words: 10_000, clippings: 200, reworded: 10, deleted: 5 }, articles());
    const results = reanchorAll(bench.clippings, bench.newText);
    const outcomes = results.map((r, i) => judge({ clipping: bench.clippings[i]!, truth: bench.truths[i]!, newText: bench.newText } as EditCase, r));
    expect(outcomes.filter((o) => o === 'wrong')).toHaveLength(0);
    expect(outcomes.filter((o) => o === 'gone-orphaned')).toHaveLength(bench.deleted);
    expect(outcomes.filter((o) => o === 'reattached').length).toBeGreaterThanOrEqual(0.98 * (200 - bench.deleted));
  });
});

let loaded: ReturnType<typeof loadArticles> | null = null;
function articles() {
  return (loaded ??= loadArticles());
}

describe('the edit corpus', () => {
  it('re-attaches at least 98% of clippings whose words still exist, and attaches none wrongly', () => {
    const all = articles();
    expect(all.length).toBeGreaterThanOrEqual(21); // the sample article and 20+ Readability pages
    const cases = buildEditCorpus(all);
    const outcomes = cases.map((c) => judge(c, reanchor(c.clipping, c.newText)));
    const f = tally(cases, outcomes);
    const wrong = cases.filter((_, i) => outcomes[i] === 'wrong').map((c) => `${c.id} (${c.edit})`);
    console.log(
      `edit corpus: ${f.cases} cases on ${all.length} articles; words still there in ${f.present}: re-attached ${f.reattachedPct}%, orphaned ${f.orphanedPct}%; ` +
        `words deleted in ${f.gone}: orphaned ${f.goneOrphaned}; wrong ${f.wrong} (${f.wrongPct}% of all)`,
    );
    console.table(f.byKind);
    expect(wrong).toEqual([]);
    expect(f.reattachedPct).toBeGreaterThanOrEqual(98);
    expect(f.goneOrphaned).toBe(f.gone);
    for (const kind of Object.keys(f.byKind)) expect(f.byKind[kind]!.reattached + f.byKind[kind]!['gone-orphaned']).toBeGreaterThan(0);
  });
});

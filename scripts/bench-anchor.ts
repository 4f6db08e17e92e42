/**
 * Re-anchoring figures, for `npm run -s bench -- anchor`:
 *   - the edit corpus (tests/anchoring/edit-corpus.ts): how many clippings
 *     are re-attached, orphaned, or attached wrongly;
 *   - the time to re-anchor 1,000 clippings on a 50,000-word article after
 *     a paragraph was inserted near the top (every position shifts) and 50
 *     quotes were reworded (those take the fuzzy path); then the same with
 *     10 quotes deleted as well, since an orphan costs most: a fuzzy search
 *     of the whole text before giving up.
 * Returns the figures; prints only human lines.
 */
import { ANCHORING, locate, reanchor, reanchorAll, type Anchorable } from '../electron/library/anchoring';
import { benchCase, buildEditCorpus, judge, loadArticles, overlap, tally, type BenchCase, type CorpusArticle, type EditCase, type Outcome } from '../tests/anchoring/edit-corpus';

const WORDS = 50_000;
const CLIPPINGS = 1000;
const REWORDED = 50;
const DELETED = 10;
/** Timed runs after a warm-up (the first run pays for JIT compilation); the median is reported. */
const RUNS = 5;

export async function benchAnchor(): Promise<Record<string, number>> {
  const articles = loadArticles();
  const corpus = corpusFigures(articles);

  const shifted = benchCase({ words: WORDS, clippings: CLIPPINGS, reworded: REWORDED, deleted: 0 }, articles);
  console.log(`${CLIPPINGS} clippings on a ${shifted.words}-word article (${Math.round(shifted.newText.length / 1000)}K characters), a paragraph inserted near the top and ${shifted.reworded} quotes reworded:`);
  const all = timeBoth(shifted);
  const withOrphans = benchCase({ words: WORDS, clippings: CLIPPINGS, reworded: REWORDED, deleted: DELETED }, articles);
  console.log(`the same with the sentences of ${withOrphans.deleted} quotes deleted as well:`);
  const orphans = timeBoth(withOrphans);

  return {
    edit_corpus_cases: corpus.cases,
    edit_corpus_reattached_pct: corpus.reattachedPct,
    edit_corpus_orphaned_pct: corpus.orphanedPct,
    edit_corpus_wrong_pct: corpus.wrongPct,
    reanchor_1000_ms: all.batch,
    reanchor_1000_one_by_one_ms: all.single,
    reanchor_1000_with_10_orphans_ms: orphans.batch,
    reanchor_orphan_ms: round1((orphans.batch - all.batch) / withOrphans.deleted),
  };
}

function corpusFigures(articles: CorpusArticle[]) {
  const cases = buildEditCorpus(articles);
  const t = performance.now();
  const outcomes = cases.map((c) => judge(c, reanchor(c.clipping, c.newText)));
  const ms = performance.now() - t;
  const f = tally(cases, outcomes);
  console.log(`edit corpus: ${f.cases} cases on ${articles.length} articles, re-anchored in ${ms.toFixed(0)} ms; the words are still there in ${f.present}, deleted in ${f.gone}`);
  console.log(`  of the ${f.present}: re-attached ${f.reattachedPct}%, orphaned ${f.orphanedPct}%; wrong: ${f.wrong} (${f.wrongPct}% of all ${f.cases}); deleted words orphaned: ${f.goneOrphaned}/${f.gone}`);
  for (const [kind, k] of Object.entries(f.byKind)) console.log(`  ${kind.padEnd(26)} ${describe(k)}`);
  const m = margins(cases, outcomes);
  console.log(`  confidence bar ${m.bar}: with no bar, the best wrong candidate would score ${m.wrong.toFixed(3)}; the weakest right one taken scores ${m.right.toFixed(3)}`);
  return f;
}

/** Times reanchorAll and reanchor one by one on the same case, and checks their results against the truth. */
function timeBoth(c: BenchCase): { batch: number; single: number } {
  const batch = () => reanchorAll(c.clippings, c.newText);
  const single = () => c.clippings.map((x) => reanchor(x, c.newText));
  const batchMs = median(timed(batch));
  const singleMs = median(timed(single));
  const paths: Record<string, number> = {};
  for (const x of c.clippings) {
    const via = locate(x, c.newText, x.target.position.start).via;
    paths[via] = (paths[via] ?? 0) + 1;
  }
  console.log(`  reanchorAll ${batchMs.toFixed(1)} ms (${check(c, batch())}); one by one ${singleMs.toFixed(1)} ms (${check(c, single())}); one by one went by ${JSON.stringify(paths)}`);
  return { batch: round1(batchMs), single: round1(singleMs) };
}

function check(c: BenchCase, results: Anchorable[]): string {
  const outcomes = results.map((r, i) => judge({ clipping: c.clippings[i]!, truth: c.truths[i]!, newText: c.newText } as EditCase, r));
  const n = (o: Outcome) => outcomes.filter((x) => x === o).length;
  return `${n('reattached')} re-attached, ${n('orphaned')} orphaned, ${n('gone-orphaned')} deleted and orphaned, ${n('wrong')} wrong`;
}

function describe(k: Record<Outcome, number>): string {
  return Object.entries(k)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${o} ${n}`)
    .join(', ');
}

/**
 * How close the bar is to letting a wrong candidate through: with no bar at
 * all, the confidence of the best candidate that would be wrong (candidates
 * turned down by the other rules, ambiguity or changed figures, are not
 * counted: the bar is not what stops them), and of the weakest right one.
 */
function margins(cases: readonly EditCase[], outcomes: readonly Outcome[]): { bar: number; wrong: number; right: number } {
  let wrong = 0;
  let right = 1;
  cases.forEach((c, i) => {
    const l = locate(c.clipping, c.newText, c.clipping.target.position.start, { bar: 0 });
    if (l.via === 'none') return;
    if (outcomes[i] === 'reattached') right = Math.min(right, l.confidence);
    else if (!c.truth || overlap(l, c.truth) < 0.9) wrong = Math.max(wrong, l.confidence);
  });
  return { bar: ANCHORING.confidenceBar, wrong, right };
}

function timed(run: () => unknown): number[] {
  run();
  return Array.from({ length: RUNS }, () => {
    const t = performance.now();
    run();
    return performance.now() - t;
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

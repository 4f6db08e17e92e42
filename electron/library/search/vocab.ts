/**
 * The index's vocabulary: every term, sorted, as one string plus where each
 * term starts. Loading it is one decode and no per-term objects (a tree of
 * 500,000 terms costs hundreds of milliseconds and tens of MB to build; a
 * sorted list costs nothing), and a sorted list is a trie in disguise:
 * terms that share a prefix are neighbours, which is all that prefix search
 * and the typo search below need.
 */
export class SortedVocab {
  readonly size: number;

  /** `starts` has size + 1 entries: term i is chars[starts[i], starts[i + 1]). */
  constructor(
    readonly chars: string,
    readonly starts: Uint32Array,
  ) {
    this.size = starts.length - 1;
  }

  static from(sortedTerms: readonly string[]): SortedVocab {
    const starts = new Uint32Array(sortedTerms.length + 1);
    let at = 0;
    sortedTerms.forEach((t, i) => {
      starts[i] = at;
      at += t.length;
    });
    starts[sortedTerms.length] = at;
    return new SortedVocab(sortedTerms.join(''), starts);
  }

  term(i: number): string {
    return this.chars.slice(this.starts[i], this.starts[i + 1]);
  }

  /** Term i against `w`, in the order of JavaScript's string sort (UTF-16 code units). */
  private compare(i: number, w: string): number {
    const s = this.starts[i] as number;
    const n = (this.starts[i + 1] as number) - s;
    const k = Math.min(n, w.length);
    for (let j = 0; j < k; j++) {
      const d = this.chars.charCodeAt(s + j) - w.charCodeAt(j);
      if (d !== 0) return d;
    }
    return n - w.length;
  }

  /** The first term not before `w`. */
  lowerBound(w: string): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(mid, w) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  find(w: string): number {
    const i = this.lowerBound(w);
    return i < this.size && this.compare(i, w) === 0 ? i : -1;
  }

  /** [from, to): the terms that start with `p`. */
  prefixRange(p: string): [number, number] {
    const from = this.lowerBound(p);
    return [from, this.endOfPrefix(from, p, 0, p.length)];
  }

  /**
   * The first index at or after `from` whose term does not start with the
   * `len` characters of `source` at `at` (source is a string: the query, or
   * the vocabulary itself when skipping a subtree).
   */
  private endOfPrefix(from: number, source: string, at: number, len: number): number {
    let lo = from;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.startsWith(mid, source, at, len)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private startsWith(i: number, source: string, at: number, len: number): boolean {
    const s = this.starts[i] as number;
    if ((this.starts[i + 1] as number) - s < len) return false;
    for (let j = 0; j < len; j++) if (this.chars.charCodeAt(s + j) !== source.charCodeAt(at + j)) return false;
    return true;
  }

  /**
   * Calls `visit` with every term within `maxDist` edits of `w` (optimal
   * string alignment: insert, delete, substitute, or swap two neighbouring
   * letters, each costing 1), and its distance.
   *
   * A depth-first walk of the implicit trie: consecutive terms share their
   * common prefix's rows of the edit-distance table, and once a row's
   * smallest value exceeds `maxDist` no word with that prefix can match, so
   * the whole run of terms sharing it is skipped with one binary search.
   * Row minima never decrease with depth (also with swaps: a swap's cell
   * is never below the diagonal cell of the row above), so the skip is safe.
   */
  fuzzy(w: string, maxDist: number, visit: (i: number, distance: number) => void): void {
    const m = w.length;
    const maxDepth = m + maxDist;
    const width = m + 1;
    const rows = new Int32Array((maxDepth + 1) * width);
    for (let j = 0; j <= m; j++) rows[j] = j;
    const chars = this.chars;
    let depth = 0;
    let path = 0; // where in `chars` the current path's letters are
    let i = 0;
    while (i < this.size) {
      const s = this.starts[i] as number;
      const len = (this.starts[i + 1] as number) - s;
      let k = 0;
      const shared = Math.min(depth, len);
      while (k < shared && chars.charCodeAt(s + k) === chars.charCodeAt(path + k)) k++;
      depth = k;
      path = s;
      let skipped = false;
      while (depth < len) {
        if (depth === maxDepth) {
          skipped = true;
          break;
        }
        const c = chars.charCodeAt(s + depth);
        const prev = depth * width;
        const row = prev + width;
        rows[row] = depth + 1;
        let min = depth + 1;
        for (let j = 1; j <= m; j++) {
          const cost = w.charCodeAt(j - 1) === c ? 0 : 1;
          let v = Math.min((rows[prev + j - 1] as number) + cost, (rows[prev + j] as number) + 1, (rows[row + j - 1] as number) + 1);
          if (depth >= 1 && j >= 2 && c === w.charCodeAt(j - 2) && chars.charCodeAt(s + depth - 1) === w.charCodeAt(j - 1)) {
            v = Math.min(v, (rows[prev - width + j - 2] as number) + 1);
          }
          rows[row + j] = v;
          if (v < min) min = v;
        }
        depth++;
        if (min > maxDist) {
          skipped = true;
          break;
        }
      }
      if (skipped) {
        // Every term sharing these `depth` letters is out of reach.
        i = this.endOfPrefix(i + 1, chars, s, depth);
        continue;
      }
      const d = rows[len * width + m] as number;
      if (d <= maxDist) visit(i, d);
      i++;
    }
  }
}

/** Edit distance (as `SortedVocab.fuzzy`) of two short strings, or maxDist + 1 when further: for small word lists. */
export function boundedDistance(a: string, b: string, maxDist: number): number {
  if (Math.abs(a.length - b.length) > maxDist) return maxDist + 1;
  const m = b.length;
  let prev2 = new Int32Array(m + 1);
  let prev = new Int32Array(m + 1);
  let row = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let min = i;
    const c = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      let v = Math.min((prev[j - 1] as number) + (c === b.charCodeAt(j - 1) ? 0 : 1), (prev[j] as number) + 1, (row[j - 1] as number) + 1);
      if (i >= 2 && j >= 2 && c === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, (prev2[j - 2] as number) + 1);
      row[j] = v;
      if (v < min) min = v;
    }
    if (min > maxDist) return maxDist + 1;
    [prev2, prev, row] = [prev, row, prev2];
  }
  const d = prev[m] as number;
  return d <= maxDist ? d : maxDist + 1;
}

/**
 * Export benchmark (issue 6), wired as `npm run -s bench -- export`: a
 * generated library of 5,000 articles with 10 clippings each (50,000
 * clippings, written directly as Cuttings stores a library: see
 * gen-library.ts), exported whole, collect and render, to one Markdown
 * clip book and to W3C Web Annotation JSON-LD.
 *
 * Each run opens the library afresh (its catalog cache read, no record or
 * text in memory yet) and is timed from the export call to the file's
 * contents in hand; writing the file is not timed (that is the disk's).
 * Figures are the medians of BENCH_RUNS runs (default 3), after a warm-up
 * run of each format (the process's first: its code not yet optimised),
 * reported as the `_cold` figures.
 *
 * Environment: BENCH_EXPORT_ARTICLES (default 5000), BENCH_EXPORT_CLIPS (per article, default 10).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Library } from '../electron/library';
import { runExport } from '../electron/library/export';
import type { ExportFormat } from '../electron/library/export/types';
import { LABELS, corpusSentences, generateLibrary, type GenClipping } from './bench-search';
import { writeGeneratedLibrary } from './gen-library';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** More clippings per article than the search benchmark's five: whole sentences of the text, picked by a fixed stream. */
export function addClippings(lib: ReturnType<typeof generateLibrary>, perArticle: number): void {
  let seed = 12345;
  const next = (k: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % k;
  };
  const notes = ['Check against the ministry figures', 'Lead for Monday', 'Quote for the dossier', '', 'Contradicts the earlier statement'];
  const tags = ['press-review', 'follow-up', 'dossier/water', 'topic/economy', 'place/Kenya'];
  for (let i = 0; i < lib.entries.length; i++) {
    const entry = lib.entries[i]!;
    const text = lib.text(i);
    const spans: [number, number][] = [];
    for (const m of text.matchAll(/[^.!?\n]{20,}[.!?]/g)) spans.push([m.index, m.index + m[0].length]);
    entry.clippings.length = Math.min(entry.clippings.length, perArticle);
    for (let c = entry.clippings.length; c < perArticle && spans.length > 0; c++) {
      const [start, end] = spans[next(spans.length)]!;
      const clipping: GenClipping = {
        id: `${entry.article.id}x${c}`,
        articleId: entry.article.id,
        target: { quote: { exact: text.slice(start, end) }, position: { start, end } },
        label: LABELS[next(LABELS.length)]!,
        note: notes[next(notes.length)]!,
        tags: next(3) === 0 ? [tags[next(tags.length)]!] : [],
        updatedAt: '2025-01-01T00:00:00.000Z',
      };
      entry.clippings.push(clipping);
    }
    entry.article.clippingCount = entry.clippings.length;
  }
}

export async function benchExport(): Promise<Record<string, number>> {
  const n = Number(process.env.BENCH_EXPORT_ARTICLES ?? 5000);
  const perArticle = Number(process.env.BENCH_EXPORT_CLIPS ?? 10);
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const work = await mkdtemp(join(tmpdir(), 'cuttings-bench-export-'));
  try {
    const dir = join(work, 'library');
    let t = performance.now();
    const lib = generateLibrary(n, corpusSentences());
    addClippings(lib, perArticle);
    writeGeneratedLibrary(dir, n, lib, { cache: true });
    const clippings = lib.entries.reduce((s, e) => s + e.clippings.length, 0);
    console.log(`generated ${n} articles with ${clippings} clippings in ${(performance.now() - t).toFixed(0)} ms`);

    const figures: Record<string, number[]> = { md: [], jsonld: [] };
    // CPU time of the process (all its threads) beside the wall time: on a machine shared with other work it says what the export itself cost.
    const cpu: Record<string, number[]> = { md: [], jsonld: [] };
    const bytes: Record<string, number> = {};
    const cold: Record<string, number> = {};
    for (let run = 0; run <= runs; run++) {
      for (const format of ['md', 'jsonld'] as ExportFormat[]) {
        const library = await Library.open(dir);
        await library.whenReady();
        const before = process.cpuUsage();
        t = performance.now();
        const result = await runExport(library, {}, { format }, { templatesDir: null });
        const ms = performance.now() - t;
        const used = process.cpuUsage(before);
        const cpuMs = (used.user + used.system) / 1000;
        await library.close();
        const data = result.files[0]?.data ?? '';
        bytes[format] = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
        if (result.clippingCount !== clippings) throw new Error(`${format}: exported ${result.clippingCount} clippings of ${clippings}`);
        console.log(
          `${run === 0 ? 'warm-up' : `run ${run}`} ${format}: ${result.clippingCount} clippings of ${result.articleCount} articles in ${ms.toFixed(0)} ms (CPU ${cpuMs.toFixed(0)} ms), ${((bytes[format] ?? 0) / 1e6).toFixed(1)} MB (load average ${loadavg()[0]?.toFixed(2)})`,
        );
        if (run === 0) {
          cold[format] = ms;
          continue;
        }
        figures[format]!.push(ms);
        cpu[format]!.push(cpuMs);
      }
    }
    return {
      export_md_50k_ms: Math.round(median(figures.md!)),
      export_jsonld_50k_ms: Math.round(median(figures.jsonld!)),
      export_md_50k_cpu_ms: Math.round(median(cpu.md!)),
      export_jsonld_50k_cpu_ms: Math.round(median(cpu.jsonld!)),
      export_md_50k_ms_cold: Math.round(cold.md ?? 0),
      export_jsonld_50k_ms_cold: Math.round(cold.jsonld ?? 0),
      export_clippings: clippings,
      export_md_bytes: bytes.md ?? 0,
      export_jsonld_bytes: bytes.jsonld ?? 0,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await benchExport()));
}

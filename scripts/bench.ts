/**
 * Benchmarks, printed as figures (never asserted in tests):
 *   npm run -s bench -- import    (import throughput, library size)
 *   npm run -s bench -- anchor    (re-anchoring, edit corpus, rendering 1,000 highlights)
 *   npm run -s bench -- search    (search, open and save at 10,000 and 100,000 articles; SQLite FTS5 beside)
 *   npm run -s bench -- export    (the whole of a 50,000-clipping library to Markdown and to JSON-LD)
 * Each ends with one JSON object of figures. Everything runs on temp folders.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Library } from '../electron/library';
import { benchAnchor } from './bench-anchor';
import { benchExport } from './bench-export';
import { benchRender } from './bench-render';
import { benchSearch } from './bench-search';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = join(ROOT, '..', 'shared', 'corpus', 'mozilla-readability', 'test', 'test-pages');
const SEED = join(ROOT, 'seeds', '000_980efc22cf33c08f.txt');

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? await folderBytes(p) : (await stat(p)).size;
  }
  return total;
}

/** News files in the seeds' format, of realistic and varied length, built from the sample's sentences. */
async function makeNewsFiles(dir: string, n: number): Promise<number> {
  const sample = (await readFile(SEED, 'utf8')).replace(/^\s*date \S+ /, '');
  const sentences = sample.split(/(?<=[.!?]["”]?)\s+/).filter((s) => s.length > 20);
  const places = ['Geneva', 'Nairobi', 'Jakarta', 'Lima', 'Kyiv', 'Manila', 'Dakar', 'Oslo'];
  let seed = 7;
  const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % k);
  let bytes = 0;
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < n; i++) {
    const paragraphs = Array.from({ length: 4 + rnd(14) }, () => Array.from({ length: 1 + rnd(3) }, () => sentences[rnd(sentences.length)]).join(' '));
    const day = 1 + (i % 28);
    const text = ` date 2024-11-${String(day).padStart(2, '0')} ${places[i % places.length]}, Nov ${day} Story ${i}: ${paragraphs.join('\n\n')}\n`;
    bytes += Buffer.byteLength(text);
    await writeFile(join(dir, `${String(i).padStart(5, '0')}.txt`), text);
  }
  return bytes;
}

/**
 * Writes the kernel's dirty pages out before a timed run. Imports are
 * durable when acknowledged (fsync): without this, a run's fsyncs wait
 * behind the writeback of what the run before wrote or deleted (5,000 files
 * and their folders), and the figure measures the previous run.
 */
function settleDisk(): void {
  execFileSync('sync');
}

/** The middle value: one run disturbed by the machine's other work does not make the figure. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * Each import runs once to warm up (the process's first: code not yet
 * optimised, and for pages the parser workers starting; reported as the
 * `_cold` figures), then BENCH_RUNS times into a new library (default 3 for
 * the text files; 5 for the pages, which take ~3 s a run and vary more, their
 * parser threads sharing the machine's two cores with its other work); the
 * main figures are the medians of those.
 *
 * The text and the page imports run in processes of their own (see
 * inChild): run in one, the pages were measured 10–25% slower, paying for
 * the text part's heap and the disk's writeback of its 20,000 files.
 */
async function benchImport(): Promise<Record<string, number>> {
  const text = await inChild('import-text');
  const html = await inChild('import-html');
  return {
    text_articles_per_s: text.text_articles_per_s!,
    text_with_checkpoint_per_s: text.text_with_checkpoint_per_s!,
    html_pages_per_s: html.html_pages_per_s!,
    text_articles_per_s_cold: text.text_articles_per_s_cold!,
    html_pages_per_s_cold: html.html_pages_per_s_cold!,
    library_bytes_per_article: text.library_bytes_per_article!,
    source_bytes_per_article: text.source_bytes_per_article!,
  };
}

/** Runs one part of a benchmark in a new process (same Node options: the tsx loader) and answers its figures. */
async function inChild(part: string): Promise<Record<string, number>> {
  const out = join(await mkdtemp(join(tmpdir(), 'cuttings-bench-part-')), 'figures.json');
  try {
    execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), part], {
      stdio: 'inherit',
      env: { ...process.env, CUTTINGS_BENCH_FIGURES: out },
    });
    return JSON.parse(await readFile(out, 'utf8')) as Record<string, number>;
  } finally {
    await rm(dirname(out), { recursive: true, force: true });
  }
}

async function benchImportText(): Promise<Record<string, number>> {
  const work = await mkdtemp(join(tmpdir(), 'cuttings-bench-'));
  try {
    const N = Number(process.env.BENCH_TEXT_FILES ?? 5000);
    const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
    const newsDir = join(work, 'news');
    const sourceBytes = await makeNewsFiles(newsDir, N);
    const text: { perS: number; withCheckpointPerS: number; bytesPerArticle: number }[] = [];
    let textCold = 0;
    for (let run = 0; run <= runs; run++) {
      const dir = join(work, `text-library-${run}`);
      const textLib = await Library.open(dir);
      settleDisk();
      const cpu0 = process.cpuUsage();
      let t = performance.now();
      const outcomes = await textLib.importPaths([newsDir]);
      const importMs = performance.now() - t;
      const cpu = process.cpuUsage(cpu0);
      t = performance.now();
      await textLib.close();
      const checkpointMs = performance.now() - t;
      const imported = outcomes.filter((o) => o.status === 'imported').length;
      const libraryBytes = await folderBytes(dir);
      await rm(dir, { recursive: true, force: true });
      console.log(`text ${run === 0 ? 'warm-up' : `run ${run}`}: ${imported}/${N} news files (${(sourceBytes / 1e6).toFixed(1)} MB) imported in ${importMs.toFixed(0)} ms (CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, ${(cpu.system / 1000).toFixed(0)} ms of it in the kernel), durable when acknowledged; putting them in place afterwards (checkpoint) took ${checkpointMs.toFixed(0)} ms`);
      if (run === 0) {
        textCold = (imported / importMs) * 1000;
        continue;
      }
      text.push({
        perS: (imported / importMs) * 1000,
        withCheckpointPerS: (imported / (importMs + checkpointMs)) * 1000,
        bytesPerArticle: libraryBytes / imported,
      });
    }

    return {
      text_articles_per_s: Math.round(median(text.map((r) => r.perS))),
      text_with_checkpoint_per_s: Math.round(median(text.map((r) => r.withCheckpointPerS))),
      text_articles_per_s_cold: Math.round(textCold),
      library_bytes_per_article: Math.round(median(text.map((r) => r.bytesPerArticle))),
      source_bytes_per_article: Math.round(sourceBytes / N),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function benchImportHtml(): Promise<Record<string, number>> {
  const work = await mkdtemp(join(tmpdir(), 'cuttings-bench-'));
  try {
    const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
    const pagesDir = join(work, 'pages');
    await mkdir(pagesDir);
    const names = (await readdir(CORPUS)).sort();
    for (const name of names) await copyFile(join(CORPUS, name, 'source.html'), join(pagesDir, `${name}.html`));
    const html: number[] = [];
    let htmlCold = 0;
    for (let run = 0; run <= runs; run++) {
      const dir = join(work, `html-library-${run}`);
      const htmlLib = await Library.open(dir);
      settleDisk();
      const cpu0 = process.cpuUsage();
      const main0 = performance.eventLoopUtilization();
      const t = performance.now();
      const pageOutcomes = await htmlLib.importPaths([pagesDir]);
      const htmlMs = performance.now() - t;
      const cpu = process.cpuUsage(cpu0);
      const mainMs = performance.eventLoopUtilization(main0).active;
      await htmlLib.close();
      await rm(dir, { recursive: true, force: true });
      const pagesImported = pageOutcomes.filter((o) => o.status === 'imported').length;
      // Pages are parsed on every core (electron/library/import/html-pool.ts): the machine's other work shows in the figure.
      console.log(`html ${run === 0 ? 'warm-up' : `run ${run}`}: ${pagesImported}/${names.length} Readability test pages imported in ${htmlMs.toFixed(0)} ms; CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms in all threads (${(cpu.system / 1000).toFixed(0)} ms of it in the kernel), ${mainMs.toFixed(0)} ms on the main thread (load average ${loadavg()[0]?.toFixed(2)})`);
      if (run === 0) htmlCold = (pagesImported / htmlMs) * 1000;
      else html.push((pagesImported / htmlMs) * 1000);
    }

    return {
      html_pages_per_s: Math.round(median(html) * 10) / 10,
      html_pages_per_s_cold: Math.round(htmlCold * 10) / 10,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const benches: Record<string, () => Promise<Record<string, number>>> = {
  import: benchImport,
  // The two halves of `import`, each run by it in a process of its own.
  'import-text': benchImportText,
  'import-html': benchImportHtml,
  // Re-anchoring in Node, then the same article with its highlights rendered in Chromium.
  anchor: async () => ({ ...(await benchAnchor()), ...(await benchRender()) }),
  search: benchSearch,
  export: benchExport,
};
const which = process.argv[2];
if (!which || !benches[which]) {
  console.error(`usage: npm run -s bench -- <${Object.keys(benches).join('|')}>`);
  process.exit(2);
}
const figures = await benches[which]();
if (process.env.CUTTINGS_BENCH_FIGURES) await writeFile(process.env.CUTTINGS_BENCH_FIGURES, JSON.stringify(figures));
else console.log(JSON.stringify(figures));

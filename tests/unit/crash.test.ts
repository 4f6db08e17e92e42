/**
 * Nothing acknowledged is lost: a child process applies 1,000 random changes
 * (imports, clippings, notes, tags, reading states, deletions) to one
 * library and is killed with SIGKILL at random moments, 50 times. After each
 * kill the library must open, every record must validate, and it must hold
 * every change acknowledged before the kill; only the change in flight may
 * be missing (or present). The counts are printed.
 */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../../electron/library';
import { ROOT, tempDir } from './helpers/temp';

const CHANGES = 1_000;
const KILLS = 50;

type Ack =
  | { op: 'import'; id: string; marker: string }
  | { op: 'clip'; id: string; articleId: string; note: string; tags: string[] }
  | { op: 'note'; id: string; note: string }
  | { op: 'ctags'; id: string; tags: string[] }
  | { op: 'tags'; articleId: string; tags: string[] }
  | { op: 'del'; id: string }
  | { op: 'deltag'; tag: string }
  | { op: 'read'; articleId: string; state: string };

/** The change a child had begun and not had acknowledged when it was killed. */
type Begin = { op: Ack['op']; id?: string; articleId?: string; tag?: string };

/** The differences the change in flight may explain: it may have been made, or not. */
function explainedBy(begin: Begin, diff: string): boolean {
  switch (begin.op) {
    case 'import':
      return /^article \S+ extra$/.test(diff);
    case 'clip':
      return /^clipping \S+ extra$/.test(diff);
    case 'note':
    case 'ctags':
      return diff === `clipping ${begin.id} differs`;
    case 'del':
      return diff === `clipping ${begin.id} missing`;
    case 'tags':
    case 'read':
      return diff === `article ${begin.articleId} differs`;
    case 'deltag':
      return diff.endsWith(' differs');
  }
}

/** What the library must hold: every article and clipping as the acknowledged changes left them. */
type Model = {
  articles: Map<string, { tags: string[]; readingState: string; marker: string | null }>;
  clippings: Map<string, { articleId: string; note: string; tags: string[] }>;
};

const isUnder = (tag: string, root: string) => tag === root || tag.startsWith(`${root}/`);

function apply(model: Model, ack: Ack): void {
  switch (ack.op) {
    case 'import':
      model.articles.set(ack.id, { tags: [], readingState: 'unread', marker: ack.marker });
      break;
    case 'clip':
      model.clippings.set(ack.id, { articleId: ack.articleId, note: ack.note, tags: ack.tags });
      break;
    case 'note':
      model.clippings.get(ack.id)!.note = ack.note;
      break;
    case 'ctags':
      model.clippings.get(ack.id)!.tags = ack.tags;
      break;
    case 'tags':
      model.articles.get(ack.articleId)!.tags = ack.tags;
      break;
    case 'read':
      model.articles.get(ack.articleId)!.readingState = ack.state;
      break;
    case 'del':
      model.clippings.delete(ack.id);
      break;
    case 'deltag':
      for (const a of model.articles.values()) a.tags = a.tags.filter((t) => !isUnder(t, ack.tag));
      for (const c of model.clippings.values()) c.tags = c.tags.filter((t) => !isUnder(t, ack.tag));
      break;
  }
}

/** Opens the library as the next process would, reads and validates every record, and returns what it holds. */
async function readBack(dir: string): Promise<{ model: Model; texts: Map<string, string>; problems: string[] }> {
  const library = await Library.open(dir);
  try {
    const model: Model = { articles: new Map(), clippings: new Map() };
    const texts = new Map<string, string>();
    for (const summary of await library.listArticles()) {
      const detail = await library.getArticle(summary.id); // reads and validates the record and its text
      const marker = /crash-marker-[\d-]+/.exec(detail.text)?.[0] ?? null;
      model.articles.set(summary.id, { tags: detail.article.tags, readingState: detail.article.readingState, marker });
      texts.set(summary.id, detail.text);
      for (const c of detail.clippings) model.clippings.set(c.id, { articleId: c.articleId, note: c.note, tags: c.tags });
    }
    return { model, texts, problems: [...library.problems] };
  } finally {
    await library.close();
  }
}

/** The entities on which the library differs from the model. */
function differences(expected: Model, actual: Model): string[] {
  const out: string[] = [];
  for (const [id, a] of expected.articles) {
    const got = actual.articles.get(id);
    if (!got) out.push(`article ${id} missing`);
    else if (got.readingState !== a.readingState || JSON.stringify(got.tags) !== JSON.stringify(a.tags) || got.marker !== a.marker) out.push(`article ${id} differs`);
  }
  for (const id of actual.articles.keys()) if (!expected.articles.has(id)) out.push(`article ${id} extra`);
  for (const [id, c] of expected.clippings) {
    const got = actual.clippings.get(id);
    if (!got) out.push(`clipping ${id} missing`);
    else if (got.note !== c.note || got.articleId !== c.articleId || JSON.stringify(got.tags) !== JSON.stringify(c.tags)) out.push(`clipping ${id} differs`);
  }
  for (const id of actual.clippings.keys()) if (!expected.clippings.has(id)) out.push(`clipping ${id} extra`);
  return out;
}

let child = '';
beforeAll(async () => {
  // Bundled once (as the app's main process is), so that each of the 51 runs starts in a fraction of a second.
  const outdir = join(ROOT, 'node_modules', '.cache', 'cuttings-crash-test');
  await mkdir(outdir, { recursive: true });
  child = join(outdir, 'child.cjs');
  await build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, 'tests', 'crash', 'child.ts')],
    outfile: child,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    conditions: ['node', 'import', 'default'],
    external: ['electron', 'jsdom'],
    loader: { '.liquid': 'text' },
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'error',
  });
}, 120_000);

/** Runs the child for `changes` changes; kills it after `killAfterAcks` acknowledgements (and a random instant), if given. */
function runChild(dir: string, seed: number, changes: number, killAfterAcks: number | null, delayMs: number) {
  return new Promise<{ acks: Ack[]; inflight: Begin | null; killed: boolean; stderr: string }>((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dir, String(seed), String(changes)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let inflight: Begin | null = null;
    let killed = false;
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: proc.stdout });
    lines.on('line', (line) => {
      if (line.startsWith('begin ')) inflight = JSON.parse(line.slice(6)) as Begin;
      else if (line.startsWith('ack ')) {
        inflight = null;
        acks.push(JSON.parse(line.slice(4)) as Ack);
        if (killAfterAcks !== null && acks.length === killAfterAcks && !killed) {
          killed = true;
          setTimeout(() => proc.kill('SIGKILL'), delayMs);
        }
      }
    });
    proc.on('error', reject);
    proc.on('close', () => resolve({ acks, inflight, killed, stderr }));
  });
}

describe('crash safety', () => {
  it(`keeps every acknowledged change through ${KILLS} SIGKILLs during ${CHANGES.toLocaleString('en')} random changes`, async () => {
    const dir = join(await tempDir(), 'library');
    let seed = 20261126;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let model: Model = { articles: new Map(), clippings: new Map() };
    let remaining = CHANGES;
    const counts = { runs: 0, kills: 0, acknowledged: 0, survived: 0, lost: 0, inflightKept: 0, inflightDropped: 0, notInFlight: 0 };

    for (let run = 0; remaining > 0; run++) {
      const kill = counts.kills < KILLS;
      // Spread the kills over the changes: on average one per CHANGES / KILLS, at a random instant of a change.
      const killAfter = kill ? Math.min(remaining, 1 + rnd(Math.max(1, Math.floor((2 * CHANGES) / KILLS) - 1))) : null;
      const result = await runChild(dir, 1000 + run, remaining, killAfter, rnd(8));
      counts.runs++;
      if (!result.killed && result.stderr) throw new Error(`the child failed: ${result.stderr}`);
      for (const ack of result.acks) apply(model, ack);
      counts.acknowledged += result.acks.length;
      remaining -= result.acks.length;

      const back = await readBack(dir);
      expect(back.problems).toEqual([]);
      const diff = differences(model, back.model);
      if (result.killed) counts.kills++;
      // Lost: a difference the change in flight cannot explain is an acknowledged change the library does not hold.
      const inflight = result.inflight;
      const unexplained = diff.filter((d) => !(inflight && explainedBy(inflight, d)));
      expect(unexplained, `after run ${run}: ${unexplained.join('; ')}`).toEqual([]);
      counts.lost += unexplained.length;
      counts.survived += result.acks.length;
      if (result.killed) {
        if (!inflight) counts.notInFlight++;
        else if (diff.length > 0) counts.inflightKept++;
        else counts.inflightDropped++;
      }
      if (diff.some((d) => d.endsWith(' extra'))) remaining--; // the change in flight was made: it counts
      // What the library holds is the truth the next run starts from.
      model = back.model;
    }

    console.log(
      `crash test: ${counts.runs} runs, ${counts.kills} SIGKILLs, ${counts.acknowledged} changes acknowledged, ${counts.survived} survived, ${counts.lost} lost; ` +
        `change in flight at the kill: kept ${counts.inflightKept}, not kept ${counts.inflightDropped}; killed between changes ${counts.notInFlight}`,
    );
    expect(counts.kills).toBe(KILLS);
    expect(counts.lost).toBe(0);
    expect(counts.acknowledged).toBeGreaterThanOrEqual(CHANGES - KILLS);
  }, 600_000);
});

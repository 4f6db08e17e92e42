/**
 * Saved pages are parsed in worker threads when they come in batches.
 * Reading a page is synchronous work of 20 ms to a second (linkedom,
 * Readability, DOMPurify in jsdom, see html.ts): on the main thread it holds
 * up everything else the process does for as long, and a folder of pages
 * would use one core only. Here each worker parses one page at a time, as
 * many workers as the machine has cores (at most MAX_WORKERS); the main
 * thread reads the files and stores the articles.
 *
 * A worker takes a second or two to start (it loads its own parsers) and
 * ~100 MB (~200 MB while it parses: YOUNG_GENERATION_MB), which one page is
 * not worth: a page alone is parsed on the calling thread, as is every page
 * until a worker is ready. A second page within IDLE_MS of the one before
 * starts the workers; a worker with nothing to do for IDLE_MS is stopped.
 *
 * Where a worker cannot be started at all (a build without the worker's
 * file), pages are parsed on the calling thread: slower, never wrong. A
 * worker that dies while parsing a page (out of memory on a huge one) fails
 * that page only, with the reason.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileRead } from './files';

/** Each worker holds its own parsers and page: more than this costs memory for little gain. */
const MAX_WORKERS = 4;
/** Pages closer than this make a batch; a worker with nothing to do for this long is stopped. */
const IDLE_MS = 30_000;
/**
 * A worker's young generation (V8 gives a third of it to each semi-space:
 * 64 MB here, as --max-semi-space-size=64 would, against 16 MB by default).
 * A page's trees live while it is parsed, so with the default each page met
 * several scavenges that copied them again and then promoted them to the old
 * generation; with this, ~10% less CPU per page in a batch (192 measured
 * better than 96), for up to ~110 MB more per worker while a batch runs.
 */
const YOUNG_GENERATION_MB = 192;

/** What the main thread sends: the file's bytes and the path they were read from. */
export type PageRequest = { id: number; path: string; bytes: Uint8Array };
/** What a worker answers: `ready` once, when it can take pages, then one `read` per request. */
export type PageReply = { ready: true } | { id: number; read: FileRead };

type Job = { id: number; path: string; bytes: Uint8Array; done: (read: FileRead) => void };
type Slot = { worker: Worker; ready: boolean; job: Job | null; idleTimer: NodeJS.Timeout | null };

export class PagePool {
  private readonly queue: Job[] = [];
  private readonly slots = new Set<Slot>();
  private nextId = 0;
  private lastPageAt = -Infinity;
  /** Set when a worker could not start: no more are started, pages are parsed in-thread. */
  private startFailed = false;
  private readonly maxWorkers = Math.max(1, Math.min(availableParallelism(), MAX_WORKERS));

  /**
   * `inThread` parses a page on the calling thread; `startWorker` starts one
   * worker (tests give their own).
   */
  constructor(
    private readonly inThread: (path: string, bytes: Uint8Array) => FileRead,
    private readonly startWorker: () => Worker = startHtmlWorker,
  ) {}

  /** Workers started and ready for pages (for tests and diagnostics). */
  get readyWorkers(): number {
    return [...this.slots].filter((s) => s.ready).length;
  }

  parse(path: string, bytes: Uint8Array): Promise<FileRead> {
    return new Promise((done) => {
      const now = performance.now();
      if (now - this.lastPageAt < IDLE_MS) this.startWorkers();
      this.lastPageAt = now;
      if (this.readyWorkers === 0) return done(this.inThread(path, bytes));
      this.queue.push({ id: this.nextId++, path, bytes, done });
      this.dispatch();
    });
  }

  private startWorkers(): void {
    while (!this.startFailed && this.slots.size < this.maxWorkers) this.start();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      const job = slot.ready && slot.job === null ? this.queue.shift() : undefined;
      if (job) this.give(slot, job);
    }
  }

  private give(slot: Slot, job: Job): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    slot.job = job;
    // A page being parsed keeps the process alive (the caller awaits it); an idle worker does not.
    slot.worker.ref();
    const request: PageRequest = { id: job.id, path: job.path, bytes: job.bytes };
    slot.worker.postMessage(request);
  }

  private start(): void {
    let worker: Worker;
    try {
      worker = this.startWorker();
    } catch {
      this.startFailed = true;
      return;
    }
    // Until it is ready nothing waits for it: starting must not keep the process alive either.
    worker.unref();
    const slot: Slot = { worker, ready: false, job: null, idleTimer: null };
    this.slots.add(slot);
    worker.on('message', (reply: PageReply) => {
      if ('ready' in reply) slot.ready = true;
      else if (slot.job?.id === reply.id) {
        const { done } = slot.job;
        slot.job = null;
        done(reply.read);
      }
      if (slot.job === null) this.next(slot);
    });
    worker.on('error', (e) => this.lost(slot, e.message));
    worker.on('exit', () => this.lost(slot, null));
  }

  /** A worker is free: the next page, or a timer to stop it. */
  private next(slot: Slot): void {
    const job = this.queue.shift();
    if (job) return this.give(slot, job);
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => {
      this.slots.delete(slot);
      void slot.worker.terminate();
    }, IDLE_MS);
    slot.idleTimer.unref();
  }

  /**
   * A worker stopped. Before it was ready: workers cannot run here. While
   * parsing: that page fails. Pages waiting with no worker left to take
   * them are parsed in-thread.
   */
  private lost(slot: Slot, error: string | null): void {
    if (!this.slots.delete(slot)) return; // stopped for being idle, or already reported
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    if (!slot.ready) this.startFailed = true;
    const job = slot.job;
    slot.job = null;
    job?.done({ ok: false, path: job.path, reason: `the page could not be read (its parser stopped${error ? `: ${error}` : ''})` });
    if (this.readyWorkers > 0) return this.dispatch();
    for (const waiting of this.queue.splice(0)) {
      let read: FileRead;
      try {
        read = this.inThread(waiting.path, waiting.bytes);
      } catch (e) {
        // (Called from a worker's event: a throw here would end the process.)
        read = { ok: false, path: waiting.path, reason: `the page could not be read (${e instanceof Error ? e.message : String(e)})` };
      }
      waiting.done(read);
    }
  }
}

/**
 * The worker runs html-worker: bundled beside main.cjs in the app (see
 * scripts/build-electron.mjs); from the TypeScript sources through
 * html-worker-tsx.mjs, which bundles it the same way when the worker starts.
 */
export function startHtmlWorker(): Worker {
  const here = import.meta.url;
  const fromSources = here.endsWith('.ts');
  const entry = fromSources ? './html-worker-tsx.mjs' : './html-worker.cjs';
  return new Worker(fileURLToPath(new URL(entry, here)), {
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    // html-worker-tsx.mjs runs a bundle: the tsx loader a worker inherits from the CLI would only slow it.
    ...(fromSources ? { execArgv: withoutTsx(process.execArgv) } : {}),
  });
}

/** Node options less those that load tsx (`--import tsx`, `--require …/tsx/dist/preflight.cjs`, and their `=` forms). */
export function withoutTsx(execArgv: readonly string[]): string[] {
  const isTsx = (value: string | undefined) => value !== undefined && /^tsx(?:\/|$)|[\\/]tsx[\\/]/.test(value);
  const loads = /^--(?:import|require|loader|experimental-loader)$/;
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    if (loads.test(arg) && isTsx(execArgv[i + 1])) i++;
    else if (!(/^--(?:import|require|loader|experimental-loader)=/.test(arg) && isTsx(arg.slice(arg.indexOf('=') + 1)))) kept.push(arg);
  }
  return kept;
}

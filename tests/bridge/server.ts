/**
 * The loopback bridge: the app's real router and library services in a Node
 * process on 127.0.0.1, and the built renderer served from the same origin.
 * A page gets `window.cuttings` from page-api.ts (an init script) that
 * forwards each call here: same contract, same validation, same files as
 * the Electron app; only the transport differs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Library } from '../../electron/library';
import { createHandlers, type Dialogs, type Events, type Question } from '../../electron/ipc/handlers';
import { EXPORT_PROGRESS_CHANNEL, IMPORT_PROGRESS_CHANNEL } from '../../electron/ipc/events';
import { chromiumPdf } from '../../electron/export/chromium-pdf';
import { contentTypeFor, parseLibraryFileRequest } from '../../electron/app/protocol-policy';
import { createRouter } from '../../electron/ipc/router';
import { MemorySettings, type SettingsStore } from '../../electron/settings/settings';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const RENDERER_DIR = join(root, 'dist', 'renderer');
export const SEED_DIR = join(root, 'seeds');
export const IPC_PATH = '/__cuttings/ipc';
export const EVENTS_PATH = '/__cuttings/events';

export type BridgeOptions = {
  libraryDir: string;
  seedDir?: string;
  settings?: SettingsStore;
  port?: number;
  /** What the host's dialogs answer; share one between bridges to keep answers across a restart. */
  dialogAnswers?: DialogAnswers;
};

/**
 * The answers the next file dialogs give (null: the user cancels). A save
 * dialog and a folder dialog both answer `savePath`; a backup to restore is
 * the first of `openPaths`. `confirm` answers the questions asked before
 * something is replaced (no answer: Cancel).
 */
export type DialogAnswers = { savePath: string | null; openPaths: string[] | null; confirm?: boolean };

export type Bridge = {
  url: string;
  library: Library;
  settings: SettingsStore;
  /** What the next save dialog answers (null: the user cancels). */
  answerSaveDialog(path: string | null): void;
  /** What the next open dialog answers. */
  answerOpenDialog(paths: string[] | null): void;
  /** What the next question before a replacement answers. */
  answerConfirm(yes: boolean): void;
  /** The questions asked so far, in order. */
  questions: Question[];
  /** The folders shown in the file manager (shell.openPath in the app). */
  opened: string[];
  close(): Promise<void>;
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  // `let`: a restore from a backup replaces it (the handlers swap it in and tell us).
  let library = await Library.open(options.libraryDir, { seedDir: options.seedDir ?? SEED_DIR, search: true });
  const settings = options.settings ?? new MemorySettings();
  const answers: DialogAnswers = options.dialogAnswers ?? { savePath: null, openPaths: null };
  const questions: Question[] = [];
  const opened: string[] = [];
  const dialogs: Dialogs = {
    chooseImportPaths: async () => answers.openPaths,
    chooseSavePath: async () => answers.savePath,
    chooseFolder: async () => answers.savePath,
    chooseBackup: async () => answers.openPaths?.[0] ?? null,
    confirm: async (question) => {
      questions.push(question);
      return answers.confirm ?? false;
    },
    openPath: async (path) => void opened.push(path),
    // Electron's printToPDF in the app; the same HTML through headless Chromium here.
    printPdf: (html) => chromiumPdf(html),
  };
  let origin = '';
  // Main → page events go down one Server-Sent Events stream per page, as webContents.send does in the app.
  const streams = new Set<ServerResponse>();
  const emit = (channel: string, payload: unknown) => {
    for (const res of streams) res.write(`data: ${JSON.stringify({ channel, payload })}\n\n`);
  };
  const events: Events = { importProgress: (e) => emit(IMPORT_PROGRESS_CHANNEL, e), exportProgress: (e) => emit(EXPORT_PROGRESS_CHANNEL, e) };
  const router = createRouter(
    createHandlers({
      library,
      settings,
      dialogs,
      events,
      reopen: (dir) => Library.open(dir, { search: true }),
      onLibraryReplaced: (next) => (library = next),
    }),
    {
    trusted: (sender) => sender.isMainFrame && sender.url === origin,
    log: (message, error) => console.error(message, error),
    },
  );

  const server: Server = createServer(async (req, res) => {
    try {
      if (req.method === 'POST' && req.url === IPC_PATH) {
        const body = await readBody(req, 64 * 1024 * 1024);
        let message: { channel?: unknown; payload?: unknown } = {};
        try {
          message = JSON.parse(body) as typeof message;
        } catch {
          message = { channel: undefined };
        }
        // The Origin header stands in for Electron's senderFrame: only our own page may call.
        const sender = { isMainFrame: true, url: String(req.headers.origin ?? '') };
        const envelope = await router.dispatch(message.channel, message.payload, sender);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(envelope));
        return;
      }
      if (req.method !== 'GET') {
        res.writeHead(405).end();
        return;
      }
      const pathname = new URL(req.url ?? '/', 'http://x').pathname;
      if (pathname === EVENTS_PATH) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      // The same route and checks as the app's protocol handler (electron/app/protocol-policy.ts).
      const image = parseLibraryFileRequest(pathname);
      if (image) {
        const bytes = await library.readAttachment(image.articleId, image.name);
        if (!bytes) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': contentTypeFor(image.name) });
        res.end(bytes);
        return;
      }
      const path = decodeURIComponent(pathname);
      const file = normalize(join(RENDERER_DIR, path === '/' ? 'index.html' : path));
      if (!file.startsWith(RENDERER_DIR + sep)) {
        res.writeHead(403).end();
        return;
      }
      const data = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(data);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 404 : 500;
      res.writeHead(code).end();
    }
  });
  await new Promise<void>((ok) => server.listen(options.port ?? 0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('bridge did not get a port');
  origin = `http://127.0.0.1:${address.port}`;
  return {
    url: `${origin}/`,
    get library() {
      return library;
    },
    settings,
    answerSaveDialog: (p) => (answers.savePath = p),
    answerOpenDialog: (p) => (answers.openPaths = p),
    answerConfirm: (yes) => (answers.confirm = yes),
    questions,
    opened,
    close: async () => {
      await new Promise<void>((ok) => {
        for (const res of streams) res.end();
        server.closeAllConnections();
        server.close(() => ok());
      });
      // As the app does on quit: pending writes in place, the journal removed.
      await library.close();
    },
  };
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        fail(new Error('request too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

let pageApi: Promise<string> | undefined;

/** The init script that gives a page `window.cuttings`, built from the same api.ts as the preload. */
export function pageApiScript(): Promise<string> {
  pageApi ??= build({
    entryPoints: [join(root, 'tests', 'bridge', 'page-api.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome120',
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]?.text ?? '');
  return pageApi;
}

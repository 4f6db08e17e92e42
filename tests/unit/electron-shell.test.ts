/**
 * The Electron shell without an Electron binary: its pure policies directly,
 * and the built bundles (dist/electron/*.cjs) loaded in plain Node against a
 * recording stand-in for the `electron` module. `require('electron')` from
 * Node would try to download the binary, so the stand-in is handed to the
 * bundles through Module._load and the real package is never loaded.
 */
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type Envelope } from '../../electron/ipc/contract';
import { EXPORT_PROGRESS_CHANNEL, IMPORT_PROGRESS_CHANNEL, MENU_COMMAND_CHANNEL, MENU_COMMANDS, isMenuCommand } from '../../electron/ipc/events';
import { PDF_OPTIONS, PDF_WEB_PREFERENCES, isAllowedPdfRequest } from '../../electron/app/pdf-policy';
import { isPermissionGranted } from '../../electron/app/trust-policy';
import { parseLaunchOptions } from '../../electron/app/launch-options';
import { appLocations } from '../../electron/app/locations';
import { APP_ENTRY_URL, isAppUrl } from '../../electron/app/origin';
import { CONTENT_SECURITY_POLICY, resolveAppRequest, responseHeaders } from '../../electron/app/protocol-policy';
import { decideNavigation, describeSender, isTrustedSender, type FrameLike } from '../../electron/app/trust-policy';
import { MIN_HEIGHT, MIN_WIDTH, SECURE_WEB_PREFERENCES, restorableBounds, webPreferences } from '../../electron/app/window-policy';
import { ROOT, tempDir } from './helpers/temp';

const DIST = join(ROOT, 'dist', 'electron');
const MAIN = join(DIST, 'main.cjs');
const PRELOAD = join(DIST, 'preload.cjs');
const RENDERER = join(ROOT, 'dist', 'renderer');

describe('window', () => {
  it('gives the renderer no Node, an isolated context and a sandbox', () => {
    const prefs = webPreferences('/app/preload.cjs');
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      preload: '/app/preload.cjs',
    });
    expect(Object.isFrozen(SECURE_WEB_PREFERENCES)).toBe(true);
  });

  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }];
  const second = { x: 1920, y: 0, width: 1280, height: 1000 };
  it.each([
    ['nothing saved', null, screen, null],
    ['a window on the screen', { x: 100, y: 50, width: 1200, height: 800 }, screen, { x: 100, y: 50, width: 1200, height: 800 }],
    ['a window on a monitor since unplugged', { x: 2000, y: 100, width: 1000, height: 700 }, screen, null],
    ['the same window with that monitor present', { x: 2000, y: 100, width: 1000, height: 700 }, [...screen, second], { x: 2000, y: 100, width: 1000, height: 700 }],
    ['a sliver left on screen', { x: 1900, y: 100, width: 1000, height: 700 }, screen, null],
    ['a window bigger than the display', { x: 0, y: 0, width: 4000, height: 3000 }, screen, { x: 0, y: 0, width: 1920, height: 1040 }],
    ['a title bar above the display', { x: 100, y: -300, width: 1000, height: 900 }, screen, { x: 100, y: 0, width: 1000, height: 900 }],
    ['nonsense numbers', { x: Number.NaN, y: 0, width: 1000, height: 700 }, screen, null],
  ])('restores the bounds for %s only if reachable', (_name, saved, areas, expected) => {
    const got = restorableBounds(saved, areas);
    expect(got).toEqual(expected);
    if (got) expect(got.width >= Math.min(MIN_WIDTH, 1920) && got.height >= Math.min(MIN_HEIGHT, 1040)).toBe(true);
  });
});

describe('printing a clip book to PDF', () => {
  it('prints in a window that runs no script, has no Node and shares no session with the app', () => {
    expect(PDF_WEB_PREFERENCES).toMatchObject({ javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false, webSecurity: true, disableBlinkFeatures: 'Auxclick' });
    expect(PDF_WEB_PREFERENCES.partition).not.toMatch(/^persist:/);
    expect(Object.isFrozen(PDF_WEB_PREFERENCES)).toBe(true);
    expect(PDF_OPTIONS).toMatchObject({ printBackground: true });
  });

  const page = 'file:///tmp/cuttings-pdf-x/clip-book.html';
  it.each([
    [page, true],
    ['data:image/png;base64,iVBORw0KGgo=', true],
    ['https://tracker.example/pixel.gif', false],
    ['http://127.0.0.1:5199/__cuttings/ipc', false],
    ['file:///etc/passwd', false],
    ['file:///tmp/cuttings-pdf-x/other.html', false],
    ['data:text/html,<script>1</script>', false],
    ['cuttings://app/index.html', false],
  ])('a request for %s while printing: allowed=%s', (url, allowed) => {
    expect(isAllowedPdfRequest(url, page)).toBe(allowed);
  });
});

describe('cuttings:// protocol', () => {
  const root = join('/opt', 'cuttings', 'renderer');
  const inside = (file: string) => !relative(root, file).startsWith('..') && file.startsWith(root + sep);

  it.each([
    ['cuttings://app/', 'index.html'],
    ['cuttings://app/index.html', 'index.html'],
    ['cuttings://app/assets/index-4f2a.js?v=1#x', join('assets', 'index-4f2a.js')],
    ['cuttings://app/assets/a%20b.css', join('assets', 'a b.css')],
  ])('serves %s from the renderer folder', (url, file) => {
    expect(resolveAppRequest(root, url)).toEqual({ ok: true, file: join(root, file) });
  });

  it.each([
    ['cuttings://app/../../etc/passwd', 403],
    ['cuttings://app/assets/../../../etc/passwd', 403],
    ['cuttings://app/%2e%2e/%2e%2e/etc/passwd', 403],
    ['cuttings://app/%2E%2E/%2e./etc/passwd', 403],
    ['cuttings://app/..%2f..%2fetc%2fpasswd', 403],
    ['cuttings://app/..%5c..%5cetc%5cpasswd', 403],
    ['cuttings://app/..\\..\\etc\\passwd', 403],
    // Double-encoded: harmless once decoded, but nothing of ours is named like that, so refused too.
    ['cuttings://app/%252e%252e/x', 403],
    ['cuttings://app/index.html%00.png', 400],
    ['cuttings://app/%E0%A4%A', 400],
    ['cuttings://other/index.html', 403],
    ['cuttings://app.evil/index.html', 403],
    ['file:///etc/passwd', 403],
    ['https://app/index.html', 403],
    ['not a url', 400],
  ])('refuses %s', (url, status) => {
    const got = resolveAppRequest(root, url);
    expect(got).toMatchObject({ ok: false, status });
  });

  it('never resolves outside the folder, whatever the URL', () => {
    const tricky = ['..', '%2e%2e', '.%2e', '%2e.', '..%2f', '%2f..', '%5c..', '..%5c', 'a', '.', '%00', '//', '%252e'];
    for (const a of tricky) {
      for (const b of tricky) {
        const got = resolveAppRequest(root, `cuttings://app/${a}/${b}/etc/passwd`);
        if (got.ok) expect(inside(got.file), got.file).toBe(true);
      }
    }
  });

  it('sends the same Content-Security-Policy as the page declares', async () => {
    const html = await readFile(join(ROOT, 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1];
    const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
    expect(meta && norm(meta)).toBe(norm(CONTENT_SECURITY_POLICY));
    expect(responseHeaders('/x/index.html')).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    });
    expect(responseHeaders('/x/a.js')['content-type']).toBe('text/javascript; charset=utf-8');
  });
});

describe('trust', () => {
  it.each([
    ['the app page', { isMainFrame: true, url: 'cuttings://app/index.html' }, true],
    ['a sub-frame of the app', { isMainFrame: false, url: 'cuttings://app/index.html' }, false],
    ['a web page', { isMainFrame: true, url: 'https://example.com/' }, false],
    ['the test bridge origin', { isMainFrame: true, url: 'http://127.0.0.1:5173/' }, false],
    ['a look-alike host', { isMainFrame: true, url: 'cuttings://app.evil/index.html' }, false],
    ['a host behind credentials', { isMainFrame: true, url: 'cuttings://app@evil/index.html' }, false],
    ['a local file', { isMainFrame: true, url: 'file:///opt/cuttings/renderer/index.html' }, false],
    ['a frame with no URL', { isMainFrame: true, url: '' }, false],
  ])('%s: trusted=%s', (_name, sender, trusted) => {
    expect(isTrustedSender(sender)).toBe(trusted);
  });

  const main: FrameLike = { url: APP_ENTRY_URL, processId: 4, routingId: 1 };
  it('tells the main frame from a sub-frame and a frame that is gone', () => {
    expect(describeSender(main, main)).toEqual({ isMainFrame: true, url: APP_ENTRY_URL });
    expect(describeSender({ ...main }, main)).toEqual({ isMainFrame: true, url: APP_ENTRY_URL });
    expect(describeSender({ ...main, routingId: 7 }, main)).toEqual({ isMainFrame: false, url: APP_ENTRY_URL });
    expect(describeSender(null, main)).toEqual({ isMainFrame: false, url: '' });
    const disposed = {
      processId: 4,
      routingId: 1,
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    expect(describeSender(disposed, main)).toEqual({ isMainFrame: false, url: '' });
  });

  it.each([
    ['cuttings://app/index.html', 'allow'],
    ['https://www.reuters.com/world/', 'open-externally'],
    ['http://example.com/a', 'open-externally'],
    ['https://user:pw@example.com/', 'deny'],
    ['file:///etc/passwd', 'deny'],
    ['javascript:alert(1)', 'deny'],
    ['data:text/html,<script>1</script>', 'deny'],
    ['smb://host/share', 'deny'],
    ['cuttings://other/', 'deny'],
    ['', 'deny'],
  ])('navigation to %s: %s', (url, decision) => {
    expect(decideNavigation(url)).toBe(decision);
  });

  it.each([
    ['clipboard-sanitized-write', true],
    ['clipboard-read', false],
    ['media', false],
    ['geolocation', false],
    ['notifications', false],
    ['openExternal', false],
  ])('permission %s: granted=%s (Copy citation writes text to the clipboard; nothing else is granted)', (permission, granted) => {
    expect(isPermissionGranted(permission)).toBe(granted);
  });

  it('knows its own URLs', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('cuttings://app')).toBe(false);
  });
});

describe('launch', () => {
  it.each([
    [['.', '--library', 'lib'], {}, '/home/u/lib'],
    [['--library=/data/lib'], {}, '/data/lib'],
    [['.'], { CUTTINGS_LIBRARY: '/env/lib' }, '/env/lib'],
    [['--library', '/arg/lib'], { CUTTINGS_LIBRARY: '/env/lib' }, '/arg/lib'],
    [['.'], {}, null],
    [['--library'], {}, null],
  ])('%j with %j opens %s', (argv, env, libraryDir) => {
    expect(parseLaunchOptions(argv, env, '/home/u').libraryDir).toBe(libraryDir);
  });

  it('finds its files in the checkout and in a packaged app', () => {
    const dev = appLocations(join('/src', 'dist', 'electron'), null);
    expect(dev).toEqual({
      rendererDir: join('/src', 'dist', 'renderer'),
      preload: join('/src', 'dist', 'electron', 'preload.cjs'),
      seedDir: join('/src', 'seeds'),
      icon: join('/src', 'assets', 'icon.png'),
    });
    const packed = appLocations(join('/opt', 'C', 'resources', 'app.asar', 'dist', 'electron'), { resourcesPath: join('/opt', 'C', 'resources') });
    expect(packed.seedDir).toBe(join('/opt', 'C', 'resources', 'seeds'));
    expect(packed.rendererDir).toBe(join('/opt', 'C', 'resources', 'app.asar', 'dist', 'renderer'));
  });
});

// ---------------------------------------------------------------------------
// The bundles, loaded in plain Node with a recording stand-in for `electron`.

type Fn = (...args: never[]) => unknown;
type Frame = FrameLike;
type Handler = (event: { sender: unknown; senderFrame: Frame | null }, payload: unknown) => Promise<Envelope<unknown>>;
type ProtocolHandler = (request: { url: string; method: string }) => Promise<Response>;
type MenuItem = { label?: string; role?: string; click?: () => void; submenu?: MenuItem[] };

class FakeContents extends EventEmitter {
  readonly mainFrame: Frame = { url: APP_ENTRY_URL, processId: 1, routingId: 1 };
  readonly sent: [string, unknown][] = [];
  windowOpenHandler: ((d: { url: string }) => { action: string }) | undefined;
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
}

function fakeElectron(userData: string) {
  const rec = {
    schemes: [] as unknown[],
    protocol: undefined as ProtocolHandler | undefined,
    ipc: new Map<string, Handler>(),
    windows: [] as FakeWindow[],
    errorBoxes: [] as [string, string][],
    exits: [] as number[],
    external: [] as string[],
    menu: [] as MenuItem[],
    permissionRequest: undefined as undefined | ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void),
    permissionCheck: undefined as undefined | ((wc: unknown, permission: string) => boolean),
    sandboxed: false,
  };
  let ready!: () => void;
  const whenReady = new Promise<void>((ok) => (ready = ok));
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    name: 'Cuttings',
    setPath: (_name: string, _value: string) => undefined,
    getPath: (name: string) => (name === 'userData' ? userData : join(userData, name)),
    getVersion: () => '0.1.0',
    getName: () => 'Cuttings',
    enableSandbox: () => void (rec.sandboxed = true),
    requestSingleInstanceLock: () => true,
    whenReady: () => whenReady,
    quit: () => void rec.exits.push(0),
    exit: (code = 0) => void rec.exits.push(code),
    setAboutPanelOptions: () => undefined,
    showAboutPanel: () => undefined,
  });
  class FakeWindow extends EventEmitter {
    readonly webContents = new FakeContents();
    url = '';
    visible = false;
    constructor(readonly options: { width?: number; height?: number; x?: number; y?: number; webPreferences: Record<string, unknown> }) {
      super();
      rec.windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      this.url = url;
      return Promise.resolve();
    }
    isDestroyed = () => false;
    isVisible = () => this.visible;
    isMinimized = () => false;
    show = () => void (this.visible = true);
    focus = () => undefined;
    restore = () => undefined;
    getNormalBounds = () => ({ x: 10, y: 20, width: this.options.width ?? 0, height: this.options.height ?? 0 });
  }
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => void rec.schemes.push(...schemes),
      handle: (_scheme: string, h: ProtocolHandler) => void (rec.protocol = h),
    },
    ipcMain: Object.assign(new EventEmitter(), {
      handle: (channel: string, h: Handler) => void rec.ipc.set(channel, h),
      removeHandler: (channel: string) => void rec.ipc.delete(channel),
    }),
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: typeof rec.permissionRequest) => void (rec.permissionRequest = h),
        setPermissionCheckHandler: (h: typeof rec.permissionCheck) => void (rec.permissionCheck = h),
        setDevicePermissionHandler: () => undefined,
      },
    },
    dialog: {
      showErrorBox: (title: string, content: string) => void rec.errorBoxes.push([title, content]),
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async () => ({ canceled: true }),
    },
    shell: { openExternal: async (url: string) => void rec.external.push(url) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }] },
    nativeTheme: { shouldUseDarkColors: false, themeSource: 'system' },
    Menu: { buildFromTemplate: (t: MenuItem[]) => t, setApplicationMenu: (m: MenuItem[]) => void (rec.menu = m) },
    contextBridge: {},
    ipcRenderer: {},
  };
  return { electron, rec, ready: () => ready() };
}

const nodeRequire = createRequire(import.meta.url);
const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
const realLoad = loader._load;
let stub: unknown;

/** Loads a fresh copy of a bundle with `stub` as its `electron` and `env` in the environment. */
function loadBundle(file: string, electron: unknown, env: Record<string, string> = {}) {
  stub = electron;
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    delete nodeRequire.cache[file];
    return nodeRequire(file) as unknown;
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function until(condition: () => boolean, what: string) {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((ok) => setTimeout(ok, 25));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-electron.mjs')], { cwd: ROOT, stdio: 'pipe' });
  loader._load = function (request, parent, isMain) {
    if (request === 'electron') return stub;
    return realLoad.call(this, request, parent, isMain);
  };
}, 60_000);
afterAll(() => {
  loader._load = realLoad;
});

describe('preload bundle', () => {
  it('is one file that requires only electron and never sends on a channel the page names', async () => {
    expect(existsSync(PRELOAD)).toBe(true);
    const code = await readFile(PRELOAD, 'utf8');
    const required = [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/ipcRenderer\.(send|sendSync|sendToHost|postMessage)\s*\(/);
    expect(code).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
  });

  it('exposes the named API and the menu subscription, each method bound to its own channel', async () => {
    let exposed: Record<string, unknown> = {};
    const invoked: [string, unknown][] = [];
    const ipcRenderer = Object.assign(new EventEmitter(), {
      invoke: async (channel: string, payload: unknown) => void invoked.push([channel, payload]),
    });
    loadBundle(PRELOAD, {
      contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => name === 'cuttings' && (exposed = api) },
      ipcRenderer,
    });
    expect(Object.keys(exposed).sort()).toEqual([
      'articles', 'clippings', 'compositions', 'export', 'feeds', 'imports', 'labels', 'library', 'onExportProgress', 'onImportProgress', 'onMenuCommand', 'search', 'settings', 'tags', 'templates',
    ]);

    // Every leaf is a function of ours; calling each reaches exactly one contract channel.
    const leaves: [string, Fn][] = [];
    const walk = (o: Record<string, unknown>, path: string) => {
      for (const [k, v] of Object.entries(o)) {
        expect(v).not.toBe(ipcRenderer);
        if (typeof v === 'function') leaves.push([`${path}${k}`, v as Fn]);
        else walk(v as Record<string, unknown>, `${path}${k}.`);
      }
    };
    walk(exposed, '');
    for (const [name, fn] of leaves) if (!name.startsWith('on')) await (fn as (...a: unknown[]) => unknown)('x', []);
    expect(invoked.map(([c]) => c).sort()).toEqual([...CHANNELS].sort());
    expect(invoked.find(([c]) => c === 'articles:get')?.[1]).toEqual({ id: 'x' });

    const onMenuCommand = exposed.onMenuCommand as (cb: (c: string) => void) => () => void;
    const got: string[] = [];
    const off = onMenuCommand((c) => got.push(c));
    ipcRenderer.emit(MENU_COMMAND_CHANNEL, { sender: 'main' }, 'import');
    ipcRenderer.emit(MENU_COMMAND_CHANNEL, { sender: 'main' }, 'rm -rf /');
    ipcRenderer.emit(MENU_COMMAND_CHANNEL, { sender: 'main' }, { command: 'export' });
    off();
    ipcRenderer.emit(MENU_COMMAND_CHANNEL, { sender: 'main' }, 'export');
    expect(got).toEqual(['import']);
    expect(ipcRenderer.listenerCount(MENU_COMMAND_CHANNEL)).toBe(0);
    expect(MENU_COMMANDS.every(isMenuCommand)).toBe(true);

    // Import progress: only well-formed events reach the page, and never the IPC event object.
    const onImportProgress = exposed.onImportProgress as (cb: (e: unknown) => void) => () => void;
    const progress: unknown[] = [];
    const stop = onImportProgress((e) => progress.push(e));
    const good = { jobId: 'j1', done: 1, total: 2, outcome: { status: 'imported', title: 'T', path: 'a.txt' } };
    ipcRenderer.emit(IMPORT_PROGRESS_CHANNEL, { sender: 'main' }, good);
    ipcRenderer.emit(IMPORT_PROGRESS_CHANNEL, { sender: 'main' }, { jobId: 'j1' });
    stop();
    ipcRenderer.emit(IMPORT_PROGRESS_CHANNEL, { sender: 'main' }, good);
    expect(progress).toEqual([good]);
    expect(ipcRenderer.listenerCount(IMPORT_PROGRESS_CHANNEL)).toBe(0);

    // Export progress: the same, on its own channel.
    const onExportProgress = exposed.onExportProgress as (cb: (e: unknown) => void) => () => void;
    const steps: unknown[] = [];
    const quit = onExportProgress((e) => steps.push(e));
    const step = { jobId: 'e1', phase: 'writing', done: 1, total: 3 };
    ipcRenderer.emit(EXPORT_PROGRESS_CHANNEL, { sender: 'main' }, step);
    ipcRenderer.emit(EXPORT_PROGRESS_CHANNEL, { sender: 'main' }, { ...step, phase: 'rm -rf' });
    ipcRenderer.emit(IMPORT_PROGRESS_CHANNEL, { sender: 'main' }, step);
    quit();
    ipcRenderer.emit(EXPORT_PROGRESS_CHANNEL, { sender: 'main' }, step);
    expect(steps).toEqual([step]);
    expect(ipcRenderer.listenerCount(EXPORT_PROGRESS_CHANNEL)).toBe(0);
  });
});

describe('main bundle', () => {
  async function launch(env: Record<string, string>) {
    const userData = env.CUTTINGS_USER_DATA!;
    const fake = fakeElectron(userData);
    loadBundle(MAIN, fake.electron, env);
    fake.ready();
    await until(() => fake.rec.windows.length > 0 || fake.rec.exits.length > 0, 'a window or an exit');
    return { ...fake.rec, ipcMain: fake.electron.ipcMain };
  }

  it('starts: library, protocol, IPC with sender checks, guards, menu, window', async () => {
    const work = await tempDir();
    const userData = join(work, 'user-data');
    const rec = await launch({ CUTTINGS_USER_DATA: userData, CUTTINGS_LIBRARY: join(work, 'library') });
    expect(rec.errorBoxes).toEqual([]);
    expect(rec.sandboxed).toBe(true);
    expect(rec.schemes).toEqual([
      { scheme: 'cuttings', privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } },
    ]);

    const [window] = rec.windows;
    expect(window!.url).toBe(APP_ENTRY_URL);
    expect(window!.options.webPreferences).toMatchObject({ ...SECURE_WEB_PREFERENCES, preload: PRELOAD });

    // IPC: every channel, the library seeded, and only the main frame of our page heard.
    expect([...rec.ipc.keys()].sort()).toEqual([...CHANNELS].sort());
    // electron-store's sync channel (it hands out the user-data path) is not left open.
    expect(rec.ipcMain.eventNames()).toEqual([]);
    const contents = window!.webContents;
    const info = rec.ipc.get('library:info')!;
    const ok = await info({ sender: contents, senderFrame: contents.mainFrame }, {});
    expect(ok).toMatchObject({ ok: true, value: { path: join(work, 'library'), articleCount: 1 } });
    const sub = { url: APP_ENTRY_URL, processId: 1, routingId: 9 };
    expect(await info({ sender: contents, senderFrame: sub }, {})).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    const web = { ...contents.mainFrame, url: 'https://example.com/' };
    expect(await info({ sender: contents, senderFrame: web }, {})).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(await info({ sender: contents, senderFrame: null }, {})).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(await info({ sender: contents, senderFrame: contents.mainFrame }, { extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-payload' },
    });

    // Protocol: the page, or a refusal; never a file outside dist/renderer.
    const get = (url: string) => rec.protocol!({ url, method: 'GET' });
    const page = await get('cuttings://app/index.html');
    if (existsSync(join(RENDERER, 'index.html'))) {
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    } else expect(page.status).toBe(404);
    expect((await get('cuttings://app/..%2f..%2fpackage.json')).status).toBe(403);
    expect((await get('cuttings://app/%2e%2e/%2e%2e/package.json')).status).toBe(403);
    expect((await rec.protocol!({ url: APP_ENTRY_URL, method: 'POST' })).status).toBe(405);

    // Navigation guards: web links leave for the browser, everything else goes nowhere.
    const navigate = (url: string) => {
      let prevented = false;
      contents.emit('will-navigate', { url, isMainFrame: true, preventDefault: () => (prevented = true) });
      return prevented;
    };
    expect(navigate('cuttings://app/index.html')).toBe(false);
    expect(navigate('https://www.reuters.com/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'file:///bin/sh' })).toEqual({ action: 'deny' });
    await until(() => rec.external.length === 2, 'external links');
    expect(rec.external).toEqual(['https://www.reuters.com/', 'https://example.com/']);
    let webview = false;
    contents.emit('will-attach-webview', { preventDefault: () => (webview = true) });
    expect(webview).toBe(true);
    let granted: boolean | undefined;
    rec.permissionRequest!(contents, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
    expect(rec.permissionCheck!(contents, 'clipboard-read')).toBe(false);

    // Menu: File › Import… hands the renderer one known command.
    const file = rec.menu.find((m) => m.label === '&File')!;
    file.submenu!.find((i) => i.label === '&Import…')!.click!();
    expect(contents.sent).toEqual([[MENU_COMMAND_CHANNEL, 'import']]);
    // The export, backup and template items hand over their own commands.
    for (const [label, command] of [
      ['Export &library…', 'export-library'],
      ['Export article &as…', 'export-as'],
      ['&Back up library…', 'backup'],
      ['&Restore from backup…', 'restore'],
      ['Export &templates…', 'templates'],
      ['Reset export templates to default…', 'reset-templates'],
    ] as const) {
      file.submenu!.find((i) => i.label === label)!.click!();
      expect(contents.sent.at(-1)).toEqual([MENU_COMMAND_CHANNEL, command]);
    }
    contents.sent.length = 0;
    const view = rec.menu.find((m) => m.label === '&View')!;
    expect(view.submenu!.some((i) => i.role === 'toggleDevTools')).toBe(true); // not packaged: a checkout

    // Window bounds are saved on close, in electron-store's file.
    window!.emit('close');
    const config = JSON.parse(await readFile(join(userData, 'config.json'), 'utf8')) as { windowBounds: unknown };
    expect(config.windowBounds).toEqual({ x: 10, y: 20, width: 1280, height: 860 });
  });

  it('names the folder and the reason, and quits, when the library cannot be opened', async () => {
    const work = await tempDir();
    const notALibrary = join(work, 'my documents');
    await mkdir(notALibrary);
    await writeFile(join(notALibrary, 'letter.txt'), 'not a library');
    const rec = await launch({ CUTTINGS_USER_DATA: join(work, 'user-data'), CUTTINGS_LIBRARY: notALibrary });
    expect(rec.windows).toEqual([]);
    expect(rec.exits).toEqual([1]);
    expect(rec.errorBoxes).toHaveLength(1);
    const [title, message] = rec.errorBoxes[0]!;
    expect(title).toMatch(/cannot open its library/);
    expect(message).toContain(notALibrary);
    expect(message).toMatch(/holds no Cuttings library/);
  });
});

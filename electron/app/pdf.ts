import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, session } from 'electron';
import { PDF_OPTIONS, PDF_PARTITION, PDF_TIMEOUT_MS, PDF_WEB_PREFERENCES, isAllowedPdfRequest } from './pdf-policy';

let sessionReady = false;

/** The printing session: no permission, no network (pdf-policy.ts), set up once. */
function pdfSession() {
  const ses = session.fromPartition(PDF_PARTITION);
  if (!sessionReady) {
    sessionReady = true;
    ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
    ses.enableNetworkEmulation({ offline: true });
  }
  return ses;
}

/**
 * A clip book's HTML as PDF, printed by Chromium in a hidden window: no
 * script, offline, every request but the page itself (and pictures inside
 * it) cancelled. The page is a temp file, removed afterwards.
 */
export async function printPdf(html: string): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'cuttings-pdf-'));
  const file = join(dir, 'clip-book.html');
  const pageUrl = pathToFileURL(file).href;
  let window: BrowserWindow | null = null;
  let timer: NodeJS.Timeout | undefined;
  try {
    await writeFile(file, html, 'utf8');
    const ses = pdfSession();
    ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedPdfRequest(details.url, pageUrl) }));
    window = new BrowserWindow({ show: false, width: 794, height: 1123, webPreferences: { ...PDF_WEB_PREFERENCES, session: ses } });
    const printing = (async () => {
      await window.loadURL(pageUrl);
      return window.webContents.printToPDF({ ...PDF_OPTIONS });
    })();
    const timeout = new Promise<never>((_ok, fail) => {
      timer = setTimeout(() => fail(new Error(`printing the PDF took longer than ${PDF_TIMEOUT_MS / 1000} s`)), PDF_TIMEOUT_MS);
    });
    const pdf = await Promise.race([printing, timeout]);
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } finally {
    clearTimeout(timer);
    if (window && !window.isDestroyed()) window.destroy();
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

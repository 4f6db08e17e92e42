/**
 * A clip book's HTML printed to PDF by headless Chromium, for the CLI and
 * the tests (the app prints with Electron's own printToPDF: electron/app/pdf.ts).
 * Both are the `printPdf` the exporter takes (electron/library/export).
 *
 * Chromium runs once per PDF, from a temp folder holding the page and a
 * throw-away profile (never the user's), with everything that would reach
 * the network off and every host name unresolvable: the clip book is
 * self-contained and nothing it could name is fetched. The default
 * template forbids scripts too (its Content-Security-Policy); turning
 * JavaScript off in Chromium itself is not an option, as headless printing
 * then produces no file.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type ChromiumPdfOptions = {
  /** The browser; default CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
  executablePath?: string;
  /** Give up (and stop Chromium) after this long; default 60 s. */
  timeoutMs?: number;
};

export const CHROMIUM_PDF_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-default-apps',
  '--no-first-run',
  '--no-default-browser-check',
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--no-pdf-header-footer',
] as const;

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

export async function chromiumPdf(html: string, options: ChromiumPdfOptions = {}): Promise<Uint8Array> {
  const executable = options.executablePath ?? chromiumPath();
  const timeoutMs = options.timeoutMs ?? 60_000;
  const dir = await mkdtemp(join(tmpdir(), 'cuttings-pdf-'));
  try {
    const page = join(dir, 'clip-book.html');
    const out = join(dir, 'clip-book.pdf');
    await writeFile(page, html, 'utf8');
    const args = [...CHROMIUM_PDF_FLAGS, `--user-data-dir=${join(dir, 'profile')}`, `--print-to-pdf=${out}`, pathToFileURL(page).href];
    const { code, stderr, timedOut } = await run(executable, args, timeoutMs);
    let pdf: Buffer | null = null;
    try {
      pdf = await readFile(out);
    } catch {
      // reported below with what Chromium said
    }
    if (timedOut) throw new Error(`Chromium (${executable}) did not print the PDF within ${Math.round(timeoutMs / 1000)} s`);
    if (!pdf || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') {
      const said = stderr
        .split('\n')
        .filter((l) => l.trim() && !/dbus|unexpected operator/i.test(l))
        .slice(-5)
        .join('\n');
      throw new Error(`Chromium (${executable}) printed no PDF (exit code ${code ?? 'none'})${said ? `:\n${said}` : ''}`);
    }
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function run(executable: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    // Its own process group, so that a timeout stops Chromium's helper processes too.
    const child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: process.platform !== 'win32' });
    let stderr = '';
    let timedOut = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 64_000) stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`Could not start Chromium (${executable}): ${e.message}; set CHROMIUM_PATH to a Chromium or Chrome binary`, { cause: e }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, timedOut });
    });
  });
}

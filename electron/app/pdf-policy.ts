/**
 * The rules for printing a clip book to PDF, without Electron, so that a
 * unit test can hold them in place (pdf.ts applies them). The HTML is our
 * own export, but its text is what people clipped from the web: the window
 * that prints it runs no script, reaches no network and shares nothing with
 * the app's window.
 */
import type { WebPreferences } from 'electron';

/** An in-memory session of its own (no "persist:"): no cookies, cache or permissions shared with the app. */
export const PDF_PARTITION = 'cuttings-pdf';

export const PDF_WEB_PREFERENCES = Object.freeze({
  javascript: false,
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  disableBlinkFeatures: 'Auxclick',
  images: true,
  partition: PDF_PARTITION,
} satisfies WebPreferences);

/**
 * The one page it may load (the HTML, written to a temp file: a data: URL
 * is limited to 2 MB in Chromium, and a large clip book is more) and
 * pictures carried inside it as data: URLs. Anything else, from a
 * stylesheet link to a tracking pixel, is cancelled.
 */
export function isAllowedPdfRequest(url: string, pageUrl: string): boolean {
  if (url === pageUrl) return true;
  return url.startsWith('data:image/') || url.startsWith('data:font/');
}

/** A4 unless the clip book's CSS says otherwise, backgrounds (label colours) printed, headings as the outline. */
export const PDF_OPTIONS = Object.freeze({
  pageSize: 'A4',
  printBackground: true,
  preferCSSPageSize: true,
  generateDocumentOutline: true,
  generateTaggedPDF: true,
} as const);

/** A clip book that takes longer than this to load and print is given up on. */
export const PDF_TIMEOUT_MS = 120_000;

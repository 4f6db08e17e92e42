/**
 * What the export dialog offers and remembers, and the one clipboard write
 * of the app (Copy citation). No React here: the dialog and the tests use it.
 */
import type { ExportOptionsRequest, ExportSelectionRequest } from '../../../electron/ipc/contract';
import type { ExportPhase } from '../../../electron/ipc/events';
import type { ExportFormat, ExportGrouping } from '../../../electron/library/export/types';
import { plural } from './format';

/** The formats in the order the dialog lists them; the digit is their key in the dialog. */
export const FORMATS: readonly { id: ExportFormat; name: string; extension: string; hint: string; key: string }[] = [
  { id: 'md', name: 'Markdown', extension: '.md', hint: 'Obsidian-friendly, with YAML front matter', key: '1' },
  { id: 'html', name: 'HTML clip book', extension: '.html', hint: 'Printable, contents and a citation under every quote', key: '2' },
  { id: 'pdf', name: 'PDF clip book', extension: '.pdf', hint: 'The HTML clip book, printed', key: '3' },
  { id: 'jsonld', name: 'Web Annotations', extension: '.jsonld', hint: 'W3C JSON-LD: lossless, imports back', key: '4' },
  { id: 'csv', name: 'CSV', extension: '.csv', hint: 'Readwise’s import columns', key: '5' },
  { id: 'txt', name: 'Plain text', extension: '.txt', hint: 'Quotes and citations, nothing else', key: '6' },
];

export const GROUPINGS: readonly { id: ExportGrouping; name: string }[] = [
  { id: 'article', name: 'Article' },
  { id: 'tag', name: 'Tag' },
  { id: 'source', name: 'Source' },
  { id: 'date', name: 'Date' },
];

/** Formats laid out as a clip book (a title, sections grouped one way). */
export function isClipBook(format: ExportFormat, layout: ExportOptionsRequest['layout']): boolean {
  return format === 'html' || format === 'pdf' || (format === 'md' && layout !== 'per-article');
}

/** Formats whose citations can name who said each quote. */
export function namesSpeakers(format: ExportFormat): boolean {
  return format === 'md' || format === 'html' || format === 'pdf' || format === 'txt';
}

/** Formats rendered from templates the person can edit. */
export function usesTemplates(format: ExportFormat): boolean {
  return format === 'md' || format === 'html' || format === 'pdf' || format === 'txt';
}

/** What is exported, and how the dialog names it. */
export type ExportTarget = { selection: ExportSelectionRequest; what: string };

export const exportTargets = {
  article: (id: string, title: string): ExportTarget => ({ selection: { articleIds: [id] }, what: `“${title}”` }),
  clippings: (ids: readonly string[]): ExportTarget => ({ selection: { clippingIds: [...ids] }, what: `${plural(ids.length, 'selected clipping')}` }),
  tag: (tag: string): ExportTarget => ({ selection: { tag }, what: `the tag “${tag}”` }),
  search: (query: string, filters: ExportSelectionRequest['filters'], kinds?: ExportSelectionRequest['kinds']): ExportTarget => ({
    selection: { query, ...(filters ? { filters } : {}), ...(kinds ? { kinds } : {}) },
    what: query.trim() ? `the search “${query.trim()}”` : 'the filtered search',
  }),
  composition: (id: string, title: string): ExportTarget => ({ selection: { compositionId: id }, what: `the press review “${title}”` }),
  library: (): ExportTarget => ({ selection: { all: true }, what: 'the whole library' }),
};

/** The dialog's last choices, kept on this machine (not in the library: they are a habit, not data). */
export type ExportChoices = { format: ExportFormat; grouping: ExportGrouping; layout: 'clipbook' | 'per-article'; speakers: boolean };
const CHOICES_KEY = 'cuttings.export';
export const DEFAULT_CHOICES: ExportChoices = { format: 'md', grouping: 'article', layout: 'clipbook', speakers: true };

export function loadChoices(): ExportChoices {
  try {
    const stored = JSON.parse(localStorage.getItem(CHOICES_KEY) ?? '{}') as Partial<ExportChoices>;
    return {
      format: FORMATS.some((f) => f.id === stored.format) ? stored.format! : DEFAULT_CHOICES.format,
      grouping: GROUPINGS.some((g) => g.id === stored.grouping) ? stored.grouping! : DEFAULT_CHOICES.grouping,
      layout: stored.layout === 'per-article' ? 'per-article' : 'clipbook',
      speakers: typeof stored.speakers === 'boolean' ? stored.speakers : DEFAULT_CHOICES.speakers,
    };
  } catch {
    return DEFAULT_CHOICES;
  }
}

export function saveChoices(choices: ExportChoices): void {
  try {
    localStorage.setItem(CHOICES_KEY, JSON.stringify(choices));
  } catch {
    // Storage refused: the dialog simply starts from the defaults next time.
  }
}

/** The options sent for the dialog's choices: grouping only for clip books (not for a press review, which has its own order). */
export function exportOptions(choices: ExportChoices, title: string, forComposition: boolean): ExportOptionsRequest {
  const { format, grouping, layout, speakers } = choices;
  const trimmed = title.trim();
  return {
    format,
    ...(namesSpeakers(format) ? { speakers } : {}),
    ...(format === 'md' ? { layout } : {}),
    ...(isClipBook(format, layout) && !forComposition ? { grouping } : {}),
    ...(trimmed ? { title: trimmed } : {}),
  };
}

/** One line for a progress event. */
export function phaseText(phase: ExportPhase, done: number, total: number, clippings: number | null): string {
  switch (phase) {
    case 'choosing':
      return 'Choose where to save it…';
    case 'rendering':
      return clippings === null ? 'Preparing the export…' : `Preparing ${plural(clippings, 'clipping')}…`;
    case 'printing':
      return 'Printing the PDF…';
    case 'writing':
      return total > 1 ? `Writing ${Math.min(done + 1, total)} of ${plural(total, 'file')}…` : 'Writing the file…';
  }
}

/**
 * Puts text on the clipboard. navigator.clipboard first (Electron grants
 * this one write permission); a hidden textarea and execCommand when it is
 * refused (no focus, an older engine), so that the shortcut still works.
 */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // Fall through to the old way.
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  before?.focus({ preventScroll: true });
  if (!ok) throw new Error('the clipboard refused the text');
}

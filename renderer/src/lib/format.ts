import type { Clipping } from '../../../electron/library/model';

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/** Formatters are costly to make (about a millisecond each) and the article list formats a date per row: made once each. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** A published date as people read it. Calendar dates stay calendar dates (no time-zone shift). */
export function formatDate(published: string | null, style: 'long' | 'short' = 'long'): string {
  if (!published) return '';
  const calendar = dateOnly.test(published);
  const date = new Date(calendar ? `${published}T12:00:00Z` : published);
  if (Number.isNaN(date.getTime())) return published;
  const key = `${style}:${calendar}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(undefined, {
      day: 'numeric',
      month: style === 'long' ? 'long' : 'short',
      year: 'numeric',
      ...(calendar ? { timeZone: 'UTC' } : {}),
    });
    formatters.set(key, formatter);
  }
  return formatter.format(date);
}

/** "United Nations, Dec 6" → "United Nations": the meta line already shows the full date. */
export function placeOf(dateline: string | null): string {
  if (!dateline) return '';
  return dateline.replace(/,?\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}$/i, '').trim();
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** True when a key press belongs to a text field, not to the app's shortcuts. */
export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target.matches('input, textarea, select');
}

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const MOD = isMac ? '⌘' : 'Ctrl';

/** " (re-attached after the text changed, 87% sure)" for a clipping found again elsewhere; "" otherwise. */
export function reanchoredNote(c: Clipping): string {
  if (c.anchor?.state !== 'reanchored') return '';
  const sure = c.anchor.confidence === undefined ? '' : `, ${Math.round(c.anchor.confidence * 100)}% sure`;
  return ` (re-attached after the text changed${sure})`;
}

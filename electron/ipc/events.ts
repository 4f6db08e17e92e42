/**
 * Main → renderer: the only message main sends unasked. A menu item whose
 * work needs the renderer's state (which articles are selected, the current
 * theme) names a command here; the preload passes known names on to the
 * renderer's callback and drops anything else. Renderer → main stays in
 * contract.ts.
 */
export const MENU_COMMAND_CHANNEL = 'menu:command';

export const MENU_COMMANDS = [
  /** File › Import…: the renderer calls `cuttings.library.import()` and refreshes its list. */
  'import',
  /** File › Import from URL…: the renderer opens its URL dialog. */
  'import-url',
  /** File › Feeds…: the renderer opens its feeds dialog. */
  'feeds',
  /** File › Export clippings…: the renderer exports what it shows (`cuttings.export.markdown(ids)`). */
  'export',
  /** View › Toggle theme: the renderer flips light/dark and saves it with `cuttings.settings.update`. */
  'toggle-theme',
] as const;

export type MenuCommand = (typeof MENU_COMMANDS)[number];

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}

/** `window.cuttings.onMenuCommand`: subscribe, and call the returned function to unsubscribe. */
export type OnMenuCommand = (listener: (command: MenuCommand) => void) => () => void;

/** Main → renderer: how far an import has got (one event per finished item). */
export const IMPORT_PROGRESS_CHANNEL = 'import:progress';

export type ImportProgressEvent = {
  jobId: string;
  done: number;
  total: number;
  outcome: { status: 'imported' | 'duplicate' | 'updated' | 'failed'; title?: string; path: string; reason?: string };
};

export function isImportProgressEvent(value: unknown): value is ImportProgressEvent {
  const v = value as Partial<ImportProgressEvent> | null;
  return (
    typeof v === 'object' && v !== null &&
    typeof v.jobId === 'string' && typeof v.done === 'number' && typeof v.total === 'number' &&
    typeof v.outcome === 'object' && v.outcome !== null && typeof v.outcome.status === 'string' && typeof v.outcome.path === 'string'
  );
}

/** `window.cuttings.onImportProgress`: subscribe, and call the returned function to unsubscribe. */
export type OnImportProgress = (listener: (event: ImportProgressEvent) => void) => () => void;

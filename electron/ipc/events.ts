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
  /** File › Export…: the export dialog for what the renderer shows (the open article). */
  'export',
  /** File › Export article…: the export dialog (every format) for the open article. */
  'export-as',
  /** File › Export library…: the export dialog for the whole library. */
  'export-library',
  /** File › Back up library…: the renderer calls `cuttings.library.backup()` and tells where it went. */
  'backup',
  /** File › Restore from backup…: `cuttings.library.restore()` (main asks before replacing anything), then a reload. */
  'restore',
  /** File › Export templates…: `cuttings.templates.open()`. */
  'templates',
  /** File › Reset export templates…: `cuttings.templates.reset()` (main asks first). */
  'reset-templates',
  /** View › Press reviews: the composer. */
  'press-reviews',
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

/** Main → renderer: how far an export has got. */
export const EXPORT_PROGRESS_CHANNEL = 'export:progress';

/**
 * The steps of one export: the save dialog is open; the selection is read and
 * rendered; the PDF is printed; the files are written (`done` of `total`).
 */
export const EXPORT_PHASES = ['choosing', 'rendering', 'printing', 'writing'] as const;
export type ExportPhase = (typeof EXPORT_PHASES)[number];
export type ExportProgressEvent = { jobId: string; phase: ExportPhase; done: number; total: number };

export function isExportProgressEvent(value: unknown): value is ExportProgressEvent {
  const v = value as Partial<ExportProgressEvent> | null;
  return (
    typeof v === 'object' && v !== null &&
    typeof v.jobId === 'string' && typeof v.done === 'number' && typeof v.total === 'number' &&
    (EXPORT_PHASES as readonly unknown[]).includes(v.phase)
  );
}

/** `window.cuttings.onExportProgress`: subscribe, and call the returned function to unsubscribe. */
export type OnExportProgress = (listener: (event: ExportProgressEvent) => void) => () => void;

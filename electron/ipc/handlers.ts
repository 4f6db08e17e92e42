import { LibraryError, type ImportOptions, type Library } from '../library';
import type { ExportProgressEvent, ImportProgressEvent } from './events';
import { backupTo, restoreFrom, type Reopen } from './backup-handlers';
import { citationOf, ensureTemplates, lookupClippings, previewExport, resetTemplates, runExportTo } from './export-handlers';
import type { SettingsStore } from '../settings/settings';
import type { Handlers } from './router';

/** What a save dialog says and offers. */
export type SaveKind = { title: string; buttonLabel: string; filter: { name: string; extensions: string[] } };
/** A question asked before something is replaced: what, where, and the button that goes ahead. */
export type Question = { title: string; message: string; detail: string; confirm: string };

/**
 * What only the host can do: in the app, native dialogs, the system's file
 * manager and Chromium's printing; in tests, answers the test chose.
 */
export type Dialogs = {
  chooseImportPaths(): Promise<string[] | null>;
  chooseSavePath(suggestedName: string, kind?: SaveKind): Promise<string | null>;
  /** A folder to write several files into (Markdown, one file per article). */
  chooseFolder(kind: { title: string; buttonLabel: string }): Promise<string | null>;
  /** A backup file to restore. */
  chooseBackup(): Promise<string | null>;
  /** True only when the person said yes. */
  confirm(question: Question): Promise<boolean>;
  /** Shows a folder in the system's file manager. */
  openPath(path: string): Promise<void>;
  /** HTML to PDF, with nothing fetched from anywhere; absent where the host cannot print (PDF export then fails clearly). */
  printPdf?(html: string): Promise<Uint8Array>;
};

/** What main tells the renderer unasked; in the app webContents.send, in tests the bridge's event stream. */
export type Events = { importProgress(event: ImportProgressEvent): void; exportProgress?(event: ExportProgressEvent): void };

export type Services = {
  library: Library;
  settings: SettingsStore;
  dialogs: Dialogs;
  events?: Events;
  /** Opens a library folder as the host does (for a restore, which replaces the open library). */
  reopen?: Reopen;
  /** Told the library that replaced the open one (a restore): the host serves its files and closes it on quit. */
  onLibraryReplaced?: (library: Library) => void;
};

/** Binds every channel of the contract to the library services. */
export function createHandlers({ library: opened, settings, dialogs, events, reopen, onLibraryReplaced }: Services): Handlers {
  // Every handler reads this binding: a restore puts the new library here.
  let library = opened;
  const replaced = (next: Library) => {
    library = next;
    onLibraryReplaced?.(next);
  };
  // Imports under way, by the job id the renderer chose: what import:cancel stops.
  const jobs = new Map<string, AbortController>();
  const job = async <T>(jobId: string | undefined, work: (options: ImportOptions) => Promise<T>): Promise<T & { canceled: boolean }> => {
    const controller = new AbortController();
    const id = jobId ?? `job-${jobs.size + 1}-${Date.now()}`;
    if (jobs.has(id)) throw new LibraryError('conflict', `An import with id ${id} is already running`);
    jobs.set(id, controller);
    try {
      const result = await work({
        signal: controller.signal,
        onProgress: ({ done, total, outcome }) =>
          events?.importProgress({
            jobId: id,
            done,
            total,
            outcome: outcome.status === 'failed' ? { status: 'failed', path: outcome.path, reason: outcome.reason } : { status: outcome.status, title: outcome.title, path: outcome.path },
          }),
      });
      return { ...result, canceled: controller.signal.aborted };
    } finally {
      jobs.delete(id);
    }
  };
  return {
    'library:info': async () => {
      await library.whenReady(); // the clipping count is complete
      return { path: library.dir, articleCount: library.articleCount, clippingCount: library.clippingCount, problems: [...library.problems] };
    },
    'library:import': async ({ jobId }) => {
      const paths = await dialogs.chooseImportPaths();
      if (!paths || paths.length === 0) return { canceled: true, outcomes: [] };
      return job(jobId, async (options) => ({ outcomes: await library.importPaths(paths, options) }));
    },
    'import:url': ({ url, jobId }) =>
      job(jobId, async (options) => {
        const outcome = await library.importUrl(url.trim(), { ...(options.signal ? { signal: options.signal } : {}) });
        options.onProgress?.({ done: 1, total: 1, outcome });
        return { outcomes: [outcome] };
      }),
    'import:content': ({ items, jobId }) =>
      job(jobId, async (options) => ({
        outcomes: await library.importContent(
          items.map((i) => ({ name: i.name, bytes: new Uint8Array(Buffer.from(i.base64, 'base64')) })),
          options,
        ),
      })),
    'import:cancel': async ({ jobId }) => {
      const controller = jobs.get(jobId);
      controller?.abort();
      return { canceled: controller !== undefined };
    },
    'feeds:list': async () => library.listFeeds(),
    'feeds:add': async ({ url }) => library.addFeed(url.trim()),
    'feeds:refresh': ({ id, jobId }) => job(jobId, (options) => library.refreshFeed(id, options)),
    'feeds:remove': async ({ id }) => library.removeFeed(id),
    'articles:list': async () => library.listArticles(),
    'articles:page': async ({ offset, limit }) => library.listPage(offset, limit),
    'articles:get': async ({ id }) => library.getArticle(id),
    'articles:setTags': async ({ id, tags }) => library.setArticleTags(id, tags),
    'articles:setReading': async ({ id, readingState, progress }) =>
      library.setReading(id, { ...(readingState !== undefined ? { readingState } : {}), ...(progress !== undefined ? { progress } : {}) }),
    'clippings:create': async (r) =>
      library.createClipping({
        articleId: r.articleId,
        start: r.start,
        end: r.end,
        exact: r.exact,
        label: r.label,
        ...(r.note !== undefined ? { note: r.note } : {}),
        ...(r.tags !== undefined ? { tags: r.tags } : {}),
      }),
    'clippings:update': async ({ id, ...patch }) => library.updateClipping(id, patch),
    'clippings:delete': async ({ id }) => library.deleteClipping(id),
    'clippings:restore': async ({ clipping }) => library.restoreClipping(clipping),
    'clippings:reattach': async ({ id, start, end, exact }) => library.reattachClipping(id, start, end, exact),
    'articles:revise': async ({ id, text }) => library.reviseArticle(id, text),
    'articles:analyse': async ({ id }) => library.analyseArticle(id),
    'tags:list': async () => library.tagCounts(),
    'tags:rename': async ({ from, to }) => library.renameTag(from, to),
    'tags:delete': async ({ tag }) => library.deleteTag(tag),
    'tags:add': async ({ articleIds, clippingIds, tags }) => library.addTags({ articleIds, clippingIds }, tags),
    'tags:restore': async ({ undo }) => {
      await library.restoreTags(undo);
      return { restored: true as const };
    },
    'search:query': async ({ query, ...options }) => library.search(query, options),
    'search:status': async () => library.searchStatus(),
    'labels:list': async () => library.labels(),
    'labels:save': async ({ labels }) => library.saveLabels(labels),
    'export:preview': async ({ selection }) => previewExport(library, selection),
    'export:run': async (request) => runExportTo(library, request, dialogs, events),
    'compositions:list': async () => library.listCompositions(),
    'compositions:get': async ({ id }) => library.getComposition(id),
    'compositions:save': async ({ id, title, introduction, items }) => library.saveComposition({ ...(id !== undefined ? { id } : {}), title, introduction, items }),
    'compositions:delete': async ({ id }) => library.deleteComposition(id),
    'clippings:lookup': async ({ ids }) => lookupClippings(library, ids),
    'clippings:citation': async ({ id }) => citationOf(library, id),
    'templates:open': async () => {
      const folder = await ensureTemplates(library.dir);
      await dialogs.openPath(folder.path);
      return folder;
    },
    'templates:reset': async () => resetTemplates(library.dir, dialogs),
    'library:backup': async () => backupTo(library, dialogs),
    'library:restore': async () => {
      if (jobs.size > 0) throw new LibraryError('conflict', 'An import is running: wait for it to finish (or cancel it), then restore');
      return restoreFrom(library, dialogs, reopen, replaced);
    },
    'settings:get': async () => settings.get(),
    'settings:update': async (patch) => settings.update(patch),
  };
}

import { exportMarkdown, LibraryError, writeFileAtomic, type ImportOptions, type Library } from '../library';
import type { ImportProgressEvent } from './events';
import type { SettingsStore } from '../settings/settings';
import type { Handlers } from './router';

/** What only the host can do: in the app, native dialogs; in tests, answers the test chose. */
export type Dialogs = {
  chooseImportPaths(): Promise<string[] | null>;
  chooseSavePath(suggestedName: string): Promise<string | null>;
};

/** What main tells the renderer unasked; in the app webContents.send, in tests the bridge's event stream. */
export type Events = { importProgress(event: ImportProgressEvent): void };

export type Services = { library: Library; settings: SettingsStore; dialogs: Dialogs; events?: Events };

/** Binds every channel of the contract to the library services. */
export function createHandlers({ library, settings, dialogs, events }: Services): Handlers {
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
    'export:markdown': async ({ articleIds, clippingIds }) => {
      const markdown = await exportMarkdown(library, articleIds, clippingIds);
      const title = articleIds.length === 1 && clippingIds.length === 0 ? (await library.getSummary(articleIds[0] as string)).title : 'Cuttings clippings';
      const path = await dialogs.chooseSavePath(`${fileNameFor(title)}.md`);
      if (!path) return { canceled: true };
      // Never half a file over the user's previous export.
      await writeFileAtomic(path, markdown);
      return { canceled: false, path, bytes: Buffer.byteLength(markdown) };
    },
    'settings:get': async () => settings.get(),
    'settings:update': async (patch) => settings.update(patch),
  };
}

/** A file name that is valid on Windows, macOS and Linux. */
export function fileNameFor(title: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  const cleaned = title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80).trim();
  return cleaned.replace(/[. ]+$/, '') || 'clippings';
}

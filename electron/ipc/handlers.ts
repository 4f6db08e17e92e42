import { writeFile } from 'node:fs/promises';
import { exportMarkdown, LibraryError, type Library } from '../library';
import type { SettingsStore } from '../settings/settings';
import type { Handlers } from './router';

/** What only the host can do: in the app, native dialogs; in tests, answers the test chose. */
export type Dialogs = {
  chooseImportPaths(): Promise<string[] | null>;
  chooseSavePath(suggestedName: string): Promise<string | null>;
};

export type Services = { library: Library; settings: SettingsStore; dialogs: Dialogs };

/** Binds every channel of the contract to the library services. */
export function createHandlers({ library, settings, dialogs }: Services): Handlers {
  return {
    'library:info': async () => ({
      path: library.dir,
      articleCount: library.articleCount,
      clippingCount: library.clippingCount,
      problems: [...library.problems],
    }),
    'library:import': async () => {
      const paths = await dialogs.chooseImportPaths();
      if (!paths || paths.length === 0) return { canceled: true, outcomes: [] };
      return { canceled: false, outcomes: await library.importPaths(paths) };
    },
    'articles:list': async () => library.listArticles(),
    'articles:get': async ({ id }) => library.getArticle(id),
    'articles:setTags': async ({ id, tags }) => library.setArticleTags(id, tags),
    'clippings:create': async (r) =>
      library.createClipping({
        articleId: r.articleId,
        start: r.start,
        end: r.end,
        exact: r.exact,
        color: r.color,
        ...(r.note !== undefined ? { note: r.note } : {}),
        ...(r.tags !== undefined ? { tags: r.tags } : {}),
      }),
    'clippings:update': async ({ id, ...patch }) => library.updateClipping(id, patch),
    'clippings:delete': async ({ id }) => library.deleteClipping(id),
    'clippings:restore': async ({ clipping }) => library.restoreClipping(clipping),
    'export:markdown': async ({ articleIds }) => {
      const markdown = await exportMarkdown(library, articleIds);
      const first = articleIds.length === 1 ? library.listArticles().find((a) => a.id === articleIds[0]) : undefined;
      const path = await dialogs.chooseSavePath(`${fileNameFor(first?.title ?? 'Cuttings clippings')}.md`);
      if (!path) return { canceled: true };
      try {
        await writeFile(path, markdown, 'utf8');
      } catch (e) {
        throw new LibraryError('io', `Could not write ${path}: ${(e as Error).message}`, { cause: e });
      }
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

/**
 * The API the renderer sees as `window.cuttings`: a small set of named
 * methods, each bound to one channel. The preload builds it over
 * ipcRenderer.invoke; the test bridge builds the same object over HTTP.
 */
import type { Invoke, Request } from './contract';

export function createCuttingsApi(invoke: Invoke) {
  return {
    library: {
      info: () => invoke('library:info', {}),
      import: (jobId?: string) => invoke('library:import', jobId ? { jobId } : {}),
      /** The whole library as one file, where the person chooses. */
      backup: () => invoke('library:backup', {}),
      /** A backup in place of the library: main asks first, and moves the current one aside. */
      restore: () => invoke('library:restore', {}),
    },
    imports: {
      url: (url: string, jobId?: string) => invoke('import:url', { url, ...(jobId ? { jobId } : {}) }),
      content: (items: { name: string; base64: string }[], jobId?: string) => invoke('import:content', { items, ...(jobId ? { jobId } : {}) }),
      cancel: (jobId: string) => invoke('import:cancel', { jobId }),
    },
    feeds: {
      list: () => invoke('feeds:list', {}),
      add: (url: string) => invoke('feeds:add', { url }),
      refresh: (id: string, jobId?: string) => invoke('feeds:refresh', { id, ...(jobId ? { jobId } : {}) }),
      remove: (id: string) => invoke('feeds:remove', { id }),
    },
    articles: {
      list: () => invoke('articles:list', {}),
      page: (offset: number, limit: number) => invoke('articles:page', { offset, limit }),
      get: (id: string) => invoke('articles:get', { id }),
      setTags: (id: string, tags: string[]) => invoke('articles:setTags', { id, tags }),
      revise: (id: string, text: string) => invoke('articles:revise', { id, text }),
      setReading: (input: Request<'articles:setReading'>) => invoke('articles:setReading', input),
      analyse: (id: string) => invoke('articles:analyse', { id }),
    },
    clippings: {
      create: (input: Request<'clippings:create'>) => invoke('clippings:create', input),
      update: (input: Request<'clippings:update'>) => invoke('clippings:update', input),
      delete: (id: string) => invoke('clippings:delete', { id }),
      restore: (clipping: Request<'clippings:restore'>['clipping']) => invoke('clippings:restore', { clipping }),
      reattach: (input: Request<'clippings:reattach'>) => invoke('clippings:reattach', input),
      lookup: (ids: string[]) => invoke('clippings:lookup', { ids }),
      citation: (id: string) => invoke('clippings:citation', { id }),
    },
    compositions: {
      list: () => invoke('compositions:list', {}),
      get: (id: string) => invoke('compositions:get', { id }),
      save: (input: Request<'compositions:save'>) => invoke('compositions:save', input),
      delete: (id: string) => invoke('compositions:delete', { id }),
    },
    tags: {
      list: () => invoke('tags:list', {}),
      rename: (from: string, to: string) => invoke('tags:rename', { from, to }),
      delete: (tag: string) => invoke('tags:delete', { tag }),
      add: (input: Request<'tags:add'>) => invoke('tags:add', input),
      restore: (undo: Request<'tags:restore'>['undo']) => invoke('tags:restore', { undo }),
    },
    search: {
      query: (input: Request<'search:query'>) => invoke('search:query', input),
      status: () => invoke('search:status', {}),
    },
    labels: {
      list: () => invoke('labels:list', {}),
      save: (labels: Request<'labels:save'>['labels']) => invoke('labels:save', { labels }),
    },
    export: {
      /** How many articles and clippings the selection holds, before anything is written. */
      preview: (selection: Request<'export:preview'>['selection']) => invoke('export:preview', { selection }),
      /** Any selection in any format, to where the person chooses. */
      run: (input: Request<'export:run'>) => invoke('export:run', input),
    },
    templates: {
      open: () => invoke('templates:open', {}),
      reset: () => invoke('templates:reset', {}),
    },
    settings: {
      get: () => invoke('settings:get', {}),
      update: (patch: Request<'settings:update'>) => invoke('settings:update', patch),
    },
  };
}

export type CuttingsApi = ReturnType<typeof createCuttingsApi>;

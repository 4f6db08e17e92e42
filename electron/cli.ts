/**
 * The command line over the same library services as the app, for batch
 * work and for checking a library without a window:
 *
 *   npm run cuttings -- import <file|folder|url>... [--library DIR]
 *   npm run cuttings -- list [--library DIR] [--json]
 *   npm run cuttings -- show <article-id> [--library DIR] [--json]
 *   npm run cuttings -- clip <article-id> --quote "<exact text>" [--note TEXT] [--tag TAG]... [--label L]
 *   npm run cuttings -- revise <article-id> --text-file PATH
 *   npm run cuttings -- labels [--json]
 *   npm run cuttings -- tags [list] | rename <from> <to> | delete <tag>
 *   npm run cuttings -- export [<article-id>...] --format md|html|pdf|jsonld|csv|txt --out PATH
 *        [--tag T] [--query Q] [--clipping ID]... [--group G] [--layout L] [--title T] [--force]
 *
 * --library defaults to the app's own library (its settings, else the
 * default folder under the app's user data). --json prints one JSON
 * document and nothing else (use `npm run -s`).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  Library,
  LibraryError,
  defaultLibraryDir,
  userDataDir,
  clippingToAnnotation,
  type Article,
  type Label,
  type ArticleDetail,
  type Clipping,
  type FeedSummary,
  type ImportOutcome,
  type ReadingState,
  ReadingStateSchema,
} from './library';
import type { SearchFilters } from './library/search';
import { openNodeSettings } from './settings/node-settings';
import { ExportUsageError, exportCommand } from './cli/export-command';
import { BACKUP_USAGE, backupCommand } from './cli/backup-command';

const SEED_DIR = fileURLToPath(new URL('../seeds', import.meta.url));

const USAGE = `Usage: npm run cuttings -- <command> [options]

Commands:
  import <file|folder|url>...             import news text, Markdown, HTML and Kindle files
                                          (folders recursively) and web pages by URL
  list [--json]                           list the library's articles
  show <article-id> [--json]              metadata, text and clippings of one article
  clip <article-id> --quote TEXT          clip the first occurrence of TEXT
       [--note TEXT] [--tag TAG]... [--label LABEL]
  revise <article-id> --text-file PATH    store a corrected text (UTF-8, paragraphs separated by
                                          blank lines) as a new version; clippings re-attach
  labels [--json]                         the library's labels (ids, names, colours)
  search <query> [--json]                 full text over titles, texts, quotes and notes (prefix and
       [--tag T]... [--label L]...        typo tolerant; "quoted phrase"); filters as named; an empty
       [--source S]... [--from DATE]      query lists what the filters keep, newest first
       [--to DATE] [--state S]...
       [--has-clippings] [--limit N]
  tags [list] | rename <from> <to> | delete <tag>
                                          tags with counts; rename (or merge) and delete a tag
                                          and those below it (place → place/Syria) everywhere
  export [<article-id>...] --format F     export clippings as md, html, pdf, jsonld, csv or txt
       --out PATH [--tag T] [--query Q]   (everything named: articles, --clipping ids, a tag and
       [--clipping ID]... [--title T]     the tags below it, a search; nothing named: every clipped
       [--group article|tag|source|date]  article); --group sections a clip book (html, pdf, md, txt);
       [--layout clipbook|per-article]    --layout per-article writes one Markdown file per article
       [--speakers] [--force]             into the folder --out; --speakers names who said each quote;
                                          an existing file is replaced only with --force
  feeds [list] | add <url> | refresh [<feed-id>] | remove <feed-id>
                                          RSS and Atom subscriptions; refresh imports new items
${BACKUP_USAGE}

Options:
  --library DIR   the library folder (default: the app's own library)
  --json          print one JSON document and nothing else
  --empty         a library created by this command starts empty (no sample article)
  -h, --help      this help`;

const COMMANDS = ['import', 'list', 'show', 'clip', 'revise', 'labels', 'tags', 'export', 'feeds', 'search', 'backup', 'restore'];

class UsageError extends Error {}

type Io = { out: (line: string) => void; err: (line: string) => void };

export async function main(argv: string[], io: Io = { out: console.log, err: console.error }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        library: { type: 'string' },
        json: { type: 'boolean', default: false },
        quote: { type: 'string' },
        note: { type: 'string' },
        tag: { type: 'string', multiple: true },
        label: { type: 'string', multiple: true },
        source: { type: 'string', multiple: true },
        from: { type: 'string' },
        to: { type: 'string' },
        state: { type: 'string', multiple: true },
        'has-clippings': { type: 'boolean' },
        limit: { type: 'string' },
        'text-file': { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        query: { type: 'string' },
        clipping: { type: 'string', multiple: true },
        group: { type: 'string' },
        layout: { type: 'string' },
        title: { type: 'string' },
        speakers: { type: 'boolean' },
        force: { type: 'boolean' },
        replace: { type: 'boolean' },
        empty: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    io.err(`cuttings: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || !command) {
    (values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    if (!COMMANDS.includes(command)) throw new UsageError(`unknown command "${command}"`);
    // Before a library is opened: a restore must find its folder as it is (opening would create and seed one).
    if (command === 'backup' || command === 'restore') return await backupCommand(command, args, values, libraryDir(values.library), io);
    const library = await Library.open(libraryDir(values.library), { ...(values.empty ? {} : { seedDir: SEED_DIR }), search: command === 'search' || (command === 'export' && values.query !== undefined), purpose: `the command \`cuttings ${command}\`` });
    for (const problem of library.problems) io.err(`warning: ${problem}`);
    try {
      return await run(library, command, args, values, io);
    } finally {
      await library.close();
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof ExportUsageError) {
      io.err(`cuttings: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof LibraryError) {
      io.err(`cuttings: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

async function run(library: Library, command: string, args: string[], values: Values, io: Io): Promise<number> {
    switch (command) {
      case 'import':
        return await importCommand(library, args, io);
      case 'list':
        return await listCommand(library, values.json === true, io);
      case 'search':
        return await searchCommand(library, args, values, io);
      case 'show':
        return await showCommand(library, one(args, 'show <article-id>'), values.json === true, io);
      case 'clip':
        return await clipCommand(library, one(args, 'clip <article-id>'), values, io);
      case 'revise':
        return await reviseCommand(library, one(args, 'revise <article-id>'), values, io);
      case 'labels':
        return labelsCommand(library, values.json === true, io);
      case 'tags':
        return await tagsCommand(library, args, values.json === true, io);
      case 'export':
        return await exportCommand(library, args, values, io);
      case 'feeds':
        return await feedsCommand(library, args, values.json === true, io);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
}

/** Consecutive runs of items with the same kind, in order. */
function groupRuns<T>(items: T[], kind: (item: T) => boolean): [boolean, T[]][] {
  const runs: [boolean, T[]][] = [];
  for (const item of items) {
    const k = kind(item);
    const last = runs.at(-1);
    if (last && last[0] === k) last[1].push(item);
    else runs.push([k, [item]]);
  }
  return runs;
}

async function feedsCommand(library: Library, args: string[], json: boolean, io: Io): Promise<number> {
  const [verb, arg] = args;
  const show = (f: FeedSummary) =>
    io.out(`${f.id}  ${f.title}  ${f.url}  last refresh ${f.lastRefresh ?? 'never'}${f.lastError ? `  error: ${f.lastError}` : ''}`);
  switch (verb) {
    case 'list':
    case undefined: {
      const feeds = library.listFeeds();
      if (json) io.out(JSON.stringify(feeds, null, 2));
      else if (feeds.length === 0) io.out('(no feeds)');
      else feeds.forEach(show);
      return 0;
    }
    case 'add': {
      if (!arg) throw new UsageError('feeds add needs a feed URL');
      const feed = await library.addFeed(arg);
      if (json) io.out(JSON.stringify(feed, null, 2));
      else io.out(`added ${feed.id} ${feed.title}`);
      return 0;
    }
    case 'refresh': {
      const ids = arg ? [arg] : library.listFeeds().map((f) => f.id);
      let failed = 0;
      for (const id of ids) {
        const { feed, outcomes } = await library.refreshFeed(id);
        for (const o of outcomes) {
          if (o.status === 'failed') {
            failed++;
            io.out(`failed ${o.path} ${o.reason}`);
          } else io.out(`${o.status} ${o.id} ${o.title}`);
        }
        io.out(`refreshed ${feed.id} ${feed.title}: ${outcomes.filter((o) => o.status === 'imported').length} new`);
      }
      return failed > 0 ? 1 : 0;
    }
    case 'remove': {
      if (!arg) throw new UsageError('feeds remove needs a feed id');
      const feed = await library.removeFeed(arg);
      io.out(`removed ${feed.id} ${feed.title}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown feeds command "${verb}"`);
  }
}

function libraryDir(flag: string | undefined): string {
  if (flag) return resolve(flag);
  if (process.env.CUTTINGS_LIBRARY) return resolve(process.env.CUTTINGS_LIBRARY);
  const userData = userDataDir();
  return openNodeSettings(userData).get().libraryDir ?? defaultLibraryDir(userData);
}

function one(args: string[], usage: string): string {
  if (args.length !== 1 || !args[0]) throw new UsageError(`expected ${usage}`);
  return args[0];
}

async function importCommand(library: Library, paths: string[], io: Io): Promise<number> {
  if (paths.length === 0) throw new UsageError('import needs at least one file or folder');
  let failed = 0;
  // Ctrl+C stops starting new items; those under way finish and are reported.
  const stop = new AbortController();
  const interrupt = () => stop.abort();
  process.once('SIGINT', interrupt);
  try {
    const print = (o: ImportOutcome) => {
      if (o.status === 'failed') {
        failed++;
        io.out(`failed ${o.path} ${o.reason}`);
      } else io.out(`${o.status} ${o.id} ${o.title}`);
    };
    // Web addresses are fetched (with their images); everything else is a file or folder.
    for (const [isUrl, group] of groupRuns(paths, (p) => /^https?:\/\//i.test(p))) {
      if (stop.signal.aborted) break;
      if (isUrl) for (const url of group) print(await library.importUrl(url, { signal: stop.signal }));
      else await library.importPaths(group, { signal: stop.signal, onOutcome: print });
    }
  } finally {
    process.off('SIGINT', interrupt);
  }
  if (stop.signal.aborted) {
    io.err('cuttings: import interrupted; the items listed above were handled, the rest were not started');
    return 130;
  }
  return failed > 0 ? 1 : 0;
}

async function searchCommand(library: Library, args: string[], values: Values, io: Io): Promise<number> {
  const query = args.join(' ');
  const states = values.state ?? [];
  for (const s of states) if (!(READING_STATES as readonly string[]).includes(s)) throw new UsageError(`--state is one of ${READING_STATES.join(', ')}, not "${s}"`);
  for (const [name, date] of [['--from', values.from], ['--to', values.to]] as const) {
    if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new UsageError(`${name} takes a date as YYYY-MM-DD, not "${date}"`);
  }
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit is a whole number from 1 to 1000');
  if (query.length > 500) throw new UsageError('the query is longer than 500 characters');
  const filters: SearchFilters = {
    ...(values.tag?.length ? { tags: values.tag } : {}),
    ...(values.label?.length ? { labels: values.label.map((l) => findLabel(library, l)) } : {}),
    ...(values.source?.length ? { sources: values.source } : {}),
    ...(values.from || values.to ? { published: { ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}) } } : {}),
    ...(states.length ? { readingStates: states as ReadingState[] } : {}),
    ...(values['has-clippings'] !== undefined ? { hasClippings: values['has-clippings'] } : {}),
  };
  if (!query.trim() && Object.keys(filters).length === 0) throw new UsageError('search needs a query or a filter');
  // A first search builds the index (it is saved with the library): wait for all of it.
  await library.searchIdle();
  const results = await library.search(query, { filters, limit });
  if (values.json) {
    io.out(JSON.stringify(results, null, 2));
    return 0;
  }
  const marked = (s: { text: string; ranges: [number, number][]; cutBefore: boolean; cutAfter: boolean } | null) => {
    if (!s) return '';
    let out = '';
    let at = 0;
    for (const [a, b] of s.ranges) {
      out += `${s.text.slice(at, a)}[${s.text.slice(a, b)}]`;
      at = b;
    }
    return `${s.cutBefore ? '…' : ''}${out}${s.text.slice(at)}${s.cutAfter ? '…' : ''}`.replace(/\s+/g, ' ');
  };
  io.out(`Articles: ${results.totals.articles}${results.approximate ? ' (at most)' : ''}`);
  for (const a of results.articles) io.out(`  ${a.articleId}  ${a.title}\n      ${marked(a.snippet)}`);
  io.out(`Clippings: ${results.totals.clippings}${results.approximate ? ' (at most)' : ''}`);
  for (const c of results.clippings) io.out(`  ${c.clippingId}  ${c.label}  in “${c.articleTitle}” (${c.articleId})\n      ${c.field}: ${marked(c.snippet)}`);
  return 0;
}

async function listCommand(library: Library, json: boolean, io: Io): Promise<number> {
  const articles = await library.listArticles();
  if (json) {
    io.out(JSON.stringify(articles, null, 2));
    return 0;
  }
  for (const a of articles) {
    const tags = a.tags.length ? `  [${a.tags.join(', ')}]` : '';
    io.out(`${a.id}  ${a.published ?? '          '}  ${a.source ?? '-'}  ${a.clippingCount} clip${a.clippingCount === 1 ? '' : 's'}  ${a.title}${tags}`);
  }
  if (articles.length === 0) io.out('(the library is empty)');
  return 0;
}

/**
 * A clipping with its anchoring spelled out (`anchored` when the record has
 * no anchor: it never moved), its selectors, and the W3C Web Annotation it is.
 */
function withSelectors(c: Clipping, article: Pick<Article, 'id' | 'url'>, labels: readonly Label[]) {
  return {
    ...c,
    anchor: c.anchor ?? { state: 'anchored' },
    selectors: [
      { type: 'TextQuoteSelector', ...c.target.quote },
      { type: 'TextPositionSelector', ...c.target.position },
    ],
    annotation: clippingToAnnotation(c, article, labels.find((l) => l.id === c.label)),
  };
}

async function showCommand(library: Library, id: string, json: boolean, io: Io): Promise<number> {
  const detail: ArticleDetail = await library.getArticle(id);
  const names = new Map(library.labels().map((l) => [l.id, l.name]));
  const labelName = (label: string) => names.get(label) ?? label;
  if (json) {
    const { quotes, suggestions } = await library.analyseArticle(id);
    const clippings = detail.clippings.map((c) => withSelectors(c, detail.article, library.labels()));
    io.out(JSON.stringify({ ...detail, clippings, quotes, suggestedTags: suggestions }, null, 2));
    return 0;
  }
  const a = detail.article;
  io.out(a.title);
  for (const [k, v] of [
    ['id', a.id],
    ['source', a.source],
    ['dateline', a.dateline],
    ['published', a.published],
    ['tags', a.tags.join(', ') || null],
    ['words', String(a.wordCount)],
  ] as const) {
    if (v) io.out(`${k.padEnd(10)}${v}`);
  }
  io.out('');
  io.out(detail.text);
  io.out('');
  io.out(`${detail.clippings.length} clipping${detail.clippings.length === 1 ? '' : 's'}`);
  for (const c of detail.clippings) {
    io.out(`- ${c.id} [${labelName(c.label)}] ${c.target.position.start}-${c.target.position.end} ${anchorText(c)}"${c.target.quote.exact}"`);
    if (c.note) io.out(`  note: ${c.note}`);
    if (c.tags.length) io.out(`  tags: ${c.tags.join(', ')}`);
  }
  return 0;
}

function anchorText(c: Clipping): string {
  if (c.anchor?.state === 'orphan') return '(orphan: its words are gone from this version) ';
  if (c.anchor?.state === 'reanchored') return `(re-attached, confidence ${c.anchor.confidence ?? 1}) `;
  return '';
}

type Values = {
  quote?: string;
  note?: string;
  tag?: string[];
  label?: string[];
  source?: string[];
  from?: string;
  to?: string;
  state?: string[];
  'has-clippings'?: boolean;
  limit?: string;
  'text-file'?: string;
  format?: string;
  out?: string;
  query?: string;
  clipping?: string[];
  group?: string;
  layout?: string;
  title?: string;
  speakers?: boolean;
  force?: boolean;
  json?: boolean;
};

const READING_STATES = ReadingStateSchema.options;

/** A label by id or by name (any case), as a person would type it. */
function findLabel(library: Library, wanted: string | undefined): string {
  const labels = library.labels();
  if (wanted === undefined) return (labels[0] as (typeof labels)[number]).id;
  const folded = wanted.trim().toLocaleLowerCase();
  const label = labels.find((l) => l.id === wanted || l.name.toLocaleLowerCase() === folded);
  if (!label) throw new UsageError(`--label must be one of ${labels.map((l) => l.name).join(', ')}`);
  return label.id;
}

async function tagsCommand(library: Library, args: string[], json: boolean, io: Io): Promise<number> {
  const [verb, ...rest] = args;
  const changed = (what: string, undo: { articles: unknown[]; clippings: unknown[] }) =>
    io.out(`${what}: ${undo.articles.length} article${undo.articles.length === 1 ? '' : 's'}, ${undo.clippings.length} clipping${undo.clippings.length === 1 ? '' : 's'}`);
  switch (verb) {
    case undefined:
    case 'list': {
      const tags = await library.tagCounts();
      if (json) io.out(JSON.stringify(tags, null, 2));
      else if (tags.length === 0) io.out('(no tags)');
      else for (const t of tags) io.out(`${t.tag}  ${t.articles} article${t.articles === 1 ? '' : 's'}, ${t.clippings} clipping${t.clippings === 1 ? '' : 's'}`);
      return 0;
    }
    case 'rename': {
      if (rest.length !== 2) throw new UsageError('tags rename needs <from> <to>');
      changed(`renamed ${rest[0]} to ${rest[1]}`, await library.renameTag(rest[0] as string, rest[1] as string));
      return 0;
    }
    case 'delete': {
      if (rest.length !== 1) throw new UsageError('tags delete needs <tag>');
      changed(`deleted ${rest[0]}`, await library.deleteTag(rest[0] as string));
      return 0;
    }
    default:
      throw new UsageError(`unknown tags command "${verb}"`);
  }
}

function labelsCommand(library: Library, json: boolean, io: Io): number {
  const labels = library.labels();
  if (json) io.out(JSON.stringify(labels, null, 2));
  else for (const l of labels) io.out(`${l.id.padEnd(16)}${l.color.padEnd(8)}${l.name}`);
  return 0;
}

async function reviseCommand(library: Library, id: string, values: Values, io: Io): Promise<number> {
  const path = values['text-file'];
  if (!path) throw new UsageError('revise needs --text-file PATH');
  let bytes: Buffer;
  try {
    bytes = await readFile(resolve(path));
  } catch (e) {
    throw new LibraryError('io', `Could not read ${path}: ${(e as Error).message}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new LibraryError('invalid-input', `${path} is not UTF-8 text; article ${id} was left as it was`);
  }
  const detail = await library.reviseArticle(id, text);
  if (values.json) {
    io.out(JSON.stringify({ ...detail, clippings: detail.clippings.map((c) => withSelectors(c, detail.article, library.labels())) }, null, 2));
    return 0;
  }
  const counts = { anchored: 0, reanchored: 0, orphan: 0 };
  for (const c of detail.clippings) counts[c.anchor?.state ?? 'anchored']++;
  io.out(`revised ${id}: ${detail.clippings.length} clipping${detail.clippings.length === 1 ? '' : 's'}, ${counts.anchored} in place, ${counts.reanchored} re-attached, ${counts.orphan} orphaned`);
  for (const c of detail.clippings) if (c.anchor && c.anchor.state !== 'anchored') io.out(`- ${c.id} ${anchorText(c)}"${c.target.quote.exact}"`);
  return 0;
}

async function clipCommand(library: Library, id: string, values: Values, io: Io): Promise<number> {
  if (!values.quote) throw new UsageError('clip needs --quote "<exact text>"');
  if ((values.label?.length ?? 0) > 1) throw new UsageError('clip takes one --label');
  const label = findLabel(library, values.label?.[0]);
  const { text } = await library.getArticle(id);
  const start = text.indexOf(values.quote);
  if (start < 0) throw new LibraryError('not-found', `The quote was not found in article ${id}`);
  const clipping = await library.createClipping({
    articleId: id,
    start,
    end: start + values.quote.length,
    exact: values.quote,
    label,
    note: values.note ?? '',
    tags: values.tag ?? [],
  });
  if (values.json) io.out(JSON.stringify(withSelectors(clipping, await library.getSummary(id), library.labels()), null, 2));
  else io.out(`clipped ${clipping.id} ${clipping.target.position.start}-${clipping.target.position.end} in ${id}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error('cuttings: unexpected error:', e);
      process.exitCode = 1;
    },
  );
}

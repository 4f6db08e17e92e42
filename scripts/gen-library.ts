/**
 * Writes a generated library folder (the search benchmark's articles and
 * clippings) as Cuttings stores one: manifest, and per article its record
 * and body. Written directly, not imported: importing 100,000 files would
 * take minutes and measure the importer. Used by `bench -- search` to time
 * opening a large library, and by hand:
 *   npx tsx scripts/gen-library.ts DIR [N]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArticleRecordSchema, ARTICLE_FILE, ARTICLES_DIR, BODY_FILE, MANIFEST_FILE, SCHEMA_VERSION, type ArticleRecord } from '../electron/library/storage/records';
import { CATALOG_CACHE_FILE, encodeCatalogCache, headOf, type ArticleHead } from '../electron/library/storage/catalog-cache';
import { countWords, dedupKey, quoteSelector, sha256 } from '../electron/library/text';
import type { Block } from '../electron/library/model';
import { corpusSentences, generateLibrary } from './bench-search';

/**
 * With `cache`, also the catalog cache a closed library would have left (as
 * if the library had been opened and closed once by the app).
 */
export function writeGeneratedLibrary(dir: string, n: number, lib = generateLibrary(n, corpusSentences()), options: { cache?: boolean } = {}): ReturnType<typeof generateLibrary> {
  const heads: ArticleHead[] = [];
  mkdirSync(join(dir, ARTICLES_DIR), { recursive: true });
  const stamp = '2025-01-01T00:00:00.000Z';
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ format: 'cuttings-library', schemaVersion: SCHEMA_VERSION, createdAt: stamp, seededAt: stamp }) + '\n');
  for (let i = 0; i < n; i++) {
    const { article: a, clippings } = lib.entries[i]!;
    const text = lib.text(i);
    const textHash = sha256(text);
    // Keep the generator's entries in step with what is written (the search benchmark compares against them).
    a.textHash = textHash;
    const blocks: Block[] = text.split('\n\n').map((p) => ({ kind: 'paragraph', text: p }));
    const record: ArticleRecord = {
      schemaVersion: SCHEMA_VERSION,
      article: {
        id: a.id,
        title: a.title || 'Untitled',
        source: a.source,
        byline: a.byline,
        published: a.published,
        dateline: null,
        url: `https://news.example/${a.id}`,
        language: 'en',
        dir: null,
        tags: a.tags,
        readingState: a.readingState,
        importedAt: stamp,
        updatedAt: a.updatedAt,
        textHash,
        dedupHash: sha256(dedupKey(text)),
        wordCount: countWords(text),
        origin: { kind: 'news-text', name: `${a.id}.txt` },
      },
      clippings: clippings.map((c) => ({
        id: c.id,
        articleId: a.id,
        target: { quote: quoteSelector(text, c.target.position.start, c.target.position.end), position: c.target.position },
        label: c.label,
        note: c.note,
        tags: c.tags,
        createdAt: stamp,
        updatedAt: c.updatedAt,
      })),
      versions: [],
      identity: null,
    };
    if (i === 0) ArticleRecordSchema.parse(record); // the shape is the real one
    if (options.cache) heads.push(headOf(record));
    const folder = join(dir, ARTICLES_DIR, a.id);
    mkdirSync(folder);
    writeFileSync(join(folder, ARTICLE_FILE), JSON.stringify(record) + '\n');
    writeFileSync(join(folder, BODY_FILE), JSON.stringify({ schemaVersion: SCHEMA_VERSION, textHash, blocks }) + '\n');
  }
  if (options.cache) writeFileSync(join(dir, CATALOG_CACHE_FILE), encodeCatalogCache({ seq: 0, heads, problems: [] }));
  return lib;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, n] = process.argv.slice(2);
  if (!dir) throw new Error('usage: gen-library.ts DIR [N]');
  const t = performance.now();
  writeGeneratedLibrary(dir, Number(n ?? 10_000), undefined, { cache: true });
  console.log(`wrote ${n ?? 10_000} articles to ${dir} in ${(performance.now() - t).toFixed(0)} ms`);
}

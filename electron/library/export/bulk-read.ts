/**
 * Many articles' records and texts at once, for an export of thousands.
 *
 * Library.getArticle reads two small files per article through fs/promises
 * (open, stat, read, close: four trips to the thread pool and their
 * promises) and indexes the record it read; for 5,000 articles that was
 * 2–3 s of CPU, most of an export's budget, against about 1 s for the same
 * files read synchronously, parsed and validated. So a bulk export reads
 * them here, after `library.flush()` has put every acknowledged change in
 * place (the files are then the library's state; a change made while the
 * export runs may or may not be in it, as with any read spread over time).
 *
 * Nothing is trusted that the library would not trust: each record is
 * validated (and migrated) with the library's own schema, each text checked
 * against the record's SHA-256. Any article that does not read cleanly here
 * (missing, damaged, changed between its two files) is read through
 * Library.getArticle instead, which reports it as the library does.
 *
 * Reads go in slices with a turn of the event loop between them, so that
 * the app's main process keeps answering while a large export runs.
 *
 * This belongs in the library itself (a bulk read through its Store); until
 * it has one, this is the one place outside it that knows the folder layout.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Library } from '../library';
import { BLOCK_SEPARATOR, type ArticleDetail, type Block } from '../model';
import { parseStored } from '../storage/atomic-file';
import { ARTICLES_DIR, ARTICLE_FILE, BODY_FILE, BodyRecordSchema, versioned } from '../storage/records';
import { readArticleRecord } from '../storage/article-record';

/** Articles read between two turns of the event loop (some tens of milliseconds). */
const SLICE = 50;

const validBody = versioned(BodyRecordSchema);

/** An article as an export needs it: its text is made from its blocks when wanted. */
export type ArticleBody = Pick<ArticleDetail, 'article' | 'blocks' | 'clippings'>;

export async function readArticlesInBulk(library: Library, ids: readonly string[], take: (id: string, detail: ArticleBody) => void): Promise<void> {
  await library.flush();
  for (let at = 0; at < ids.length; at += SLICE) {
    for (const id of ids.slice(at, at + SLICE)) take(id, readDirect(library.dir, id) ?? (await library.getArticle(id)));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** SHA-256 of the canonical text (the blocks' text joined by blank lines), without making the text. */
function textHash(blocks: readonly Block[]): string {
  const hash = createHash('sha256');
  for (const [i, block] of blocks.entries()) {
    if (i > 0) hash.update(BLOCK_SEPARATOR, 'utf8');
    hash.update(block.text, 'utf8');
  }
  return hash.digest('hex');
}

/** The article as its files hold it, or null when they do not read cleanly (the library then reads it, and says why). */
function readDirect(dir: string, id: string): ArticleBody | null {
  try {
    const folder = join(dir, ARTICLES_DIR, id);
    const recordPath = join(folder, ARTICLE_FILE);
    const record = readArticleRecord(readFileSync(recordPath, 'utf8'), recordPath, id);
    const bodyPath = join(folder, BODY_FILE);
    const { blocks } = parseStored(readFileSync(bodyPath, 'utf8'), bodyPath, validBody);
    if (textHash(blocks) !== record.article.textHash) return null;
    return {
      article: { ...record.article, clippingCount: record.clippings.length },
      blocks,
      clippings: [...record.clippings].sort((a, b) => a.target.position.start - b.target.position.start),
    };
  } catch {
    return null;
  }
}

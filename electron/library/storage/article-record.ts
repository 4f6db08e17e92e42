/**
 * An article's record as read from its file: validated with the record
 * schema, brought up to date by the versioned migrations, and about the
 * article whose folder holds it. The library, the bulk reader of exports and
 * the restore from backups all read records this one way.
 */
import { LibraryError } from '../errors';
import { parseStored } from './atomic-file';
import { ARTICLE_RECORD_MIGRATIONS } from './migrations';
import { ArticleRecordSchema, versioned, type ArticleRecord } from './records';

export const validArticleRecord = versioned(ArticleRecordSchema, ARTICLE_RECORD_MIGRATIONS);

export function readArticleRecord(raw: string, fullPath: string, id: string): ArticleRecord {
  const record = parseStored(raw, fullPath, validArticleRecord);
  if (record.article.id !== id) throw new LibraryError('corrupt', `${fullPath} holds article ${record.article.id}, not ${id}`);
  return record;
}

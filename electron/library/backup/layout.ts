/**
 * What a library folder holds, as far as a backup is concerned: the files
 * that are the library (kept), the files derived from them or belonging to
 * a running process (left out, rebuilt or re-made when the library is
 * opened), and anything else (left out and reported).
 *
 * A restore accepts exactly the kept names: a backup naming anything else
 * (a path outside the folder, a name of our layout with `..` in it, a file
 * we do not know) is refused whole, before anything is written.
 */
import { MANIFEST_FILE } from '../storage/records';
import { LABELS_FILE } from '../labels';
import { FEEDS_FILE } from '../feeds';
import { COMPOSITIONS_FILE } from '../compositions';

const ID = '[A-Za-z0-9_-]{1,64}';

const KEPT: readonly RegExp[] = [
  new RegExp(`^(?:${[MANIFEST_FILE, LABELS_FILE, FEEDS_FILE, COMPOSITIONS_FILE].map((n) => n.replace('.', '\\.')).join('|')})$`),
  new RegExp(`^articles/${ID}/(?:article|body)\\.json$`),
  new RegExp(`^articles/${ID}/versions/[0-9a-f]{64}\\.json$`),
  // As Library.readAttachment and attachment() name images.
  new RegExp(`^articles/${ID}/images/[A-Za-z0-9_-]{1,80}\\.[a-z0-9]{1,5}$`),
  // The user's export templates (export/templates.ts: USER_TEMPLATES_DIR), one level, plain names.
  /^templates\/[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/,
];

/**
 * Derived or per-process: the catalog cache and its change markers, the
 * search index (all rebuilt from the records), a journal (a backup is
 * taken after a checkpoint: there is none), the lock, temp files, and the
 * catalog's rotating backups (copies of records the backup itself holds).
 */
const DERIVED: readonly RegExp[] = [
  /^catalog\.cache$/,
  /^backups(?:\/|$)/,
  /^changes(?:\/|$)/,
  /^search(?:\/|$)/,
  /^journal-\d+\.jsonl$/,
  /^cuttings\.lock(?:\.|$)/,
  /(?:^|\/)\.[^/]*$/, // hidden files: temp files of atomic writes (.x.tmp), .DS_Store
  /\.tmp$/,
];

/** A relative path with `/` separators. */
export function isKept(name: string): boolean {
  return !name.split('/').some((part) => part === '' || part === '.' || part === '..') && KEPT.some((re) => re.test(name));
}

export function isDerived(name: string): boolean {
  return DERIVED.some((re) => re.test(name));
}

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExport, type ExportOptions } from '../../electron/library/export';
import { FIXED_NOW, exportLibrary } from './helpers/export-fixtures';
import { ROOT } from './helpers/temp';

/**
 * Golden folders: tests/golden/export/<case>/ holds case.json (the export
 * options; the library is always the fixture library of
 * helpers/export-fixtures.ts) and one expected file per file exported
 * (expected.<name>). The library's ids are made anew each run, so they are
 * written as ARTICLE-n and CLIPPING-n, numbered in the order they appear.
 * Adding a case is adding a folder; UPDATE_GOLDEN=1 writes the expected
 * files of a case that has none (read them before committing).
 */
const GOLDEN = join(ROOT, 'tests', 'golden', 'export');

type Case = { options: ExportOptions };

describe('export golden cases', () => {
  for (const name of readdirSync(GOLDEN)) {
    it(`exports ${name} as its expected files say`, async () => {
      const dir = join(GOLDEN, name);
      const { options } = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as Case;
      const fixture = await exportLibrary();
      const { files } = await runExport(fixture.library, {}, options, { now: FIXED_NOW });
      // The library's ids, known, each replaced by a name numbered in order of first appearance.
      const kinds = new Map<string, string>();
      for (const a of await fixture.library.listArticles()) {
        kinds.set(a.id, 'ARTICLE');
        for (const c of (await fixture.library.getArticle(a.id)).clippings) kinds.set(c.id, 'CLIPPING');
      }
      const any = new RegExp([...kinds.keys()].join('|'), 'g');
      const stable = (text: string) => {
        const names = new Map<string, string>();
        const counts = new Map<string, number>();
        return text.replace(any, (id) => {
          let named = names.get(id);
          if (!named) {
            const kind = kinds.get(id) as string;
            counts.set(kind, (counts.get(kind) ?? 0) + 1);
            names.set(id, (named = `${kind}-${counts.get(kind)}`));
          }
          return named;
        });
      };
      const expected = readdirSync(dir).filter((f) => f.startsWith('expected.'));
      if (process.env.UPDATE_GOLDEN && expected.length === 0) {
        for (const f of files) writeFileSync(join(dir, `expected.${f.name}`), stable(f.data as string));
        return;
      }
      expect(files.map((f) => `expected.${f.name}`).sort()).toEqual(expected.sort());
      for (const f of files) expect(stable(f.data as string), f.name).toBe(readFileSync(join(dir, `expected.${f.name}`), 'utf8'));
    });
  }
});

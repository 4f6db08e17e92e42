import { LibraryError } from '../errors';

/**
 * Schema migrations, one step per version: `steps[n]` turns a file of
 * version n into version n + 1. A kind of file that did not change in a
 * version needs no step (its version number is simply raised). Every step
 * has a test in tests/unit/migrations.test.ts that reads a file as the older
 * Cuttings wrote it.
 */
export type Migrations = Readonly<Record<number, (value: Record<string, unknown>) => Record<string, unknown>>>;

export function migrate(value: unknown, from: number, to: number, steps: Migrations, path: string): unknown {
  if (from < 1 || !Number.isInteger(from) || typeof value !== 'object' || value === null) return value; // left to the schema to refuse
  let current = value as Record<string, unknown>;
  for (let version = from; version < to; version++) {
    const step = steps[version];
    try {
      current = { ...(step ? step(current) : current), schemaVersion: version + 1 };
    } catch (e) {
      throw new LibraryError('corrupt', `${path} could not be brought from schema ${version} to ${version + 1} (${e instanceof Error ? e.message : String(e)}); it was left untouched`);
    }
  }
  return current;
}

/**
 * Version 1 → 2: a clipping had a colour (yellow, green, blue, pink,
 * orange); it now has a label, and labels carry the colour. Each old colour
 * becomes the default label drawn in that colour, so nothing changes on screen.
 */
const LABEL_FOR_V1_COLOR: Readonly<Record<string, string>> = {
  yellow: 'quote',
  green: 'fact',
  pink: 'claim',
  blue: 'background',
  orange: 'follow-up',
};

export const ARTICLE_RECORD_MIGRATIONS: Migrations = {
  1: (record) => {
    const clippings = record.clippings;
    if (!Array.isArray(clippings)) return record;
    return {
      ...record,
      clippings: clippings.map((c: unknown) => {
        if (typeof c !== 'object' || c === null) return c;
        const { color, ...rest } = c as Record<string, unknown>;
        if ('label' in rest) return rest;
        const label = typeof color === 'string' ? LABEL_FOR_V1_COLOR[color] : undefined;
        if (!label) throw new Error(`a clipping has the unknown colour ${JSON.stringify(color)}`);
        return { ...rest, label };
      }),
    };
  },
};

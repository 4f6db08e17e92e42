/**
 * Property-based fuzz of every IPC channel (fast-check): malformed,
 * oversized and hostile payloads, and requests from frames other than the
 * app's own main frame. Every answer must be an envelope with a typed error
 * (never `internal`, never a thrown exception), nothing may be polluted,
 * and the library's files must be exactly as they were.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Library } from '../../electron/library';
import { CHANNELS, requests, type Channel, type Envelope } from '../../electron/ipc/contract';
import { createHandlers } from '../../electron/ipc/handlers';
import { createRouter, type Sender } from '../../electron/ipc/router';
import { isTrustedSender } from '../../electron/app/trust-policy';
import { MemorySettings } from '../../electron/settings/settings';
import { SEED_DIR, snapshot, tempDir } from './helpers/temp';

const APP: Sender = { isMainFrame: true, url: 'cuttings://app/index.html' };
const RUNS_PER_CHANNEL = 60;
const ERROR_CODES = new Set(['unknown-channel', 'forbidden-sender', 'invalid-payload', 'not-found', 'invalid-input', 'conflict', 'not-a-library', 'newer-schema', 'corrupt', 'io', 'locked']);

/** One huge string, shared: built once, offered to every field. */
const HUGE = 'A'.repeat(8 * 1024 * 1024);

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '../../../etc/passwd',
    '/etc/passwd',
    'C:\\Windows\\system32',
    '..',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'http://127.0.0.1:1/',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '\u0000',
    '\uFEFF\u202E',
    '__proto__',
    'constructor',
    'prototype',
    '%00',
    '${7*7}',
    '{{7*7}}',
    'aaaaaaaaaaaa',
    HUGE,
  ),
);
const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, -1, 0, 2 ** 53, -(2 ** 31), 1e308));
const hostileLeaf = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt());
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, hostileLeaf, fc.array(tie('value'), { maxLength: 5 }), fc.dictionary(hostileString, tie('value'), { maxKeys: 4 })),
})).value;

/** A payload shaped like the channel's request (its own keys) with hostile values, or anything at all. */
function payloadFor(channel: Channel): fc.Arbitrary<unknown> {
  const schema = requests[channel] as z.ZodType;
  const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape as Record<string, unknown>) : [];
  const shaped = keys.length
    ? fc.record(Object.fromEntries(keys.map((k) => [k, hostileValue])), { requiredKeys: [] })
    : fc.constant({});
  return fc.oneof(
    { weight: 3, arbitrary: shaped },
    { weight: 2, arbitrary: fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withObjectString: true, withBoxedValues: true }) },
    { weight: 1, arbitrary: fc.constantFrom(JSON.parse('{"__proto__":{"polluted":true}}'), { constructor: { prototype: { polluted: true } } }, deepNest(2_000), wideObject(20_000), new Array(200_000).fill('x')) },
  );
}

function deepNest(depth: number): unknown {
  let v: unknown = {};
  for (let i = 0; i < depth; i++) v = { a: v, items: [v] };
  return v;
}

function wideObject(n: number): Record<string, number> {
  const o: Record<string, number> = {};
  for (let i = 0; i < n; i++) o[`k${i}`] = i;
  return o;
}

/** A failure named by its channel and the start of its payload (a counterexample may be megabytes long). */
function shortReport(channel: string) {
  return async (details: fc.RunDetails<[unknown]> | fc.RunDetails<[string, unknown]>) => {
    if (!details.failed) return;
    let shown: string;
    try {
      shown = String(JSON.stringify(details.counterexample, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).slice(0, 300);
    } catch {
      shown = '(unprintable)';
    }
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${channel}: ${error.slice(0, 1_000)}\npayload: ${shown}`);
  };
}

async function setup() {
  const dir = join(await tempDir(), 'library');
  const library = await Library.open(dir, { seedDir: SEED_DIR, search: true });
  const articleId = (await library.listArticles())[0]!.id;
  const { text } = await library.getArticle(articleId);
  await library.createClipping({ articleId, start: 0, end: 10, label: 'quote', note: 'a note', tags: ['kept'] });
  void text;
  await library.flush();
  const settings = new MemorySettings();
  const asked: string[] = [];
  const router = createRouter(
    createHandlers({
      library,
      settings,
      // Every dialog is cancelled and every question answered No: a payload alone can change nothing.
      dialogs: {
        chooseImportPaths: async () => null,
        chooseSavePath: async () => null,
        chooseFolder: async () => null,
        chooseBackup: async () => null,
        confirm: async (q) => {
          asked.push(q.message);
          return false;
        },
        openPath: async () => undefined,
      },
      events: { importProgress: () => undefined },
    }),
    { trusted: isTrustedSender },
  );
  return { dir, library, settings, router };
}

function checkEnvelope(channel: string, e: Envelope<unknown>): void {
  if (!e.ok) {
    expect(ERROR_CODES.has(e.error.code), `${channel}: code ${e.error.code}: ${e.error.message}`).toBe(true);
    expect(typeof e.error.message).toBe('string');
    // Nothing of an oversized payload is echoed back.
    expect(e.error.message.length).toBeLessThan(4_000);
  }
}

describe('IPC fuzz', () => {
  it(`every channel answers ${RUNS_PER_CHANNEL} hostile payloads with a typed error and leaves the library unchanged`, async () => {
    const { dir, library, settings, router } = await setup();
    let before = await snapshot(dir, { records: true });
    const settingsBefore = JSON.stringify(settings.get());
    let cases = 0;
    const answered: Record<string, number> = {};
    let valid = 0;
    for (const channel of CHANNELS) {
      let validHere = 0;
      await fc.assert(
        fc.asyncProperty(payloadFor(channel), async (payload) => {
          cases++;
          // A payload the channel's schema accepts is a real request (templates:open writes the default
          // templates, say): it may change what it asks to; every other payload must change nothing.
          if (requests[channel].safeParse(payload).success) validHere++;
          const e = await router.dispatch(channel, payload, APP);
          checkEnvelope(channel, e);
          const key = e.ok ? 'ok' : e.error.code;
          answered[key] = (answered[key] ?? 0) + 1;
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        }),
        { numRuns: RUNS_PER_CHANNEL, seed: 20261126, asyncReporter: shortReport(channel) },
      );
      await library.flush();
      if (validHere === 0) expect(await snapshot(dir, { records: true }), `after fuzzing ${channel}`).toEqual(before);
      else before = await snapshot(dir, { records: true });
      valid += validHere;
    }
    // Unknown channels, with any payload.
    await fc.assert(
      fc.asyncProperty(hostileString, hostileValue, async (channel, payload) => {
        cases++;
        const e = await router.dispatch(channel, payload, APP);
        if (!(CHANNELS as readonly string[]).includes(channel)) expect(e).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
        checkEnvelope(channel, e);
      }),
      { numRuns: 200, seed: 20261126, asyncReporter: shortReport('unknown channels') },
    );
    expect(JSON.stringify(settings.get())).toBe(settingsBefore);
    await library.flush();
    expect(await snapshot(dir, { records: true })).toEqual(before);
    console.log(`IPC fuzz: ${cases} cases over ${CHANNELS.length} channels (${valid} of them valid requests); answers ${JSON.stringify(answered)}`);
    await library.close();
  }, 300_000);

  it('refuses every channel from any frame but the app main frame, before reading the payload', async () => {
    const { dir, router, library } = await setup();
    const before = await snapshot(dir, { records: true });
    const strangers: Sender[] = [
      { isMainFrame: false, url: APP.url },
      { isMainFrame: true, url: 'https://evil.example/' },
      { isMainFrame: true, url: 'file:///etc/passwd' },
      { isMainFrame: true, url: 'cuttings://evil/index.html' },
      { isMainFrame: true, url: 'about:blank' },
      { isMainFrame: true, url: '' },
      { isMainFrame: false, url: 'data:text/html,<script>1</script>' },
    ];
    for (const channel of CHANNELS) {
      for (const sender of strangers) {
        const e = await router.dispatch(channel, {}, sender);
        expect(e, `${channel} from ${sender.url}`).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
      }
    }
    await library.flush();
    expect(await snapshot(dir, { records: true })).toEqual(before);
    await library.close();
  });
});

/**
 * The crash test's victim: opens the library, then applies changes chosen
 * by a seeded generator, one at a time. Before each it prints `begin <json>`
 * and once the library acknowledges it, `ack <json>` with what the change
 * did (ids made, tags set). stdout to a pipe is written synchronously on
 * Linux, so a line printed is a line the parent will read even if this
 * process is killed the next instant.
 *
 *   node child.mjs <library-dir> <seed> <changes>
 */
import { Library } from '../../electron/library';

type Ack =
  | { op: 'import'; id: string; marker: string }
  | { op: 'clip'; id: string; articleId: string; note: string; tags: string[] }
  | { op: 'note'; id: string; note: string }
  | { op: 'ctags'; id: string; tags: string[] }
  | { op: 'tags'; articleId: string; tags: string[] }
  | { op: 'del'; id: string }
  | { op: 'deltag'; tag: string }
  | { op: 'read'; articleId: string; state: 'unread' | 'reading' | 'read' | 'archived' };

const [dir, seedArg, countArg] = process.argv.slice(2);
let seed = Number(seedArg) >>> 0;
const rnd = (n: number) => {
  // mulberry32
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * n;
};
const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(rnd(items.length))];
const TAGS = ['economy', 'place/Syria', 'place/Kenya', 'people/Guterres', 'follow up', 'climate'];
const STATES = ['unread', 'reading', 'read', 'archived'] as const;

const print = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const library = await Library.open(dir as string, { purpose: 'the crash test' });
  print('ready');
  const count = Number(countArg);
  for (let i = 0; i < count; i++) {
    const articles = await library.listArticles();
    const withClippings = articles.filter((a) => a.clippingCount > 0);
    const roll = rnd(100);
    const step = `${seedArg}-${i}`;
    let ack: Ack;
    if (articles.length === 0 || roll < 15) {
      const marker = `crash-marker-${step}`;
      print(`begin ${JSON.stringify({ op: 'import' })}`);
      const text = `Article ${marker}\n\nThe first paragraph of ${marker} says something.\n\nA second paragraph, with "a quote to clip" in it, ${rnd(1e9).toFixed(0)}.`;
      const [outcome] = await library.importContent([{ name: `${marker}.txt`, bytes: Buffer.from(text) }]);
      if (outcome?.status !== 'imported') throw new Error(`import ${marker}: ${JSON.stringify(outcome)}`);
      ack = { op: 'import', id: outcome.id, marker };
    } else if (roll < 45 || withClippings.length === 0) {
      const article = pick(articles)!;
      const { text } = await library.getArticle(article.id);
      // A run of one to five words, as a reader would select.
      const words = [...text.matchAll(/\S+/g)];
      const first = Math.floor(rnd(words.length));
      const last = Math.min(words.length - 1, first + Math.floor(rnd(5)));
      const start = words[first]!.index;
      const end = words[last]!.index + words[last]![0].length;
      const note = `note ${step}`;
      print(`begin ${JSON.stringify({ op: 'clip', articleId: article.id })}`);
      const c = await library.createClipping({ articleId: article.id, start, end, label: 'quote', note, tags: [pick(TAGS)!] });
      ack = { op: 'clip', id: c.id, articleId: article.id, note, tags: c.tags };
    } else {
      const article = pick(withClippings)!;
      const { clippings } = await library.getArticle(article.id);
      const clip = pick(clippings)!;
      if (roll < 60) {
        const note = `edited ${step}`;
        print(`begin ${JSON.stringify({ op: 'note', id: clip.id })}`);
        await library.updateClipping(clip.id, { note });
        ack = { op: 'note', id: clip.id, note };
      } else if (roll < 70) {
        const tags = [pick(TAGS)!, pick(TAGS)!].filter((t, k, all) => all.indexOf(t) === k);
        print(`begin ${JSON.stringify({ op: 'ctags', id: clip.id })}`);
        ack = { op: 'ctags', id: clip.id, tags: (await library.updateClipping(clip.id, { tags })).tags };
      } else if (roll < 80) {
        const tags = [pick(TAGS)!];
        print(`begin ${JSON.stringify({ op: 'tags', articleId: article.id })}`);
        ack = { op: 'tags', articleId: article.id, tags: (await library.setArticleTags(article.id, tags)).tags };
      } else if (roll < 88) {
        const state = pick(STATES)!;
        print(`begin ${JSON.stringify({ op: 'read', articleId: article.id })}`);
        await library.setReading(article.id, { readingState: state });
        ack = { op: 'read', articleId: article.id, state };
      } else if (roll < 97) {
        print(`begin ${JSON.stringify({ op: 'del', id: clip.id })}`);
        await library.deleteClipping(clip.id);
        ack = { op: 'del', id: clip.id };
      } else {
        const tag = pick(TAGS)!;
        print(`begin ${JSON.stringify({ op: 'deltag', tag })}`);
        await library.deleteTag(tag);
        ack = { op: 'deltag', tag };
      }
    }
    print(`ack ${JSON.stringify(ack)}`);
  }
  await library.close();
  print('done');
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(3);
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { analyseText, detectQuotes, type QuoteFinding } from '../../electron/library/analysis';
import { blocksFromHtml } from '../../electron/library/import/html-blocks';
import { parseNewsText } from '../../electron/library/import/news-text';
import { canonicalText } from '../../electron/library/text';
import { ROOT, SEED_FILE, SHARED } from './helpers/temp';

const paragraphs = (...p: string[]) => p.join('\n\n');
const brief = (q: QuoteFinding) => ({ exact: q.exact, speaker: q.speaker, attribution: q.attribution });

function expectConsistent(text: string, found: readonly QuoteFinding[]) {
  for (const q of found) {
    expect(q.exact).toBe(text.slice(q.start, q.end));
    expect(q.exact).toBe(q.exact.trim());
  }
}

describe('the sample article', () => {
  const text = canonicalText(parseNewsText(readFileSync(SEED_FILE, 'utf8'))!.blocks);
  const found = detectQuotes(text);

  it('finds every direct quotation, each with its exact words and Antonio Guterres as speaker', () => {
    expect(found.map(brief)).toEqual([
      {
        exact: 'It has led to significant shifts in the frontlines. Tens of thousands of civilians are at risk in a region already on fire',
        speaker: 'Antonio Guterres',
        attribution: 'explicit',
      },
      {
        exact:
          'We are seeing the bitter fruits of a chronic collective failure of previous de-escalation arrangements to produce a genuine nationwide ceasefire or a serious political process to implement Security Council resolutions',
        speaker: 'Antonio Guterres',
        attribution: 'pronoun',
      },
      { exact: 'These must change.', speaker: 'Antonio Guterres', attribution: 'pronoun' },
      { exact: 'It is time for serious dialogue', speaker: 'Antonio Guterres', attribution: 'explicit' },
      {
        exact:
          "In other words, restoring Syria's sovereignty, unity, independence, and territorial integrity -- and meeting the legitimate aspirations of the Syrian people.",
        speaker: 'Antonio Guterres',
        attribution: 'explicit',
      },
      { exact: 'It breaks my heart', speaker: 'Antonio Guterres', attribution: 'pronoun' },
    ]);
    expectConsistent(text, found);
    expect(found.every((q) => !q.multiParagraph)).toBe(true);
  });

  it('gives the same quotations through analyseText', () => {
    expect(analyseText(text).quotes).toEqual(found);
  });
});

/**
 * Hand-checked pages: tests/golden/quotes/<case>.json names a Readability
 * test page and lists, in order, every quotation a reader finds in it (its
 * first words) with the speaker the detector must give. "reader" marks a
 * speaker a reader would name but the detector leaves null (a miss, never a
 * wrong name); "ignored" lists scare quotes and titles that must not be
 * found. Adding a case is adding a file.
 */
type GoldenQuote = { starts: string; speaker: string | null; reader?: string; multiParagraph?: boolean; why?: string };
type Golden = { source: string; note: string; ignored?: string[]; quotes: GoldenQuote[] };
const GOLDEN = join(ROOT, 'tests', 'golden', 'quotes');

function pageText(source: string): string {
  const html = readFileSync(join(SHARED, 'corpus', source), 'utf8');
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`) as unknown as { document: Document };
  return canonicalText(blocksFromHtml(document.body));
}

describe('hand-checked news pages', () => {
  for (const file of readdirSync(GOLDEN).filter((f) => f.endsWith('.json'))) {
    const golden = JSON.parse(readFileSync(join(GOLDEN, file), 'utf8')) as Golden;
    it(`finds the quotations of ${file.replace(/\.json$/, '')} with the speakers a reader names`, () => {
      const text = pageText(golden.source);
      const found = detectQuotes(text);
      expectConsistent(text, found);
      expect(found.map((q, i) => ({ starts: q.exact.slice(0, golden.quotes[i]?.starts.length ?? 40), speaker: q.speaker, multiParagraph: q.multiParagraph }))).toEqual(
        golden.quotes.map((g) => ({ starts: g.starts, speaker: g.speaker, multiParagraph: g.multiParagraph ?? false })),
      );
      for (const ignored of golden.ignored ?? []) expect(found.filter((q) => q.exact.startsWith(ignored))).toEqual([]);
    });
  }

  it('records a miss only as a null speaker, never as somebody else', () => {
    for (const file of readdirSync(GOLDEN).filter((f) => f.endsWith('.json'))) {
      const golden = JSON.parse(readFileSync(join(GOLDEN, file), 'utf8')) as Golden;
      for (const q of golden.quotes) if (q.reader !== undefined) expect(q.speaker).toBeNull();
    }
  });
});

describe('quotation marks', () => {
  const cases: { behaviour: string; text: string; exact: string[] }[] = [
    { behaviour: 'reads curly double quotation marks', text: 'She said: “We will rebuild the bridge.”', exact: ['We will rebuild the bridge.'] },
    { behaviour: 'reads straight double quotation marks', text: 'She said: "We will rebuild the bridge."', exact: ['We will rebuild the bridge.'] },
    { behaviour: 'reads curly single quotation marks', text: '‘It breaks my heart’ to see it, she said.', exact: ['It breaks my heart'] },
    { behaviour: 'reads straight single quotation marks', text: "'It breaks my heart' to see it, she said.", exact: ['It breaks my heart'] },
    { behaviour: 'reads guillemets', text: 'She said: «We will rebuild the bridge.»', exact: ['We will rebuild the bridge.'] },
    {
      behaviour: 'does not take apostrophes for quotation marks',
      text: "Don't tell Syria's neighbours about rock 'n' roll or the '90s, the Syrians' friends said, it's the band’s way.",
      exact: [],
    },
    {
      behaviour: 'does not end a single-quoted passage at a plural possessive',
      text: "'The ministers' cars were stopped at the border,' she said.",
      exact: ["The ministers' cars were stopped at the border"],
    },
    {
      behaviour: 'keeps a quotation nested inside another as part of it',
      text: '“He told me ‘go home now’ and left,” she said.',
      exact: ['He told me ‘go home now’ and left'],
    },
    {
      behaviour: 'ignores scare quotes of one or two words',
      text: 'The group called them “terrorists” and spoke of “fake news” in its statement.',
      exact: [],
    },
    {
      behaviour: 'ignores titles in quotation marks',
      text: 'Nintendo announced "Super Mario Run" and “Until Dawn: Rush of Blood” for December.',
      exact: [],
    },
    {
      behaviour: 'keeps a partial quotation of three words or more',
      text: 'He said it was "even in the face of repeated mass killings".',
      exact: ['even in the face of repeated mass killings'],
    },
    { behaviour: 'keeps a one-word utterance right next to a speech verb', text: '“Yes,” she said.', exact: ['Yes'] },
    {
      behaviour: 'drops the comma before an attribution but keeps a full stop, question or exclamation mark',
      text: paragraphs('“It is time for serious dialogue,” she said.', '“Is it time?” she asked.', '“It is time!” she shouted.'),
      exact: ['It is time for serious dialogue', 'Is it time?', 'It is time!'],
    },
    {
      behaviour: 'ignores a quotation mark left open when the next paragraph does not continue it',
      text: paragraphs('She said “this never closes and runs on', 'A new paragraph with no quotation at all.'),
      exact: [],
    },
  ];
  for (const c of cases) {
    it(c.behaviour, () => {
      const found = detectQuotes(c.text);
      expectConsistent(c.text, found);
      expect(found.map((q) => q.exact)).toEqual(c.exact);
    });
  }

  it('joins a quotation running over several paragraphs into one finding, curly or straight', () => {
    for (const [open, close] of [
      ['“', '”'],
      ['"', '"'],
    ] as const) {
      const text = paragraphs(
        'Jane Smith runs the bakery on Main Street.',
        `${open}The flour comes from the mill up the road.`,
        `${open}We bake every night, and we sell out by noon,${close} she said.`,
        'The bakery opened in 1990.',
      );
      const found = detectQuotes(text);
      expect(found).toHaveLength(1);
      const [q] = found;
      expect(q!.exact).toBe(`The flour comes from the mill up the road.\n\n${open}We bake every night, and we sell out by noon`);
      expect(q!.exact).toBe(text.slice(q!.start, q!.end));
      expect(q!.multiParagraph).toBe(true);
      expect(q!.speaker).toBe('Jane Smith');
    }
  });
});

describe('speakers', () => {
  const intro = 'UN Secretary-General Antonio Guterres met Turkish President Recep Tayyip Erdogan in Geneva on Friday.';
  const cases: { behaviour: string; text: string; expected: { speaker: string | null; attribution: QuoteFinding['attribution'] }[] }[] = [
    {
      behaviour: 'names the speaker after the quotation by the full name given earlier',
      text: paragraphs(intro, '“We must act now to save lives,” Guterres told reporters.'),
      expected: [{ speaker: 'Antonio Guterres', attribution: 'explicit' }],
    },
    {
      behaviour: 'reads a speaker after the verb ("said Pedersen")',
      text: paragraphs('“The talks will resume next week,” said Geir Pedersen, the UN special envoy for Syria.'),
      expected: [{ speaker: 'Geir Pedersen', attribution: 'explicit' }],
    },
    {
      behaviour: 'reads a speaker before the quotation ("Guterres said: …")',
      text: paragraphs(intro, 'Guterres said: “Humanitarian access must be restored at once.”'),
      expected: [{ speaker: 'Antonio Guterres', attribution: 'explicit' }],
    },
    {
      behaviour: 'gives a participle the subject of its clause ("Guterres noted, adding, …")',
      text: paragraphs(intro, '“It is time for serious dialogue,” Guterres noted, adding, “In other words, a political process.”'),
      expected: [
        { speaker: 'Antonio Guterres', attribution: 'explicit' },
        { speaker: 'Antonio Guterres', attribution: 'explicit' },
      ],
    },
    {
      behaviour: 'reads "according to" as an attribution',
      text: paragraphs('According to Geir Pedersen, “the political process has stalled for now.”'),
      expected: [{ speaker: 'Geir Pedersen', attribution: 'explicit' }],
    },
    {
      behaviour: 'resolves a pronoun to the person last reported speaking, not the last person named',
      text: paragraphs(intro, 'At a press meeting, Guterres said that he had just spoken with Erdogan.', '“We are seeing the bitter fruits of failure,” he said.'),
      expected: [{ speaker: 'Antonio Guterres', attribution: 'pronoun' }],
    },
    {
      behaviour: 'gives several quotations of one paragraph the speaker attributed once',
      text: paragraphs(intro, '“We are seeing the bitter fruits of failure,” Guterres said. “These must change.”'),
      expected: [
        { speaker: 'Antonio Guterres', attribution: 'explicit' },
        { speaker: 'Antonio Guterres', attribution: 'explicit' },
      ],
    },
    {
      behaviour: 'continues a speaker into a paragraph that is nothing but quotation',
      text: paragraphs(intro, '“We are seeing the bitter fruits of failure,” Guterres said.', '“These arrangements must change, and soon.”'),
      expected: [
        { speaker: 'Antonio Guterres', attribution: 'explicit' },
        { speaker: 'Antonio Guterres', attribution: 'explicit' },
      ],
    },
    {
      behaviour: 'resolves a descriptor by title ("the UN chief" is the Secretary-General), not to the last person named',
      text: paragraphs(intro, '“The fighting must stop at once,” the UN chief said.'),
      expected: [{ speaker: 'Antonio Guterres', attribution: 'pronoun' }],
    },
    {
      behaviour: 'skips a person of the other gender when resolving "she"',
      text: paragraphs('Mary Brown chaired the meeting with John Smith.', '“We will not give up on this town,” she said.'),
      expected: [{ speaker: 'Mary Brown', attribution: 'pronoun' }],
    },
    {
      behaviour: 'prefers a person known to be a woman for "she" over one whose name says nothing',
      text: paragraphs('Mary Brown chaired the meeting with Mark Jones.', '“We will not give up on this town,” she said.'),
      expected: [{ speaker: 'Mary Brown', attribution: 'pronoun' }],
    },
    {
      behaviour: 'does not take a name inside the quotation as the antecedent of the pronoun',
      text: paragraphs('Fiona Parry issued a plea to parents.', '“Eloise never understood how dangerous the tablets were,” she said.'),
      expected: [{ speaker: 'Fiona Parry', attribution: 'pronoun' }],
    },
    {
      behaviour: 'names nobody for an organisation or an unnamed group',
      text: paragraphs(
        'The Food Standards Agency warned people about the pills.',
        '“We advise the public not to take these tablets,” it said in a statement.',
        '“The pills are sold online from abroad,” officials said.',
        '“Nobody knows where they come from,” a spokeswoman said.',
      ),
      expected: [
        { speaker: null, attribution: 'none' },
        { speaker: null, attribution: 'none' },
        { speaker: null, attribution: 'none' },
      ],
    },
    {
      behaviour: 'names nobody for a quotation with no attribution anywhere near it',
      text: paragraphs(intro, 'The town was quiet and the signs read “closed for the winter season” on every door.'),
      expected: [{ speaker: null, attribution: 'none' }],
    },
  ];
  for (const c of cases) {
    it(c.behaviour, () => {
      const found = detectQuotes(c.text);
      expectConsistent(c.text, found);
      expect(found.map((q) => ({ speaker: q.speaker, attribution: q.attribution }))).toEqual(c.expected);
    });
  }

  it('finds nothing in a text with no quotation marks, and copes with an empty text', () => {
    expect(detectQuotes('')).toEqual([]);
    expect(detectQuotes(paragraphs('No quotations here.', 'None here either.'))).toEqual([]);
  });
});

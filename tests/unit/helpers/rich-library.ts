/**
 * A library with a bit of everything an export, an import or a backup must
 * carry: two articles (English news text, and an Arabic page, right to
 * left, with an image and a web address outside ASCII), clippings with
 * Markdown notes, hierarchical and non-ASCII tags, a custom label, one
 * clipping orphaned and one re-attached by a revision (so the article has an
 * earlier version too), article tags, reading state and progress, and a
 * press review.
 */
import { join } from 'node:path';
import { Library, DEFAULT_LABELS, type Clipping } from '../../../electron/library';
import { SEED_FILE } from './temp';

/** A 1×1 PNG. */
export const PNG_DATA_URL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const ARABIC_PARAGRAPHS = [
  'قال الأمين العام للأمم المتحدة أنطونيو غوتيريش إن الوقت قد حان لحوار جاد بين جميع الأطراف في سوريا، داعياً إلى وصول المساعدات الإنسانية فوراً إلى جميع المدنيين المحتاجين في كل المناطق.',
  'وأضاف غوتيريش في مؤتمر صحفي أن الهجوم الأخير أدى إلى تحولات كبيرة في خطوط المواجهة، وأن عشرات الآلاف من المدنيين معرضون للخطر في منطقة مشتعلة أصلاً منذ سنوات طويلة من النزاع.',
  'وشدد على أن جميع الأطراف ملزمة بموجب القانون الدولي بحماية المدنيين، مطالباً كل من له تأثير بأن يقوم بدوره من أجل الشعب السوري الذي عانى طويلاً 🇸🇾 من الحرب والتهجير والدمار.',
  'وأكد المبعوث الخاص غير بيدرسن أن الحل السياسي الشامل وفق قرار مجلس الأمن رقم 2254 هو الطريق الوحيد لإنهاء معاناة السوريين واستعادة سيادة البلاد ووحدتها واستقلالها.',
];

export const ARABIC_URL = 'https://news.example.org/أخبار/سوريا?q=a|b^c';

export const ARABIC_HTML = `<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>غوتيريش يدعو إلى حوار جاد في سوريا</title>
<link rel="canonical" href="${ARABIC_URL}"></head>
<body><article><h1>غوتيريش يدعو إلى حوار جاد في سوريا</h1>
${ARABIC_PARAGRAPHS.map((p) => `<p>${p}</p>`).join('\n')}
<figure><img src="${PNG_DATA_URL}" alt="صورة من المؤتمر الصحفي"><figcaption>صورة من المؤتمر الصحفي</figcaption></figure>
</article></body></html>`;

export type RichLibrary = {
  library: Library;
  dir: string;
  english: string;
  arabic: string;
  clippings: { keyLine: Clipping; rumour: Clipping; orphan: Clipping; moved: Clipping; arabic: Clipping; emoji: Clipping };
  compositionId: string;
};

function range(text: string, words: string): { start: number; end: number; exact: string } {
  const start = text.indexOf(words);
  if (start < 0) throw new Error(`fixture: "${words}" is not in the text`);
  return { start, end: start + words.length, exact: words };
}

export async function richLibrary(dir: string): Promise<RichLibrary> {
  const library = await Library.open(dir);
  const [seed] = await library.importPaths([SEED_FILE]);
  const [page] = await library.importContent([{ name: 'syria-ar.html', bytes: new TextEncoder().encode(ARABIC_HTML) }]);
  if (seed?.status !== 'imported' || page?.status !== 'imported') throw new Error(`fixture: imports failed: ${JSON.stringify([seed, page])}`);
  const english = seed.id;
  const arabic = page.id;
  await library.saveLabels([...DEFAULT_LABELS, { id: 'rumour', name: 'Rumour 🗣', color: 'purple' }]);

  const text = (await library.getArticle(english)).text;
  const keyLine = await library.createClipping({
    articleId: english,
    ...range(text, 'It is time for serious dialogue'),
    label: 'quote',
    note: '**Key** line — «quoted»\n\n- a point\n- another, with a "quote" and a comma',
    tags: ['place/Syria', 'UN', 'Wörter/ü'],
  });
  const rumour = await library.createClipping({ articleId: english, ...range(text, 'Tens of thousands of civilians are at risk'), label: 'rumour' });
  let orphan = await library.createClipping({ articleId: english, ...range(text, 'These must change.'), label: 'claim', note: 'gone in the revision' });
  let moved = await library.createClipping({ articleId: english, ...range(text, 'he had just spoken with Turkish President'), label: 'fact', tags: ['Türkiye'] });
  // A revision: one sentence removed (its clipping is orphaned), one reworded near another (re-attached).
  const revised = text.replace(' "These must change."', '').replace('he had just spoken with Turkish President', 'he had just spoken by phone with Turkish President');
  const after = await library.reviseArticle(english, revised);
  orphan = after.clippings.find((c) => c.id === orphan.id) as Clipping;
  moved = after.clippings.find((c) => c.id === moved.id) as Clipping;
  if (orphan.anchor?.state !== 'orphan') throw new Error(`fixture: the orphan is ${JSON.stringify(orphan.anchor)}`);

  const arabicText = (await library.getArticle(arabic)).text;
  const arabicClip = await library.createClipping({
    articleId: arabic,
    ...range(arabicText, 'إن الوقت قد حان لحوار جاد بين جميع الأطراف في سوريا'),
    label: 'quote',
    note: 'ملاحظة: **مهم** جداً',
    tags: ['مكان/سوريا'],
  });
  const emoji = await library.createClipping({ articleId: arabic, ...range(arabicText, 'الذي عانى طويلاً 🇸🇾 من الحرب'), label: 'rumour', note: 'emoji 🇸🇾 and astral 𝒳' });

  await library.setArticleTags(english, ['Syria', 'UN']);
  await library.setReading(english, { readingState: 'read', progress: 0.42 });
  await library.setReading(arabic, { readingState: 'reading' });
  const composition = await library.saveComposition({
    title: 'Weekly review',
    introduction: 'What *mattered* this week.',
    items: [
      { kind: 'heading', text: 'Syria' },
      { kind: 'clipping', clippingId: keyLine.id },
      { kind: 'clipping', clippingId: arabicClip.id },
    ],
  });
  return {
    library,
    dir,
    english,
    arabic,
    clippings: { keyLine, rumour, orphan, moved, arabic: arabicClip, emoji },
    compositionId: composition.id,
  };
}

export const libraryDir = (root: string, name: string) => join(root, name);

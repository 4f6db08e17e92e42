/**
 * localiseImages: an article fetched from a real HTTP server on 127.0.0.1
 * (started here) has its pictures downloaded, checked by their bytes and
 * renamed; whatever fails keeps its block with no source. No outside network.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { localWeb, type Route as Handler } from './helpers/http';
import type { ParsedDocument } from '../../electron/library/import/document';
import type { Block } from '../../electron/library/model';
import { fetchArticle } from '../../electron/library/net/fetch-page';
import { LOCAL_IMAGE_SRC, localiseImages, sniffImage } from '../../electron/library/net/images';


/** A valid 1×1 PNG of one colour, built chunk by chunk (signature, IHDR, IDAT, IEND). */
function png(r: number, g: number, b: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); // width
  ihdr.writeUInt32BE(1, 4); // height
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const idat = deflateSync(Buffer.from([0, r, g, b])); // filter byte, then one pixel
  return new Uint8Array(
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]),
  );
}

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
/** A 1×1 baseline JFIF JPEG, a 1×1 GIF89a and a 1×1 lossless WebP. */
const JPEG = b64('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=');
const GIF = b64('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7');
const WEBP = b64('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==');
const RED = png(255, 0, 0);
const BLUE = png(0, 0, 255);
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>';
const AVIF_HEAD = new Uint8Array([0, 0, 0, 0x1c, ...Buffer.from('ftypavif'), 0, 0, 0, 0, ...Buffer.from('avifmif1miaf')]);

const sha16 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const canonical = (blocks: Block[]) => blocks.map((b) => b.text).join('\n\n');

const ARTICLE = `<!doctype html><html lang="en"><head><title>Storm damage</title></head><body><article>
<h1>Storm damage along the coast</h1>
<p>The storm that crossed the coast overnight brought down trees and power lines in several towns, officials said on Tuesday morning.</p>
<figure><img src="/img/red.png" alt="A red square"><figcaption>The red warning flag on the pier</figcaption></figure>
<p>Emergency crews worked through the night to clear the main roads, and most of them had reopened by dawn, the regional council said.</p>
<figure><img src="img/photo.jpg" alt="Harbour at dawn"><figcaption>The harbour at dawn, after the storm</figcaption></figure>
<p>In the harbour, two fishing boats broke their moorings and were found on the beach; nobody was on board, the coastguard said.</p>
<figure><img src="/img/red.png" alt="The same flag again"><figcaption>The same flag, seen again from the beach</figcaption></figure>
<p>Several schools stayed closed because of the damage to their roofs, and the council asked parents to check its website for updates.</p>
<figure><img src="/img/same-red.png" alt="Copy"><figcaption>The flag, served from a second address</figcaption></figure>
<p>Forecasters expect calmer weather for the rest of the week, though strong winds may return on Sunday along the northern coast.</p>
<figure><img src="/img/drawing.png" alt="A chart"><figcaption>A chart that is really an SVG</figcaption></figure>
<p>Insurers said it was too early to estimate the cost, but that claims were already arriving from homeowners in the worst-hit towns.</p>
<figure><img src="/img/missing.png" alt="Gone"><figcaption>A picture the server no longer has</figcaption></figure>
<p>The power company said about four thousand homes were still without electricity and that most would be reconnected by the evening.</p>
<figure><img src="/img/page.gif" alt="Not a picture"><figcaption>An HTML page served as a GIF</figcaption></figure>
<p>Residents were asked to report fallen lines and not to approach them, and to keep away from the sea front until the tide had turned.</p>
<figure><img src="data:image/png;base64,${Buffer.from(BLUE).toString('base64')}" alt="Inline blue"><figcaption>An inline picture</figcaption></figure>
<p>The mayor thanked the volunteers who had filled sandbags through the night and said the town would help those who lost their boats.</p>
</article></body></html>`;

const send = (type: string, body: string | Uint8Array, status = 200): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
};

const ROUTES: Record<string, Handler> = {
  '/story/article.html': send('text/html; charset=utf-8', ARTICLE),
  '/img/red.png': send('image/png', RED),
  '/story/img/photo.jpg': send('image/jpeg', JPEG),
  '/img/same-red.png': send('image/png', RED),
  '/img/drawing.png': send('image/png', SVG),
  '/img/drawing.svg': send('image/svg+xml', SVG),
  '/img/page.gif': send('image/gif', '<!doctype html><html><body>Not found</body></html>'),
  '/img/missing.png': send('text/html', 'Not found', 404),
  '/img/huge.png': send('image/png', new Uint8Array([...RED, ...new Uint8Array(64 * 1024)])),
  '/img/never.png': () => {
    // Never answers.
  },
};

const web = localWeb(ROUTES);

function docWith(srcs: string[]): ParsedDocument {
  return {
    kind: 'html',
    title: 'Pictures',
    source: null,
    byline: null,
    published: null,
    dateline: null,
    language: 'en',
    url: 'https://news.example/pictures',
    blocks: [{ kind: 'paragraph', text: 'Some pictures.' }, ...srcs.map((src, i): Block => ({ kind: 'image', src, text: `Picture ${i + 1}` }))],
  };
}

describe('localiseImages on a fetched article', () => {
  it('saves real PNG/JPEG images under content names, refuses SVG, non-images and 404s, and keeps every block and its text', async () => {
    const doc = await fetchArticle(`${web.origin}/story/article.html`);
    const before = doc.blocks.filter((b) => b.kind === 'image').map((b) => (b.kind === 'image' ? b.src : ''));
    // The importer resolved every relative address against the page.
    expect(before.filter((s) => !s.startsWith('data:'))).toEqual([
      `${web.origin}/img/red.png`,
      `${web.origin}/story/img/photo.jpg`,
      `${web.origin}/img/red.png`,
      `${web.origin}/img/same-red.png`,
      `${web.origin}/img/drawing.png`,
      `${web.origin}/img/missing.png`,
      `${web.origin}/img/page.gif`,
    ]);
    const frozen = JSON.stringify(doc);

    const { doc: local, files, failures } = await localiseImages(doc, { timeoutMs: 2000 });

    expect(JSON.stringify(doc)).toBe(frozen); // the given document is not changed
    expect(canonical(local.blocks)).toBe(canonical(doc.blocks));
    expect(local.blocks.length).toBe(doc.blocks.length);
    const after = local.blocks.filter((b) => b.kind === 'image').map((b) => (b.kind === 'image' ? b.src : ''));
    const red = `images/${sha16(RED)}.png`;
    expect(after).toEqual([red, `images/${sha16(JPEG)}.jpg`, red, red, '', '', '', `images/${sha16(BLUE)}.png`]);
    for (const src of after) expect(src === '' || LOCAL_IMAGE_SRC.test(src)).toBe(true);

    expect(files.map((f) => [f.name, f.mime])).toEqual([
      [red, 'image/png'],
      [`images/${sha16(JPEG)}.jpg`, 'image/jpeg'],
      [`images/${sha16(BLUE)}.png`, 'image/png'],
    ]);
    expect(Buffer.from(files[0]?.bytes ?? []).equals(Buffer.from(RED))).toBe(true);

    expect(failures).toEqual([
      { url: `${web.origin}/img/drawing.png`, reason: 'SVG images are not kept (they can carry scripts)' },
      { url: `${web.origin}/img/missing.png`, reason: 'the server answered 404 Not Found' },
      { url: `${web.origin}/img/page.gif`, reason: 'not a PNG, JPEG, GIF, WebP or AVIF image' },
    ]);
    // Each address was asked for once, however often the article shows it.
    expect(web.hits('/img/red.png')).toBe(1);
  });
});

describe('localiseImages', () => {
  it('leaves no remote or other address in any image block', async () => {
    const srcs = [
      `${web.origin}/img/drawing.svg`,
      `${web.origin}/img/huge.png`,
      `${web.origin}/img/never.png`,
      'javascript:alert(1)',
      'file:///etc/passwd',
      'pictures/local.png',
      '',
      'images/0123456789abcdef.png',
    ];
    const { doc, files, failures } = await localiseImages(docWith(srcs), { maxBytesEach: 32 * 1024, timeoutMs: 300 });
    expect(doc.blocks.slice(1).map((b) => (b.kind === 'image' ? b.src : null))).toEqual(['', '', '', '', '', '', '', 'images/0123456789abcdef.png']);
    expect(files).toEqual([]);
    expect(failures).toEqual([
      { url: `${web.origin}/img/drawing.svg`, reason: 'SVG images are not kept (they can carry scripts)' },
      { url: `${web.origin}/img/huge.png`, reason: 'the answer is larger than 32 KB' },
      { url: `${web.origin}/img/never.png`, reason: 'no complete answer within 0.3 s' },
      { url: 'javascript:alert(1)', reason: 'only http and https images are fetched, not javascript:' },
      { url: 'file:///etc/passwd', reason: 'only http and https images are fetched, not file:' },
      { url: 'pictures/local.png', reason: 'a relative address with no page to resolve it against' },
    ]);
  });

  const dataUrls: [string, string, string | null][] = [
    ['a base64 PNG', `data:image/png;base64,${Buffer.from(RED).toString('base64')}`, 'png'],
    ['a base64 JPEG', `data:image/jpeg;base64,${Buffer.from(JPEG).toString('base64')}`, 'jpg'],
    ['a base64 GIF', `data:image/gif;base64,${Buffer.from(GIF).toString('base64')}`, 'gif'],
    ['a base64 WebP', `data:image/webp;base64,${Buffer.from(WEBP).toString('base64')}`, 'webp'],
    ['a percent-encoded GIF', `data:image/gif,${[...GIF].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')}`, 'gif'],
    ['an SVG', `data:image/svg+xml;base64,${Buffer.from(SVG).toString('base64')}`, null],
    ['an SVG labelled as PNG', `data:image/png;base64,${Buffer.from(SVG).toString('base64')}`, null],
    ['text labelled as GIF', 'data:image/gif;base64,SGVsbG8gd29ybGQ=', null],
    ['broken base64', 'data:image/png;base64,@@@not base64@@@', null],
  ];
  it.each(dataUrls)('decodes a data: URL holding %s into a file only if its bytes are a kept image', async (_what, src, ext) => {
    const { doc, files, failures } = await localiseImages(docWith([src]));
    const block = doc.blocks[1];
    if (ext) {
      expect(block).toMatchObject({ kind: 'image', text: 'Picture 1', src: expect.stringMatching(new RegExp(`^images/[0-9a-f]{16}\\.${ext}$`)) });
      expect(files).toHaveLength(1);
      expect(failures).toEqual([]);
    } else {
      expect(block).toEqual({ kind: 'image', src: '', text: 'Picture 1' });
      expect(files).toEqual([]);
      expect(failures).toHaveLength(1);
    }
  });

  it('names a long data: URL in a failure by its head and size, not in full', async () => {
    const src = `data:image/png;base64,${Buffer.from(SVG.repeat(20)).toString('base64')}`;
    const { failures } = await localiseImages(docWith([src]));
    expect(failures[0]?.url).toMatch(/^data:image\/png;base64,… \(\d+(\.\d)? KB of data\)$/);
  });

  it('takes at most maxImages distinct images and fails the rest with a reason', async () => {
    const srcs = [RED, BLUE, png(0, 255, 0)].map((bytes) => `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`);
    const { doc, files, failures } = await localiseImages(docWith([...srcs, srcs[0] ?? '']), { maxImages: 2 });
    expect(files).toHaveLength(2);
    expect(doc.blocks.slice(1).map((b) => (b.kind === 'image' ? b.src !== '' : null))).toEqual([true, true, false, true]);
    expect(failures).toEqual([{ url: expect.stringMatching(/^data:image\/png;base64,… \(/), reason: 'more than 2 images in the article' }]);
  });

  it('stops keeping images once their total passes maxTotalBytes', async () => {
    const srcs = [RED, BLUE].map((bytes) => `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`);
    const { files, failures } = await localiseImages(docWith(srcs), { maxTotalBytes: RED.length + 10, concurrency: 1 });
    expect(files).toHaveLength(1);
    expect(failures[0]?.reason).toMatch(/images together are larger than/);
  });
});

describe('sniffImage', () => {
  const cases: [string, Uint8Array, string | null][] = [
    ['PNG', RED, 'image/png'],
    ['JPEG', JPEG, 'image/jpeg'],
    ['GIF', GIF, 'image/gif'],
    ['WebP', WEBP, 'image/webp'],
    ['AVIF', AVIF_HEAD, 'image/avif'],
    ['HEIC (an ftyp box, but not AVIF)', new Uint8Array([0, 0, 0, 0x18, ...Buffer.from('ftypheic'), 0, 0, 0, 0, ...Buffer.from('mif1heic')]), null],
    ['SVG', new Uint8Array(Buffer.from(SVG)), null],
    ['HTML', new Uint8Array(Buffer.from('<!doctype html><p>hi')), null],
    ['a truncated PNG signature', RED.subarray(0, 4), null],
    ['nothing', new Uint8Array(0), null],
  ];
  it.each(cases)('recognises %s by its bytes', (_what, bytes, mime) => {
    expect(sniffImage(bytes)?.mime ?? null).toBe(mime);
  });
});

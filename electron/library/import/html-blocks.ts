/**
 * A sanitised article tree → body blocks.
 *
 * The mapping:
 * - h1–h6 → heading (inside a blockquote → quote);
 * - p, div and every other block container → paragraph, one per run of
 *   inline content, so distinct paragraphs are never merged and a
 *   container's loose text between its child blocks is never lost;
 * - blockquote → a quote per paragraph inside it;
 * - li → listItem (ordered when its list is an <ol>); further paragraphs
 *   inside the same item become paragraphs after it, nested lists their own
 *   items;
 * - img → image {src, text: alt}; a figure holding one image takes its
 *   figcaption as the image's text. An image met inside running text comes
 *   right after the block of that text, so a sentence is never cut in two;
 * - pre → one paragraph keeping its line breaks (trailing spaces and blank
 *   lines removed, so "\n\n" stays the separator between blocks only);
 * - table → one paragraph per row, the non-empty cells' text joined by
 *   " | "; a row whose cells hold blocks (a layout table) is walked as
 *   containers instead, so its paragraphs stay paragraphs;
 * - <br> → a single "\n" inside the block (a space in a heading or a
 *   caption); other inline elements give
 *   their text, with white space collapsed as a browser renders it.
 */
import type { Block } from '../model';

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;

const BLOCK_TAGS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'CENTER', 'DD', 'DETAILS', 'DIALOG', 'DIR', 'DIV', 'DL', 'DT',
  'FIELDSET', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HGROUP',
  'HR', 'LEGEND', 'LI', 'MAIN', 'MENU', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'UL',
]);
/** Never text of the article, even if something upstream let them through. */
const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'HEAD', 'COLGROUP']);
const HEADING = /^H([1-6])$/;
/** Image data kept inline; anything else (svg, html) is not an image we keep. */
const DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|avif|bmp);/i;

type Context =
  | { kind: 'paragraph' }
  | { kind: 'quote' }
  | { kind: 'heading'; level: number }
  | { kind: 'listItem'; ordered: boolean; started: boolean };

export type BlockOptions = {
  /** Absolute http(s) URL the page came from; relative image sources resolve against it. */
  baseUrl?: string;
};

export function blocksFromHtml(root: Node, options: BlockOptions = {}): Block[] {
  return new BlockWalker(options).run(root);
}

class BlockWalker {
  private readonly blocks: Block[] = [];
  private buffer: string[] = [];
  private images: Block[] = [];
  private preDepth = 0;
  /** Inside a figure with one image: that image and its caption. */
  private caption: { img: Element; text: string } | null = null;

  constructor(private readonly options: BlockOptions) {}

  run(root: Node): Block[] {
    const ctx: Context = { kind: 'paragraph' };
    this.children(root, ctx);
    this.flush(ctx);
    return this.blocks;
  }

  private children(node: Node, ctx: Context, skip?: Node): void {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child !== skip) this.node(child, ctx);
    }
  }

  private node(node: Node, ctx: Context): void {
    if (node.nodeType === TEXT || node.nodeType === CDATA) {
      const data = node.nodeValue ?? '';
      this.buffer.push(this.preDepth > 0 ? data : data.replace(/[ \t\n\r\f]+/g, ' '));
      return;
    }
    if (node.nodeType !== ELEMENT) return;
    const el = node as Element;
    const tag = el.tagName.toUpperCase();
    if (SKIP_TAGS.has(tag)) return;
    if (tag === 'BR') {
      this.buffer.push('\n');
      return;
    }
    if (tag === 'IMG') {
      const image = this.image(el, this.caption?.img === el && this.caption.text ? this.caption.text : null);
      if (image) this.images.push(image);
      return;
    }
    if (!BLOCK_TAGS.has(tag)) {
      // Inline (or unknown) element: its text joins the running block.
      this.children(el, ctx);
      return;
    }

    this.flush(ctx);
    const inner = childContext(el, tag, ctx);
    if (tag === 'PRE') this.preDepth++;
    try {
      if (tag === 'TABLE') this.table(el as HTMLTableElement, inner);
      else if (tag === 'FIGURE') this.figure(el, inner);
      else if (tag !== 'HR') this.children(el, inner);
      this.flush(inner);
    } finally {
      if (tag === 'PRE') this.preDepth--;
    }
  }

  /** Ends the running block: its text (if any) and then the images met inside it. */
  private flush(ctx: Context): void {
    const raw = this.buffer.join('');
    this.buffer = [];
    const text = this.preDepth > 0 ? cleanPre(raw) : cleanInline(raw);
    if (text) this.blocks.push(makeBlock(ctx, text));
    if (this.images.length > 0) {
      this.blocks.push(...this.images);
      this.images = [];
    }
  }

  private figure(el: Element, ctx: Context): void {
    // (getElementsByTagName and a walk up rather than selectors: jsdom's selector engine keeps hold of the last tree it searched.)
    const images = el.getElementsByTagName('img');
    const captions = [...el.children].filter((c) => c.tagName.toUpperCase() === 'FIGCAPTION');
    const caption = captions[0];
    const img = images[0];
    if (images.length !== 1 || captions.length !== 1 || !caption || !img || inFigcaption(img)) {
      this.children(el, ctx);
      return;
    }
    const text = cleanInline((caption.textContent ?? '').replace(/\s+/g, ' '));
    this.caption = { img, text };
    try {
      this.children(el, ctx, caption);
    } finally {
      this.caption = null;
    }
    if (this.imageSrc(img) === null) {
      // No usable picture: the caption is still text of the article.
      this.flush(ctx);
      this.buffer.push(text);
    }
  }

  private table(table: HTMLTableElement, ctx: Context): void {
    if (table.caption) {
      this.children(table.caption, ctx);
      this.flush(ctx);
    }
    for (const row of [...table.rows]) {
      const cells = [...row.cells];
      if (cells.some(holdsBlocks)) {
        for (const cell of cells) {
          this.children(cell, ctx);
          this.flush(ctx);
        }
        continue;
      }
      const texts: string[] = [];
      for (const cell of cells) {
        this.children(cell, ctx);
        // A cell is one line of its row.
        const text = cleanInline(this.buffer.join('')).replace(/\n/g, ' ');
        this.buffer = [];
        if (text) texts.push(text);
      }
      this.buffer.push(texts.join(' | '));
      this.flush(ctx);
    }
  }

  private image(el: Element, caption: string | null): Block | null {
    const src = this.imageSrc(el);
    if (src === null) return null;
    const alt = cleanInline((el.getAttribute('alt') ?? '').replace(/\s+/g, ' '));
    return { kind: 'image', src, text: caption ?? alt };
  }

  /**
   * The image's address as a string, resolved against the page's URL when
   * there is one: http(s) and inline raster data only. A relative address
   * with no base is kept as written (a saved page's picture beside it).
   */
  private imageSrc(el: Element): string | null {
    const raw = (el.getAttribute('src') ?? '').trim();
    if (!raw) return null;
    if (DATA_IMAGE.test(raw)) return raw;
    let url: URL;
    try {
      url = new URL(raw, this.options.baseUrl);
    } catch {
      // Relative, with nothing to resolve it against.
      return /^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//') ? null : raw;
    }
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  }
}

function childContext(el: Element, tag: string, ctx: Context): Context {
  if (tag === 'BLOCKQUOTE') return { kind: 'quote' };
  if (tag === 'LI') return { kind: 'listItem', ordered: el.parentElement?.tagName.toUpperCase() === 'OL', started: false };
  const heading = HEADING.exec(tag);
  if (heading && ctx.kind !== 'quote') return { kind: 'heading', level: Number(heading[1]) };
  return ctx;
}

function makeBlock(ctx: Context, text: string): Block {
  switch (ctx.kind) {
    case 'heading':
      // A heading is one line: a <br> in it is only layout.
      return { kind: 'heading', level: ctx.level, text: text.replace(/\n/g, ' ') };
    case 'quote':
      return { kind: 'quote', text };
    case 'listItem':
      // The first paragraph of an item is the item; later ones continue it.
      if (ctx.started) return { kind: 'paragraph', text };
      ctx.started = true;
      return { kind: 'listItem', ordered: ctx.ordered, text };
    default:
      return { kind: 'paragraph', text };
  }
}

function holdsBlocks(cell: Element): boolean {
  for (const el of cell.getElementsByTagName('*')) {
    const tag = el.tagName.toUpperCase();
    if (BLOCK_TAGS.has(tag)) return true;
  }
  return false;
}

/** img.closest('figcaption'): the image is inside a figcaption, at any depth. */
function inFigcaption(img: Element): boolean {
  for (let el = img.parentElement; el; el = el.parentElement) if (el.localName === 'figcaption') return true;
  return false;
}

/** Spaces already collapsed per text node; joins, then tidies around line breaks. */
function cleanInline(raw: string): string {
  return raw
    .replace(/ {2,}/g, ' ')
    .replace(/ *\n[ \n]*/g, '\n')
    .replace(/^[\s\n]+|[\s\n]+$/g, '');
}

/** Preformatted text keeps its lines; blank lines and trailing spaces go. */
function cleanPre(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\f]+$/, ''))
    .filter((line) => line.trim().length > 0)
    .join('\n');
}

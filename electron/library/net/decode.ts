/**
 * Bytes off the network → text. The order follows what browsers do for
 * pages (and RFC 7303 for XML): a byte-order mark wins, then the charset the
 * HTTP answer declares, then what the document says about itself.
 */
import { decodeHtml, decodeText } from '../import/files';

/** "text/html; charset=\"UTF-8\"" → { mime: 'text/html', charset: 'utf-8' }; '' when absent. */
export function parseContentType(header: string | null): { mime: string; charset?: string } {
  if (!header) return { mime: '' };
  const [type = '', ...params] = header.split(';');
  const mime = type.trim().toLowerCase();
  for (const param of params) {
    const m = /^\s*charset\s*=\s*"?([^";\s]+)"?\s*$/i.exec(param);
    if (m?.[1]) return { mime, charset: m[1].toLowerCase() };
  }
  return { mime };
}

function hasBom(bytes: Uint8Array): boolean {
  return (
    (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) ||
    (bytes[0] === 0xff && bytes[1] === 0xfe) ||
    (bytes[0] === 0xfe && bytes[1] === 0xff)
  );
}

/**
 * Decodes with a declared label when the bytes really are in it: an unknown
 * label, or bytes that are invalid in it, give null so the caller falls back
 * to what the document itself says (servers are often misconfigured; a page
 * re-saved in another encoding keeps its old header).
 */
function decodeAs(bytes: Uint8Array, label: string | undefined): string | null {
  if (!label) return null;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    return null;
  }
  try {
    const text = decoder.decode(bytes);
    return text.includes('\u0000') ? null : text;
  } catch {
    return null;
  }
}

/** A web page or plain text: BOM, then the HTTP charset, then decodeHtml (UTF-8, meta charset, windows-1252). */
export function decodePage(bytes: Uint8Array, httpCharset: string | undefined): string | null {
  if (hasBom(bytes)) return decodeText(bytes);
  return decodeAs(bytes, httpCharset) ?? decodeHtml(bytes);
}

/**
 * An XML document: BOM, then the HTTP charset, then the XML declaration's
 * encoding, then UTF-8; and, as feed readers do for the many feeds that
 * declare nothing and are not UTF-8, windows-1252 last.
 */
export function decodeXml(bytes: Uint8Array, httpCharset: string | undefined): string | null {
  if (hasBom(bytes)) return decodeText(bytes);
  const fromHeader = decodeAs(bytes, httpCharset);
  if (fromHeader !== null) return fromHeader;
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 512));
  const declared = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
  return decodeAs(bytes, declared) ?? decodeText(bytes) ?? decodeAs(bytes, 'windows-1252');
}

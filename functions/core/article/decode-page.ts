import { decodeAs } from '../feed/decode.ts';

/**
 * HTML bytes to text, trusting in order: a byte order mark, the Content-Type charset, a
 * `<meta charset>` in the first 1,024 bytes (where browsers look for it), then UTF-8. An
 * encoding TextDecoder does not know falls back to UTF-8: a page is read for its words, and
 * a few wrong accents cost less than skipping the article.
 */
export function decodePageBytes(bytes: Uint8Array, contentType?: string): string {
  return decodeAs(bytes, pageEncoding(bytes, contentType));
}

function pageEncoding(bytes: Uint8Array, contentType: string | undefined): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString(
    'latin1',
  );
  const label = CHARSET_PARAMETER.exec(contentType ?? '')?.[1] ?? META_CHARSET.exec(head)?.[1];
  return label === undefined ? 'utf-8' : knownEncoding(label.replace(/["']/g, '').trim());
}

const CHARSET_PARAMETER = /;\s*charset\s*=\s*("?[^;\s"]+"?)/i;
/** `<meta charset="x">` and `<meta http-equiv="Content-Type" content="text/html; charset=x">`. */
const META_CHARSET = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i;

function knownEncoding(label: string): string {
  try {
    const { encoding } = new TextDecoder(label);
    // A page that says UTF-16 in ASCII bytes is not UTF-16 (the HTML standard reads it as UTF-8).
    return encoding.startsWith('utf-16') ? 'utf-8' : encoding;
  } catch {
    return 'utf-8';
  }
}

import { FeedParseError } from '#core/errors.ts';

/**
 * Bytes to text, trusting in order: a byte order mark, the XML declaration, the Content-Type
 * charset, then UTF-8. The declaration outranks the header because publishers write it next to
 * the bytes, while the header is often a server default ("text/xml; charset=utf-8" on Latin-1).
 *
 * Decoding uses the platform's TextDecoder, which with Node's full ICU (official builds and the
 * Lambda runtime) reads every encoding of the WHATWG Encoding Standard: the set browsers read,
 * and so the set feeds are published in. A code-page library would add ~500 KB to the poller's
 * bundle for the few encodings no browser reads either (ISO-8859-16, DOS code pages, UTF-32).
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): string {
  return decodeAs(bytes, detectEncoding(bytes, contentType));
}

/** Bytes in `encoding` (a canonical name TextDecoder knows) to text, windows-1252 included on every Node. */
export function decodeAs(bytes: Uint8Array, encoding: string): string {
  // TextDecoder strips a BOM that matches its encoding, so the parser never sees U+FEFF.
  const text = new TextDecoder(encoding).decode(bytes);
  return encoding === 'windows-1252' ? text.replace(C1_CONTROLS, windows1252Character) : text;
}

/**
 * Node 20.18.3+ and 22.13+ decode windows-1252 (and so every Latin-1 label) with a Latin-1 fast
 * path that leaves 0x80-0x9F as C1 controls instead of curly quotes, dashes and the euro sign
 * (nodejs/node#60888). Mapping the C1 range afterwards is right on fixed and unfixed Node alike:
 * a correct decoder yields C1 characters only for the five bytes that map to themselves.
 */
const C1_CONTROLS = /[\u0080-\u009f]/g;

/** The Encoding Standard's index-windows-1252 for bytes 0x80-0x9F. */
const WINDOWS_1252_C1 = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
  0x008d, 0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122,
  0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];

function windows1252Character(control: string): string {
  return String.fromCharCode(WINDOWS_1252_C1[control.charCodeAt(0) - 0x80] ?? control.charCodeAt(0));
}

/**
 * The encoding the bytes are in, as the Encoding Standard's canonical name (`windows-1252`,
 * `utf-16be`, `shift_jis`); throws FeedParseError('encoding') for a label TextDecoder cannot read.
 */
export function detectEncoding(bytes: Uint8Array, contentType?: string): string {
  const fromBom = encodingFromBom(bytes);
  if (fromBom) return fromBom;
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) return utf16;
  const declared = declaredEncoding(bytes);
  if (declared) return supportedEncoding(declared, 'the XML declaration');
  const fromHeader = charsetFromContentType(contentType);
  if (fromHeader) return supportedEncoding(fromHeader, 'the Content-Type header');
  return 'utf-8';
}

function encodingFromBom(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** "<?" as UTF-16 without a BOM: the XML spec's autodetection table. */
function utf16WithoutBom(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return 'utf-16le';
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return 'utf-16be';
  return undefined;
}

const XML_DECLARATION_ENCODING = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']\s*([^"'\s]+)\s*["']/;

function declaredEncoding(bytes: Uint8Array): string | undefined {
  // The declaration is ASCII in every ASCII-compatible encoding, so Latin-1 reads it safely.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString(
    'latin1',
  );
  const label = XML_DECLARATION_ENCODING.exec(head)?.[1];
  // Bytes that reached here are not UTF-16 (no BOM, no 16-bit "<?"), so a UTF-16 label is wrong;
  // the XML spec says to read such a document as UTF-8.
  if (label && /^(utf-?16|ucs-?2)/i.test(label)) return 'utf-8';
  return label;
}

const CHARSET_PARAMETER = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]+))/i;

function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = CHARSET_PARAMETER.exec(contentType);
  const label = (match?.[1] ?? match?.[2])?.trim();
  return label || undefined;
}

/**
 * The label's canonical name. The Encoding Standard maps ISO-8859-1, Latin-1 and ASCII labels
 * to windows-1252, which is what such feeds nearly always are (curly quotes at 0x91-0x94).
 */
function supportedEncoding(label: string, source: string): string {
  try {
    return new TextDecoder(label).encoding;
  } catch (error) {
    // RangeError is TextDecoder's answer to a label it does not know; anything else is a bug.
    if (!(error instanceof RangeError)) throw error;
    throw new FeedParseError(
      'encoding',
      `unsupported character encoding "${label.slice(0, 40)}" named in ${source}`,
    );
  }
}

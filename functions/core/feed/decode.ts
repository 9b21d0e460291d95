import iconv from 'iconv-lite';
import { FeedParseError } from '#core/errors.ts';

/**
 * Bytes to text, trusting in order: a byte order mark, the XML declaration, the Content-Type
 * charset, then UTF-8. The declaration outranks the header because publishers write it next to
 * the bytes, while the header is often a server default ("text/xml; charset=utf-8" on Latin-1).
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): string {
  const encoding = detectEncoding(bytes, contentType);
  // The BOM has done its job; iconv-lite strips it so the parser never sees U+FEFF.
  return iconv.decode(bytes, encoding, { stripBOM: true });
}

/** The encoding the bytes are in, as an iconv-lite name; throws FeedParseError('encoding') when unknown. */
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
 * Feeds labelled ISO-8859-1 or ASCII are nearly always really windows-1252 (curly quotes at
 * 0x91-0x94); the WHATWG Encoding Standard decodes them that way, and so do we.
 */
const WINDOWS_1252_ALIASES = new Set(['iso-8859-1', 'iso8859-1', 'latin1', 'l1', 'us-ascii', 'ascii']);

function supportedEncoding(label: string, source: string): string {
  const normalised = label.toLowerCase();
  if (WINDOWS_1252_ALIASES.has(normalised)) return 'windows-1252';
  if (!iconv.encodingExists(normalised)) {
    throw new FeedParseError(
      'encoding',
      `unsupported character encoding "${label.slice(0, 40)}" named in ${source}`,
    );
  }
  return normalised;
}

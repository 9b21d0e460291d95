import { describe, expect, it } from 'vitest';
import { FeedParseError } from '#core/errors.ts';
import { decodeFeedBytes } from '#core/feed/index.ts';

/** Bytes spelled out: ASCII strings as their bytes, numbers as single raw bytes. */
function bytes(...parts: (string | number)[]): Uint8Array {
  return Buffer.concat(
    parts.map((part) => (typeof part === 'number' ? Buffer.from([part]) : Buffer.from(part, 'latin1'))),
  );
}

function thrownBy(action: () => unknown): FeedParseError {
  try {
    action();
  } catch (error) {
    if (error instanceof FeedParseError) return error;
    throw error;
  }
  throw new Error('expected a FeedParseError');
}

function utf16le(text: string): Buffer {
  return Buffer.from(text, 'utf16le');
}

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

describe('decodeFeedBytes', () => {
  it('defaults to UTF-8 and reads multi-byte characters', () => {
    expect(decodeFeedBytes(Buffer.from('<t>Zürich — “ok”</t>', 'utf8'))).toBe('<t>Zürich — “ok”</t>');
  });

  it('trusts a UTF-8 BOM over a contrary declaration and header, and strips it', () => {
    const input = bytes(
      0xef,
      0xbb,
      0xbf,
      '<?xml version="1.0" encoding="ISO-8859-1"?><t>S',
      0xc3,
      0xa1,
      'nchez</t>',
    );
    expect(decodeFeedBytes(input, 'text/xml; charset=windows-1251')).toBe(
      '<?xml version="1.0" encoding="ISO-8859-1"?><t>Sánchez</t>',
    );
  });

  it('reads UTF-16 LE and BE by their BOM', () => {
    const text = '<?xml version="1.0" encoding="UTF-16"?><t>Zürich</t>';
    expect(decodeFeedBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(text)]))).toBe(text);
    expect(decodeFeedBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)]))).toBe(text);
  });

  it('recognises UTF-16 without a BOM from the "<?" pattern', () => {
    const text = '<?xml version="1.0"?><t>Zürich</t>';
    expect(decodeFeedBytes(utf16le(text))).toBe(text);
    expect(decodeFeedBytes(utf16be(text))).toBe(text);
  });

  it('uses the XML declaration over the Content-Type charset', () => {
    const input = bytes('<?xml version="1.0" encoding="ISO-8859-1"?><t>S', 0xe1, 'nchez</t>');
    expect(decodeFeedBytes(input, 'application/rss+xml; charset=utf-8')).toBe(
      '<?xml version="1.0" encoding="ISO-8859-1"?><t>Sánchez</t>',
    );
  });

  it('reads ISO-8859-1 labels as windows-1252, so curly quotes survive', () => {
    const input = bytes("<?xml version='1.0' encoding='iso-8859-1'?><t>", 0x93, 'Ol', 0xe9, 0x94, '</t>');
    expect(decodeFeedBytes(input)).toBe("<?xml version='1.0' encoding='iso-8859-1'?><t>“Olé”</t>");
  });

  it.each([
    ['windows-1250', 0x9a, 'š'],
    ['windows-1251', 0xe4, 'д'],
    ['windows-1252', 0x80, '€'],
    ['windows-1253', 0xe1, 'α'],
    ['windows-1254', 0xfe, 'ş'],
    ['windows-1255', 0xf9, 'ש'],
    ['windows-1256', 0xc7, 'ا'],
    ['windows-1257', 0xe8, 'č'],
    ['windows-1258', 0xf5, 'ơ'],
    ['ISO-8859-2', 0xb9, 'š'],
    ['ISO-8859-5', 0xd4, 'д'],
    ['ISO-8859-7', 0xe1, 'α'],
    ['ISO-8859-15', 0xa4, '€'],
  ])('decodes %s declared in the prolog', (encoding, byte, character) => {
    const input = bytes(`<?xml version="1.0" encoding="${encoding}"?><t>`, byte, '</t>');
    expect(decodeFeedBytes(input)).toBe(`<?xml version="1.0" encoding="${encoding}"?><t>${character}</t>`);
  });

  it('falls back to the Content-Type charset, quoted or not', () => {
    const input = bytes('<t>', 0xe4, '</t>');
    expect(decodeFeedBytes(input, 'text/xml; charset=windows-1251')).toBe('<t>д</t>');
    expect(decodeFeedBytes(input, 'text/xml;Charset="KOI8-R"')).toBe('<t>Д</t>');
  });

  it('reads a UTF-16 label on single-byte data as UTF-8, as the XML spec says', () => {
    const input = Buffer.from('<?xml version="1.0" encoding="UTF-16"?><t>Zürich</t>', 'utf8');
    expect(decodeFeedBytes(input)).toBe('<?xml version="1.0" encoding="UTF-16"?><t>Zürich</t>');
  });

  it('rejects an unknown encoding named in the declaration', () => {
    const input = bytes('<?xml version="1.0" encoding="x-klingon"?><rss/>');
    expect(thrownBy(() => decodeFeedBytes(input))).toMatchObject({
      name: 'FeedParseError',
      kind: 'encoding',
      message: 'unsupported character encoding "x-klingon" named in the XML declaration',
    });
  });

  it('rejects an unknown charset in the Content-Type header', () => {
    expect(thrownBy(() => decodeFeedBytes(bytes('<rss/>'), 'text/xml; charset=bogus-9'))).toMatchObject({
      kind: 'encoding',
      message: 'unsupported character encoding "bogus-9" named in the Content-Type header',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { FeedParseError } from '#core/errors.ts';
import { decodeFeedBytes } from '#core/feed/decode.ts';

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

  it.each([
    ['Shift_JIS', [0x92, 0xe2, 0x90, 0xed], '停戦'],
    ['EUC-JP', [0xc4, 0xe4, 0xc0, 0xef], '停戦'],
    ['GB18030', [0xcd, 0xa3, 0xbb, 0xf0], '停火'],
    ['GB2312', [0xcd, 0xa3, 0xbb, 0xf0], '停火'],
    ['Big5', [0xb0, 0xb1, 0xa4, 0xf5], '停火'],
    ['EUC-KR', [0xc8, 0xde, 0xc0, 0xfc], '휴전'],
    ['KOI8-U', [0xeb, 0xc9, 0xa7, 0xd7], 'Київ'],
    ['macintosh', [0x43, 0x61, 0x66, 0x8e], 'Café'],
  ])('decodes multi-byte and legacy %s declared in the prolog', (encoding, encoded, text) => {
    const input = bytes(`<?xml version="1.0" encoding="${encoding}"?><t>`, ...encoded, '</t>');
    expect(decodeFeedBytes(input)).toBe(`<?xml version="1.0" encoding="${encoding}"?><t>${text}</t>`);
  });

  it.each(['windows-1252', 'ISO-8859-1', 'latin1', 'US-ASCII'])(
    'maps every byte 0x80-0x9F of %s as the Encoding Standard does',
    (label) => {
      const c1Bytes = Array.from({ length: 32 }, (_, index) => 0x80 + index);
      const input = bytes('<t>', ...c1Bytes, '</t>');
      expect(decodeFeedBytes(input, `text/xml; charset=${label}`)).toBe(
        '<t>€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ</t>',
      );
    },
  );

  it('strips a UTF-16 BOM and ignores a contrary Content-Type charset', () => {
    const input = Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be('<t>Zürich</t>')]);
    expect(decodeFeedBytes(input, 'text/xml; charset=windows-1251')).toBe('<t>Zürich</t>');
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

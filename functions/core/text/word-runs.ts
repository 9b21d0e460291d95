/**
 * A hand-written scan for word runs, equivalent to `/[\p{L}\p{N}\p{M}]+/gu` (marks are part
 * of the run so that decomposed accents do not split a word). Matching millions of words
 * a second, a RegExp match array and a substring per word cost more than the scan itself;
 * a table lookup per code unit costs next to nothing.
 */

const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;

/** 1 for [A-Za-z0-9]: the only ASCII word characters. */
export const ASCII_WORD = new Uint8Array(128);
for (let code = 0; code < 128; code += 1) {
  ASCII_WORD[code] = WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 0;
}

/** Classes of BMP code units, filled on first sight: 0 unknown, 1 word, 2 other. */
const BMP_CLASS = new Uint8Array(0x10000);
const astralWord = new Map<number, boolean>();

function isBmpWordChar(code: number): boolean {
  let known = BMP_CLASS[code];
  if (known === 0) {
    // A lone surrogate is \p{Cs}, never a word character, as in the RegExp.
    known = WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
    BMP_CLASS[code] = known;
  }
  return known === 1;
}

function isAstralWordChar(codePoint: number): boolean {
  let known = astralWord.get(codePoint);
  if (known === undefined) {
    known = WORD_CHAR.test(String.fromCodePoint(codePoint));
    astralWord.set(codePoint, known);
  }
  return known;
}

/** Length in code units of the word character at `at` (1, or 2 for a surrogate pair), or 0. */
export function wordCharWidth(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (code < 128) return ASCII_WORD[code] ?? 0;
  if (code >= 0xd800 && code <= 0xdbff) {
    const low = text.charCodeAt(at + 1);
    if (low >= 0xdc00 && low <= 0xdfff) {
      return isAstralWordChar((code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000) ? 2 : 0;
    }
    return 0;
  }
  return isBmpWordChar(code) ? 1 : 0;
}

/** Where the next word run starts at or after `from`, or text.length. */
export function nextRunStart(text: string, from: number): number {
  const length = text.length;
  let at = from;
  // Stepping one code unit past a non-word surrogate pair lands on its low half, which is
  // never a word character: no need to tell pairs apart here.
  while (at < length && wordCharWidth(text, at) === 0) at += 1;
  return at;
}

/** Where the word run starting at `start` ends (exclusive). */
export function runEnd(text: string, start: number): number {
  const length = text.length;
  let at = start;
  while (at < length) {
    const width = wordCharWidth(text, at);
    if (width === 0) break;
    at += width;
  }
  return at;
}

/**
 * A hand-written scan for word runs, equivalent to `/[\p{L}\p{N}\p{M}]+/gu` (marks are part
 * of the run so that decomposed accents do not split a word), except that a dotted
 * abbreviation (U.S., F.B.I.) is one run. Matching millions of words
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

/** Where the word run starting at `start` ends (exclusive); a dotted abbreviation is one run. */
export function runEnd(text: string, start: number): number {
  const length = text.length;
  let at = start;
  while (at < length) {
    const width = wordCharWidth(text, at);
    if (width === 0) break;
    at += width;
  }
  return abbreviationEnd(text, start, at);
}

const DOT = 0x2e;
/** Pairs of dotted letters that are not abbreviations of a name: a.m., p.m., e.g., i.e. */
const NOT_ABBREVIATIONS = new Set(['am', 'pm', 'eg', 'ie']);
const LETTER = /^\p{L}$/u;

/** Whether text[at] is one letter standing alone: a letter, with no word character after it. */
function isLoneLetter(text: string, at: number): boolean {
  if (at >= text.length) return false;
  const code = text.charCodeAt(at);
  const isLetter = code < 128 ? (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a : LETTER.test(text.charAt(at));
  return isLetter && (at + 1 >= text.length || wordCharWidth(text, at + 1) === 0);
}

/**
 * Where the dotted abbreviation that starts at the one-character run text[start..end) ends
 * (after its final dot, when it has one), or `end` when there is none. Single letters joined
 * by dots (U.S., F.B.I., U.S.S.R., u.k.) read as one word, as USA and FBI do; not digits (2.5 is not 25), not a letter then a longer word (U.Sanctions),
 * and not a.m., p.m., e.g. or i.e. (a watch for PM, a prime minister, must not match every
 * time of day).
 */
export function abbreviationEnd(text: string, start: number, end: number): number {
  if (end !== start + 1 || text.charCodeAt(end) !== DOT || !isLoneLetter(text, start)) return end;
  let at = end;
  while (text.charCodeAt(at) === DOT && isLoneLetter(text, at + 1)) at += 2;
  if (at === start + 3 && NOT_ABBREVIATIONS.has(`${text[start]}${text[start + 2]}`.toLowerCase())) return end;
  if (at === end) return end;
  return text.charCodeAt(at) === DOT ? at + 1 : at;
}

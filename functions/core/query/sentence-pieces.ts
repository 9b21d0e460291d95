import type { TextRange } from './snippet.ts';

// Sentence_Break classes (UAX #29, SentenceBreakProperty.txt) of the characters the scan reads.
const OTHER = 0;
const CR = 1;
const LF = 2;
const SP = 3;
const LOWER = 4;
const UPPER = 5;
const NUMERIC = 6;
const ATERM = 7;
const STERM = 8;
const CLOSE = 9;
const SCONTINUE = 10;
/** A character the scan has no class for: the text is handed to ICU. */
const UNKNOWN = 11;

const PIECE_CLASS = new Uint8Array(0x100);
// Controls other than whitespace, and the Latin-1 characters whose class is not plain (the
// soft hyphen is Format; ª, º and µ are Lower; ², ³ and ¹ are not Numeric).
for (let code = 0; code < 0x20; code++) PIECE_CLASS[code] = UNKNOWN;
for (let code = 0x7f; code < 0xa0; code++) PIECE_CLASS[code] = UNKNOWN;
for (const code of [0xaa, 0xad, 0xb2, 0xb3, 0xb5, 0xb9, 0xba]) PIECE_CLASS[code] = UNKNOWN;
for (let code = 0x61; code <= 0x7a; code++) PIECE_CLASS[code] = LOWER;
for (let code = 0x41; code <= 0x5a; code++) PIECE_CLASS[code] = UPPER;
for (let code = 0x30; code <= 0x39; code++) PIECE_CLASS[code] = NUMERIC;
for (let code = 0xc0; code <= 0xde; code++) if (code !== 0xd7) PIECE_CLASS[code] = UPPER;
for (let code = 0xdf; code <= 0xff; code++) if (code !== 0xf7) PIECE_CLASS[code] = LOWER;
for (const code of [0x09, 0x0b, 0x0c, 0x20, 0xa0]) PIECE_CLASS[code] = SP;
for (const char of '"\'()[]{}\u00ab\u00bb') PIECE_CLASS[char.charCodeAt(0)] = CLOSE;
for (const char of ',-:;') PIECE_CLASS[char.charCodeAt(0)] = SCONTINUE;
PIECE_CLASS[0x0d] = CR;
PIECE_CLASS[0x0a] = LF;
PIECE_CLASS[0x2e] = ATERM;
PIECE_CLASS[0x21] = STERM;
PIECE_CLASS[0x3f] = STERM;

function classAt(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (code < 0x100) return PIECE_CLASS[code] as number;
  if (code === 0x2013 || code === 0x2014) return SCONTINUE; // en and em dashes
  if (code === 0x2018 || code === 0x2019 || code === 0x201c || code === 0x201d) return CLOSE; // curly quotes
  if (code === 0x2022 || code === 0x2026) return OTHER; // •, …
  return UNKNOWN;
}

/**
 * Where a scan stops: a terminator or a line break (the only characters of a scanned text a
 * piece can end after), or a character classAt does not know. One negated class, as every
 * other character: V8 runs it several times faster than two alternatives.
 */
const NEXT_STOP =
  /[^\t\v\f "-\-/->@-~\u00a0-\u00a9\u00ab\u00ac\u00ae-\u00b1\u00b4\u00b6-\u00b8\u00bb-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026]/g;

/**
 * The sentences of a text as Unicode's sentence rules (UAX #29) bound them, before the snippet
 * joins pieces at abbreviations: what `Intl.Segmenter('en', { granularity: 'sentence' })` gives.
 *
 * An explained item quotes a few sentences of its text, and ICU answers each question about a
 * sentence in tens of microseconds (cloning its break iterator, backing up to a safe point, a
 * string for the segment): more than matching the item. So the pieces are found by a scan that
 * applies the rules as it goes, reading each character once and only as far into the text as
 * the sentences asked for; a text with a character the scan has no class for (other scripts,
 * emoji, format characters) is asked of ICU from there on. Rules by UAX #29 number; SB5
 * (Extend and Format) never applies, as the scanned texts hold neither.
 */
export class SentencePieces {
  /** Where pieces start, in order, the first at 0: every start before `scanned` is known. */
  private readonly starts: number[] = [0];
  private scanned = 0;
  private icu: IcuPieces | undefined;

  constructor(private readonly text: string) {}

  /** The piece that holds `offset`, for an offset inside the text. */
  pieceAt(offset: number): TextRange {
    const { starts, text } = this;
    while (this.scanned < text.length && (starts[starts.length - 1] as number) <= offset) {
      this.scanFurther();
      if (this.icu) break;
    }
    if (this.icu) return this.icu.pieceAt(offset);
    let low = 0;
    let high = starts.length;
    while (high - low > 1) {
      const middle = (low + high) >>> 1;
      if ((starts[middle] as number) <= offset) low = middle;
      else high = middle;
    }
    return { start: starts[low] as number, end: starts[low + 1] ?? text.length };
  }

  /** Reads on past the next terminator or line break, recording a boundary if one follows it. */
  private scanFurther(): void {
    const { text } = this;
    const length = text.length;
    NEXT_STOP.lastIndex = this.scanned;
    // test() rather than exec(): no match array to make; the stop is the one code unit before lastIndex.
    if (!NEXT_STOP.test(text)) {
      this.scanned = length;
      return;
    }
    const at = NEXT_STOP.lastIndex - 1;
    const kind = classAt(text, at);
    if (kind === UNKNOWN) {
      this.icu = new IcuPieces(text);
      return;
    }
    if (kind === CR || kind === LF) {
      // SB3, SB4: a break after a paragraph separator, CR LF kept together.
      this.scanned = kind === CR && at + 1 < length && text.charCodeAt(at + 1) === 0x0a ? at + 2 : at + 1;
      this.boundaryAt(this.scanned);
      return;
    }
    // SB9, SB10: no break inside the closing punctuation and spaces after a terminator.
    let next = at + 1;
    while (next < length && classAt(text, next) === CLOSE) next++;
    while (next < length && classAt(text, next) === SP) next++;
    this.scanned = next;
    if (next === length) return;
    const following = classAt(text, next);
    if (following === CR || following === LF) return; // SB11 breaks after the separator, read next.
    const goesOn = this.continuesAfter(kind, at, next, following);
    if (goesOn === undefined) this.icu = new IcuPieces(text);
    else if (!goesOn) this.boundaryAt(next);
  }

  /**
   * Whether the sentence goes on after the terminator at `at` and what follows it up to `next`;
   * undefined when that depends on a character the scan does not know.
   */
  private continuesAfter(kind: number, at: number, next: number, following: number): boolean | undefined {
    if (following === UNKNOWN) return undefined;
    // SB8a: a comma, a dash or another terminator goes on.
    if (following === SCONTINUE || following === ATERM || following === STERM) return true;
    if (kind !== ATERM) return false;
    if (next === at + 1) {
      // SB6: a full stop before a digit ("3.5"); SB7: between a letter and a capital ("U.S.A").
      if (following === NUMERIC) return true;
      if (following === UPPER && at > 0) {
        const before = classAt(this.text, at - 1);
        if (before === UPPER || before === LOWER) return true;
      }
    }
    // SB8: a full stop goes on when the next letter, past anything but letters, separators
    // and terminators, is lower-case ("etc. and").
    const { text } = this;
    for (let probe = next; probe < text.length; probe++) {
      const kindAt = classAt(text, probe);
      if (kindAt === LOWER) return true;
      if (kindAt === UNKNOWN) return undefined;
      if (kindAt === UPPER || kindAt === CR || kindAt === LF || kindAt === ATERM || kindAt === STERM)
        return false;
    }
    return false;
  }

  private boundaryAt(at: number): void {
    if (at < this.text.length) this.starts.push(at);
  }
}

// Built on first use: creating the ICU sentence segmenter costs ~20 ms, which a poller
// cold start would pay even when no feed changed.
let segmenter: Intl.Segmenter | undefined;

/** Pieces asked of ICU one offset at a time: most of a long text is never quoted. */
class IcuPieces {
  private readonly segments: Intl.Segments;

  constructor(text: string) {
    segmenter ??= new Intl.Segmenter('en', { granularity: 'sentence' });
    this.segments = segmenter.segment(text);
  }

  pieceAt(offset: number): TextRange {
    const segment = this.segments.containing(offset) as Intl.SegmentData;
    return { start: segment.index, end: segment.index + segment.segment.length };
  }
}

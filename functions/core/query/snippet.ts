import { SentencePieces } from './sentence-pieces.ts';

/** A snippet longer than this is cut to about SNIPPET_WINDOW characters around the hit. */
export const MAX_SENTENCE_LENGTH = 240;
export const SNIPPET_WINDOW = 200;
/** How much of the window goes before the hit when a long sentence is cut. */
const LEAD = 60;
const ELLIPSIS = '…';

export interface TextRange {
  start: number;
  end: number;
}

/**
 * The sentence around the first range (or about 200 characters of it, cut at word
 * boundaries with "…"), and the same text with every range inside it marked `**word**`.
 * Whitespace is collapsed so the result reads as one line in an email or SMS.
 */
export function buildSnippet(
  text: string,
  ranges: readonly TextRange[],
  sentenceIndex: SentenceIndex = new SentenceIndex(text),
): { snippet: string; highlight: string } {
  const sorted = inTextOrder(ranges) ? ranges : [...ranges].sort(byTextOrder);
  const first = sorted[0];
  if (!first) return { snippet: '', highlight: '' };
  const sentence = sentenceIndex.sentenceAt(first.start);
  const window =
    sentence.end - sentence.start > MAX_SENTENCE_LENGTH ? cutAround(text, sentence, first) : sentence;
  const lead = window.start > sentence.start ? ELLIPSIS : '';
  const tail = window.end < sentence.end ? ELLIPSIS : '';

  let highlight = '';
  let cursor = window.start;
  // Marks and ellipses are not whitespace and every piece lies inside the trimmed window
  // when each range runs forward, so a window with no whitespace to collapse (the common
  // case) needs no second pass over either result.
  let forward = Number.isInteger(window.start) && Number.isInteger(window.end);
  for (const range of sorted) {
    if (range.start < cursor || range.end > window.end) continue;
    if (!(range.start <= range.end)) forward = false;
    highlight += `${text.slice(cursor, range.start)}**${text.slice(range.start, range.end)}**`;
    cursor = range.end;
  }
  highlight += text.slice(cursor, window.end);
  const plain = text.slice(window.start, window.end);
  // Most matches of an item quote a sentence another match has quoted, so a whole
  // sentence remembers the answer.
  let tidy = window === sentence ? sentence.tidy : undefined;
  if (tidy === undefined) {
    tidy = !hasLooseWhitespace(text, window.start, window.end);
    if (window === sentence) sentence.tidy = tidy;
  }
  if (forward && tidy) {
    return { snippet: lead + plain + tail, highlight: lead + highlight + tail };
  }
  return { snippet: oneLine(lead + plain + tail), highlight: oneLine(lead + highlight + tail) };
}

function byTextOrder(a: TextRange, b: TextRange): number {
  return a.start - b.start || b.end - a.end;
}

/** Whether sorting by byTextOrder would leave the ranges as they are (most of a match's are one term's, in order). */
function inTextOrder(ranges: readonly TextRange[]): boolean {
  for (let at = 1; at < ranges.length; at++) {
    if (!(byTextOrder(ranges[at - 1] as TextRange, ranges[at] as TextRange) <= 0)) return false;
  }
  return true;
}

/**
 * Whether `text.slice(start, end)` has whitespace that oneLine would change: at either end, two
 * in a row, or other than a space. Read in place: a RegExp over the slice cost more.
 */
function hasLooseWhitespace(text: string, start: number, end: number): boolean {
  const first = sliceIndex(text, start);
  const stop = Math.max(first, sliceIndex(text, end));
  if (first === stop) return false;
  if (isSpace(text.charCodeAt(first)) || isSpace(text.charCodeAt(stop - 1))) return true;
  for (let at = first + 1; at < stop; at++) {
    const code = text.charCodeAt(at);
    // Most characters are neither a space nor other whitespace: one range test.
    if (code > SPACE && code < 0xa0) continue;
    if (code === SPACE) {
      if (text.charCodeAt(at - 1) === SPACE) return true;
    } else if (isSpace(code)) {
      return true;
    }
  }
  return false;
}

/**
 * Sentences of one text, shared by every watch that quotes it. Only the sentences that
 * hold a hit are looked up (see SentencePieces), instead of segmenting the whole text: most
 * of a long body is never quoted. Each sentence found is kept, because the matches of one
 * item mostly quote the same few sentences.
 */
export class SentenceIndex {
  /** The text with lone line breaks flowed (see flowLoneLineBreaks), and its pieces: made on first use. */
  private flowed = '';
  private pieces: SentencePieces | undefined;
  /** Sentences found so far, in text order: untrimmed bounds as the pieces gave them, and trimmed. */
  private readonly found: KnownSentence[] = [];
  private whole: Sentence | undefined;

  constructor(private readonly text: string) {}

  /** The trimmed sentence that contains `offset`. */
  around(offset: number): TextRange {
    const { start, end } = this.sentenceAt(offset);
    return { start, end };
  }

  /** As around(), but the index's own record of the sentence, shared by later calls. */
  sentenceAt(offset: number): Sentence {
    // As Segments.containing reads its argument: truncated, NaN as 0, and no sentence
    // outside the text.
    const at = Math.trunc(offset) || 0;
    if (at < 0 || at >= this.text.length) return this.wholeText();
    const found = this.found;
    let low = 0;
    let high = found.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const known = found[middle] as KnownSentence;
      if (at < known.segmentStart) high = middle;
      else if (at >= known.segmentEnd) low = middle + 1;
      else return known;
    }
    if (!this.pieces) {
      this.flowed = flowLoneLineBreaks(this.text);
      this.pieces = new SentencePieces(this.flowed);
    }
    const { pieces } = this;
    const piece = pieces.pieceAt(at);
    let segmentStart = piece.start;
    let segmentEnd = piece.end;
    // The sentence rules end a sentence at any full stop before a capital: "signed by Mr." |
    // "Smith on Monday.", "The U.S." | "Army said". Such pieces are joined again, a few on each
    // side: a snippet is cut to SNIPPET_WINDOW anyway, and each piece asked of ICU costs more
    // the further into the text it is (a roll call of 4,000 "Sen." would cost seconds).
    let merged = false;
    for (let current = piece, joined = 0; segmentStart > 0 && joined < MAX_JOINED_PIECES; joined++) {
      const previous = pieces.pieceAt(segmentStart - 1);
      if (!continuesInto(this.flowed, previous, current)) break;
      current = previous;
      segmentStart = previous.start;
      merged = true;
    }
    for (
      let current = piece, joined = 0;
      segmentEnd < this.text.length && joined < MAX_JOINED_PIECES;
      joined++
    ) {
      const next = pieces.pieceAt(segmentEnd);
      if (!continuesInto(this.flowed, current, next)) break;
      current = next;
      segmentEnd = next.end;
      merged = true;
    }
    const { start, end } = trimRange(this.text, segmentStart, segmentEnd);
    const known = { segmentStart, segmentEnd, start, end };
    // A joined sentence is not kept: bounded by where it was asked from, another offset in it
    // could join other pieces, and kept sentences must never overlap.
    if (merged) return known;
    // `low` is where the sentence goes: it holds an offset no known sentence holds, and
    // sentences never overlap.
    // By hand: Array#splice costs more than moving the few sentences after it.
    for (let at = found.length; at > low; at--) found[at] = found[at - 1] as KnownSentence;
    found[low] = known;
    return known;
  }

  private wholeText(): Sentence {
    this.whole ??= trimRange(this.text, 0, this.text.length);
    return this.whole;
  }
}

/**
 * Whether the sentence the rules ended with `piece` goes on in `next`: `piece` ends in a title no
 * sentence ends with (Mr., Gov., Sen., v.), or in an abbreviation that may end one (U.S., John
 * F., a.m., Inc., Jr., St., No.) and `next` does not open as sentences do ("The U.S. Army", "9 a.m.
 * GMT", "Tesla Inc. Chief Executive", but "in the U.S. It is", "at 5 p.m. The vote").
 */
function continuesInto(text: string, piece: TextRange, next: TextRange): boolean {
  // The end alone: testing a whole long piece from its start would cost its length.
  const from = Math.max(piece.start, piece.end - PIECE_END);
  const word = wordBeforeFinalStop(text, from, piece.end);
  if (word === undefined) return false;
  if (word === NOT_PLAIN) {
    const end = text.slice(from, piece.end);
    if (TITLE_AT_END.test(end)) return true;
    if (!MAY_END_AT_END.test(end)) return false;
  } else {
    if (TITLES.has(word)) return true;
    if (!MAY_END_WORDS.has(word) && !INITIALS.test(word)) return false;
  }
  return !SENTENCE_OPENING.test(text.slice(next.start, next.end));
}

/** wordBeforeFinalStop's answer for a word with a character other than ASCII: the RegExps decide. */
const NOT_PLAIN = '\u0000';

/**
 * What TITLE_AT_END and MAY_END_AT_END test, read backwards from the end of
 * `text.slice(from, to)` instead of tried at each of its characters: the run of letters, digits
 * and full stops before its last character other than whitespace, when that is a full stop
 * (the run is all either RegExp's alternatives can be, bounded as the RegExps bound them);
 * undefined when the piece does not end in a full stop; NOT_PLAIN when the run reaches a
 * character other than ASCII, whose class only the RegExps know.
 */
function wordBeforeFinalStop(text: string, from: number, to: number): string | undefined {
  let stop = to;
  while (stop > from && isSpace(text.charCodeAt(stop - 1))) stop -= 1;
  if (stop === from || text.charCodeAt(stop - 1) !== DOT) return undefined;
  const end = stop - 1;
  let start = end;
  for (; start > from; start -= 1) {
    const code = text.charCodeAt(start - 1);
    if (code >= 0x80) return NOT_PLAIN;
    if (!isAsciiWordOrStop(code)) break;
  }
  return text.slice(start, end);
}

function isAsciiWordOrStop(code: number): boolean {
  return (
    code === DOT ||
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a)
  );
}

const DOT = 0x2e;

const PIECE_END = 32;
const MAX_JOINED_PIECES = 4;

const TITLE_WORDS =
  'Mr|Mrs|Ms|Messrs|Dr|Prof|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Col|Maj|Brig|Sgt|Cpl|Pvt|Capt|Cmdr|Adm|Det|Supt|Insp|Pres|Amb|Atty|Rev|Fr|Hon|Rt|Mt|Ft|Nos|vs|v|Blvd|approx|est';
const MAY_END_WORD_LIST =
  'Inc|Co|Corp|Ltd|Bros|LLC|Plc|plc|Jr|Sr|No|St|Ave|Rd|Univ|Dept|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec';
/** Titles no sentence ends with, before their full stop. */
const TITLES: ReadonlySet<string> = new Set(TITLE_WORDS.split('|'));
/** Abbreviations that may end a sentence, besides initials (U.S, F) and a.m. or p.m. */
const MAY_END_WORDS: ReadonlySet<string> = new Set(MAY_END_WORD_LIST.split('|'));
const INITIALS = /^(?:(?:[A-Z]\.)*[A-Z]|[aApP]\.[mM])$/;
// The same tests for a piece's end that has characters other than ASCII before its full stop.
const TITLE_AT_END = new RegExp(`(?:^|[^\\p{L}\\p{N}.])(?:${TITLE_WORDS})\\.\\s*$`, 'u');
const MAY_END_AT_END = new RegExp(
  `(?:^|[^\\p{L}\\p{N}.])(?:(?:\\p{Lu}\\.)*\\p{Lu}|[aApP]\\.[mM]|${MAY_END_WORD_LIST})\\.\\s*$`,
  'u',
);
/** Words a new sentence in news often opens with. */
const SENTENCE_OPENING =
  /^\s*["'“‘(]?(?:(?:The|A|An|It|Its|He|She|They|We|I|You|His|Her|Their|Our|This|That|These|Those|There|But|And|Or|So|Yet|In|On|At|For|From|With|As|After|Before|While|When|If|Although|Since|Meanwhile|However|Still|Then|Now|Later|Earlier|Some|Many|Most|One|No|Shares|Officials)(?=[\s,;:])|(?:Mr|Mrs|Ms|Dr)\.)/u;

/** A trimmed sentence as a SentenceIndex keeps it. */
export interface Sentence {
  readonly start: number;
  readonly end: number;
  /** Whether its whitespace is already single spaces between words; worked out on first need. */
  tidy?: boolean;
}

interface KnownSentence extends Sentence {
  /** The sentence as the pieces bound it, before trimming: every offset in it finds this sentence. */
  readonly segmentStart: number;
  readonly segmentEnd: number;
}

// A lone line break is markup turned into whitespace (`of<br/>the`), not the end of a
// sentence; a blank line still is. Same length, so offsets stay valid.
const LONE_LINE_BREAK = /(?<![\r\n])(?:\r\n|[\r\n\u2028])(?![\r\n])/gu;

/** The text with lone line breaks as spaces; the text itself when it has no line break, as most bodies. */
function flowLoneLineBreaks(text: string): string {
  // Three native searches cost less than one RegExp search over the text.
  if (text.indexOf('\n') === -1 && text.indexOf('\r') === -1 && text.indexOf('\u2028') === -1) return text;
  return text.replace(LONE_LINE_BREAK, (lineBreak) => ' '.repeat(lineBreak.length));
}

function cutAround(text: string, sentence: TextRange, hit: TextRange): TextRange {
  let start = Math.max(sentence.start, hit.start - LEAD);
  let end = Math.min(sentence.end, Math.max(start + SNIPPET_WINDOW, hit.end));
  if (start > sentence.start) {
    // Move forward to the start of a whole word, never past the hit.
    const space = firstSpaceIn(text, start, hit.start);
    start = space === -1 ? hit.start : start + space;
  }
  if (end < sentence.end) {
    // Move back to the end of a whole word, never before the hit.
    const space = lastSpaceIn(text, hit.end, end);
    end = space === -1 ? hit.end : hit.end + space;
  }
  return trimRange(text, start, end);
}

/** Where `text.slice(from, to)` finds its first whitespace, without building the slice; -1 if none. */
function firstSpaceIn(text: string, from: number, to: number): number {
  const first = sliceIndex(text, from);
  const stop = sliceIndex(text, to);
  for (let at = first; at < stop; at++) if (isSpace(text.charCodeAt(at))) return at - first;
  return -1;
}

/** Where `text.slice(from, to)` has its last whitespace, without building the slice; -1 if none. */
function lastSpaceIn(text: string, from: number, to: number): number {
  const first = sliceIndex(text, from);
  for (let at = sliceIndex(text, to) - 1; at >= first; at--)
    if (isSpace(text.charCodeAt(at))) return at - first;
  return -1;
}

/** An argument of String#slice as slice resolves it: truncated, from the end if negative, clamped. */
function sliceIndex(text: string, index: number): number {
  const whole = Math.trunc(index) || 0;
  return whole < 0 ? Math.max(text.length + whole, 0) : Math.min(whole, text.length);
}

function trimRange(text: string, start: number, end: number): TextRange {
  while (start < end && isSpace(text.charCodeAt(start))) start += 1;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end -= 1;
  return { start, end };
}

/** Runs of whitespace collapsed to one space, none at either end. */
function oneLine(text: string): string {
  let line = '';
  let at = 0;
  while (at < text.length && isSpace(text.charCodeAt(at))) at++;
  let copied = at;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (!isSpace(code)) {
      at++;
      continue;
    }
    let runEnd = at + 1;
    while (runEnd < text.length && isSpace(text.charCodeAt(runEnd))) runEnd++;
    if (runEnd === text.length) return line + text.slice(copied, at);
    // A single plain space is already what the run would become: keep copying.
    if (code !== SPACE || runEnd !== at + 1) {
      line += `${text.slice(copied, at)} `;
      copied = runEnd;
    }
    at = runEnd;
  }
  return line + text.slice(copied);
}

const SPACE = 0x20;

/**
 * Whether a UTF-16 code unit is whitespace as `\s` in a /u RegExp (and String#trim) see
 * it: WhiteSpace and LineTerminator of ECMAScript, which is Unicode's Space_Separator plus
 * tab, LF, VT, FF, CR, U+2028, U+2029 and U+FEFF. Checked code by code instead of a RegExp
 * per character: this runs over every character of every snippet.
 */
function isSpace(code: number): boolean {
  if (code <= SPACE) return code === SPACE || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

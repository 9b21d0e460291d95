import { foldWord } from './fold.ts';
import { memoised } from './memo.ts';
import { foldedWordKey } from './word-form.ts';
import { nextRunStart, runEnd } from './word-runs.ts';

export interface Token {
  /** Word-form key (see wordKey). */
  key: string;
  /** The folded word. */
  surface: string;
  /** Offsets of the word in the original text, end exclusive. */
  start: number;
  end: number;
}

/** A folded word and its key: what a run of text stands for, whatever its offsets. */
export interface WordForm {
  key: string;
  surface: string;
}

const WORD_PART = /[\p{L}\p{N}]+/gu;
const ASCII_WORD = /^[a-z0-9]+$/;

/**
 * Words that are also acronyms in the news, told apart by their capitals: US and us, WHO and
 * who, IT and it, IS (Islamic State), UN and the un- of un-named, AIDS, AIM (the London
 * market), ARM (the chip maker), ICE (the US agency), UP, AM. Written in capitals, in a
 * query or in the text, such a word has a key of its own, its capitals, which no folded
 * word's key can be: a watch for the WHO is not flooded by every who. Not OR: "OR" in quotes
 * is how a query asks for the word or. A field of text all in capitals reads them as words
 * (see ItemAnalyser), but not a dotted abbreviation, an acronym in either case (u.s. is US).
 */
const ACRONYM_WORDS = new Set(['us', 'who', 'it', 'is', 'un', 'aids', 'aim', 'arm', 'ice', 'up', 'am']);

/** The key of `folded` written in capitals, when it is one of ACRONYM_WORDS. */
export function acronymKey(folded: string): string | undefined {
  return ACRONYM_WORDS.has(folded) ? folded.toUpperCase() : undefined;
}

/** The acronym key of a run written in capitals (US, not Us or us), else undefined. */
export function acronymOf(run: string, folded: string): string | undefined {
  return run !== folded && run === run.toUpperCase() ? acronymKey(folded) : undefined;
}

/**
 * The words of one run of letters, digits and marks: almost always one; none or several
 * in rare cases (a run that is all marks, a compatibility character that folds apart).
 */
export function runForms(run: string): WordForm[] {
  if (run.includes('.')) {
    // A dotted abbreviation (see abbreviationEnd) is an acronym in either case: u.s. is US.
    const letters = foldWord(run.replaceAll('.', ''));
    return [{ key: acronymKey(letters) ?? foldedWordKey(letters), surface: letters }];
  }
  const folded = foldWord(run);
  if (ASCII_WORD.test(folded))
    return [{ key: acronymOf(run, folded) ?? foldedWordKey(folded), surface: folded }];
  const forms: WordForm[] = [];
  for (const part of folded.matchAll(WORD_PART)) {
    forms.push({ key: foldedWordKey(part[0]), surface: part[0] });
  }
  return forms;
}

// Keyed by the run as written: a word seen before costs one lookup instead of a fold and a stem.
const cachedRunForms = memoised(runForms);

/** Calls `visit` with each run of text's offsets and its words. */
function forEachRun(text: string, visit: (forms: WordForm[], start: number, end: number) => void): void {
  for (let start = nextRunStart(text, 0); start < text.length; start = nextRunStart(text, start)) {
    const end = runEnd(text, start);
    visit(cachedRunForms(text.slice(start, end)), start, end);
    start = end;
  }
}

/** Splits text into words: maximal runs of letters and digits after folding. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  forEachRun(text, (forms, start, end) => {
    // Parts of a run share its offsets: folding can change lengths.
    for (const { key, surface } of forms) tokens.push({ key, surface, start, end });
  });
  return tokens;
}

/**
 * The words of a query term: folded, but an acronym written in capitals (see ACRONYM_WORDS)
 * as its key, its capitals, which foldedWordKey keeps as they are.
 */
export function queryWords(text: string): string[] {
  const words: string[] = [];
  forEachRun(text, (forms) => {
    for (const { key, surface } of forms) words.push(key === surface.toUpperCase() ? key : surface);
  });
  return words;
}

/** Folded words of a piece of text, without keys or offsets (no object per word). */
export function foldedWords(text: string): string[] {
  const words: string[] = [];
  forEachRun(text, (forms) => {
    for (const { surface } of forms) words.push(surface);
  });
  return words;
}

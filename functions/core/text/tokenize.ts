import { foldWord } from './fold.ts';
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
 * The words of one run of letters, digits and marks: almost always one; none or several
 * in rare cases (a run that is all marks, a compatibility character that folds apart).
 */
export function runForms(run: string): WordForm[] {
  const folded = foldWord(run);
  if (ASCII_WORD.test(folded)) return [{ key: foldedWordKey(folded), surface: folded }];
  const forms: WordForm[] = [];
  for (const part of folded.matchAll(WORD_PART)) {
    forms.push({ key: foldedWordKey(part[0]), surface: part[0] });
  }
  return forms;
}

// Keyed by the run as written: a word seen before costs one lookup instead of a fold and
// a stem. Bounded like the stemmer memo, for the same open vocabulary.
const MAX_CACHED_RUNS = 200_000;
const formsByRun = new Map<string, WordForm[]>();

function cachedRunForms(run: string): WordForm[] {
  let forms = formsByRun.get(run);
  if (forms === undefined) {
    forms = runForms(run);
    if (formsByRun.size >= MAX_CACHED_RUNS) formsByRun.clear();
    formsByRun.set(run, forms);
  }
  return forms;
}

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

/** Folded words of a piece of text, without keys or offsets (no object per word). */
export function foldedWords(text: string): string[] {
  const words: string[] = [];
  forEachRun(text, (forms) => {
    for (const { surface } of forms) words.push(surface);
  });
  return words;
}

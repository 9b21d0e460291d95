import { foldWord } from './fold.ts';
import { foldedWordKey } from './word-form.ts';

export interface Token {
  /** Word-form key (see wordKey). */
  key: string;
  /** The folded word. */
  surface: string;
  /** Offsets of the word in the original text, end exclusive. */
  start: number;
  end: number;
}

// Marks are part of the run so that decomposed accents (`a` + U+0301) do not split a word;
// folding then removes them.
const WORD_RUN = /[\p{L}\p{N}\p{M}]+/gu;
const WORD_PART = /[\p{L}\p{N}]+/gu;
const ASCII_WORD = /^[a-z0-9]+$/;

/** Splits text into words: maximal runs of letters and digits after folding. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const run of text.matchAll(WORD_RUN)) {
    const start = run.index;
    const end = start + run[0].length;
    const folded = foldWord(run[0]);
    if (ASCII_WORD.test(folded)) {
      tokens.push({ key: foldedWordKey(folded), surface: folded, start, end });
      continue;
    }
    for (const part of folded.matchAll(WORD_PART)) {
      // Parts share the run's offsets: folding can change lengths, and a run splits
      // only in rare cases (a run that is all marks, a compatibility character).
      tokens.push({ key: foldedWordKey(part[0]), surface: part[0], start, end });
    }
  }
  return tokens;
}

/** Folded words of a piece of text, without keys or offsets. */
export function foldedWords(text: string): string[] {
  return tokenize(text).map((token) => token.surface);
}

export { foldWord } from './fold.ts';
export { phrasalCompoundsOf } from './phrasal.ts';
export {
  acronymKey,
  acronymOf,
  foldedWords,
  queryWords,
  runForms,
  type Token,
  tokenize,
  type WordForm,
} from './tokenize.ts';
export { foldedWordKey, isAcronymKey, wordKey } from './word-form.ts';
export { ASCII_WORD, abbreviationEnd, nextRunStart, runEnd, wordCharWidth } from './word-runs.ts';

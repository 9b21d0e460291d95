export { phrasalCompoundsOf } from './phrasal.ts';
export { acronymOf, foldedWords, queryWords, runForms, tokenize } from './tokenize.ts';
export { foldedWordKey, isAcronymKey } from './word-form.ts';
export { ASCII_WORD, abbreviationEnd, wordCharWidth } from './word-runs.ts';

export { foldWord } from './fold.ts';
export { foldedWords, type Token, tokenize } from './tokenize.ts';
export { foldedWordKey, wordKey } from './word-form.ts';

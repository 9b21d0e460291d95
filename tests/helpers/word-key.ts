import { foldWord } from '#core/text/fold.ts';
import { foldedWordKey } from '#core/text/word-form.ts';

/** The word-form key of any word as the tokenizer computes it: fold, then stem and derive. */
export function wordKey(word: string): string {
  return foldedWordKey(foldWord(word));
}

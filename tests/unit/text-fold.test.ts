import { describe, expect, test } from 'vitest';
import { foldWord } from '#core/text/fold.ts';

describe('foldWord', () => {
  test.each([
    ['Sánchez', 'sanchez'],
    ['SANCHEZ', 'sanchez'],
    ['sanchez', 'sanchez'],
    ['Sa\u0301nchez', 'sanchez'],
    ['Zelenskyy', 'zelenskyy'],
    ['Erdoğan', 'erdogan'],
    ['İstanbul', 'istanbul'],
    ['Straße', 'strasse'],
    ['CAFÉ', 'cafe'],
  ])('folds %s to %s', (word, folded) => {
    expect(foldWord(word)).toBe(folded);
  });
});

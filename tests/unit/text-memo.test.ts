import { describe, expect, test } from 'vitest';
import { memoised } from '#core/text/memo.ts';

describe('text memos', () => {
  test('compute once per word, forget the words unused for a turnover, keep the ones in use', () => {
    const computed: string[] = [];
    const upper = memoised((word: string) => {
      computed.push(word);
      return word.toUpperCase();
    });

    expect([upper('truce'), upper('truce')]).toEqual(['TRUCE', 'TRUCE']);
    // 300,000 other words: more than the memo keeps (200,000). "ceasefire" is used throughout.
    upper('ceasefire');
    for (let n = 0; n < 300_000; n++) {
      upper(`w${n}`);
      if (n % 50_000 === 0) upper('ceasefire');
    }
    computed.length = 0;

    expect([upper('ceasefire'), upper('w299999'), upper('truce'), upper('w0')]).toEqual([
      'CEASEFIRE',
      'W299999',
      'TRUCE',
      'W0',
    ]);
    expect(computed).toEqual(['truce', 'w0']);
  });
});

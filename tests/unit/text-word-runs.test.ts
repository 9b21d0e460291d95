import { describe, expect, test } from 'vitest';
import { tokenize } from '#core/text/index.ts';
import { nextRunStart, runEnd } from '#core/text/word-runs.ts';

/** The runs the hand-written scan finds, as strings. */
function runs(text: string): string[] {
  const found: string[] = [];
  for (let start = nextRunStart(text, 0); start < text.length; start = nextRunStart(text, start)) {
    const end = runEnd(text, start);
    found.push(text.slice(start, end));
    start = end;
  }
  return found;
}

describe('word runs: the same runs as /[\\p{L}\\p{N}\\p{M}]+/gu', () => {
  test.each([
    ['plain ASCII with punctuation', 'Cease-fire, (talks) 200bn!'],
    ['decomposed accents stay in the word', 'Sa\u0301nchez and Straße'],
    ['astral letters join the word, emoji split it', 'x\u{1D400}y 🙂 ok🙂ok'],
    ['lone surrogates are not letters', 'a\uD800b \uDC00c'],
    ['a mark on its own is a run', ' \u0301 '],
    ['empty text', ''],
  ])('%s', (_, text) => {
    const expected = Array.from(text.matchAll(/[\p{L}\p{N}\p{M}]+/gu), (match) => match[0]);

    expect(runs(text)).toEqual(expected);
  });
});

describe('a dotted abbreviation is one run, its final dot included', () => {
  test.each([
    ['the U.S. and the u.k.', ['the', 'U.S.', 'and', 'the', 'u.k.']],
    ['F.B.I. and U.S.S.R.', ['F.B.I.', 'and', 'U.S.S.R.']],
    ['the C.D.C said', ['the', 'C.D.C', 'said']],
    ['the В.В. era', ['the', 'В.В.', 'era']],
    ['at 3 p.m. or 9 A.M.', ['at', '3', 'p', 'm', 'or', '9', 'A', 'M']],
    ['a 2.5% rise, v2.0.1', ['a', '2', '5', 'rise', 'v2', '0', '1']],
    [
      'U. S. Grant; the end.Start; U.Sanctions; x.1',
      ['U', 'S', 'Grant', 'the', 'end', 'Start', 'U', 'Sanctions', 'x', '1'],
    ],
  ])('%j', (text, expected) => {
    expect(runs(text)).toEqual(expected);
  });

  test('its words: the letters as one word, an acronym in either case', () => {
    expect(tokenize('U.S. u.s. F.B.I.')).toEqual([
      { key: 'US', surface: 'us', start: 0, end: 4 },
      { key: 'US', surface: 'us', start: 5, end: 9 },
      { key: 'fbi', surface: 'fbi', start: 10, end: 16 },
    ]);
  });
});

describe('tokenize', () => {
  test('keys, folded words and offsets, astral letters and compatibility characters included', () => {
    const tokens = tokenize('x\u{1D400}y 🙂 Sa\u0301nchez \u0301 ﬁne');

    expect(tokens).toEqual([
      { key: 'x\u{1D400}i', surface: 'x\u{1D400}y', start: 0, end: 4 },
      { key: 'sanchez', surface: 'sanchez', start: 8, end: 16 },
      { key: 'ﬁne', surface: 'ﬁne', start: 19, end: 22 },
    ]);
  });

  test('the same word written twice gives equal tokens at their own offsets', () => {
    const tokens = tokenize('Seizures seizures');

    expect(tokens).toEqual([
      { key: 'seiz', surface: 'seizures', start: 0, end: 8 },
      { key: 'seiz', surface: 'seizures', start: 9, end: 17 },
    ]);
  });
});

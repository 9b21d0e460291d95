import { describe, expect, test } from 'vitest';
import type { Watch } from '#core/model.ts';
import { compileWatches } from '#core/query/index.ts';
import { JoinProbe } from '#core/query/join-probe.ts';
import { PairSet } from '#core/query/pair-set.ts';

const ids = (watches: Watch[], body: string): string[] =>
  compileWatches(watches)
    .matcher.match({ title: 'News', body })
    .map((result) => result.watchId);

describe('candidate selection and the pre-verification filters', () => {
  test('a phrase whose words are present but never adjacent does not match', () => {
    const watches = [{ id: 'phrase', query: '"peace talks"' }];

    expect(ids(watches, 'Talks on peace resumed.')).toEqual([]);
    expect(ids(watches, 'Peace talks resumed.')).toEqual(['phrase']);
  });

  test('a text word covering two slots meets the slot pair next to it', () => {
    const watches = [{ id: 'cf', query: '"cease fire agreement"' }];

    const { matcher } = compileWatches(watches);
    const [result] = matcher.match({ title: 'News', body: 'A ceasefire agreement, a cease-fire agreement.' });

    expect(result?.explain()).toEqual({
      watchId: 'cf',
      matched: ['cease fire agreement'],
      hits: [
        { term: 'cease fire agreement', word: 'ceasefire agreement', field: 'body' },
        { term: 'cease fire agreement', word: 'cease-fire agreement', field: 'body' },
      ],
      snippet: 'A ceasefire agreement, a cease-fire agreement.',
      highlight: 'A **ceasefire agreement**, a **cease-fire agreement**.',
    });
  });

  test('a watch indexed under its rarer key still matches when many watches share its common key', () => {
    const common: Watch[] = Array.from({ length: 50 }, (_, i) => ({
      id: `c${i}`,
      query: `sanctions name${i}x`,
    }));
    const watches = [...common, { id: 'rare', query: 'sanctions karisa' }];

    expect(ids(watches, 'New sanctions on Karisa and name7x.')).toEqual(['c7', 'rare']);
  });

  test('two text words join into a two-letter query word', () => {
    expect(ids([{ id: 'uk', query: 'uk' }], 'The U-K said so.')).toEqual(['uk']);
  });
});

describe('JoinProbe', () => {
  const probe = new JoinProbe();
  probe.add(['ceasefire', 'uk', 'a']);
  probe.seal();

  test('joins when the left word and two letters of the right begin a query word', () => {
    expect(probe.canJoin('cease', 'fire')).toBe(true);
    expect(probe.canJoin('c', 'ease')).toBe(true);
    expect(probe.canJoin('cease', 'wire')).toBe(false);
    expect(probe.canJoin('u', 'k')).toBe(true);
    expect(probe.canJoin('u', 'kraine')).toBe(false);
  });

  test('a two-letter probe must be a whole query word', () => {
    expect(probe.canJoin('c', 'e')).toBe(false);
  });

  test('mayJoin holds only for words that begin a longer query word', () => {
    const words = ['cease', 'u', 'peace', 'uk', 'ceasefire'];

    expect(words.map((word) => probe.mayJoin(word))).toEqual([true, true, false, false, false]);
  });
});

describe('PairSet', () => {
  test('holds pairs in order until cleared, through growth', () => {
    const pairs = new PairSet();
    for (let i = 0; i < 5000; i += 1) pairs.add(i, i + 1);

    expect([pairs.has(0, 1), pairs.has(4999, 5000), pairs.has(1, 0), pairs.has(5000, 5001)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    pairs.clear();
    expect(pairs.has(0, 1)).toBe(false);
  });
});

import { describe, expect, test } from 'vitest';
import type { Watch } from '#core/model.ts';
import { compileWatches } from '#core/query/index.ts';
import { JoinProbe } from '#core/query/join-probe.ts';
import { PairMap } from '#core/query/pair-map.ts';

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

  test('a guard word absent from the item drops the watch; present, the watch is verified', () => {
    // Indexed under "karisa" (fewer watches share it), guarded by "sanctions".
    const watches: Watch[] = [
      { id: 'guarded', query: 'karisa sanctions' },
      { id: 'other', query: 'sanctions tariffs' },
    ];

    expect(ids(watches, 'Karisa spoke.')).toEqual([]);
    expect(ids(watches, 'Karisa spoke of sanctions.')).toEqual(['guarded']);
    expect(ids(watches, 'Sanctioned Karisa.')).toEqual(['guarded']);
  });

  test.each([
    [5, 'few'],
    [200, 'many'],
  ])(
    'matches come in the order the watches were given, from several posting lists (%i watches, %s)',
    (count) => {
      // Watch i is indexed under word${count - i}: the posting lists come in reverse watch order.
      const watches: Watch[] = Array.from({ length: count }, (_, i) => ({
        id: `w${i}`,
        query: `word${count - i}x OR "word${count - i}x alpha"`,
      }));
      const body = Array.from({ length: count }, (_, i) => `word${i + 1}x`).join(' ');

      expect(ids(watches, body)).toEqual(watches.map((watch) => watch.id));
    },
  );

  test('two text words join into a two-letter query word', () => {
    expect(ids([{ id: 'uk', query: 'uk' }], 'The U-K said so.')).toEqual(['uk']);
  });
});

describe('required single-word sets beyond those held in the watch record', () => {
  // Five one-word sets: some sit in the watch record, the others in the shared array.
  const watches: Watch[] = [{ id: 'five', query: 'alpha bravo charlie delta echo' }];
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];

  test.each(words)('an item without "%s" does not match', (missing) => {
    const body = words.filter((word) => word !== missing).join(' ');

    expect(ids(watches, body)).toEqual([]);
  });

  test('an item with all five words matches', () => {
    expect(ids(watches, 'echo delta charlie bravo alpha')).toEqual(['five']);
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

describe('PairMap', () => {
  test('numbers pairs in the order first interned, keeps their ids through growth, and tells order apart', () => {
    const pairs = new PairMap();
    const ids = Array.from({ length: 5000 }, (_, i) => pairs.intern(i, i + 1));

    expect([ids[0], ids[4999], pairs.intern(0, 1), pairs.size]).toEqual([0, 4999, 0, 5000]);
    expect([pairs.get(0, 1), pairs.get(4999, 5000), pairs.get(1, 0), pairs.get(5000, 5001)]).toEqual([
      0, 4999, -1, -1,
    ]);
  });

  test('keeps the values it is given, zero included, through growth', () => {
    const pairs = new PairMap();
    for (let i = 0; i < 3000; i += 1) pairs.set(i, 7, i % 3);

    expect([pairs.get(0, 7), pairs.get(2999, 7), pairs.get(1501, 7), pairs.get(7, 0), pairs.size]).toEqual([
      0, 2, 1, -1, 3000,
    ]);
  });
});

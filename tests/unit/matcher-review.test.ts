import { describe, expect, test } from 'vitest';
import type { Watch } from '#core/model.ts';
import { compileWatches, type Matcher } from '#core/query/index.ts';

/**
 * Cases of the matcher's fast paths that the other matcher tests leave open: each would let
 * a plausible slip in those paths through (a watch proven without verification, or a join
 * missed), so each asserts the exact watches matched.
 */

type Item = { title: string; body: string };

const ids = (matcher: Matcher, item: Item): string[] => matcher.match(item).map((match) => match.watchId);

describe('required single-word sets beyond those held in the watch record', () => {
  // Five one-word sets: some sit in the watch record, the others in the shared array.
  const watches: Watch[] = [{ id: 'five', query: 'alpha bravo charlie delta echo' }];
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];

  test.each(words)('an item without "%s" does not match', (missing) => {
    const { matcher } = compileWatches(watches);
    const body = words.filter((word) => word !== missing).join(' ');

    expect(ids(matcher, { title: 'News', body })).toEqual([]);
  });

  test('an item with all five words matches', () => {
    const { matcher } = compileWatches(watches);

    expect(ids(matcher, { title: 'News', body: 'echo delta charlie bravo alpha' })).toEqual(['five']);
  });
});

describe('phrase pair stamps across the analyser stamp reset', () => {
  test('a pair seen adjacent before the reset is not adjacent in an item with the same stamp after it', () => {
    const { matcher } = compileWatches([{ id: 'both', query: '"peace talks" "cease fire"' }]);
    const internals = matcher as unknown as { analyser: { stamp: number } };
    expect(typeof internals.analyser.stamp).toBe('number');
    // Only "cease fire" adjacent: the first phrase pair, which selects the watch, is fresh after the reset.
    const before = { title: 'News', body: 'Talks on the cease fire.' };
    const after = { title: 'News', body: 'Peace talks; the fire, then cease.' };

    const first = ids(matcher, before);
    // The next item wraps the stamp back to 1, the stamp `before` was analysed with.
    internals.analyser.stamp = 0xffffffff - 1;
    const second = ids(matcher, after);

    expect(first).toEqual([]);
    expect(second).toEqual([]);
    expect(internals.analyser.stamp).toBe(1);
  });
});

describe('joins onto a one-letter right word', () => {
  test.each(['Jay-Z toured.', 'Jay Z toured.'])('"%s" meets the query word jayz', (body) => {
    const { matcher } = compileWatches([{ id: 'jayz', query: 'jayz' }]);

    expect(matcher.match({ title: 'News', body }).map((match) => match.explain())).toEqual([
      {
        watchId: 'jayz',
        matched: ['jayz'],
        hits: [{ term: 'jayz', word: body.slice(0, 5), field: 'body' }],
        snippet: body,
        highlight: `**${body.slice(0, 5)}** toured.`,
      },
    ]);
  });
});

import { describe, expect, test } from 'vitest';
import { QuerySyntaxError } from '#core/errors.ts';
import type { Watch } from '#core/model.ts';
import { compileNode, wordKeys } from '#core/query/compile.ts';
import { Evaluation } from '#core/query/evaluate.ts';
import { compileWatches } from '#core/query/index.ts';
import { ItemAnalyser } from '#core/query/item-analyser.ts';
import { scopeNots } from '#core/query/not-scope.ts';
import { parseQuery } from '#core/query/parser.ts';
import { seededRandom } from '../helpers/prng.ts';

const item = { title: 'Ceasefire talks in Doha', body: 'Negotiators met again on Tuesday.' };

describe('compileWatches', () => {
  test('skips disabled watches and reports invalid ones without throwing', () => {
    const watches: Watch[] = [
      { id: 'ok', query: 'ceasefire' },
      { id: 'off', query: 'ceasefire', enabled: false },
      { id: 'on', query: 'doha', enabled: true },
      { id: 'bad', query: 'ceasefire AND' },
    ];

    const { matcher, invalid } = compileWatches(watches);

    expect(matcher.size).toBe(2);
    expect(invalid).toEqual([
      { watch: watches[3], error: new QuerySyntaxError('expected a term after "AND"', 14) },
    ]);
    expect(invalid[0]?.error).toBeInstanceOf(QuerySyntaxError);
    expect(matcher.match(item).map((r) => r.watchId)).toEqual(['ok', 'on']);
  });

  test('results follow the order of the watches', () => {
    const { matcher } = compileWatches([
      { id: 'c', query: 'negotiators' },
      { id: 'a', query: 'doha' },
      { id: 'b', query: 'talks' },
    ]);

    expect(matcher.match(item).map((r) => r.watchId)).toEqual(['c', 'a', 'b']);
  });

  test('honours Watch.feeds when a feed URL is given', () => {
    const { matcher } = compileWatches([
      { id: 'any', query: 'doha' },
      { id: 'empty', query: 'doha', feeds: [] },
      { id: 'mine', query: 'doha', feeds: ['https://a.example/rss'] },
      { id: 'other', query: 'doha', feeds: ['https://b.example/rss'] },
    ]);

    expect(matcher.match(item, { feedUrl: 'https://a.example/rss' }).map((r) => r.watchId)).toEqual([
      'any',
      'empty',
      'mine',
    ]);
    expect(matcher.match(item).map((r) => r.watchId)).toEqual(['any', 'empty', 'mine', 'other']);
  });

  test('a match explained after the matcher moved on explains its own item', () => {
    const { matcher } = compileWatches([
      { id: 'proven', query: 'ceasefire talks' },
      { id: 'verified', query: 'ceasefire NEAR/2 talks' },
    ]);
    const first = matcher.match(item);
    const second = matcher.match({ title: 'Talks resume', body: 'A ceasefire is close, and talks go on.' });

    // Proven by the candidate checks or verified when matched: explained the same way.
    const inTitle = {
      matched: ['ceasefire', 'talks'],
      hits: [
        { term: 'ceasefire', word: 'Ceasefire', field: 'title' },
        { term: 'talks', word: 'talks', field: 'title' },
      ],
      snippet: 'Ceasefire talks in Doha',
      highlight: '**Ceasefire** **talks** in Doha',
    };
    expect(first.map((match) => match.explain())).toEqual([
      { watchId: 'proven', ...inTitle },
      { watchId: 'verified', ...inTitle },
    ]);
    expect(second.map((match) => match.watchId)).toEqual(['proven']);
    expect(second[0]?.explain().hits).toEqual([
      { term: 'ceasefire', word: 'ceasefire', field: 'body' },
      { term: 'talks', word: 'Talks', field: 'title' },
      { term: 'talks', word: 'talks', field: 'body' },
    ]);
  });

  test('an empty watch list matches nothing', () => {
    const { matcher, invalid } = compileWatches([]);

    expect(matcher.size).toBe(0);
    expect(invalid).toEqual([]);
    expect(matcher.match(item)).toEqual([]);
  });
});

describe('candidate index agrees with checking every watch', () => {
  const vocabulary = [
    'ceasefire',
    'cease-fire',
    'asset',
    'seizure',
    'russia',
    'sanctions',
    'oil',
    'bank',
    'gaza',
    'talks',
    'the',
    'fire',
    'expropriat*',
    'sanct*',
    'rus*',
    '"central bank"',
    '"peace talks"',
  ];
  const bodies = [
    'The EU moved toward seizing Russian assets held by the central bank.',
    'Peace talks on a cease fire in Gaza stalled; oil prices rose.',
    'Sanctioned oligarchs face expropriation of assets in Russia.',
    'Nothing relevant happened at the bank holiday fair.',
    'A ceasefire held overnight as fire crews worked.',
  ];

  // The same watches on every run.
  const { pick } = seededRandom(42);
  const term = (): string => pick(vocabulary);
  const shapes = [
    () => term(),
    () => `${term()} ${term()}`,
    () => `${term()} OR ${term()}`,
    () => `(${term()} OR ${term()}) ${term()}`,
    () => `${term()} -${term()}`,
    () => `${term()} NEAR/4 ${term()}`,
    () => `title:${term()} OR body:${term()}`,
    () => `${term()} OR (${term()} -${term()})`,
  ];
  const watches: Watch[] = Array.from({ length: 600 }, (_, i) => ({
    id: `w${i}`,
    query: pick(shapes)(),
  }));

  test.each(bodies)('%s', (body) => {
    const story = { title: 'World news', body };
    const { matcher, invalid } = compileWatches(watches);
    const analysed = new ItemAnalyser().analyse(story);
    const valid = watches.filter((w) => !invalid.some((bad) => bad.watch === w));
    const expected = valid
      .filter(
        (w) =>
          new Evaluation(analysed).run(
            // As the matcher compiles it: `fire -cease-fire` excludes the fire of a ceasefire,
            // not an item that also has one (see not-scope.ts).
            compileNode(scopeNots(parseQuery(w.query)), (words) =>
              wordKeys(words, (key) => analysed.idOf(key)),
            ).root,
          ) !== undefined,
      )
      .map((w) => w.id);

    const actual = matcher.match(story).map((r) => r.watchId);

    expect(actual).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(valid.length);
  });
});

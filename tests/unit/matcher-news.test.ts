import { expect, test } from 'vitest';
import { compileWatches } from '#core/query/index.ts';

const item = {
  title: 'EU moves closer to using frozen Russian assets for Ukraine',
  body:
    'Brussels — European Union governments edged closer on Thursday to seizing Russian assets frozen since ' +
    'the 2022 invasion, as diplomats in Istanbul tried to broker a cease-fire. Officials said the €200bn in ' +
    'central bank reserves held at Euroclear would back a loan to Kyiv. Moscow called any expropriation ' +
    '“theft” and threatened retaliation against Western companies.',
};

test('plain user queries "asset seizure" and "ceasefire" match the story, with hits and snippets', () => {
  const { matcher, invalid } = compileWatches([
    { id: 'seizure', query: 'asset seizure' },
    { id: 'truce', query: 'ceasefire' },
    { id: 'unrelated', query: 'wheat exports' },
  ]);

  const results = matcher.match(item).map((match) => match.explain());

  expect(invalid).toEqual([]);
  const sentence =
    'Brussels — European Union governments edged closer on Thursday to seizing Russian assets frozen since ' +
    'the 2022 invasion, as diplomats in Istanbul tried to broker a cease-fire.';
  expect(results).toEqual([
    {
      watchId: 'seizure',
      matched: ['asset', 'seizure'],
      hits: [
        { term: 'asset', word: 'assets', field: 'title' },
        { term: 'asset', word: 'assets', field: 'body' },
        { term: 'seizure', word: 'seizing', field: 'body' },
      ],
      snippet: sentence,
      highlight: sentence.replace('seizing', '**seizing**').replace('assets', '**assets**'),
    },
    {
      watchId: 'truce',
      matched: ['ceasefire'],
      hits: [{ term: 'ceasefire', word: 'cease-fire', field: 'body' }],
      snippet: sentence,
      highlight: sentence.replace('cease-fire', '**cease-fire**'),
    },
  ]);
});

test('derived forms and prefixes find the same story', () => {
  const { matcher } = compileWatches([
    { id: 'invade', query: 'invade' },
    { id: 'expropriate', query: 'expropriat*' },
    { id: 'theft', query: '"theft" NEAR/3 moscow' },
  ]);

  const results = matcher.match(item);

  expect(results.map((r) => [r.watchId, r.explain().hits.map((h) => h.word)])).toEqual([
    ['invade', ['invasion']],
    ['expropriate', ['expropriation']],
  ]);
});

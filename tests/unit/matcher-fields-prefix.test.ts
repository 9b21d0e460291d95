import { describe, expect, test } from 'vitest';
import type { MatchResult } from '#core/model.ts';
import { compileWatches } from '#core/query/index.ts';

function matchOne(query: string, item: { title?: string; body?: string }): MatchResult | undefined {
  const { matcher, invalid } = compileWatches([{ id: 'w', query }]);
  if (invalid[0]) throw invalid[0].error;
  return matcher.match({ title: item.title ?? '', body: item.body ?? '' })[0]?.explain();
}

describe('field restrictions', () => {
  const item = { title: 'Sanctions on Russian oil', body: 'The G7 agreed a price cap on crude exports.' };

  test.each([
    ['title:sanctions', true],
    ['title:crude', false],
    ['body:crude', true],
    ['body:sanctions', false],
    ['title:"russian oil"', true],
    ['title:"price cap"', false],
    ['title:(russian OR crude)', true],
    ['title:(crude OR cap)', false],
    ['title:(sanctions oil)', true],
    ['title:(sanctions crude)', false],
    ['title:sanctions body:cap', true],
    ['title:sanctions -body:oil', true],
    ['title:sanctions -title:oil', false],
    ['TITLE:sanctions', true],
  ])('%s -> %s', (query, expected) => {
    expect(matchOne(query, item) !== undefined).toBe(expected);
  });

  test('hits of a title-only term come from the title only', () => {
    const result = matchOne('title:sanctions', { title: 'Sanctions', body: 'More sanctions' });

    expect(result?.hits).toEqual([{ term: 'sanctions', word: 'Sanctions', field: 'title' }]);
  });
});

describe('prefix terms', () => {
  test.each([
    ['expropriat*', 'Plans to expropriate', ['expropriate']],
    ['expropriat*', 'Expropriation fears', ['Expropriation']],
    ['expropriat*', 'They expropriated it', ['expropriated']],
    ['sanct*', 'Sanctions and sanctity', ['Sanctions', 'sanctity']],
    ['erdog*', 'President Erdoğan', ['Erdoğan']],
  ])('%s on %j hits %j', (query, body, words) => {
    expect(matchOne(query, { body })?.hits.map((hit) => hit.word)).toEqual(words);
  });

  test.each([
    ['expropriat*', 'mass appropriation'],
    ['propriat*', 'expropriation'],
    ['fire*', 'ceasefire'],
    ['seizure*', 'seized'],
  ])('%s does not match %j (prefixes apply to the written word, not its stem)', (query, body) => {
    expect(matchOne(query, { body })).toBeUndefined();
  });

  test('prefix terms combine with other terms', () => {
    expect(matchOne('expropriat* russia*', { body: 'Russian expropriation' })?.matched).toEqual([
      'expropriat*',
      'russia*',
    ]);
    expect(matchOne('expropriat* -russia*', { body: 'Russian expropriation' })).toBeUndefined();
  });
});

import { describe, expect, test } from 'vitest';
import { compileWatches } from '#core/query/index.ts';

const titles = [
  'US sanctions widen',
  'New U.S. sanctions',
  'LET US PRAY',
  'Tell us more',
  'Us and them',
  'u.s. policy',
  'WHO warns of outbreak',
  'Who knows what comes next',
  'IT budgets grow',
  'It rains in Spain',
  'the U.S.S.R. fell',
  'ICE STORM HITS TEXAS',
  'BREAKING: WHO IS TO BLAME',
  'ICE raids homes',
  'Rain or snow',
];

/** The titles a query matches, each with the words its hits point at. */
function matching(query: string): [string, string[]][] {
  const { matcher, invalid } = compileWatches([{ id: 'w', query }]);
  if (invalid[0]) throw invalid[0].error;
  return titles.flatMap((title): [string, string[]][] => {
    const [match] = matcher.match({ title, body: '' });
    return match ? [[title, match.explain().hits.map((hit) => hit.word)]] : [];
  });
}

describe('acronyms that are also words are told apart by their capitals', () => {
  test('US matches US in capitals and U.S. in either case, not the word us', () => {
    expect(matching('US')).toEqual([
      ['US sanctions widen', ['US']],
      ['New U.S. sanctions', ['U.S.']],
      ['u.s. policy', ['u.s.']],
    ]);
  });

  test('U.S. and u.s. in a query are US', () => {
    expect(matching('U.S.')).toEqual(matching('US'));
    expect(matching('u.s.')).toEqual(matching('US'));
    expect(matching('"U.S. sanctions"')).toEqual([
      ['US sanctions widen', ['US sanctions']],
      ['New U.S. sanctions', ['U.S. sanctions']],
    ]);
  });

  test('WHO is the organisation and IT the trade; who and it are the words', () => {
    expect(matching('WHO')).toEqual([['WHO warns of outbreak', ['WHO']]]);
    expect(matching('IT')).toEqual([['IT budgets grow', ['IT']]]);
    expect(matching('who')).toEqual([
      ['Who knows what comes next', ['Who']],
      ['BREAKING: WHO IS TO BLAME', ['WHO']],
    ]);
  });

  test('written in lower case, the word matches the word in any case but capitals', () => {
    expect(matching('us')).toEqual([
      ['LET US PRAY', ['US']],
      ['Tell us more', ['us']],
      ['Us and them', ['Us']],
    ]);
  });

  test('a field all in capitals reads them as words: ice storm is found, the WHO is not', () => {
    expect(matching('"ice storm"')).toEqual([['ICE STORM HITS TEXAS', ['ICE STORM']]]);
    expect(matching('ICE')).toEqual([['ICE raids homes', ['ICE']]]);
    expect(matching('WHO')).toEqual([['WHO warns of outbreak', ['WHO']]]);
    expect(matching('"who is"')).toEqual([['BREAKING: WHO IS TO BLAME', ['WHO IS']]]);
  });

  test('a.m. in a query is the time, as in text: not AM', () => {
    const { matcher } = compileWatches([{ id: 'w', query: '"9 a.m."' }]);

    expect(matcher.match({ title: 'Talks resume at 9 a.m. Friday', body: '' }).length).toBe(1);
    expect(matcher.match({ title: 'AM radio at 9', body: '' }).length).toBe(0);
  });

  test('"OR" in quotes is still the word or', () => {
    expect(matching('"OR"')).toEqual([['Rain or snow', ['or']]]);
  });

  test('other acronyms fold as before: UK matches uk, and their letters in a longer abbreviation do not count', () => {
    const { matcher } = compileWatches([{ id: 'uk', query: 'UK' }]);

    expect(matcher.match({ title: 'u.k. talks', body: '' }).length).toBe(1);
    expect(matching('US NEAR/3 fell')).toEqual([]);
  });
});

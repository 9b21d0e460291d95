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
  test('US matches US and U.S. in capitals, not the word us', () => {
    expect(matching('US')).toEqual([
      ['US sanctions widen', ['US']],
      ['New U.S. sanctions', ['U.S']],
      ['LET US PRAY', ['US']],
    ]);
  });

  test('U.S. in a query is US', () => {
    expect(matching('U.S.')).toEqual(matching('US'));
    expect(matching('"U.S. sanctions"')).toEqual([
      ['US sanctions widen', ['US sanctions']],
      ['New U.S. sanctions', ['U.S. sanctions']],
    ]);
  });

  test('WHO is the organisation and IT the trade; who and it are the words', () => {
    expect(matching('WHO')).toEqual([['WHO warns of outbreak', ['WHO']]]);
    expect(matching('IT')).toEqual([['IT budgets grow', ['IT']]]);
    expect(matching('who')).toEqual([['Who knows what comes next', ['Who']]]);
  });

  test('written in lower case, the word matches the word in any case but capitals', () => {
    expect(matching('us')).toEqual([
      ['Tell us more', ['us']],
      ['Us and them', ['Us']],
      ['u.s. policy', ['u.s']],
    ]);
  });

  test('other acronyms fold as before: UK matches uk, and their letters in a longer abbreviation do not count', () => {
    const { matcher } = compileWatches([{ id: 'uk', query: 'UK' }]);

    expect(matcher.match({ title: 'u.k. talks', body: '' }).length).toBe(1);
    expect(matching('US NEAR/3 fell')).toEqual([]);
  });
});

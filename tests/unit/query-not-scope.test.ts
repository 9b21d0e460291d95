import { describe, expect, test } from 'vitest';
import { compileWatches, defaultConcepts, notWarnings, parseQuery } from '#core/query/index.ts';

function matches(query: string, title: string): boolean {
  const { matcher } = compileWatches([{ id: 'w', query }]);
  return matcher.match({ title, body: '' }).length > 0;
}

describe('a NOT of a phrase that contains a required term applies to that occurrence', () => {
  test.each([
    ['Sudan NOT "South Sudan"', 'South Sudan’s president sacks deputy', false],
    ['Sudan NOT "South Sudan"', 'Sudan and South Sudan sign oil deal', true],
    ['Sudan -"South Sudan"', 'Sudan and South Sudan sign oil deal', true],
    ['Fed NOT "fed up"', 'Voters fed up with tax rises', false],
    ['Fed NOT "fed up"', 'Investors fed up with the Fed', true],
    ['invasion NOT "invasive species"', 'Invasive species spread', false],
    ['invasion NOT "invasive species"', 'Invasive species spread after the invasion', true],
  ])('%s on "%s" -> %s', (query, title, expected) => {
    expect(matches(query, title)).toBe(expected);
  });

  test('any other NOT still excludes the whole item', () => {
    expect(matches('oil NOT "brent crude"', 'Oil rises as Brent crude climbs')).toBe(false);
    expect(matches('Sudan NOT "peace talks"', 'Sudan peace talks resume')).toBe(false);
  });
});

describe('warnings about NOTs that exclude more than they say', () => {
  test('a NOT of a form of a required word excludes every item with it', () => {
    expect(notWarnings(parseQuery('invasion NOT invasive'))).toEqual([
      'NOT invasive excludes every item that has invasion: they are forms of one word. ' +
        'To leave out one sense, exclude a phrase with the word, e.g. NOT "invasive ..."',
    ]);
  });

  test('a NOT of a word the required term expands to excludes the items that say it so', () => {
    expect(notWarnings(parseQuery('ceasefire NOT truce'), defaultConcepts())).toEqual([
      'NOT truce excludes items that say truce, which ceasefire also finds (ceasefire is expanded to ' +
        'the words for the same thing); to match ceasefire alone, write =ceasefire',
    ]);
    expect(notWarnings(parseQuery('Russia -Moscow'), defaultConcepts())).toHaveLength(1);
  });

  test('an unrelated NOT, or one after =term, gets no warning', () => {
    expect(notWarnings(parseQuery('oil NOT "brent crude"'), defaultConcepts())).toEqual([]);
    expect(notWarnings(parseQuery('=ceasefire NOT truce'), defaultConcepts())).toEqual([]);
  });
});

import { describe, expect, test } from 'vitest';
import { compileWatches } from '#core/query/index.ts';

function matches(query: string, item: { title?: string; body?: string }): boolean {
  const { matcher, invalid } = compileWatches([{ id: 'w', query }]);
  if (invalid[0]) throw invalid[0].error;
  return matcher.match({ title: item.title ?? '', body: item.body ?? '' }).length === 1;
}

describe('bare terms: implicit AND, any order, any field', () => {
  test.each([
    ['asset seizure', { body: 'The seizure of every asset.' }, true],
    ['asset seizure', { body: 'Seized: assets worth billions.' }, true],
    ['asset seizure', { title: 'Assets', body: 'seizure' }, true],
    ['asset seizure', { body: 'Assets were moved.' }, false],
    ['asset seizure', { body: '' }, false],
  ])('%s on %j -> %s', (query, item, expected) => {
    expect(matches(query, item)).toBe(expected);
  });
});

describe('case and accents', () => {
  test.each([
    ['Sánchez', 'PEDRO SANCHEZ'],
    ['SANCHEZ', 'Pedro Sánchez'],
    ['sanchez', 'Pedro Sa\u0301nchez'],
    ['erdogan', 'Erdoğan said'],
  ])('%s matches %s', (query, body) => {
    expect(matches(query, { body })).toBe(true);
  });

  test('accents are not letters of their own: sanchez does not match sancho', () => {
    expect(matches('sanchez', { body: 'Sancho Panza' })).toBe(false);
  });
});

describe('OR, NOT, -term and precedence', () => {
  const item = { title: 'Oil prices rise', body: 'Brent crude rose as OPEC cut output.' };

  test.each([
    ['oil OR gas', true],
    ['gas OR coal', false],
    ['oil NOT opec', false],
    ['oil -opec', false],
    ['oil -coal', true],
    ['oil AND NOT coal', true],
    ['gas OR brent opec', true],
    ['gas OR brent coal', false],
    ['(gas OR brent) coal', false],
    ['(gas OR brent) -(coal OR wheat)', true],
    ['oil -"brent crude"', false],
    ['oil -"crude brent"', true],
    ['rise AND fall', false],
  ])('%s -> %s', (query, expected) => {
    expect(matches(query, item)).toBe(expected);
  });

  test('lowercase and/or/not are ordinary words that must occur', () => {
    expect(matches('oil or gas', item)).toBe(false);
    expect(matches('oil and gas', { body: 'oil and gas' })).toBe(true);
  });

  test('NOT excludes a term in any field', () => {
    expect(matches('crude -oil', item)).toBe(false);
  });
});

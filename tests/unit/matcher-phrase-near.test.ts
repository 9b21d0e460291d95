import { describe, expect, test } from 'vitest';
import { compileWatches } from '#core/query/index.ts';

function matches(query: string, item: { title?: string; body?: string }): boolean {
  const { matcher, invalid } = compileWatches([{ id: 'w', query }]);
  if (invalid[0]) throw invalid[0].error;
  return matcher.match({ title: item.title ?? '', body: item.body ?? '' }).length === 1;
}

describe('phrases', () => {
  test.each([
    ['"coalition of the willing"', 'A coalition of the willing formed.', true],
    ['"coalition of the willing"', 'A Coalition Of The Willing formed.', true],
    // Markup arrives as whitespace from the feed normaliser (`of<br/>the` -> `of the`).
    ['"coalition of the willing"', 'A coalition of\n the willing formed.', true],
    ['"coalition of the willing"', 'The willing joined a coalition of states.', false],
    ['"coalition of the willing"', 'A coalition of, the willing', true],
    ['"frozen assets"', 'assets frozen by the EU', false],
    ['"frozen assets"', 'frozen Russian assets', false],
    ['"seize assets"', 'They seized assets.', true],
    ['"peace talks"', 'Peace-talks resumed.', true],
  ])('%s on %j -> %s', (query, body, expected) => {
    expect(matches(query, { body })).toBe(expected);
  });

  test('a phrase never spans title and body', () => {
    expect(matches('"frozen assets"', { title: 'Talks on frozen', body: 'assets resumed' })).toBe(false);
  });
});

describe('NEAR', () => {
  const body = 'Russia said sanctions on its central bank would fail.';
  // Words: Russia(0) said(1) sanctions(2) on(3) its(4) central(5) bank(6) would(7) fail(8)

  test.each([
    ['russia NEAR/2 sanctions', true],
    ['russia NEAR/1 sanctions', false],
    ['said NEAR/1 sanctions', true],
    ['sanctions NEAR/2 russia', true],
    ['"central bank" NEAR/4 sanctions', true],
    ['"central bank" NEAR/2 sanctions', false],
    ['russia NEAR/6 (fail OR bank)', true],
    ['russia NEAR/5 (fail OR bank)', false],
    ['(russia sanctions) NEAR/4 bank', true],
    ['(russia sanctions) NEAR/3 bank', false],
    ['(russia tariffs) NEAR/4 bank', false],
    ['russia NEAR/8 fail', true],
    ['russia NEAR/7 fail', false],
    ['russia NEAR fail', true],
    ['russia NEAR/1 said NEAR/5 bank', true],
    ['russia NEAR/1 said NEAR/4 bank', false],
  ])('%s -> %s', (query, expected) => {
    expect(matches(query, { body })).toBe(expected);
  });

  test('plain NEAR means within 10 words', () => {
    const eleven = 'alpha one two three four five six seven eight nine ten omega';
    const ten = 'alpha one two three four five six seven eight nine omega';

    expect(matches('alpha NEAR omega', { body: eleven })).toBe(false);
    expect(matches('alpha NEAR omega', { body: ten })).toBe(true);
  });

  test('NEAR never spans title and body', () => {
    expect(matches('russia NEAR/3 sanctions', { title: 'Russia', body: 'sanctions' })).toBe(false);
  });

  test('one word never satisfies both sides', () => {
    expect(matches('sanctions NEAR/3 sanctions', { body: 'new sanctions' })).toBe(false);
    expect(matches('sanctions NEAR/3 sanctions', { body: 'sanctions and more sanctions' })).toBe(true);
  });

  test('nested NEAR over a long text of one repeated word still answers', () => {
    const body = 'talks '.repeat(5000);

    expect(matches('talks NEAR/1 talks NEAR/1 talks NEAR/1 talks', { body })).toBe(true);
    expect(matches('talks NEAR/1 talks NEAR/1 peace', { body })).toBe(false);
  });

  test('NEAR inside a field restriction applies to that field only', () => {
    expect(matches('title:(russia NEAR/2 sanctions)', { title: 'Russia sanctions', body: '' })).toBe(true);
    expect(matches('title:(russia NEAR/2 sanctions)', { title: 'x', body: 'Russia sanctions' })).toBe(false);
  });
});

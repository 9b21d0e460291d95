import { describe, expect, test } from 'vitest';
import { compileWatches } from '#core/query/index.ts';
import { wordKey } from '../helpers/word-key.ts';

describe('irregular forms share their base word’s key', () => {
  test.each([
    [['sell', 'sells', 'selling', 'sold']],
    [['buy', 'bought']],
    [['flee', 'flees', 'fled']],
    [['freeze', 'froze', 'frozen', 'freezing']],
    [['strike', 'struck']],
    [['steal', 'stole', 'stolen']],
    [['seek', 'sought']],
    [['fight', 'fought']],
    [['hold', 'held']],
    [['withdraw', 'withdrew', 'withdrawn']],
    [['overthrow', 'overthrew', 'overthrown']],
    [['uphold', 'upheld']],
    [['oversee', 'oversaw', 'overseen']],
    [['mislead', 'misled']],
    [['undergo', 'underwent', 'undergone']],
    [['lay', 'laid', 'laying']],
    [['free', 'freed', 'freeing']],
    [['crisis', 'crises']],
    [['hypothesis', 'hypotheses']],
    [['criterion', 'criteria']],
    [['child', 'children']],
    [['man', 'men']],
    [['woman', 'women']],
  ])('%j', (words) => {
    expect(new Set(words.map(wordKey))).toEqual(new Set([wordKey(words[0] as string)]));
  });
});

describe('forms with another common meaning stay apart', () => {
  test.each([
    ['fed', 'feed', 'the Fed'],
    ['met', 'meet', 'the Met'],
    ['left', 'leave', 'the political left'],
    ['led', 'lead', 'LED lights'],
    ['won', 'win', 'the Korean won'],
    ['found', 'find', 'to found, founded'],
    ['ground', 'grind', 'the ground'],
    ['underground', 'undergrind', 'the same, prefixed'],
    ['was', 'be', 'function words'],
    ['people', 'person', 'not the same to a reader'],
    ['these', 'thesis', 'the plural theses maps, not these'],
    ['resent', 'resend', 're- is not a verb prefix here'],
    ['woke', 'wake', 'in the wake of'],
    ['rose', 'rise', 'a rose has roses'],
    ['shot', 'shoot', 'a shot has shots'],
    ['lent', 'lend', 'Lent'],
    ['stricken', 'strike', 'grief-stricken'],
  ])('%s and %s (%s)', (a, b) => {
    expect(wordKey(a)).not.toBe(wordKey(b));
  });

  test('by the word as written: founded keeps its own key, found as find would have taken it', () => {
    expect(wordKey('founded')).toBe(wordKey('found'));
    expect(wordKey('sold')).toBe('sell');
  });
});

test('watches find stories told in the past tense, and say which words matched', () => {
  const { matcher } = compileWatches([
    { id: 'freeze', query: 'asset freeze' },
    { id: 'stake', query: '"sell stake"' },
    { id: 'crisis', query: 'title:crisis' },
    { id: 'fed', query: 'Fed' },
  ]);
  const item = {
    title: 'Twin crises: bank sold stake after assets were frozen',
    body: 'The bank sold stake in its subsidiary after regulators froze its assets; feeding fears of contagion.',
  };

  const found = matcher.match(item).map((match) => {
    const { watchId, hits } = match.explain();
    return { watchId, words: hits.map((hit) => hit.word) };
  });

  expect(found).toEqual([
    { watchId: 'freeze', words: ['assets', 'assets', 'frozen', 'froze'] },
    { watchId: 'stake', words: ['sold stake', 'sold stake'] },
    { watchId: 'crisis', words: ['crises'] },
  ]);
});

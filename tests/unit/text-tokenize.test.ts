import { describe, expect, test } from 'vitest';
import { tokenize } from '#core/text/index.ts';
import { wordKey } from '../helpers/word-key.ts';

describe('tokenize', () => {
  test('words are runs of letters and digits; everything else separates them', () => {
    const text = 'EU’s €200bn plan—approved (at last)!';

    const tokens = tokenize(text);

    expect(tokens.map((t) => t.surface)).toEqual(['eu', 's', '200bn', 'plan', 'approved', 'at', 'last']);
  });

  test('offsets point at the original text, including decomposed accents', () => {
    const text = 'Pedro Sa\u0301nchez, €200bn';

    const tokens = tokenize(text);

    expect(tokens.map((t) => [t.surface, text.slice(t.start, t.end)])).toEqual([
      ['pedro', 'Pedro'],
      ['sanchez', 'Sa\u0301nchez'],
      ['200bn', '200bn'],
    ]);
  });

  test('each token carries the word-form key', () => {
    const tokens = tokenize('Seizing assets');

    expect(tokens).toEqual([
      { key: 'seiz', surface: 'seizing', start: 0, end: 7 },
      { key: 'asset', surface: 'assets', start: 8, end: 14 },
    ]);
  });

  test('hyphens, non-breaking hyphens and dashes split words', () => {
    expect(tokenize('cease-fire cease\u2011fire cease\u2013fire').map((t) => t.surface)).toEqual([
      'cease',
      'fire',
      'cease',
      'fire',
      'cease',
      'fire',
    ]);
  });

  test('empty and word-less text gives no tokens', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' — … !? ')).toEqual([]);
  });

  test('wordKey folds before keying', () => {
    expect(wordKey('SEIZURES')).toBe(wordKey('seize'));
    expect(wordKey('Sánchez')).toBe('sanchez');
  });
});

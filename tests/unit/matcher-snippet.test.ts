import { describe, expect, test } from 'vitest';
import type { MatchResult } from '#core/model.ts';
import { compileWatches } from '#core/query/index.ts';

function matchOne(query: string, item: { title?: string; body?: string }): MatchResult | undefined {
  const { matcher, invalid } = compileWatches([{ id: 'w', query }]);
  if (invalid[0]) throw invalid[0].error;
  return matcher.match({ title: item.title ?? '', body: item.body ?? '' })[0]?.explain();
}

describe('snippet and highlight', () => {
  test('the sentence around the first body hit, preferred over a title hit', () => {
    const result = matchOne('sanctions', {
      title: 'New sanctions',
      body: 'Ministers met in Brussels.  They agreed new\nsanctions on Monday. Markets fell.',
    });

    expect(result?.snippet).toBe('They agreed new sanctions on Monday.');
    expect(result?.highlight).toBe('They agreed new **sanctions** on Monday.');
  });

  test('the title when only the title has hits', () => {
    const result = matchOne('sanctions', { title: 'EU agrees sanctions', body: 'Nothing else here.' });

    expect(result?.snippet).toBe('EU agrees sanctions');
    expect(result?.highlight).toBe('EU agrees **sanctions**');
  });

  test('every matched word and phrase in the snippet is marked, once', () => {
    const result = matchOne('"central bank" assets', {
      body: 'The central bank said assets and more assets were frozen.',
    });

    expect(result?.highlight).toBe('The **central bank** said **assets** and more **assets** were frozen.');
    expect(result?.matched).toEqual(['central bank', 'assets']);
    expect(result?.hits).toEqual([
      { term: 'central bank', word: 'central bank', field: 'body' },
      { term: 'assets', word: 'assets', field: 'body' },
    ]);
  });

  test('a blank line ends a sentence even without a full stop', () => {
    const result = matchOne('sanctions', { body: 'Breaking news\n\nNew sanctions agreed' });

    expect(result?.snippet).toBe('New sanctions agreed');
  });

  test('a NOT term is never reported or highlighted', () => {
    const result = matchOne('assets -sport', { body: 'Frozen assets.' });

    expect(result?.matched).toEqual(['assets']);
    expect(result?.highlight).toBe('Frozen **assets**.');
  });

  test('a failed OR alternative is not reported', () => {
    const result = matchOne('(gold silver) OR assets', { body: 'Gold and frozen assets.' });

    expect(result?.matched).toEqual(['assets']);
    expect(result?.highlight).toBe('Gold and frozen **assets**.');
  });

  test('a long sentence is cut at word boundaries around the hit, with ellipses', () => {
    const before = Array.from({ length: 40 }, (_, i) => `pre${i}`).join(' ');
    const after = Array.from({ length: 40 }, (_, i) => `post${i}`).join(' ');
    const body = `${before} ceasefire ${after}.`;

    const result = matchOne('ceasefire', { body });

    const snippet = result?.snippet ?? '';
    expect(snippet.startsWith('…pre')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(202);
    expect(snippet).toContain(' ceasefire ');
    const words = snippet.slice(1, -1).split(' ');
    expect(words.every((word) => /^(pre\d+|post\d+|ceasefire)$/.test(word))).toBe(true);
    expect(result?.highlight).toBe(snippet.replace('ceasefire', '**ceasefire**'));
  });

  test('the exact cut of a long sentence', () => {
    const body = `${'word '.repeat(30)}target ${'tail '.repeat(60)}end.`;

    const result = matchOne('target', { body });

    expect(result?.snippet).toBe(`…${'word '.repeat(11)}target${' tail'.repeat(26)}…`);
  });
});

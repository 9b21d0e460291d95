import { describe, expect, test } from 'vitest';
import { fromMatchItem, toMatchItem } from '#adapters/dynamodb/match-item.ts';
import { matchJson, renderMatch } from '#cli/render.ts';
import { formatAlert } from '#core/alerts/format.ts';
import type { StoredMatch } from '#core/model.ts';

/**
 * Every item merged into a story is visible where the story is: the alert's "Also in", the
 * lines of `feedwatch matches` and the JSON of both.
 */

const MATCH: StoredMatch = {
  watchId: 'gaza',
  storyKey: 'https://wire.example.com/gaza-talks',
  itemKey: 'wire-1',
  feedUrl: 'https://wire.example.com/rss',
  title: 'Mediators push for Gaza ceasefire deal',
  link: 'https://wire.example.com/gaza-talks',
  matched: ['ceasefire'],
  hits: [{ term: 'ceasefire', word: 'ceasefire', field: 'title' }],
  snippet: 'Mediators push for Gaza ceasefire deal',
  highlight: 'Mediators push for Gaza **ceasefire** deal',
  matchedAt: '2026-11-28T10:00:00.000Z',
  alertState: 'SENT',
  alsoIn: [
    {
      feed: 'https://chronicle.example.co.uk/rss',
      itemKey: 'chronicle-60000',
      title: 'Reuters - Mediators push for Gaza ceasefire deal',
      link: 'https://chronicle.example.co.uk/gaza-60000',
      seenAt: '2026-11-28T10:05:00.000Z',
    },
  ],
  alsoInMore: 2,
};

describe('merged items', () => {
  test('are listed in the alert email, one a line, with how many more were merged', () => {
    expect(formatAlert(MATCH).email.split('\n').slice(-5)).toEqual([
      'Matched at: 2026-11-28T10:00:00.000Z',
      'Also in:',
      '- https://chronicle.example.co.uk/rss: "Reuters - Mediators push for Gaza ceasefire deal" https://chronicle.example.co.uk/gaza-60000 (seen 2026-11-28T10:05:00.000Z)',
      '- …and 2 more',
      '',
    ]);
    expect(formatAlert(MATCH).json).toMatchObject({ alsoIn: MATCH.alsoIn, alsoInMore: 2 });
  });

  test('are listed by feedwatch matches, in its lines and its JSON', () => {
    const view = { ...MATCH, feed: MATCH.feedUrl };

    expect(renderMatch(view).split('\n').slice(-2)).toEqual([
      '  also in: https://chronicle.example.co.uk/rss: "Reuters - Mediators push for Gaza ceasefire deal" https://chronicle.example.co.uk/gaza-60000 (seen 2026-11-28T10:05:00.000Z)',
      '  also in: …and 2 more',
    ]);
    expect(JSON.parse(matchJson(view))).toMatchObject({ alsoIn: MATCH.alsoIn, alsoInMore: 2 });
  });

  test('recorded by versions that kept the feed alone read as that feed', () => {
    const stored = {
      ...toMatchItem({ ...MATCH, alsoIn: undefined, alsoInMore: undefined }),
      alsoIn: ['https://old.example/rss'],
    };

    const match = fromMatchItem(stored);

    expect(match.alsoIn).toEqual([{ feed: 'https://old.example/rss' }]);
    expect(
      renderMatch({ ...match, feed: match.feedUrl })
        .split('\n')
        .at(-1),
    ).toBe('  also in: https://old.example/rss');
  });
});

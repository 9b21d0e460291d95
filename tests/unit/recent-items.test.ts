import { describe, expect, test } from 'vitest';
import { MemoryFeedStore, MemoryMatchStore, MemoryRecentItemStore } from '#adapters/memory/index.ts';
import { QuerySyntaxError } from '#core/errors.ts';
import type { RecentItem } from '#core/model.ts';
import { pollFeed } from '#core/pipeline/poll-feed.ts';
import { buildWatchSet } from '#core/pipeline/watch-set.ts';
import { previewQuery } from '#core/recent/preview.ts';
import { RECENT_ITEM_LIMITS, recentItemOf } from '#core/recent/recent-item.ts';
import { ManualClock, ok, rss, ScriptedFetcher } from './helpers/pipeline-fakes.ts';

const FEED = 'https://wire.example.com/world.xml';
const MIRROR = 'https://mirror.example.org/rss';
const SEEN = new Date('2026-11-28T10:00:00.000Z');

function item(overrides: Partial<RecentItem> = {}): RecentItem {
  return {
    feedUrl: FEED,
    key: 'wire-1',
    title: 'G7 agrees to start seizing frozen Russian assets',
    link: 'https://wire.example.com/g7-assets',
    body: 'Finance ministers agreed on Tuesday.',
    seenAt: SEEN.toISOString(),
    ...overrides,
  };
}

describe('recentItemOf', () => {
  test('keeps the normalised fields and when the item was seen', () => {
    const recorded = recentItemOf(
      {
        key: 'k1',
        title: 'Title',
        link: 'https://a.example/x',
        published: '2026-11-27T09:00:00.000Z',
        body: 'Body',
        guid: 'g1',
      },
      FEED,
      SEEN,
    );

    expect(recorded).toEqual({
      feedUrl: FEED,
      key: 'k1',
      title: 'Title',
      link: 'https://a.example/x',
      published: '2026-11-27T09:00:00.000Z',
      body: 'Body',
      guid: 'g1',
      seenAt: '2026-11-28T10:00:00.000Z',
    });
  });

  test('cuts each text to its bound without splitting a character, and drops a link too long to keep', () => {
    const body = `${'a'.repeat(RECENT_ITEM_LIMITS.body - 1)}😀 and more`;
    const recorded = recentItemOf(
      {
        key: 'k'.repeat(5_000),
        title: 't'.repeat(900),
        link: `https://a.example/${'p'.repeat(3_000)}`,
        body,
      },
      FEED,
      SEEN,
    );

    expect(recorded.body).toBe('a'.repeat(RECENT_ITEM_LIMITS.body - 1));
    expect(recorded.title).toHaveLength(RECENT_ITEM_LIMITS.title);
    expect(recorded.key).toHaveLength(RECENT_ITEM_LIMITS.key);
    expect(recorded.link).toBeUndefined();
  });
});

describe('previewQuery', () => {
  const items = [
    item(),
    item({ feedUrl: MIRROR, key: 'mirror-1' }),
    item({
      key: 'wire-2',
      title: 'Heatwave grips southern Europe',
      link: 'https://wire.example.com/heat',
      body: 'Seville passed 40C.',
    }),
    item({
      key: 'wire-3',
      title: 'EU weighs seizure of Russian assets',
      link: 'https://wire.example.com/eu',
    }),
  ];

  test('lists every matching item with the words marked, and counts one alert per story', () => {
    const preview = previewQuery({ query: 'asset seizure' }, items);

    expect(preview.tried).toBe(4);
    expect(preview.matches.map(({ item: matched }) => `${matched.feedUrl} ${matched.key}`)).toEqual([
      `${FEED} wire-1`,
      `${MIRROR} mirror-1`,
      `${FEED} wire-3`,
    ]);
    expect(preview.matches[0]?.result.highlight).toBe(
      'G7 agrees to start **seizing** **frozen** Russian **assets**',
    );
    // The mirror carries the same link: the same story, one alert.
    expect(preview.alerts).toBe(2);
  });

  test("keeps to the watch's feeds when it is limited to some", () => {
    const preview = previewQuery({ query: 'asset seizure', feeds: [MIRROR] }, items);

    expect(preview.matches.map(({ item: matched }) => matched.key)).toEqual(['mirror-1']);
    expect([preview.tried, preview.alerts]).toEqual([1, 1]);
  });

  test('refuses an invalid query with the position of the problem', () => {
    expect(() => previewQuery({ query: 'asset AND (seizure' }, items)).toThrow(QuerySyntaxError);
    expect(() => previewQuery({ query: 'asset AND (seizure' }, items)).toThrow(
      'at position 19: expected a closing ")" to match "(" at position 11',
    );
  });
});

describe('pollFeed with a recent-items store', () => {
  const SEIZURE = {
    title: 'G7 agrees to start seizing frozen Russian assets',
    link: 'https://wire.example.com/g7-assets',
    guid: 'wire-1',
    description: 'Finance ministers agreed on Tuesday.',
  };
  const WEATHER = {
    title: 'Heatwave grips southern Europe',
    link: 'https://wire.example.com/heatwave',
    guid: 'wire-2',
    description: 'Temperatures passed 40C in Seville.',
  };

  test("records every new item, matched or not, once, and the feed's items again only when edited", async () => {
    const clock = new ManualClock(SEEN);
    const fetcher = new ScriptedFetcher();
    const recentItems = new MemoryRecentItemStore(clock);
    const deps = {
      fetcher,
      feeds: new MemoryFeedStore(),
      matches: new MemoryMatchStore(clock),
      recentItems,
      clock,
      watchSet: buildWatchSet([{ id: 'asset-seizure', query: 'asset seizure' }]).watchSet,
    };
    fetcher.serve(FEED, ok(rss([SEIZURE, WEATHER])));
    await pollFeed({ url: FEED, consecutiveFailures: 0, nextDueAt: SEEN.toISOString() }, deps);

    clock.advance(10 * 60_000);
    fetcher.serve(FEED, ok(rss([SEIZURE, { ...WEATHER, title: 'Heatwave grips all of Europe' }])));
    const state = await deps.feeds.get(FEED);
    await pollFeed(state ?? { url: FEED, consecutiveFailures: 0, nextDueAt: SEEN.toISOString() }, deps);

    const listed = await recentItems.listSince('2026-11-01T00:00:00.000Z');
    expect(listed.map((recorded) => [recorded.key, recorded.title, recorded.seenAt])).toEqual([
      ['wire-2', 'Heatwave grips all of Europe', '2026-11-28T10:10:00.000Z'],
      ['wire-1', 'G7 agrees to start seizing frozen Russian assets', '2026-11-28T10:00:00.000Z'],
    ]);
    expect(listed[1]).toEqual({
      feedUrl: FEED,
      key: 'wire-1',
      guid: 'wire-1',
      title: SEIZURE.title,
      link: SEIZURE.link,
      published: '2025-06-03T07:45:00.000Z',
      body: SEIZURE.description,
      seenAt: '2026-11-28T10:00:00.000Z',
    });
  });
});

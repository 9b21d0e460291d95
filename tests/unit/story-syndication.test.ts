import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, test } from 'vitest';
import { MemoryFeedStore, MemoryMatchStore } from '#adapters/memory/index.ts';
import { parseFeed } from '#core/feed/index.ts';
import type { StoredMatch, Watch } from '#core/model.ts';
import { pollFeed } from '#core/pipeline/poll-feed.ts';
import { buildWatchSet } from '#core/pipeline/watch-set.ts';
import { feedXml, fixturePath, OUTLETS, outletItems } from '../fixtures/syndication/build.ts';
import { OUTLET_FEEDS, STORIES } from '../fixtures/syndication/stories.ts';
import { ManualClock, ok, ScriptedFetcher } from './helpers/pipeline-fakes.ts';

/**
 * Every item of the syndication fixture through the real pipeline core: how many alerts a
 * naive "one alert per matching item" would send, how many Feedwatch sends, and proof that
 * no two distinct stories were merged. The figures are quoted in docs/alert-quality.md.
 */

const WATCHES: Watch[] = [
  { id: 'ceasefire', query: 'ceasefire OR truce' },
  { id: 'asset-seizure', query: 'asset seizure' },
  { id: 'frozen-assets', query: '"frozen assets" OR sanctions' },
  { id: 'rates', query: 'interest rates' },
  { id: 'quake', query: 'earthquake OR quake' },
  { id: 'election', query: 'election' },
];
const START = new Date('2025-06-03T08:00:00.000Z');
const FIVE_MINUTES = 5 * 60_000;

/**
 * Article of an item, by its feed and title (titles are unique within each fixture feed): its
 * story, except that the wire's re-issue of a story under a new link and GUID is an article of
 * its own (one feed's items are one story only when their link or GUID says so).
 */
const storyOfItem = new Map(
  OUTLETS.flatMap((outlet) =>
    outletItems(outlet).map(
      (item) =>
        [
          `${OUTLET_FEEDS[outlet]} ${item.title}`,
          item.link?.endsWith('-update-1') ? `${item.storyId} (re-issue)` : item.storyId,
        ] as const,
    ),
  ),
);

function storyOf(match: Pick<StoredMatch, 'feedUrl' | 'title'>): string {
  const story = storyOfItem.get(`${match.feedUrl} ${match.title}`);
  if (!story) throw new Error(`no fixture story for ${match.feedUrl} ${match.title}`);
  return story;
}

let naiveAlerts: { watchId: string; story: string }[];
let alerts: StoredMatch[];
let matches: MemoryMatchStore;

beforeAll(async () => {
  const { watchSet } = buildWatchSet(WATCHES);
  naiveAlerts = [];
  for (const outlet of OUTLETS) {
    const parsed = await parseFeed(await readFile(fixturePath(outlet)), { now: START });
    for (const item of parsed.items) {
      for (const match of watchSet.matcher.match(item, { feedUrl: OUTLET_FEEDS[outlet] })) {
        naiveAlerts.push({
          watchId: match.watchId,
          story: storyOf({ feedUrl: OUTLET_FEEDS[outlet], title: item.title }),
        });
      }
    }
  }

  const clock = new ManualClock(START);
  const feeds = new MemoryFeedStore();
  matches = new MemoryMatchStore(clock);
  const fetcher = new ScriptedFetcher();
  for (const outlet of OUTLETS) {
    fetcher.serve(OUTLET_FEEDS[outlet], ok(await readFile(fixturePath(outlet), 'utf8')));
  }
  for (const outlet of OUTLETS) {
    const url = OUTLET_FEEDS[outlet];
    await pollFeed(
      { url, consecutiveFailures: 0, nextDueAt: clock.now().toISOString() },
      { fetcher, feeds, matches, clock, watchSet },
    );
    clock.advance(FIVE_MINUTES);
  }
  alerts = await matches.listPending();
});

describe('syndicated duplicates through the pipeline', () => {
  test('the fixture files are built from stories.ts as they stand', async () => {
    for (const outlet of OUTLETS) {
      expect(await readFile(fixturePath(outlet), 'utf8')).toBe(feedXml(outlet));
    }
    expect(STORIES).toHaveLength(55);
    expect(storyOfItem.size).toBe(180);
  });

  test('Feedwatch sends one alert per watch and story where a naive pipeline sends one per item', () => {
    const distinctPairs = new Set(naiveAlerts.map(({ watchId, story }) => `${watchId} ${story}`));

    // With concept expansion: "frozen Russian assets", "freeze assets" and "forfeiture" stories
    // also alert for asset seizure, and a "blacklist" story for sanctions.
    expect(naiveAlerts).toHaveLength(123);
    expect(distinctPairs.size).toBe(39);
    expect([...distinctPairs].filter((pair) => pair.endsWith('(re-issue)')).sort()).toEqual([
      'asset-seizure g7-seize-russian-assets (re-issue)',
      'ceasefire sudan-el-fasher-truce (re-issue)',
      'quake turkey-quake-61 (re-issue)',
      'rates fed-holds-rates (re-issue)',
    ]);
    expect(alerts).toHaveLength(distinctPairs.size);
  });

  test('no two distinct stories were merged and no story alerted twice for a watch', () => {
    const expected = [...new Set(naiveAlerts.map(({ watchId, story }) => `${watchId} ${story}`))].sort();

    const alerted = alerts.map((match) => `${match.watchId} ${storyOf(match)}`).sort();

    expect(alerted).toEqual(expected);
  });

  test('the later outlets are listed on the alert of the article they carry', async () => {
    const g7 = alerts.find(
      (match) => match.watchId === 'asset-seizure' && storyOf(match) === 'g7-seize-russian-assets',
    );
    const g7Update = alerts.find(
      (match) => match.watchId === 'asset-seizure' && storyOf(match) === 'g7-seize-russian-assets (re-issue)',
    );

    expect(g7?.feedUrl).toBe(OUTLET_FEEDS.wire);
    expect(g7?.alsoIn?.map((merged) => merged.feed)).toEqual([
      OUTLET_FEEDS.aggregator,
      OUTLET_FEEDS.chronicle,
      OUTLET_FEEDS.ledger,
    ]);
    expect(g7Update?.alsoIn).toEqual([
      {
        feed: OUTLET_FEEDS.metro,
        itemKey: 'metro-8',
        title: 'G7 ministers back seizure of frozen Russian assets for Ukraine',
        link: 'https://metropost.example.com/2025/06/g7-seize-russian-assets/?utm_source=rss&utm_medium=feed',
        published: '2025-06-03T07:45:00.000Z',
        seenAt: '2025-06-03T08:15:00.000Z',
      },
    ]);
  });
});

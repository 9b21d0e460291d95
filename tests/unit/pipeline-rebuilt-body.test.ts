import { beforeEach, describe, expect, test } from 'vitest';
import { MemoryFeedStore, MemoryMatchStore } from '#adapters/memory/index.ts';
import type { FeedState, StoredMatch } from '#core/model.ts';
import { type PollDeps, pollFeed } from '#core/pipeline/poll-feed.ts';
import { buildWatchSet } from '#core/pipeline/watch-set.ts';
import { ManualClock, ok, ScriptedFetcher } from './helpers/pipeline-fakes.ts';

/**
 * A rebuilt body: a 200 whose bytes changed (a new lastBuildDate, items reordered or dropped)
 * but whose items are all ones the last parse read. `items: 0` in an outcome means the body was
 * not parsed (PollOutcome.items counts the items of a parsed body only).
 */

const FEED = 'https://wire.example.com/world.xml';
const START = new Date('2026-11-28T10:00:00.000Z');
const MINUTE = 60_000;

const SEIZURE = item(
  'wire-1',
  'G7 agrees to start seizing frozen Russian assets',
  'Ministers agreed on Tuesday.',
);
const WEATHER = item('wire-2', 'Heatwave grips southern Europe', 'Temperatures passed 40C in Seville.');
const MARKETS = item('wire-3', 'Markets close higher', 'Shares rose in quiet trading.');

function item(guid: string, title: string, description: string): string {
  return `<item>
  <title>${title}</title>
  <link>https://wire.example.com/${guid}</link>
  <guid isPermaLink="false">${guid}</guid>
  <description>${description}</description>
</item>`;
}

function feed(
  items: string[],
  { buildDate = 'Sat, 28 Nov 2026 10:00:00 GMT', rssAttributes = '' } = {},
): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"${rssAttributes}><channel><title>Test wire</title><link>https://wire.example.com/</link>
<lastBuildDate>${buildDate}</lastBuildDate>
${items.join('\n')}
</channel></rss>
<!-- generated at ${buildDate} -->`;
}

const LATER = { buildDate: 'Sat, 28 Nov 2026 10:05:00 GMT' };

class CountingFeedStore extends MemoryFeedStore {
  puts = 0;
  override async put(state: FeedState): Promise<void> {
    this.puts++;
    return super.put(state);
  }
}

let clock: ManualClock;
let feeds: CountingFeedStore;
let matches: MemoryMatchStore;
let fetcher: ScriptedFetcher;

function deps(extra: Partial<PollDeps> = {}): PollDeps {
  return {
    fetcher,
    feeds,
    matches,
    clock,
    watchSet: buildWatchSet([{ id: 'asset-seizure', name: 'Asset seizure', query: 'asset seizure' }])
      .watchSet,
    ...extra,
  };
}

beforeEach(() => {
  clock = new ManualClock(START);
  feeds = new CountingFeedStore();
  matches = new MemoryMatchStore(clock);
  fetcher = new ScriptedFetcher();
});

async function firstPoll(body: string, state: Partial<FeedState> = {}) {
  fetcher.serve(FEED, ok(body));
  const outcome = await pollFeed(
    { url: FEED, consecutiveFailures: 0, nextDueAt: START.toISOString(), ...state },
    deps(),
  );
  feeds.puts = 0;
  return outcome;
}

/** Serves `body` and polls five minutes later, with the feed's state as stored. */
async function pollAfter(body: string, extra: Partial<PollDeps> = {}) {
  fetcher.serve(FEED, ok(body));
  clock.advance(5 * MINUTE);
  return pollFeed((await feeds.get(FEED)) as FeedState, deps(extra));
}

const storedTitles = (stored: StoredMatch[]) => stored.map((match) => match.title);

describe('a rebuilt body whose items were all read before', () => {
  test('the first parse keeps one hash per item with the items it saw', async () => {
    await firstPoll(feed([SEIZURE, WEATHER, MARKETS]));

    const state = await feeds.get(FEED);

    expect(state?.itemChunks).toHaveLength(3);
    expect(state?.seen).toHaveLength(3);
  });

  test.each([
    ['only its lastBuildDate (and a comment) changed', feed([SEIZURE, WEATHER, MARKETS], LATER)],
    ['its items reordered', feed([MARKETS, SEIZURE, WEATHER], LATER)],
    ['one item fell off the end', feed([SEIZURE, WEATHER], LATER)],
    ['all three at once', feed([WEATHER, SEIZURE], LATER)],
  ])('is not parsed when %s, and writes nothing', async (_, rebuilt) => {
    await firstPoll(feed([SEIZURE, WEATHER, MARKETS]));
    const before = await feeds.get(FEED);

    const outcome = await pollAfter(rebuilt);

    expect(outcome).toMatchObject({ status: 'unchanged', items: 0, newItems: 0, stored: [], warnings: [] });
    expect(feeds.puts).toBe(0);
    expect(await feeds.get(FEED)).toEqual(before);
  });

  test('with one new item is parsed, and matches and stores that item only', async () => {
    await firstPoll(feed([WEATHER, MARKETS]));

    const outcome = await pollAfter(feed([SEIZURE, MARKETS, WEATHER], LATER));

    expect(outcome).toMatchObject({ status: 'ok', items: 3, newItems: 1 });
    expect(storedTitles(outcome.stored)).toEqual(['G7 agrees to start seizing frozen Russian assets']);
    expect(feeds.puts).toBe(1);
    // The write carries the new body's item hashes: the same body rebuilt again is not parsed.
    const again = await pollAfter(
      feed([MARKETS, SEIZURE, WEATHER], { buildDate: 'Sat, 28 Nov 2026 10:15:00 GMT' }),
    );
    expect(again).toMatchObject({ status: 'unchanged', items: 0 });
  });

  test('with one edited item (same GUID, new text) is parsed and matches that item again', async () => {
    await firstPoll(feed([SEIZURE, WEATHER]));
    const edited = item('wire-2', 'Heatwave grips southern Europe', 'Heat delays the asset seizure vote.');

    const outcome = await pollAfter(feed([SEIZURE, edited], LATER));

    expect(outcome).toMatchObject({ status: 'ok', items: 2, newItems: 1 });
    expect(outcome.stored.map((match) => [match.itemKey, match.title])).toEqual([
      ['wire-2', 'Heatwave grips southern Europe'],
    ]);
  });

  test('whose root declares another namespace is parsed, and finds nothing new', async () => {
    await firstPoll(feed([SEIZURE, WEATHER]));

    const outcome = await pollAfter(
      feed([SEIZURE, WEATHER], {
        ...LATER,
        rssAttributes: ' xmlns:content="http://purl.org/rss/1.0/modules/content/"',
      }),
    );

    expect(outcome).toMatchObject({ status: 'ok', items: 2, newItems: 0, stored: [] });
    expect(feeds.puts).toBe(0);
  });

  test('whose channel link changed is parsed: relative item links resolve against it, so their keys change', async () => {
    const relative =
      '<item><title>Seizing frozen Russian assets</title><link>/g7</link><description>t</description></item>';
    const at = (site: string) =>
      `<rss version="2.0"><channel><title>Wire</title><link>${site}</link>${relative}</channel></rss>`;
    await firstPoll(at('https://wire.example.com/'));

    const outcome = await pollAfter(at('https://mirror.example.org/'));

    expect(outcome).toMatchObject({ status: 'ok', items: 1, newItems: 1 });
    expect(outcome.stored.map((match) => match.link)).toEqual(['https://mirror.example.org/g7']);
  });

  test('is parsed when the state holds no item hashes yet (written before they were kept), until its next write', async () => {
    await firstPoll(feed([SEIZURE, WEATHER]));
    const { itemChunks: _none, ...older } = (await feeds.get(FEED)) as FeedState;
    await feeds.put(older);
    feeds.puts = 0;

    const parsed = await pollAfter(feed([WEATHER, SEIZURE], LATER));
    const stillParsed = await pollAfter(feed([SEIZURE, WEATHER], LATER));
    const written = await pollAfter(feed([MARKETS, SEIZURE, WEATHER], LATER));
    const skipped = await pollAfter(feed([SEIZURE, MARKETS], LATER));

    expect(
      [parsed, stillParsed, written, skipped].map(({ status, items, newItems }) => [status, items, newItems]),
    ).toEqual([
      ['ok', 2, 0],
      ['ok', 2, 0],
      ['ok', 3, 1],
      ['unchanged', 0, 0],
    ]);
    expect(feeds.puts).toBe(1);
  });

  test('a body the scan does not fully understand is parsed every time, and keeps no item hashes', async () => {
    const commented = (buildDate: string) =>
      feed([SEIZURE, WEATHER], { buildDate }).replace(
        '</channel>',
        `<!-- <item>${buildDate}</item> --></channel>`,
      );
    await firstPoll(commented('Sat, 28 Nov 2026 10:00:00 GMT'));

    const outcome = await pollAfter(commented('Sat, 28 Nov 2026 10:05:00 GMT'));

    expect((await feeds.get(FEED))?.itemChunks).toBeUndefined();
    expect(outcome).toMatchObject({ status: 'ok', items: 2, newItems: 0 });
  });

  test('is parsed while an item of the feed is to be retried, and the retried item is stored then', async () => {
    class RefusingOnce extends MemoryMatchStore {
      refused = false;
      override async putNewStory(
        match: StoredMatch,
        next: Parameters<MemoryMatchStore['putNewStory']>[1],
      ): ReturnType<MemoryMatchStore['putNewStory']> {
        if (!this.refused) {
          this.refused = true;
          throw new Error('Throughput exceeds the current capacity of your table');
        }
        return super.putNewStory(match, next);
      }
    }
    matches = new RefusingOnce(clock);
    const first = await firstPoll(feed([SEIZURE, WEATHER]));

    const retried = await pollAfter(feed([WEATHER, SEIZURE], LATER));

    expect(first.itemFailures.map((failure) => [failure.itemKey, failure.status])).toEqual([
      ['wire-1', 'retrying'],
    ]);
    expect(retried).toMatchObject({ status: 'ok', items: 2, newItems: 1, itemFailures: [] });
    expect(storedTitles(retried.stored)).toEqual(['G7 agrees to start seizing frozen Russian assets']);
  });
});

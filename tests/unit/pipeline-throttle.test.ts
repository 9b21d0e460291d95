import { expect, test } from 'vitest';
import { MemoryFeedStore, MemoryMatchStore } from '#adapters/memory/index.ts';
import type { FeedState } from '#core/model.ts';
import { FetchThrottle, pollFeeds } from '#core/pipeline/poll-batch.ts';
import { buildWatchSet } from '#core/pipeline/watch-set.ts';
import type { Fetcher, FetchRequest, FetchResult } from '#core/ports.ts';
import { ManualClock } from './helpers/pipeline-fakes.ts';

/** Answers 304 after a short wait and records how many fetches were in flight, overall and per host. */
class SlowFetcher implements Fetcher {
  inFlight = 0;
  maxInFlight = 0;
  private readonly perHost = new Map<string, number>();
  maxPerHost = 0;

  async fetch(request: FetchRequest): Promise<FetchResult> {
    const host = new URL(request.url).host;
    this.inFlight++;
    this.perHost.set(host, (this.perHost.get(host) ?? 0) + 1);
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.maxPerHost = Math.max(this.maxPerHost, this.perHost.get(host) ?? 0);
    await new Promise((wake) => setTimeout(wake, 5));
    this.inFlight--;
    this.perHost.set(host, (this.perHost.get(host) ?? 0) - 1);
    return { status: 'not-modified' };
  }
}

const feedsOn = (host: string, count: number): FeedState[] =>
  Array.from({ length: count }, (_, i) => ({
    url: `https://${host}/feed-${i}.xml`,
    consecutiveFailures: 0,
    nextDueAt: '2026-11-28T10:00:00.000Z',
  }));

test('one throttle bounds every batch that shares it, overall and per host', async () => {
  const fetcher = new SlowFetcher();
  const clock = new ManualClock(new Date('2026-11-28T10:00:00.000Z'));
  const deps = {
    fetcher,
    feeds: new MemoryFeedStore(),
    matches: new MemoryMatchStore(clock),
    clock,
    watchSet: buildWatchSet([]).watchSet,
  };
  const throttle = new FetchThrottle({ concurrency: 5, perHost: 2 });

  const batches = await Promise.all([
    pollFeeds([...feedsOn('a.example', 6), ...feedsOn('b.example', 6)], deps, throttle),
    pollFeeds([...feedsOn('c.example', 6), ...feedsOn('a.example', 6)], deps, throttle),
  ]);

  expect(batches.flatMap((batch) => batch.outcomes.map((outcome) => outcome.status))).toEqual(
    Array(24).fill('not-modified'),
  );
  expect(fetcher.maxInFlight).toBe(5);
  expect(fetcher.maxPerHost).toBe(2);
});

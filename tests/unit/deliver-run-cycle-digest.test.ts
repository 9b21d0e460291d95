import { expect, test } from 'vitest';
import {
  MemoryFeedStore,
  MemoryMatchStore,
  MemoryRateLimiter,
  MemoryWatchStore,
} from '#adapters/memory/index.ts';
import { runCycle } from '#core/pipeline/run-cycle.ts';
import { ManualClock, ok, RecordingNotifier, rss, ScriptedFetcher } from './helpers/pipeline-fakes.ts';

const FEED = 'https://wire.example.com/world.xml';
const START = new Date('2026-11-28T10:05:00.000Z');

test('the local run routes a digest watch and sends its digest once the hour is over, as AWS does', async () => {
  const clock = new ManualClock(START);
  const watches = new MemoryWatchStore();
  await watches.put({ id: 'ceasefire', name: 'Ceasefire', query: 'ceasefire', delivery: 'digest' });
  const feeds = new MemoryFeedStore();
  await feeds.put({ url: FEED, consecutiveFailures: 0, nextDueAt: START.toISOString() });
  const notifier = new RecordingNotifier();
  const deps = {
    watches,
    feeds,
    matches: new MemoryMatchStore(clock),
    fetcher: new ScriptedFetcher().serve(
      FEED,
      ok(
        rss([
          {
            title: 'Ceasefire holds in the north',
            link: 'https://wire.example.com/north',
            description: 'Calm.',
          },
          {
            title: 'Talks on a ceasefire resume',
            link: 'https://wire.example.com/talks',
            description: 'Envoys met.',
          },
        ]),
      ),
    ),
    notifier,
    rateLimiter: new MemoryRateLimiter(() => clock.now().getTime()),
    clock,
  };

  const first = await runCycle(deps);
  clock.advance(60 * 60_000);
  const second = await runCycle(deps);

  expect([first.alerts, first.routedToDigest, first.digests]).toEqual([0, 2, 0]);
  expect([second.alerts, second.routedToDigest, second.digests]).toEqual([0, 0, 1]);
  expect(notifier.published.map((message) => message.subject)).toEqual([
    '[Feedwatch] Ceasefire: 2 new matches (digest)',
  ]);
  expect(second.deliveryErrors).toEqual([]);
});

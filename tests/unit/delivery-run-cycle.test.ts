import { beforeEach, describe, expect, test } from 'vitest';
import {
  MemoryFeedStore,
  MemoryMatchStore,
  MemoryRateLimiter,
  MemoryWatchStore,
} from '#adapters/memory/index.ts';
import type { StoredMatch } from '#core/model.ts';
import { type CycleDeps, runCycle } from '#core/pipeline/run-cycle.ts';
import { storeNewStory } from '../helpers/store-match.ts';
import { ManualClock, ok, RecordingNotifier, rss, ScriptedFetcher } from './helpers/pipeline-fakes.ts';

const FEED = 'https://wire.example.com/world.xml';
const START = new Date('2026-11-28T10:00:00.000Z');
const MINUTE = 60_000;
const STORY = 'https://wire.example.com/g7-assets';
const SEIZURE_ITEM = {
  title: 'G7 agrees to start seizing frozen Russian assets',
  link: STORY,
  guid: 'wire-1',
  description: 'Finance ministers agreed to begin seizing frozen Russian assets on Tuesday.',
};

let clock: ManualClock;
let matches: MemoryMatchStore;
let notifier: RecordingNotifier;
let deps: CycleDeps;

beforeEach(async () => {
  clock = new ManualClock(START);
  matches = new MemoryMatchStore(clock);
  notifier = new RecordingNotifier();
  const watches = new MemoryWatchStore();
  await watches.put({ id: 'asset-seizure', name: 'Asset seizure', query: 'asset seizure' });
  const feeds = new MemoryFeedStore();
  await feeds.put({ url: FEED, consecutiveFailures: 0, nextDueAt: START.toISOString() });
  deps = {
    watches,
    feeds,
    matches,
    fetcher: new ScriptedFetcher().serve(FEED, ok(rss([SEIZURE_ITEM]))),
    notifier,
    rateLimiter: new MemoryRateLimiter(() => clock.now().getTime()),
    clock,
  };
});

describe('runCycle delivery', () => {
  test('reports a failed publish with the match, leaves it PENDING, and delivers it the next cycle', async () => {
    notifier.failWith = new Error('SNS unavailable');

    const failing = await runCycle(deps);
    const stateAfterFailure = (await matches.get('asset-seizure', STORY))?.alertState;
    notifier.failWith = undefined;
    clock.advance(5 * MINUTE);
    const next = await runCycle(deps);

    expect(failing.alerts).toBe(0);
    expect(failing.deliveryErrors).toEqual([
      { watchId: 'asset-seizure', storyKey: STORY, message: 'SNS unavailable' },
    ]);
    expect(stateAfterFailure).toBe('PENDING');
    // The feed is unchanged the next time; the stored match is re-driven, not matched again.
    expect(next.outcomes.map((outcome) => outcome.status)).toEqual(['unchanged']);
    expect(next.alerts).toBe(1);
    expect(next.deliveryErrors).toEqual([]);
    expect(notifier.published.map((message) => message.subject)).toEqual([
      '[Feedwatch] Asset seizure: G7 agrees to start seizing frozen Russian assets',
    ]);
    expect((await matches.get('asset-seizure', STORY))?.alertState).toBe('SENT');
  });

  test('delivers a match an earlier run stored but never published, even with no feed due', async () => {
    const leftOver: StoredMatch = {
      watchId: 'asset-seizure',
      watchName: 'Asset seizure',
      storyKey: 'https://wire.example.com/earlier',
      itemKey: 'wire-0',
      feedUrl: FEED,
      title: 'Belgium weighs seizure of frozen Russian assets',
      matched: ['asset', 'seizure'],
      hits: [],
      snippet: 'Belgium weighs seizure of frozen Russian assets',
      highlight: 'Belgium weighs **seizure** of frozen Russian **assets**',
      matchedAt: new Date(START.getTime() - 30 * MINUTE).toISOString(),
      alertState: 'PENDING',
    };
    await storeNewStory(matches, leftOver);
    await deps.feeds.put({ url: FEED, consecutiveFailures: 0, nextDueAt: '2099-01-01T00:00:00.000Z' });

    const report = await runCycle(deps);
    const again = await runCycle(deps);

    expect(report.polled).toBe(0);
    expect(report.alerts).toBe(1);
    expect(again.alerts).toBe(0);
    expect(notifier.published.map((message) => message.subject)).toEqual([
      '[Feedwatch] Asset seizure: Belgium weighs seizure of frozen Russian assets',
    ]);
  });

  test('a cycle whose deliveries failed leaves older PENDING matches for the next one rather than hammering SNS', async () => {
    await storeNewStory(matches, {
      watchId: 'asset-seizure',
      storyKey: 'https://wire.example.com/earlier',
      itemKey: 'wire-0',
      feedUrl: FEED,
      title: 'Belgium weighs seizure of frozen Russian assets',
      matched: ['asset', 'seizure'],
      hits: [],
      snippet: '',
      highlight: '',
      matchedAt: new Date(START.getTime() - 30 * MINUTE).toISOString(),
      alertState: 'PENDING',
    });
    let attempts = 0;
    deps.notifier = {
      publish: async () => {
        attempts++;
        throw new Error('SNS unavailable');
      },
      fits: () => true,
    };

    const report = await runCycle(deps);

    expect(report.deliveryErrors.map((error) => error.storyKey)).toEqual([STORY]);
    expect(attempts).toBe(1);
    expect((await matches.listPending()).map((match) => match.storyKey)).toEqual([
      'https://wire.example.com/earlier',
      STORY,
    ]);
  });
});

describe('runCycle with a store error on one feed', () => {
  test('reports that feed in one line, leaves it due, and still delivers the other feeds', async () => {
    const BROKEN = 'https://broken-store.example.com/rss';
    const feeds = deps.feeds as MemoryFeedStore;
    await feeds.put({ url: BROKEN, consecutiveFailures: 0, nextDueAt: START.toISOString() });
    (deps.fetcher as ScriptedFetcher).serve(
      BROKEN,
      ok(
        rss([
          { ...SEIZURE_ITEM, title: 'Other', link: undefined, guid: 'b-1', description: 'Nothing here.' },
        ]),
      ),
    );
    const put = feeds.put.bind(feeds);
    feeds.put = async (state) => {
      if (state.url === BROKEN) throw new Error('ProvisionedThroughputExceededException: rate exceeded');
      return put(state);
    };

    const report = await runCycle(deps);

    expect(report.failed).toEqual([
      {
        url: BROKEN,
        message: 'not recorded, retried next cycle: ProvisionedThroughputExceededException: rate exceeded',
      },
    ]);
    expect(report.alerts).toBe(1);
    expect(notifier.published.map((message) => message.watchId)).toEqual(['asset-seizure']);
    expect((await feeds.due(START.toISOString())).map((feed) => feed.url)).toEqual([BROKEN]);
  });
});

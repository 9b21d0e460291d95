import { beforeEach, describe, expect, test } from 'vitest';
import { MemoryMatchStore, MemoryRateLimiter, MemoryWatchStore } from '#adapters/memory/index.ts';
import { PublishRefusedError } from '#core/errors.ts';
import type { StoredMatch, Watch } from '#core/model.ts';
import { type DeliverDeps, deliverAlert, redrivePending } from '#core/pipeline/deliver.ts';
import { storeNewStory } from '../helpers/store-match.ts';
import { ManualClock, RecordingNotifier } from './helpers/pipeline-fakes.ts';

const NOW = new Date('2026-11-28T10:05:00.000Z');
const WATCH: Watch = { id: 'asset-seizure', name: 'Asset seizure', query: 'asset seizure' };

let clock: ManualClock;
let matches: MemoryMatchStore;
let watches: MemoryWatchStore;
let notifier: RecordingNotifier;
let deps: DeliverDeps;

function aMatch(n: number, overrides: Partial<StoredMatch> = {}): StoredMatch {
  return {
    watchId: WATCH.id,
    watchName: WATCH.name,
    storyKey: `https://wire.example.com/story-${n}`,
    itemKey: `item-${n}`,
    feedUrl: 'https://wire.example.com/world.xml',
    title: `Story ${n} on seizing Russian assets`,
    link: `https://wire.example.com/story-${n}`,
    matched: ['asset', 'seizure'],
    hits: [{ term: 'asset', word: 'assets', field: 'title' }],
    snippet: `Story ${n} on seizing Russian assets`,
    highlight: `Story ${n} on **seizing** Russian **assets**`,
    matchedAt: clock.now().toISOString(),
    alertState: 'PENDING',
    ...overrides,
  };
}

async function storeAndDeliver(count: number, first = 1) {
  const results = [];
  for (let n = first; n < first + count; n++) {
    await storeNewStory(matches, aMatch(n));
    results.push(await deliverAlert(aMatch(n), deps));
  }
  return results;
}

beforeEach(async () => {
  clock = new ManualClock(NOW);
  matches = new MemoryMatchStore(clock);
  watches = new MemoryWatchStore();
  notifier = new RecordingNotifier();
  deps = {
    notifier,
    matches,
    routing: { watches, rateLimiter: new MemoryRateLimiter(() => clock.now().getTime()), clock },
  };
  await watches.put(WATCH);
});

describe('the hourly alert limit', () => {
  test('10 alerts pass; the 11th rolls into the digest with exactly one notice, the 12th silently', async () => {
    const results = await storeAndDeliver(12);

    expect(results.map((delivery) => [delivery.result, delivery.notice ?? false])).toEqual([
      ...Array.from({ length: 10 }, () => ['sent', false]),
      ['digest', true],
      ['digest', false],
    ]);
    expect(notifier.published.map((message) => message.subject)).toEqual([
      ...Array.from(
        { length: 10 },
        (_, n) => `[Feedwatch] Asset seizure: Story ${n + 1} on seizing Russian assets`,
      ),
      '[Feedwatch] Asset seizure: more than 10 alerts this hour',
    ]);
    expect(notifier.published[10]?.sms).toBe(
      'Feedwatch Asset seizure: more than 10 alerts this hour; further matches will arrive in the next digest',
    );
    expect((await matches.listDigest()).map((match) => match.storyKey)).toEqual([
      'https://wire.example.com/story-11',
      'https://wire.example.com/story-12',
    ]);
    expect(await matches.listPending()).toEqual([]);
  });

  test('the next hour starts a new budget', async () => {
    await storeAndDeliver(11);
    clock.advance(55 * 60_000);

    const [next] = await storeAndDeliver(1, 12);

    expect(next?.result).toBe('sent');
    expect(notifier.published.at(-1)?.subject).toBe(
      '[Feedwatch] Asset seizure: Story 12 on seizing Russian assets',
    );
  });

  test('honours the watch maxAlertsPerHour and counts each watch apart', async () => {
    await watches.put({ ...WATCH, maxAlertsPerHour: 2 });
    await watches.put({ id: 'ceasefire', query: 'ceasefire' });

    const limited = await storeAndDeliver(3);
    await storeNewStory(matches, aMatch(1, { watchId: 'ceasefire', watchName: undefined }));
    const other = await deliverAlert({ watchId: 'ceasefire', storyKey: aMatch(1).storyKey }, deps);

    expect(limited.map((delivery) => delivery.result)).toEqual(['sent', 'sent', 'digest']);
    expect(other.result).toBe('sent');
    expect(notifier.published.map((message) => message.subject)).toContain(
      '[Feedwatch] Asset seizure: more than 2 alerts this hour',
    );
  });

  test('a publish SNS refused gives its slot back, so the retry and the rest still get 10 alerts', async () => {
    await storeNewStory(matches, aMatch(1));
    notifier.failWith = new PublishRefusedError('SNS unavailable', false);

    await expect(deliverAlert(aMatch(1), deps)).rejects.toThrow('SNS unavailable');
    notifier.failWith = undefined;
    const retried = await deliverAlert(aMatch(1), deps);
    const rest = await storeAndDeliver(9, 2);

    expect(retried.result).toBe('sent');
    expect(rest.every((delivery) => delivery.result === 'sent')).toBe(true);
    expect(notifier.published).toHaveLength(10);
  });

  test('a notice SNS refused is sent by the retry, still only once', async () => {
    await storeAndDeliver(10);
    await storeNewStory(matches, aMatch(11));
    notifier.failWith = new PublishRefusedError('SNS unavailable', false);

    await expect(deliverAlert(aMatch(11), deps)).rejects.toThrow('SNS unavailable');
    notifier.failWith = undefined;
    const retried = await deliverAlert(aMatch(11), deps);
    const after = await storeAndDeliver(1, 12);

    expect([retried.result, retried.notice]).toEqual(['digest', true]);
    expect(after[0]?.notice).toBeUndefined();
    expect(notifier.published.filter((message) => message.json.kind === 'rate-limit')).toHaveLength(1);
  });
});

describe('delivery modes and quiet hours', () => {
  test('a digest watch sends nothing now: its matches wait in DIGEST', async () => {
    await watches.put({ ...WATCH, delivery: 'digest' });

    const results = await storeAndDeliver(2);

    expect(results.map((delivery) => delivery.result)).toEqual(['digest', 'digest']);
    expect(notifier.published).toEqual([]);
    expect((await matches.get(WATCH.id, aMatch(1).storyKey))?.alertState).toBe('DIGEST');
  });

  test('a watch muted after the match was stored suppresses it', async () => {
    await watches.put({ ...WATCH, delivery: 'muted' });

    const [delivery] = await storeAndDeliver(1);

    expect(delivery?.result).toBe('suppressed');
    expect((await matches.get(WATCH.id, aMatch(1).storyKey))?.alertState).toBe('SUPPRESSED');
    expect(notifier.published).toEqual([]);
  });

  test('a match in quiet hours goes to the digest; one after them is alerted', async () => {
    // 10:05 UTC is 21:05 in Sydney (AEDT, UTC+11) in November.
    await watches.put({
      ...WATCH,
      quietHours: { start: '21:00', end: '07:00', timeZone: 'Australia/Sydney' },
    });

    const [quiet] = await storeAndDeliver(1);
    clock.advance(10 * 3_600_000);
    const [awake] = await storeAndDeliver(1, 2);

    expect(quiet?.result).toBe('digest');
    expect(awake?.result).toBe('sent');
  });

  test('a match of a deleted watch is alerted with the defaults', async () => {
    await watches.delete(WATCH.id);

    const [delivery] = await storeAndDeliver(1);

    expect(delivery?.result).toBe('sent');
  });

  test('a match no longer PENDING is skipped and publishes nothing', async () => {
    await storeNewStory(matches, aMatch(1, { alertState: 'DIGEST' }));

    const delivery = await deliverAlert(aMatch(1), deps);

    expect(delivery.result).toBe('skipped');
    expect(notifier.published).toEqual([]);
  });

  test('the sweeper re-drive routes as the notifier does', async () => {
    await watches.put({ ...WATCH, delivery: 'digest' });
    await storeNewStory(matches, aMatch(1, { matchedAt: '2026-11-28T09:00:00.000Z' }));

    const { sent, failed } = await redrivePending(deps, NOW);

    expect([sent, failed]).toEqual([[], []]);
    expect((await matches.listDigest()).map((match) => match.itemKey)).toEqual(['item-1']);
  });
});

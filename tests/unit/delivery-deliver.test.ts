import { beforeEach, describe, expect, test } from 'vitest';
import { MemoryMatchStore, MemoryRateLimiter, MemoryWatchStore } from '#adapters/memory/index.ts';
import { formatAlert } from '#core/alerts/format.ts';
import { PublishRefusedError } from '#core/errors.ts';
import type { StoredMatch } from '#core/model.ts';
import {
  DELIVERY_LEASE_MS,
  type DeliverDeps,
  deliverAlert,
  redrivePending,
  UnrecordedDeliveryError,
} from '#core/pipeline/deliver.ts';
import type { AlertMessage, RateLimitDecision, Settlement } from '#core/ports.ts';
import { storeNewStory } from '../helpers/store-match.ts';
import { ManualClock, RecordingNotifier } from './helpers/pipeline-fakes.ts';

const NOW = new Date('2026-11-28T10:00:00.000Z');
const WINDOW = '2026-11-28T10';

function aMatch(overrides: Partial<StoredMatch> = {}): StoredMatch {
  return {
    watchId: 'asset-seizure',
    watchName: 'Asset seizure',
    storyKey: 'https://wire.example.com/g7-assets',
    itemKey: 'wire-1',
    feedUrl: 'https://wire.example.com/world.xml',
    title: 'G7 agrees to start seizing frozen Russian assets',
    link: 'https://wire.example.com/g7-assets',
    matched: ['asset', 'seizure'],
    hits: [
      { term: 'asset', word: 'assets', field: 'title' },
      { term: 'seizure', word: 'seizing', field: 'title' },
    ],
    snippet: 'G7 agrees to start seizing frozen Russian assets',
    highlight: 'G7 agrees to start **seizing** frozen Russian **assets**',
    matchedAt: '2026-11-28T09:00:00.000Z',
    alertState: 'PENDING',
    ...overrides,
  };
}

/** A promise with its resolver outside, to hold one deliverer at a chosen step. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** A notifier whose next publish stops (after SNS took it or before, as told) until released. */
class PausingNotifier extends RecordingNotifier {
  private pause?: { reached: ReturnType<typeof deferred>; release: ReturnType<typeof deferred> };

  /** The next publish waits at its start; `reached` resolves once it is waiting there. */
  holdNext(): { reached: Promise<void>; release: () => void } {
    const pause = { reached: deferred(), release: deferred() };
    this.pause = pause;
    return { reached: pause.reached.promise, release: pause.release.resolve };
  }

  override async publish(message: AlertMessage): Promise<void> {
    const pause = this.pause;
    this.pause = undefined;
    if (pause) {
      pause.reached.resolve();
      await pause.release.promise;
    }
    return super.publish(message);
  }
}

/** A match store whose settle writes fail while `failingSettles` > 0, like DynamoDB throttling one partition. */
class FlakyMatchStore extends MemoryMatchStore {
  failingSettles = 0;
  settleAttempts = 0;

  override async settle(watchId: string, storyKey: string, owner: string, settlement: Settlement) {
    this.settleAttempts++;
    if (this.failingSettles > 0) {
      this.failingSettles--;
      throw new Error('Throughput exceeds the current capacity of your table or index');
    }
    return super.settle(watchId, storyKey, owner, settlement);
  }
}

/** The memory limiter, plus the counter's value as the store would hold it (takes minus give-backs). */
class CountingRateLimiter extends MemoryRateLimiter {
  readonly held = new Map<string, number>();

  override async take(
    watchId: string,
    window: string,
    limit: number,
    expiresAt: Date,
  ): Promise<RateLimitDecision> {
    const decision = await super.take(watchId, window, limit, expiresAt);
    if (decision !== 'over-limit') this.held.set(window, (this.held.get(window) ?? 0) + 1);
    return decision;
  }

  override async giveBack(watchId: string, window: string): Promise<void> {
    await super.giveBack(watchId, window);
    this.held.set(window, (this.held.get(window) ?? 0) - 1);
  }
}

let clock: ManualClock;
let matches: FlakyMatchStore;
let notifier: PausingNotifier;
let rateLimiter: CountingRateLimiter;
let deps: DeliverDeps;

beforeEach(async () => {
  clock = new ManualClock(NOW);
  matches = new FlakyMatchStore(clock);
  notifier = new PausingNotifier();
  rateLimiter = new CountingRateLimiter(() => clock.now().getTime());
  const watches = new MemoryWatchStore();
  await watches.put({ id: 'asset-seizure', name: 'Asset seizure', query: 'asset seizure' });
  deps = { notifier, matches, routing: { watches, rateLimiter, clock } };
});

async function stateOf(match: StoredMatch) {
  return (await matches.get(match.watchId, match.storyKey))?.alertState;
}

describe('deliverAlert', () => {
  test('claims a PENDING match, publishes it once, marks it SENT and counts one slot', async () => {
    const match = aMatch();
    await storeNewStory(matches, match);

    const delivery = await deliverAlert(match, deps);

    expect(delivery).toEqual({ result: 'sent', match: { ...match, alertState: 'SENT' } });
    expect(notifier.published).toEqual([formatAlert(match)]);
    expect(await matches.get(match.watchId, match.storyKey)).toEqual({ ...match, alertState: 'SENT' });
    expect(rateLimiter.held.get(WINDOW)).toBe(1);
  });

  test('skips a match already SENT, muted (SUPPRESSED) or missing, publishing nothing', async () => {
    const sent = aMatch({ storyKey: 'sent' });
    await storeNewStory(matches, sent);
    await deliverAlert(sent, deps);
    await storeNewStory(matches, aMatch({ storyKey: 'muted', alertState: 'SUPPRESSED' }));

    const results = await Promise.all(
      ['sent', 'muted', 'no-such-story'].map((storyKey) =>
        deliverAlert({ watchId: 'asset-seizure', storyKey }, deps),
      ),
    );

    expect(results).toEqual([{ result: 'skipped' }, { result: 'skipped' }, { result: 'skipped' }]);
    expect(notifier.published).toHaveLength(1);
    expect(rateLimiter.held.get(WINDOW)).toBe(1);
  });

  test('SNS refusing for now: the slot is given back and the match is PENDING again for the retry', async () => {
    const match = aMatch();
    await storeNewStory(matches, match);
    notifier.failWith = new PublishRefusedError('Service Unavailable', false);

    await expect(deliverAlert(match, deps)).rejects.toThrow('Service Unavailable');
    const stateAfterFailure = await stateOf(match);
    const countAfterFailure = rateLimiter.held.get(WINDOW);
    notifier.failWith = undefined;
    const retried = await deliverAlert(match, deps);

    expect(stateAfterFailure).toBe('PENDING');
    expect(countAfterFailure).toBe(0);
    expect(retried.result).toBe('sent');
    expect(notifier.published).toEqual([formatAlert(match)]);
    expect(rateLimiter.held.get(WINDOW)).toBe(1);
  });

  test('a publish that failed without an answer (it may have gone out) keeps its slot; the match is PENDING again', async () => {
    const match = aMatch();
    await storeNewStory(matches, match);
    notifier.failWith = new Error('socket hang up');

    await expect(deliverAlert(match, deps)).rejects.toThrow('socket hang up');

    expect(await stateOf(match)).toBe('PENDING');
    expect(rateLimiter.held.get(WINDOW)).toBe(1);
  });

  test('SNS refusing for good: FAILED with the reason, the slot given back, never retried', async () => {
    const match = aMatch();
    await storeNewStory(matches, match);
    notifier.failWith = new PublishRefusedError('Invalid parameter: Message too long', true);

    const delivery = await deliverAlert(match, deps);
    notifier.failWith = undefined;
    const redriven = await redrivePending(deps, NOW);

    expect(delivery).toEqual({
      result: 'failed',
      match: { ...match, alertState: 'FAILED', failure: 'Invalid parameter: Message too long' },
    });
    expect(await matches.get(match.watchId, match.storyKey)).toEqual(delivery.match);
    expect(redriven).toEqual({ sent: [], refused: [], takenOver: [], failed: [] });
    expect(notifier.published).toEqual([]);
    expect(rateLimiter.held.get(WINDOW)).toBe(0);
  });

  test('an alert over the service size limit is FAILED without a publish; the next match still goes out', async () => {
    const huge = aMatch({ storyKey: 'huge', snippet: 'x'.repeat(5_000) });
    const normal = aMatch({ storyKey: 'normal' });
    await storeNewStory(matches, huge);
    await storeNewStory(matches, normal);
    notifier.maxBytes = 4_000;

    const results = await Promise.all([deliverAlert(huge, deps), deliverAlert(normal, deps)]);

    expect(results.map((delivery) => [delivery.result, delivery.match?.failure])).toEqual([
      ['failed', 'too large for one message of the alert service'],
      ['sent', undefined],
    ]);
    expect(notifier.published.map((message) => message.json.storyKey)).toEqual(['normal']);
    expect(rateLimiter.held.get(WINDOW)).toBe(1);
  });
});

describe('two deliverers on one match, step by step', () => {
  test('claim/claim: both start at once, exactly one publishes', async () => {
    const match = aMatch();
    await storeNewStory(matches, match);

    const results = await Promise.all([deliverAlert(match, deps), deliverAlert(match, deps)]);

    expect(results.map((delivery) => delivery.result).sort()).toEqual(['sent', 'skipped']);
    expect(notifier.published).toHaveLength(1);
    expect(rateLimiter.held.get(WINDOW)).toBe(1);
  });

  test('publish/claim: while the first is publishing, the stream retry and the sweeper skip it', async () => {
    const match = aMatch();
    await storeNewStory(matches, match);
    const hold = notifier.holdNext();

    const first = deliverAlert(match, deps);
    await hold.reached;
    const streamRetry = await deliverAlert(match, deps);
    const sweep = await redrivePending(deps, NOW);
    hold.release();

    expect(streamRetry).toEqual({ result: 'skipped' });
    expect(sweep).toEqual({ sent: [], refused: [], takenOver: [], failed: [] });
    expect((await first).result).toBe('sent');
    expect(notifier.published).toHaveLength(1);
    expect(rateLimiter.held.get(WINDOW)).toBe(1);
    expect(await stateOf(match)).toBe('SENT');
  });

  test('record fails, then recovers within its retries: one publish, SENT', async () => {
    const match = aMatch();
    await storeNewStory(matches, match);
    matches.failingSettles = 2;

    const delivery = await deliverAlert(match, deps);

    expect(delivery.result).toBe('sent');
    expect(matches.settleAttempts).toBe(3);
    expect(notifier.published).toHaveLength(1);
    expect(await stateOf(match)).toBe('SENT');
  });

  test('record fails past its retries: no retry publishes while the claim lives; once it lapses, one more copy', async () => {
    const match = aMatch();
    await storeNewStory(matches, match);
    matches.failingSettles = 3;

    await expect(deliverAlert(match, deps)).rejects.toThrow(UnrecordedDeliveryError);
    const streamRetries = [await deliverAlert(match, deps), await deliverAlert(match, deps)];
    clock.advance(DELIVERY_LEASE_MS);
    const sweptAtLeaseEnd = await redrivePending(deps, clock.now());
    const publishedWhileClaimed = notifier.published.length;
    clock.advance(1);
    const sweptAfterLease = await redrivePending(deps, clock.now());
    const sweptAgain = await redrivePending(deps, clock.now());

    expect(streamRetries).toEqual([{ result: 'skipped' }, { result: 'skipped' }]);
    expect(sweptAtLeaseEnd.sent).toEqual([]);
    expect(publishedWhileClaimed).toBe(1);
    expect(sweptAfterLease.sent.map((sent) => sent.storyKey)).toEqual([match.storyKey]);
    expect(sweptAfterLease.takenOver.map((taken) => taken.storyKey)).toEqual([match.storyKey]);
    expect(sweptAgain.sent).toEqual([]);
    expect(notifier.published).toEqual([formatAlert(match), formatAlert(match)]);
    // Two alerts went out, and two slots are counted.
    expect(rateLimiter.held.get(WINDOW)).toBe(2);
    expect(await stateOf(match)).toBe('SENT');
  });

  test('lease expiry/takeover: a deliverer that died before publishing is taken over once, by one of two sweepers', async () => {
    const match = aMatch();
    await storeNewStory(matches, match);
    const hold = notifier.holdNext();
    // This deliverer never comes back from its publish: its Lambda timed out.
    void deliverAlert(match, deps);
    await hold.reached;

    clock.advance(DELIVERY_LEASE_MS + 1);
    const sweeps = await Promise.all([redrivePending(deps, clock.now()), redrivePending(deps, clock.now())]);

    expect(sweeps.map((sweep) => sweep.sent.length).sort()).toEqual([0, 1]);
    expect(notifier.published).toHaveLength(1);
    // The slot the dead deliverer took is not given back: it lapses with its hour.
    expect(rateLimiter.held.get(WINDOW)).toBe(2);
    expect(await stateOf(match)).toBe('SENT');
  });

  test('lease expiry/takeover: a deliverer that outlived its lease publishes, the taker publishes too, and the late record is refused', async () => {
    const match = aMatch();
    await storeNewStory(matches, match);
    const hold = notifier.holdNext();
    const slow = deliverAlert(match, deps);
    await hold.reached;

    clock.advance(DELIVERY_LEASE_MS + 1);
    const takeover = await deliverAlert(match, deps);
    hold.release();
    const late = await slow;

    expect(takeover).toMatchObject({ result: 'sent', takenOver: true });
    expect(late.result).toBe('sent');
    expect(notifier.published).toHaveLength(2);
    expect(matches.settleAttempts).toBe(2);
    expect(await stateOf(match)).toBe('SENT');
  });
});

describe('redrivePending', () => {
  test('takes only PENDING matches at or before olderThan, oldest first', async () => {
    const oldest = aMatch({ storyKey: 'oldest', matchedAt: '2026-11-28T09:00:00.000Z' });
    const atCutoff = aMatch({ storyKey: 'at-cutoff', matchedAt: '2026-11-28T09:50:00.000Z' });
    const fresh = aMatch({ storyKey: 'fresh', matchedAt: '2026-11-28T09:50:00.001Z' });
    const sent = aMatch({ storyKey: 'sent', matchedAt: '2026-11-28T08:00:00.000Z' });
    for (const match of [fresh, atCutoff, oldest, sent]) await storeNewStory(matches, match);
    await deliverAlert(sent, deps);

    const result = await redrivePending(deps, new Date('2026-11-28T09:50:00.000Z'));

    expect(result.sent.map((match) => match.storyKey)).toEqual(['oldest', 'at-cutoff']);
    expect(notifier.published.map((message) => message.json.storyKey)).toEqual([
      'sent',
      'oldest',
      'at-cutoff',
    ]);
    expect(await stateOf(fresh)).toBe('PENDING');
  });

  test('reports each failure, keeps it PENDING, and still sends the others', async () => {
    const refused = aMatch({ storyKey: 'truce', matchedAt: '2026-11-28T08:00:00.000Z' });
    const accepted = aMatch({ storyKey: 'g7', matchedAt: '2026-11-28T08:30:00.000Z' });
    await storeNewStory(matches, refused);
    await storeNewStory(matches, accepted);
    const selective = new (class extends RecordingNotifier {
      override async publish(message: AlertMessage) {
        if (message.json.storyKey === 'truce') throw new PublishRefusedError('SNS throttled', false);
        return super.publish(message);
      }
    })();

    const result = await redrivePending({ ...deps, notifier: selective }, NOW);

    expect(result.sent.map((match) => match.storyKey)).toEqual(['g7']);
    expect(result.failed.map(({ match, error }) => [match.storyKey, (error as Error).message])).toEqual([
      ['truce', 'SNS throttled'],
    ]);
    expect(await stateOf(refused)).toBe('PENDING');
    expect(rateLimiter.held.get(WINDOW)).toBe(1);
  });

  test('considers at most `limit` pending matches per run, the oldest', async () => {
    for (const minute of [10, 20, 30]) {
      await storeNewStory(
        matches,
        aMatch({ storyKey: `story-${minute}`, matchedAt: `2026-11-28T09:${minute}:00.000Z` }),
      );
    }

    const result = await redrivePending(deps, NOW, 2);

    expect(result.sent.map((match) => match.storyKey)).toEqual(['story-10', 'story-20']);
    expect((await matches.listPending()).map((match) => match.storyKey)).toEqual(['story-30']);
  });

  test('stops between matches when time runs out, leaving the rest PENDING for the next run', async () => {
    for (const minute of [10, 20, 30]) {
      await storeNewStory(
        matches,
        aMatch({ storyKey: `story-${minute}`, matchedAt: `2026-11-28T09:${minute}:00.000Z` }),
      );
    }
    let checks = 0;

    const result = await redrivePending(deps, NOW, 500, () => ++checks <= 1);

    expect(result.sent.map((match) => match.storyKey)).toEqual(['story-10']);
    expect((await matches.listPending()).map((match) => match.storyKey)).toEqual(['story-20', 'story-30']);
  });
});

import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { MATCHES } from '#adapters/dynamodb/schema.ts';
import { rateWindowAt } from '#core/alerts/delivery-policy.ts';
import { errorMessage } from '#core/errors.ts';
import type { StoredMatch, Watch } from '#core/model.ts';
import { storeNewStory } from '../helpers/store-match.ts';
import { type FaultProxy, startFaultProxy } from './helpers/fault-proxy.ts';
import { type PipelineHarness, startPipelineHarness } from './helpers/pipeline-harness.ts';
import { dynamoDbEndpoint, fauxqsEndpoint } from './helpers/services.ts';
import { drain } from './helpers/sns-sqs.ts';

/**
 * Exactly one alert per (watch, story) with several deliverers at once. The notifier, sweeper
 * and digest handler modules run unchanged against DynamoDB Local and fauxqs through fault
 * proxies; a delay on each Publish holds the first deliverer in the middle of its publish, so
 * the other one always runs its claim in the worst place. Matches are stored directly, as the
 * poller stores them, and each test has its own watch, so its alerts and its hourly counter
 * are its own.
 */

const context = {} as Context;
const SWEEPER_GRACE_MS = 10 * 60 * 1000;
/** The write that records a match's outcome (SENT, DIGEST, FAILED...), told apart from the claim and the counter. */
const RECORD = 'alertState = :next';
/** Long enough that the other deliverer reaches the match while this Publish is in flight. */
const SLOW_PUBLISH = { kind: 'delay', ms: 300 } as const;

const WATCHES: Watch[] = [
  { id: 'two-sweepers', name: 'Tankers', query: 'tanker' },
  { id: 'late-redelivery', name: 'Icebreakers', query: 'icebreaker' },
  { id: 'record-recovers', name: 'Drones', query: 'drone' },
  { id: 'crash-after-publish', name: 'Refineries', query: 'refinery' },
  { id: 'two-digest-runs', name: 'Grain', query: 'grain', delivery: 'digest' },
  { id: 'too-big-alert', name: 'Cobalt', query: 'cobalt' },
  { id: 'too-big-digest', name: 'Lithium', query: 'lithium', delivery: 'digest' },
  { id: 'refused-alert', name: 'Nickel', query: 'nickel' },
];

let harness: PipelineHarness;
let dynamoDbProxy: FaultProxy;
let snsProxy: FaultProxy;
let handlers: PipelineHarness['handlers'];

beforeAll(async () => {
  dynamoDbProxy = await startFaultProxy(dynamoDbEndpoint());
  snsProxy = await startFaultProxy(fauxqsEndpoint());
  harness = await startPipelineHarness({
    endpoints: { dynamoDb: dynamoDbProxy.endpoint, fauxqs: snsProxy.endpoint },
  });
  ({ handlers } = harness);
  for (const watch of WATCHES) await harness.watches.put({ enabled: true, ...watch });
});

afterEach(() => {
  dynamoDbProxy.reset();
  snsProxy.reset();
});

afterAll(async () => {
  harness?.close();
  await Promise.all([dynamoDbProxy?.close(), snsProxy?.close()]);
});

/** Stores `count` matches for the watch, as the poller would; `minutesAgo` past the sweeper's grace by default. */
async function storeStories(
  watchId: string,
  count: number,
  overrides: Partial<StoredMatch> = {},
  minutesAgo = SWEEPER_GRACE_MS / 60_000 + 1,
): Promise<StoredMatch[]> {
  const matchedAt = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const stored: StoredMatch[] = [];
  for (let n = 1; n <= count; n++) {
    const storyKey = `https://wire.example.com/${watchId}/${n}`;
    const match: StoredMatch = {
      watchId,
      storyKey,
      itemKey: `${watchId}-${n}`,
      feedUrl: 'https://wire.example.com/world.xml',
      title: `${watchId} story ${n}`,
      link: storyKey,
      matched: [watchId],
      hits: [{ term: watchId, word: watchId, field: 'title' }],
      snippet: `${watchId} story ${n}`,
      highlight: `**${watchId}** story ${n}`,
      matchedAt,
      alertState: 'PENDING',
      ...overrides,
    };
    await storeNewStory(harness.matches, match);
    stored.push(match);
  }
  return stored;
}

/** The new matches of one watch on the stream, as the notifier's event source mapping hands them over. */
async function streamBatchOf(watchId: string) {
  return harness.stream.next(
    (record: DynamoDBRecord) =>
      record.eventName === 'INSERT' &&
      record.dynamodb?.NewImage?.alertState?.S === 'PENDING' &&
      record.dynamodb?.Keys?.watchId?.S === watchId,
  );
}

/** What reached the subscriber since the last call: per story, how many alerts or digest entries named it. */
async function deliveredPerStory(): Promise<{ alerts: Record<string, number>; digests: string[][] }> {
  const alerts: Record<string, number> = {};
  const digests: string[][] = [];
  for (const message of await drain(harness.sqs, harness.inbox)) {
    // fauxqs hands over the whole per-protocol structure; an SQS subscriber of SNS gets `default`.
    const json = JSON.parse(JSON.parse(JSON.parse(message.Body ?? '{}').Message).default);
    if (json.kind === 'digest')
      digests.push(json.matches.map((match: { storyKey: string }) => match.storyKey));
    else alerts[json.storyKey] = (alerts[json.storyKey] ?? 0) + 1;
  }
  return { alerts, digests };
}

function onceEach(matches: StoredMatch[], times = 1): Record<string, number> {
  return Object.fromEntries(matches.map((match) => [match.storyKey, times]));
}

/** The watch's hourly alert counter as the table holds it (0 when no slot was ever taken). */
async function hourlyCount(watchId: string): Promise<number> {
  const { Item } = await harness.doc.send(
    new GetCommand({
      TableName: harness.tables.matches,
      Key: {
        [MATCHES.partitionKey]: `${MATCHES.rateCounter.partitionPrefix}${watchId}`,
        [MATCHES.sortKey]: rateWindowAt(new Date()).key,
      },
    }),
  );
  return (Item?.[MATCHES.rateCounter.countAttribute] as number | undefined) ?? 0;
}

async function statesOf(matches: StoredMatch[]) {
  return Promise.all(
    matches.map(async (match) => (await harness.matches.get(match.watchId, match.storyKey))?.alertState),
  );
}

/** Ends a claim's lease now, as if its holder had timed out three minutes ago. */
async function lapseClaim(match: StoredMatch): Promise<void> {
  await harness.doc.send(
    new UpdateCommand({
      TableName: harness.tables.matches,
      Key: { watchId: match.watchId, storyKey: match.storyKey },
      UpdateExpression: 'SET leaseUntil = :past',
      ExpressionAttributeValues: { ':past': new Date(Date.now() - 1).toISOString() },
    }),
  );
}

async function rejection(invocation: Promise<unknown>): Promise<string[]> {
  const error = await invocation.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  return ((error as { recordErrors?: unknown[] })?.recordErrors ?? []).map(errorMessage);
}

describe('several deliverers at once', () => {
  test('two sweepers at once after an SNS outage: each story alerted once, 3 slots counted', async () => {
    const stories = await storeStories('two-sweepers', 3);
    const batch = await streamBatchOf('two-sweepers');
    const outage = snsProxy.inject({ kind: 'status', status: 503 }, { actions: ['Publish'] });

    const duringOutage = await rejection(handlers.notifier.handler(batch, context));
    const countAfterOutage = await hourlyCount('two-sweepers');
    outage.remove();
    snsProxy.inject(SLOW_PUBLISH, { actions: ['Publish'] });
    const sweeps = await Promise.all([
      handlers.sweeper.handler({}, context),
      handlers.sweeper.handler({}, context),
    ]);

    expect(duringOutage).toEqual(Array(3).fill('injected by the fault proxy: ServiceUnavailable'));
    expect(countAfterOutage).toBe(0);
    expect(sweeps.reduce((sent, sweep) => sent + sweep.sent, 0)).toBe(3);
    expect(await deliveredPerStory()).toEqual({ alerts: onceEach(stories), digests: [] });
    expect(await hourlyCount('two-sweepers')).toBe(3);
    expect(await statesOf(stories)).toEqual(['SENT', 'SENT', 'SENT']);
  });

  test('a late notifier redelivery racing a sweeper: the story is alerted once, 1 slot counted', async () => {
    const stories = await storeStories('late-redelivery', 1);
    const batch = await streamBatchOf('late-redelivery');
    snsProxy.inject(SLOW_PUBLISH, { actions: ['Publish'] });

    const [notified, swept] = await Promise.all([
      handlers.notifier.handler(batch, context),
      handlers.sweeper.handler({}, context),
    ]);
    const lateAgain = await handlers.notifier.handler(batch, context);

    expect(notified).toEqual({ batchItemFailures: [] });
    expect(swept.failed).toBe(0);
    expect(lateAgain).toEqual({ batchItemFailures: [] });
    expect(snsProxy.outcomes('Publish')).toEqual(['delay']);
    expect(await deliveredPerStory()).toEqual({ alerts: onceEach(stories), digests: [] });
    expect(await hourlyCount('late-redelivery')).toBe(1);
    expect(await statesOf(stories)).toEqual(['SENT']);
  });

  test('two digest runs at once send one digest with every waiting match, once', async () => {
    const stories = await storeStories('two-digest-runs', 3, { alertState: 'DIGEST' }, 120);
    snsProxy.inject(SLOW_PUBLISH, { actions: ['Publish'] });

    const runs = await Promise.all([
      handlers.digest.handler({}, context),
      handlers.digest.handler({}, context),
    ]);

    expect(runs.reduce((digests, run) => digests + run.digests, 0)).toBe(1);
    const delivered = await deliveredPerStory();
    expect(delivered.alerts).toEqual({});
    // Stored at one instant, the three are listed in any order among themselves.
    expect(delivered.digests.map((digest) => digest.toSorted())).toEqual([
      stories.map((story) => story.storyKey),
    ]);
    expect(await statesOf(stories)).toEqual(['SENT', 'SENT', 'SENT']);
  });
});

describe('recording a published alert', () => {
  test('the SENT write failing for a while, then recovering: retried as a write, published once', async () => {
    const stories = await storeStories('record-recovers', 1);
    const batch = await streamBatchOf('record-recovers');
    dynamoDbProxy.inject(
      { kind: 'status', status: 500 },
      { actions: ['UpdateItem'], bodyIncludes: RECORD, times: 6 },
    );

    const notified = await handlers.notifier.handler(batch, context);
    const streamRetry = await handlers.notifier.handler(batch, context);
    const swept = await handlers.sweeper.handler({}, context);

    expect(notified).toEqual({ batchItemFailures: [] });
    // The SDK's four attempts fail, then the second write: two more failures, then it lands.
    expect(dynamoDbProxy.outcomes('UpdateItem', RECORD)).toEqual([...Array(6).fill('status'), 'forwarded']);
    expect(snsProxy.outcomes('Publish')).toEqual(['forwarded']);
    expect(streamRetry).toEqual({ batchItemFailures: [] });
    expect(swept).toEqual({ sent: 0, refused: 0, failed: 0 });
    expect(await deliveredPerStory()).toEqual({ alerts: onceEach(stories), digests: [] });
    expect(await hourlyCount('record-recovers')).toBe(1);
    expect(await statesOf(stories)).toEqual(['SENT']);
  });

  test('a deliverer dying between publish and record: nothing more while its claim lives, exactly one copy after it lapses', async () => {
    const stories = await storeStories('crash-after-publish', 1);
    const batch = await streamBatchOf('crash-after-publish');
    const recordsLost = dynamoDbProxy.inject(
      { kind: 'reset' },
      { actions: ['UpdateItem'], bodyIncludes: RECORD },
    );

    const crashed = await rejection(handlers.notifier.handler(batch, context));
    recordsLost.remove();
    const streamRetry = await handlers.notifier.handler(batch, context);
    const sweptWhileClaimed = await handlers.sweeper.handler({}, context);
    const whileClaimed = await deliveredPerStory();
    await lapseClaim(stories[0] as StoredMatch);
    const sweptAfterLapse = await handlers.sweeper.handler({}, context);
    const sweptAgain = await handlers.sweeper.handler({}, context);
    const lateRetry = await handlers.notifier.handler(batch, context);

    expect(crashed).toHaveLength(1);
    expect(crashed[0]).toMatch(
      /^published, but not recorded as SENT: .*; no deliverer publishes it again before its claim lapses at /,
    );
    expect(streamRetry).toEqual({ batchItemFailures: [] });
    expect(sweptWhileClaimed).toEqual({ sent: 0, refused: 0, failed: 0 });
    expect(whileClaimed).toEqual({ alerts: onceEach(stories), digests: [] });
    expect(sweptAfterLapse).toEqual({ sent: 1, refused: 0, failed: 0 });
    expect(sweptAgain).toEqual({ sent: 0, refused: 0, failed: 0 });
    expect(lateRetry).toEqual({ batchItemFailures: [] });
    expect(await deliveredPerStory()).toEqual({ alerts: onceEach(stories), digests: [] });
    // Two copies went out in all, and two slots are counted for them.
    expect(await hourlyCount('crash-after-publish')).toBe(2);
    expect(await statesOf(stories)).toEqual(['SENT']);
  });
});

describe('alerts SNS refuses for good', () => {
  const HUGE = { snippet: 'cobalt '.repeat(40_000) };

  test('an alert too big to publish is FAILED with its reason and never retried; the other match is alerted', async () => {
    const [huge] = await storeStories('too-big-alert', 1, { ...HUGE, storyKey: 'huge' });
    const [normal] = await storeStories('too-big-alert', 1, { storyKey: 'normal' });
    const batch = await streamBatchOf('too-big-alert');

    const notified = await handlers.notifier.handler(batch, context);
    const swept = await handlers.sweeper.handler({}, context);

    expect(notified).toEqual({ batchItemFailures: [] });
    expect(swept).toEqual({ sent: 0, refused: 0, failed: 0 });
    expect(snsProxy.outcomes('Publish')).toEqual(['forwarded']);
    expect(await deliveredPerStory()).toEqual({ alerts: { normal: 1 }, digests: [] });
    expect(await harness.matches.get('too-big-alert', 'huge')).toEqual({
      ...huge,
      alertState: 'FAILED',
      failure: 'too large for one message of the alert service',
    });
    expect((await harness.matches.get('too-big-alert', 'normal'))?.alertState).toBe('SENT');
    expect(normal?.storyKey).toBe('normal');
    expect(await hourlyCount('too-big-alert')).toBe(1);
  });

  test('a digest holding a match too big to publish: that match is FAILED, the digest of the others goes out', async () => {
    const [huge] = await storeStories(
      'too-big-digest',
      1,
      { ...HUGE, storyKey: 'huge', alertState: 'DIGEST' },
      120,
    );
    const others = [
      ...(await storeStories('too-big-digest', 1, { storyKey: 'first', alertState: 'DIGEST' }, 121)),
      ...(await storeStories('too-big-digest', 1, { storyKey: 'last', alertState: 'DIGEST' }, 119)),
    ];

    const run = await handlers.digest.handler({}, context);
    const nextRun = await handlers.digest.handler({}, context);

    expect(run).toMatchObject({ digests: 1, matches: 2, refused: 1, failed: 0 });
    expect(nextRun).toMatchObject({ digests: 0, refused: 0, failed: 0 });
    expect(await deliveredPerStory()).toEqual({ alerts: {}, digests: [['first', 'last']] });
    expect(await statesOf([huge as StoredMatch, ...others])).toEqual(['FAILED', 'SENT', 'SENT']);
  });

  test('SNS refusing one alert as an invalid parameter: FAILED with SNS reason, its slot given back, the next alerted', async () => {
    const stories = await storeStories('refused-alert', 2);
    const batch = await streamBatchOf('refused-alert');
    snsProxy.inject(
      { kind: 'refuse', code: 'InvalidParameter', message: 'Invalid parameter: Message too long' },
      { actions: ['Publish'], times: 1 },
    );

    const notified = await handlers.notifier.handler(batch, context);

    expect(notified).toEqual({ batchItemFailures: [] });
    expect(snsProxy.outcomes('Publish')).toEqual(['refuse', 'forwarded']);
    expect(await harness.matches.get('refused-alert', stories[0]?.storyKey ?? '')).toMatchObject({
      alertState: 'FAILED',
      failure: 'Invalid parameter: Message too long',
    });
    expect(await deliveredPerStory()).toEqual({ alerts: { [stories[1]?.storyKey ?? '']: 1 }, digests: [] });
    expect(await hourlyCount('refused-alert')).toBe(1);
  });
});

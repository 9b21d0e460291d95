import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { DynamoDbFeedStore } from '#adapters/dynamodb/feed-store.ts';
import type { DynamoDbMatchStore } from '#adapters/dynamodb/match-store.ts';
import { errorMessage } from '#core/errors.ts';
import type { FeedState } from '#core/model.ts';
import { rss } from '../unit/helpers/pipeline-fakes.ts';
import { type FaultProxy, startFaultProxy } from './helpers/fault-proxy.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { lambdaContext, sqsEvent } from './helpers/lambda-env.ts';
import { type PipelineHarness, startPipelineHarness } from './helpers/pipeline-harness.ts';
import { dynamoDbEndpoint, fauxqsEndpoint } from './helpers/services.ts';
import { drain } from './helpers/sns-sqs.ts';

/**
 * "No alert lost, none sent twice" under real faults. The poller, notifier and sweeper
 * handler modules run unchanged against DynamoDB Local and fauxqs, but their SDK clients
 * reach them through fault proxies, so throttling, 5xx, resets and lost answers hit the
 * SDK's own retry code on the wire. The tests' own clients go to the services directly.
 */

const context = lambdaContext();
const WATCH_ID = 'asset-seizure';
const SWEEPER_GRACE_MS = 10 * 60 * 1000;
/** The state change of a match, told apart from the alert rate counter's UpdateItem in the same table. */
const MARK_STATE = 'alertState = :next';

/** The notifier's event source filter in the stack: new PENDING matches only, never rate counters. */
const newPendingMatches = (record: DynamoDBRecord) =>
  record.eventName === 'INSERT' && record.dynamodb?.NewImage?.alertState?.S === 'PENDING';

let harness: PipelineHarness;
let server: FeedServer;
let dynamoDbProxy: FaultProxy;
let snsProxy: FaultProxy;
let feeds: DynamoDbFeedStore;
let matches: DynamoDbMatchStore;
let handlers: PipelineHarness['handlers'];

beforeAll(async () => {
  dynamoDbProxy = await startFaultProxy(dynamoDbEndpoint());
  snsProxy = await startFaultProxy(fauxqsEndpoint());
  harness = await startPipelineHarness({
    extraEnv: { FEEDS_PER_MESSAGE: '1' },
    endpoints: { dynamoDb: dynamoDbProxy.endpoint, fauxqs: snsProxy.endpoint },
  });
  ({ feeds, matches, handlers } = harness);
  await harness.watches.put({
    id: WATCH_ID,
    name: 'Asset seizure',
    query: 'asset seizure',
    enabled: true,
    // These tests are about faults, not the hourly limit: every alert here goes out on its own.
    maxAlertsPerHour: 1000,
  });
  server = await startFeedServer();
});

afterEach(() => {
  dynamoDbProxy.reset();
  snsProxy.reset();
});

afterAll(async () => {
  harness?.close();
  await Promise.all([server?.close(), dynamoDbProxy?.close(), snsProxy?.close()]);
});

/**
 * A feed on the local server carrying one story for the watch, due now. Each test's story
 * has its own title and lead, so story identity never takes it for another test's story.
 */
async function feedWithStory(
  slug: string,
  title: string,
  description: string,
): Promise<{ url: string; storyKey: string }> {
  const storyKey = `https://wire.example.com/${slug}`;
  server.route(`/${slug}.xml`, { body: rss([{ title, link: storyKey, guid: slug, description }]) });
  const url = server.url(`/${slug}.xml`);
  // Full text off: these items link to example.com pages that do not exist.
  await feeds.put({ url, consecutiveFailures: 0, nextDueAt: '2020-01-01T00:00:00.000Z', fullText: 'never' });
  return { url, storyKey };
}

function poll(url: string, messageId = 'm-1') {
  return handlers.poller.handler(sqsEvent([{ messageId, body: JSON.stringify({ feeds: [url] }) }]), context);
}

/** The stream batch the poll produced, as Lambda's event source mapping would hand it over. */
async function storedBatch(): Promise<DynamoDBStreamEvent> {
  return harness.stream.next(newPendingMatches);
}

/**
 * When every record of a batch fails, Powertools throws instead of answering with the batch
 * item failures, so Lambda retries the whole batch (SQS: redelivers it, then dead-letters
 * it; stream: retries it). Returns the first line of each record's error.
 */
async function failedWholeBatch(invocation: Promise<unknown>): Promise<string[]> {
  const error = await invocation.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toMatchObject({
    name: 'FullBatchFailureError',
    message: 'All records failed processing. See individual errors below.',
  });
  return (error as { recordErrors: unknown[] }).recordErrors.map(errorMessage);
}

/** Subjects of the alerts that reached the subscriber since the last call. */
async function alertSubjects(): Promise<string[]> {
  return (await drain(harness.sqs, harness.inbox)).map((message) => JSON.parse(message.Body ?? '{}').Subject);
}

async function alertState(storyKey: string) {
  return (await matches.get(WATCH_ID, storyKey))?.alertState;
}

/** Moves matchedAt back past the sweeper's grace period; expiresAt stays in the future, so TTL keeps it. */
async function ageBeyondSweeperGrace(storyKey: string): Promise<void> {
  const old = new Date(Date.now() - SWEEPER_GRACE_MS - 60_000).toISOString();
  await harness.doc.send(
    new UpdateCommand({
      TableName: harness.tables.matches,
      Key: { watchId: WATCH_ID, storyKey },
      UpdateExpression: 'SET matchedAt = :old, matchedDay = :day',
      ExpressionAttributeValues: { ':old': old, ':day': old.slice(0, 10) },
    }),
  );
}

describe('storing a match under DynamoDB faults', () => {
  test('two throttled writes during a poll are retried by the SDK: the match is stored once and alerted once', async () => {
    const { url, storyKey } = await feedWithStory(
      'throttled',
      'G7 agrees to start seizing frozen Russian assets',
      'Finance ministers in Niigata backed a legal route to the seizure of central bank assets.',
    );
    dynamoDbProxy.inject({ kind: 'throttle' }, { actions: ['TransactWriteItems'], times: 1 });
    dynamoDbProxy.inject(
      { kind: 'throttle', code: 'ThrottlingException' },
      { actions: ['TransactWriteItems'], times: 1 },
    );

    const polled = await poll(url);
    const batch = await storedBatch();
    const notified = await handlers.notifier.handler(batch, context);

    expect(polled).toEqual({ batchItemFailures: [] });
    // The match's write (with its watch's story register) is throttled twice and lands on the
    // third attempt; then the feed state is put.
    expect(dynamoDbProxy.outcomes('TransactWriteItems')).toEqual(['throttle', 'throttle', 'forwarded']);
    expect(dynamoDbProxy.outcomes('PutItem')).toEqual(['forwarded']);
    expect(batch.Records).toHaveLength(1);
    expect(notified).toEqual({ batchItemFailures: [] });
    expect(await alertSubjects()).toEqual([
      '[Feedwatch] Asset seizure: G7 agrees to start seizing frozen Russian assets',
    ]);
    expect(await alertState(storyKey)).toBe('SENT');
  });

  test('a match put that DynamoDB applied but whose answer was lost is not stored twice nor alerted twice', async () => {
    const { url, storyKey } = await feedWithStory(
      'lost-put',
      'Belgium weighs seizure of frozen Russian assets',
      'Brussels clearing house Euroclear holds most of the immobilised reserves.',
    );
    dynamoDbProxy.inject({ kind: 'lose-response' }, { actions: ['TransactWriteItems'], times: 1 });

    const polled = await poll(url);
    const batch = await storedBatch();
    const notified = await handlers.notifier.handler(batch, context);

    expect(polled).toEqual({ batchItemFailures: [] });
    // The SDK retries the match's write with the same idempotency token, then the feed state is put.
    expect(dynamoDbProxy.outcomes('TransactWriteItems')).toEqual(['lose-response', 'forwarded']);
    expect(dynamoDbProxy.outcomes('PutItem')).toEqual(['forwarded']);
    expect(batch.Records).toHaveLength(1);
    expect(notified).toEqual({ batchItemFailures: [] });
    expect(await alertSubjects()).toEqual([
      '[Feedwatch] Asset seizure: Belgium weighs seizure of frozen Russian assets',
    ]);
    expect(await alertState(storyKey)).toBe('SENT');
  });
});

describe('publishing an alert under SNS faults', () => {
  test('SNS down past the SDK retries: the record fails, the match stays PENDING, the sweeper sends it once SNS is back', async () => {
    const { url, storyKey } = await feedWithStory(
      'sns-down',
      'Japan studies seizure of Russian state assets',
      'Tokyo lawyers are reviewing whether sovereign immunity blocks any transfer.',
    );
    await poll(url);
    const batch = await storedBatch();
    snsProxy.inject({ kind: 'reset' }, { actions: ['Publish'], times: 2 });
    const outage = snsProxy.inject({ kind: 'status', status: 503 }, { actions: ['Publish'] });

    const firstDelivery = await failedWholeBatch(handlers.notifier.handler(batch, context));
    const streamRetry = await failedWholeBatch(handlers.notifier.handler(batch, context));

    expect(firstDelivery).toEqual(['injected by the fault proxy: ServiceUnavailable']);
    expect(streamRetry).toEqual(['injected by the fault proxy: ServiceUnavailable']);
    // Four attempts per delivery (RETRY_POLICY), none reached SNS.
    expect(snsProxy.outcomes('Publish')).toEqual([
      'reset',
      'reset',
      'status',
      'status',
      'status',
      'status',
      'status',
      'status',
    ]);
    expect(await alertState(storyKey)).toBe('PENDING');
    expect(await alertSubjects()).toEqual([]);

    outage.remove();
    const sweptWithinGrace = await handlers.sweeper.handler({}, context);
    await ageBeyondSweeperGrace(storyKey);
    const sweptAfterGrace = await handlers.sweeper.handler({}, context);
    const lateStreamRetry = await handlers.notifier.handler(batch, context);

    expect(sweptWithinGrace).toEqual({ sent: 0, refused: 0, failed: 0 });
    expect(sweptAfterGrace).toEqual({ sent: 1, refused: 0, failed: 0 });
    expect(lateStreamRetry).toEqual({ batchItemFailures: [] });
    expect(await alertSubjects()).toEqual([
      '[Feedwatch] Asset seizure: Japan studies seizure of Russian state assets',
    ]);
    expect(await alertState(storyKey)).toBe('SENT');
  });

  test('SNS down, then back before the stream retry: the retried record sends the alert once', async () => {
    const { url, storyKey } = await feedWithStory(
      'sns-blip',
      'Canada passes law on seizing sanctioned assets',
      'Ottawa can now forfeit property held by listed individuals through the courts.',
    );
    await poll(url);
    const batch = await storedBatch();
    const outage = snsProxy.inject({ kind: 'status', status: 500 }, { actions: ['Publish'] });
    const firstDelivery = await failedWholeBatch(handlers.notifier.handler(batch, context));
    outage.remove();

    const streamRetry = await handlers.notifier.handler(batch, context);

    expect(firstDelivery).toEqual(['injected by the fault proxy: InternalFailure']);
    expect(streamRetry).toEqual({ batchItemFailures: [] });
    expect(snsProxy.outcomes('Publish')).toEqual(['status', 'status', 'status', 'status', 'forwarded']);
    expect(await alertSubjects()).toEqual([
      '[Feedwatch] Asset seizure: Canada passes law on seizing sanctioned assets',
    ]);
    expect(await alertState(storyKey)).toBe('SENT');
  });
});

describe('a crash between the steps of delivery', () => {
  test('stored but never published (the stream delivery lost): the sweeper re-drives it after its grace period, once', async () => {
    const { url, storyKey } = await feedWithStory(
      'lost-stream',
      'UK plans seizure of oligarch assets',
      'Whitehall drafted powers to confiscate yachts and London mansions of listed tycoons.',
    );
    await poll(url);
    const lostBatch = await storedBatch();

    const sweptWithinGrace = await handlers.sweeper.handler({}, context);
    await ageBeyondSweeperGrace(storyKey);
    const swept = await handlers.sweeper.handler({}, context);
    const sweptAgain = await handlers.sweeper.handler({}, context);
    const lateDelivery = await handlers.notifier.handler(lostBatch, context);

    expect(sweptWithinGrace).toEqual({ sent: 0, refused: 0, failed: 0 });
    expect(swept).toEqual({ sent: 1, refused: 0, failed: 0 });
    expect(sweptAgain).toEqual({ sent: 0, refused: 0, failed: 0 });
    expect(lateDelivery).toEqual({ batchItemFailures: [] });
    expect(await alertSubjects()).toEqual(['[Feedwatch] Asset seizure: UK plans seizure of oligarch assets']);
    expect(await alertState(storyKey)).toBe('SENT');
  });

  test('marked SENT but the answer lost: the SDK retry finds it SENT and nothing is published again', async () => {
    const { url, storyKey } = await feedWithStory(
      'lost-mark',
      'Norway fund weighs seizure of Russian assets',
      'The sovereign wealth fund in Oslo asked its ethics council for guidance on divestment.',
    );
    await poll(url);
    const batch = await storedBatch();
    dynamoDbProxy.inject(
      { kind: 'lose-response' },
      { actions: ['UpdateItem'], bodyIncludes: MARK_STATE, times: 1 },
    );

    const notified = await handlers.notifier.handler(batch, context);
    const deliveredAgain = await handlers.notifier.handler(batch, context);

    expect(notified).toEqual({ batchItemFailures: [] });
    expect(deliveredAgain).toEqual({ batchItemFailures: [] });
    expect(dynamoDbProxy.outcomes('UpdateItem', MARK_STATE)).toEqual(['lose-response', 'forwarded']);
    expect(snsProxy.outcomes('Publish')).toEqual(['forwarded']);
    expect(await alertSubjects()).toEqual([
      '[Feedwatch] Asset seizure: Norway fund weighs seizure of Russian assets',
    ]);
    expect(await alertState(storyKey)).toBe('SENT');
  });
});

describe('queue messages the poller cannot process', () => {
  test('with DynamoDB down the message fails (so SQS retries it, then dead-letters it); its retry alerts once', async () => {
    const { url, storyKey } = await feedWithStory(
      'store-down',
      'Swiss banks freeze and seize sanctioned assets',
      'Zurich prosecutors opened proceedings against accounts linked to a shipping firm.',
    );
    const before = (await feeds.get(url)) as FeedState;
    const outage = dynamoDbProxy.inject({ kind: 'reset' }, { actions: '*' });

    const polledWhileDown = await failedWholeBatch(poll(url, 'm-store-down'));

    expect(polledWhileDown).toEqual(['read ECONNRESET']);
    // The first store call gives up after its four attempts; nothing after it is tried.
    expect(dynamoDbProxy.requests.map((request) => request.outcome)).toEqual([
      'reset',
      'reset',
      'reset',
      'reset',
    ]);
    expect(await feeds.get(url)).toEqual(before);
    expect(await matches.get(WATCH_ID, storyKey)).toBeUndefined();

    outage.remove();
    const sqsRetry = await poll(url, 'm-store-down');
    const notified = await handlers.notifier.handler(await storedBatch(), context);

    expect(sqsRetry).toEqual({ batchItemFailures: [] });
    expect(notified).toEqual({ batchItemFailures: [] });
    expect(await alertSubjects()).toEqual([
      '[Feedwatch] Asset seizure: Swiss banks freeze and seize sanctioned assets',
    ]);
  });

  test('a malformed message body fails alone; the other records of the batch are polled and alerted', async () => {
    const { url } = await feedWithStory(
      'poison-neighbour',
      'Estonia seizes assets of sanctioned tycoon',
      'Tallinn police impounded a cargo ship and its fuel under the new forfeiture statute.',
    );

    const polled = await handlers.poller.handler(
      sqsEvent([
        { messageId: 'm-not-json', body: '{"feeds": [' },
        { messageId: 'm-good', body: JSON.stringify({ feeds: [url] }) },
        { messageId: 'm-no-feeds', body: JSON.stringify({ feeds: [] }) },
      ]),
      context,
    );
    const notified = await handlers.notifier.handler(await storedBatch(), context);

    expect(polled).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-not-json' }, { itemIdentifier: 'm-no-feeds' }],
    });
    expect(notified).toEqual({ batchItemFailures: [] });
    expect(await alertSubjects()).toEqual([
      '[Feedwatch] Asset seizure: Estonia seizes assets of sanctioned tycoon',
    ]);
  });
});

import { readFile } from 'node:fs/promises';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { parseFeed } from '#core/feed/index.ts';
import type { Watch } from '#core/model.ts';
import { buildWatchSet } from '#core/pipeline/watch-set.ts';
import { fixturePath, OUTLETS, outletItems } from '../fixtures/syndication/build.ts';
import type { Outlet } from '../fixtures/syndication/stories.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { lambdaContext, sqsEvent } from './helpers/lambda-env.ts';
import { type PipelineHarness, startPipelineHarness } from './helpers/pipeline-harness.ts';
import { drain } from './helpers/sns-sqs.ts';
import { emptyTables } from './helpers/tables.ts';

/**
 * The deployed pipeline's handler modules over DynamoDB Local and fauxqs, with one poller
 * invocation per syndicated feed running at the same time, as Lambda scales the feed queue's
 * consumers out. Each poller is its own module instance (its own clients and state, as in its
 * own container), so only what they share in DynamoDB can keep them from alerting one story
 * twice. Several rounds, each from empty tables: the same exact alerts every time.
 */

const context = lambdaContext();
const inserts = (record: DynamoDBRecord) =>
  record.eventName === 'INSERT' && record.dynamodb?.NewImage?.alertState?.S === 'PENDING';
/** Enough rounds to have caught the race of a read-then-write decision in each run of the suite. */
const ROUNDS = 3;
/** Three feeds carrying the same wire stories under other links and edited headlines. */
const FEEDS: Outlet[] = ['wire', 'aggregator', 'chronicle'];
const WATCHES: Watch[] = [
  { id: 'ceasefire', query: 'ceasefire OR truce' },
  { id: 'asset-seizure', query: 'asset seizure' },
  { id: 'frozen-assets', query: '"frozen assets" OR sanctions' },
  { id: 'rates', query: 'interest rates' },
  { id: 'quake', query: 'earthquake OR quake' },
  { id: 'election', query: 'election' },
].map((watch) => ({ ...watch, enabled: true, maxAlertsPerHour: 1_000 }));

/** Article of an item by outlet and title: its story, or the wire's re-issue of it (an article of its own). */
const articleOf = new Map<string, string>(
  OUTLETS.flatMap((outlet) =>
    outletItems(outlet).map(
      (item) =>
        [
          `${outlet} ${item.title}`,
          item.link?.endsWith('-update-1') ? `${item.storyId} (re-issue)` : item.storyId,
        ] as const,
    ),
  ),
);

let harness: PipelineHarness;
let server: FeedServer;
let pollers: typeof import('#handlers/poller.ts')['handler'][];
const outletOfUrl = new Map<string, Outlet>();

beforeAll(async () => {
  harness = await startPipelineHarness({ extraEnv: { FEEDS_PER_MESSAGE: '1' } });
  const routes = Object.fromEntries(
    await Promise.all(
      FEEDS.map(async (outlet) => [`/${outlet}.xml`, { body: await readFile(fixturePath(outlet)) }] as const),
    ),
  );
  server = await startFeedServer({ routes });
  for (const outlet of FEEDS) outletOfUrl.set(server.url(`/${outlet}.xml`), outlet);
  // One module instance per poller container: nothing in memory is shared between them.
  pollers = [];
  for (const _ of FEEDS) {
    vi.resetModules();
    pollers.push((await import('#handlers/poller.ts')).handler);
  }
});

afterAll(async () => {
  harness?.close();
  await server?.close();
});

/** Empty tables, the watches and the feeds due: a first poll of every feed. */
async function arrange(): Promise<void> {
  await emptyTables(harness.doc, harness.tables);
  for (const watch of WATCHES) await harness.watches.put(watch);
  for (const url of outletOfUrl.keys()) {
    await harness.feeds.put({ url, consecutiveFailures: 0, nextDueAt: '2020-01-01T00:00:00.000Z' });
  }
}

/** The five pollers at once, one feed each; then the notifier over what they stored. */
async function concurrentCycle(round: number) {
  const polled = await Promise.all(
    [...outletOfUrl.keys()].map((url, index) =>
      pollers[index]?.(
        sqsEvent([{ messageId: `r${round}-${index}`, body: JSON.stringify({ feeds: [url] }) }]),
        context,
      ),
    ),
  );
  const stream = await harness.stream.next(inserts);
  await harness.handlers.notifier.handler(stream, context);
  const alerts = (await drain(harness.sqs, harness.inbox)).map(
    (envelope) => JSON.parse(JSON.parse(envelope.Body ?? '{}').Message).default,
  );
  return { polled, alerts: alerts.map((json) => JSON.parse(json)) };
}

describe('pollers running at the same time over syndicated feeds', () => {
  test(`alert each (watch, article) exactly once, in each of ${ROUNDS} rounds`, async () => {
    // What one alert per matching item would send, reduced to one per (watch, article).
    const { watchSet } = buildWatchSet(WATCHES);
    const expected = new Set<string>();
    for (const outlet of FEEDS) {
      const parsed = await parseFeed(await readFile(fixturePath(outlet)), { now: new Date() });
      for (const item of parsed.items) {
        for (const match of watchSet.matcher.match(item, { feedUrl: outlet })) {
          expected.add(`${match.watchId} ${articleOf.get(`${outlet} ${item.title}`)}`);
        }
      }
    }
    expect(expected.size).toBe(38);

    for (let round = 1; round <= ROUNDS; round++) {
      await arrange();

      const { polled, alerts } = await concurrentCycle(round);

      expect(polled).toEqual(FEEDS.map(() => ({ batchItemFailures: [] })));
      const alerted = alerts.map(
        (alert: { watchId: string; feed: string; title: string }) =>
          `${alert.watchId} ${articleOf.get(`${outletOfUrl.get(alert.feed)} ${alert.title}`)}`,
      );
      expect({ round, alerts: alerted.length }).toEqual({ round, alerts: 38 });
      expect(alerted.sort()).toEqual([...expected].sort());
    }
    // DynamoDB Local runs each round's few hundred requests slowly on a loaded machine.
  }, 300_000);
});

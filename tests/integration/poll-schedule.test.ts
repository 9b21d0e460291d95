import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDocumentClient } from '#adapters/aws-clients.ts';
import { DynamoDbFeedStore } from '#adapters/dynamodb/feed-store.ts';
import { HttpFetcher } from '#adapters/http/index.ts';
import { MemoryMatchStore, MemoryRateLimiter, MemoryWatchStore } from '#adapters/memory/index.ts';
import { runCycle } from '#core/pipeline/run-cycle.ts';
import { ManualClock, RecordingNotifier, rss } from '../unit/helpers/pipeline-fakes.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { localDynamoDbClient } from './helpers/services.ts';
import { createTestTables } from './helpers/tables.ts';

/**
 * Feeds are polled as often as they change, over real HTTP and DynamoDB Local's byDue index:
 * cycles every 5 minutes (the local run's loop; the dispatcher reads the same index), a busy
 * feed at every cycle, a quiet one less and less often, and again at every cycle once it wakes up.
 */

const START = new Date('2026-11-28T10:00:00.000Z');
const MINUTE = 60_000;

let client: DynamoDBClient;
let server: FeedServer;

beforeAll(async () => {
  client = localDynamoDbClient();
  server = await startFeedServer();
});

afterAll(async () => {
  await server?.close();
  client?.destroy();
});

const item = (n: number) => ({
  title: `Item ${n}`,
  link: `https://wire.example.com/${n}`,
  guid: `item-${n}`,
  description: `Story number ${n}.`,
});

test('a quiet feed is skipped until it is due, a busy one is polled at every cycle, and a feed that wakes up is caught', async () => {
  const tables = await createTestTables(client);
  const clock = new ManualClock(START);
  const feeds = new DynamoDbFeedStore(createDocumentClient(client), tables.feeds);
  const deps = {
    watches: new MemoryWatchStore(),
    feeds,
    matches: new MemoryMatchStore(clock),
    fetcher: new HttpFetcher({ allowedAddresses: ['127.0.0.1/32'], timeoutMs: 5_000 }),
    notifier: new RecordingNotifier(),
    rateLimiter: new MemoryRateLimiter(),
    clock,
  };
  const busy = server.url('/busy.xml');
  const quiet = server.url('/quiet.xml');
  for (const url of [busy, quiet])
    await feeds.put({ url, consecutiveFailures: 0, nextDueAt: START.toISOString(), fullText: 'never' });
  server.route('/quiet.xml', { body: rss([item(1)]), etag: '"q1"' });

  const polledAt: Record<string, number[]> = { busy: [], quiet: [] };
  for (let minute = 0; minute <= 170; minute += 5) {
    // The busy feed has a new item at every cycle; the quiet one gets its first after 100 minutes.
    server.route('/busy.xml', { body: rss([item(1000 + minute)]) });
    if (minute === 100) server.route('/quiet.xml', { body: rss([item(2), item(1)]), etag: '"q2"' });
    const report = await runCycle(deps);
    for (const outcome of report.outcomes) polledAt[outcome.url === busy ? 'busy' : 'quiet']?.push(minute);
    clock.advance(5 * MINUTE);
  }

  expect(polledAt.busy).toHaveLength(35);
  // Quiet for 20 minutes: next poll in 10; for 30, in 15; 45, in 20; 65, in 30: half the quiet
  // spell. The item published at minute 100 is found at 140, when the interval was 45 minutes;
  // then the feed is polled at the floor until it has been quiet for 20 minutes again.
  expect(polledAt.quiet).toEqual([0, 5, 10, 15, 20, 30, 45, 65, 95, 140, 145, 150, 155, 160, 170]);
  // Quiet polls write nothing: the state is the one the poll that found the item wrote.
  expect(await feeds.get(quiet)).toMatchObject({
    lastNewItemAt: new Date(START.getTime() + 140 * MINUTE).toISOString(),
    nextDueAt: new Date(START.getTime() + 142.5 * MINUTE).toISOString(),
  });
});

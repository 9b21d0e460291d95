import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createDocumentClient } from '#adapters/aws-clients.ts';
import { DynamoDbFeedStore } from '#adapters/dynamodb/feed-store.ts';
import { DynamoDbMatchStore } from '#adapters/dynamodb/match-store.ts';
import { DynamoDbRecentItemStore } from '#adapters/dynamodb/recent-item-store.ts';
import { HttpFetcher } from '#adapters/http/index.ts';
import type { FeedState } from '#core/model.ts';
import { type PollDeps, pollFeed } from '#core/pipeline/poll-feed.ts';
import { buildWatchSet } from '#core/pipeline/watch-set.ts';
import type { TableNames } from '../helpers/ensure-tables.ts';
import { ManualClock, rss } from '../unit/helpers/pipeline-fakes.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { localDynamoDbClient } from './helpers/services.ts';
import { createTestTables, emptyTables } from './helpers/tables.ts';

/**
 * What a poll costs in DynamoDB writes, counted on DynamoDB Local: a poll that brings nothing a
 * later poll needs writes nothing, and a poll with one new item writes that item's records only.
 */

const START = new Date('2026-11-28T10:00:00.000Z');
const MINUTE = 60_000;
const SEIZURE = {
  title: 'G7 agrees to start seizing frozen Russian assets',
  link: 'https://wire.example.com/g7-assets',
  guid: 'wire-1',
  description: 'Finance ministers agreed to begin seizing frozen Russian assets on Tuesday.',
};
const WEATHER = {
  title: 'Heatwave grips southern Europe',
  link: 'https://wire.example.com/heatwave',
  guid: 'wire-2',
  description: 'Temperatures passed 40C in Seville.',
};
const SANCTIONS = {
  title: 'EU moves to seize more Russian assets',
  link: 'https://wire.example.com/eu-assets',
  guid: 'wire-3',
  description: 'The Commission proposed the seizure of further Russian central bank assets.',
};

const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let tables: TableNames;
let server: FeedServer;
/** Every write sent to DynamoDB, as `<command> <table>`, e.g. `Put feeds`. */
let writes: string[] = [];
let clock: ManualClock;
let deps: PollDeps;
let feeds: DynamoDbFeedStore;
let url: string;

beforeAll(async () => {
  client = localDynamoDbClient();
  doc = createDocumentClient(client);
  tables = await createTestTables(client);
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (WRITE_COMMANDS.has(context.commandName ?? ''))
        writes.push(describeWrite(context.commandName ?? '', args.input));
      return next(args);
    },
    { step: 'initialize', name: 'countWrites' },
  );
  server = await startFeedServer();
  url = server.url('/wire.xml');
});

afterAll(async () => {
  await server?.close();
  client?.destroy();
});

function describeWrite(command: string, input: object): string {
  const named = input as { TableName?: string; RequestItems?: object; TransactItems?: object[] };
  const table =
    named.TableName ??
    Object.keys(named.RequestItems ?? {})[0] ??
    (named.TransactItems ?? []).map((item) => Object.values(item)[0]?.TableName).join('+');
  const role = Object.entries(tables).find(([, name]) =>
    table.split('+').every((part) => part === name),
  )?.[0];
  return `${command.replace(/(Item|Items)?Command$/, '')} ${role ?? table}`;
}

beforeEach(async () => {
  await emptyTables(doc, tables);
  clock = new ManualClock(START);
  feeds = new DynamoDbFeedStore(doc, tables.feeds);
  deps = {
    fetcher: new HttpFetcher({ allowedAddresses: ['127.0.0.1/32'], timeoutMs: 5_000 }),
    feeds,
    matches: new DynamoDbMatchStore(doc, tables.matches, clock),
    recentItems: new DynamoDbRecentItemStore(doc, tables.recentItems, clock),
    clock,
    watchSet: buildWatchSet([{ id: 'asset-seizure', name: 'Asset seizure', query: 'asset seizure' }])
      .watchSet,
  };
  await feeds.put({ url, consecutiveFailures: 0, nextDueAt: START.toISOString(), fullText: 'never' });
  writes = [];
});

/** Polls the feed `minutes` after the last poll, as the poller does: with its state as stored. */
async function pollAfter(minutes: number) {
  clock.advance(minutes * MINUTE);
  writes = [];
  return pollFeed((await feeds.get(url)) as FeedState, deps);
}

describe('DynamoDB writes per poll', () => {
  test('a 304 writes nothing', async () => {
    server.route('/wire.xml', { body: rss([SEIZURE, WEATHER]), etag: '"v1"' });
    await pollAfter(0);
    const stored = await feeds.get(url);

    const outcome = await pollAfter(5);

    expect(outcome.status).toBe('not-modified');
    expect(writes).toEqual([]);
    expect(await feeds.get(url)).toEqual(stored);
  });

  test('an unchanged 200, and a rebuilt body with the same items, write nothing and are not parsed', async () => {
    server.route('/wire.xml', { body: rss([SEIZURE, WEATHER]) });
    await pollAfter(0);
    const stored = await feeds.get(url);

    const unchanged = await pollAfter(5);
    const unchangedWrites = writes;
    server.route('/wire.xml', {
      body: rss([WEATHER, SEIZURE]).replace(
        '<channel>',
        '<channel><lastBuildDate>Sat, 28 Nov 2026 10:10:00 GMT</lastBuildDate>',
      ),
    });
    const rebuilt = await pollAfter(5);
    const rebuiltWrites = writes;
    server.route('/wire.xml', {
      body: rss([WEATHER]).replace(
        '<channel>',
        '<channel><lastBuildDate>Sat, 28 Nov 2026 10:15:00 GMT</lastBuildDate>',
      ),
    });
    const dropped = await pollAfter(5);

    expect(stored?.itemChunks).toHaveLength(2);
    expect([unchanged, rebuilt, dropped].map(({ status, items }) => [status, items])).toEqual([
      ['unchanged', 0],
      ['unchanged', 0],
      ['unchanged', 0],
    ]);
    expect([unchangedWrites, rebuiltWrites, writes]).toEqual([[], [], []]);
    expect(await feeds.get(url)).toEqual(stored);
  });

  test('a rebuilt body with one new item writes that item and the feed state with its item hashes', async () => {
    server.route('/wire.xml', { body: rss([SEIZURE, WEATHER]) });
    await pollAfter(0);
    server.route('/wire.xml', {
      body: rss([SANCTIONS, WEATHER, SEIZURE]).replace(
        '<channel>',
        '<channel><lastBuildDate>Sat, 28 Nov 2026 10:05:00 GMT</lastBuildDate>',
      ),
    });

    const outcome = await pollAfter(5);

    expect(outcome).toMatchObject({ status: 'ok', items: 3, newItems: 1 });
    expect(outcome.stored.map((match) => match.title)).toEqual([SANCTIONS.title]);
    expect(writes).toEqual(['TransactWrite matches', 'BatchWrite recentItems', 'Put feeds']);
    expect((await feeds.get(url))?.itemChunks).toHaveLength(3);
  });

  test('one new item that matches writes its match, its recent item and the feed state, once each', async () => {
    server.route('/wire.xml', { body: rss([SEIZURE, WEATHER]), etag: '"v1"' });
    await pollAfter(0);
    server.route('/wire.xml', { body: rss([SANCTIONS, SEIZURE, WEATHER]), etag: '"v2"' });

    const outcome = await pollAfter(5);

    expect(outcome).toMatchObject({ status: 'ok', items: 3, newItems: 1 });
    expect(outcome.stored.map((match) => match.title)).toEqual([SANCTIONS.title]);
    expect(writes).toEqual(['TransactWrite matches', 'BatchWrite recentItems', 'Put feeds']);
  });

  test('one new item that matches nothing writes its recent item and the feed state only', async () => {
    server.route('/wire.xml', { body: rss([SEIZURE]), etag: '"v1"' });
    await pollAfter(0);
    server.route('/wire.xml', { body: rss([WEATHER, SEIZURE]), etag: '"v2"' });

    const outcome = await pollAfter(5);

    expect(outcome).toMatchObject({ status: 'ok', items: 2, newItems: 1, stored: [] });
    expect(writes).toEqual(['BatchWrite recentItems', 'Put feeds']);
  });
});

import { createHash } from 'node:crypto';
import { brotliDecompressSync } from 'node:zlib';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#adapters/aws-clients.ts';
import { DynamoDbFeedStore } from '#adapters/dynamodb/feed-store.ts';
import { DynamoDbMatchStore } from '#adapters/dynamodb/match-store.ts';
import { DynamoDbRateLimiter } from '#adapters/dynamodb/rate-limiter.ts';
import { DynamoDbRecentItemStore } from '#adapters/dynamodb/recent-item-store.ts';
import { DynamoDbWatchStore } from '#adapters/dynamodb/watch-store.ts';
import { parseFeed } from '#core/feed/index.ts';
import { recentItemOf } from '#core/recent/recent-item.ts';
import { buildVocabulary, generateCorpus } from '../bench/corpus.ts';
import { itemSize } from '../bench/dynamodb-usage.ts';
import { E2E } from '../bench/e2e-bench.ts';
import { rssFeed } from '../bench/feed-xml.ts';
import { ensureTables, type TableNames } from '../helpers/ensure-tables.ts';
import { storeNewStory } from '../helpers/store-match.ts';
import { localDynamoDbClient } from './helpers/services.ts';
import {
  aFeed,
  aMatch,
  aRecentItem,
  describeRecentItemContract,
  describeRoutingContract,
  describeStoreContract,
  settleAs,
} from './helpers/store-contract.ts';
import { createTestTables, emptyTables } from './helpers/tables.ts';

let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let contractTables: TableNames;

beforeAll(async () => {
  client = localDynamoDbClient();
  doc = createDocumentClient(client);
  contractTables = await createTestTables(client);
});

afterAll(() => {
  client.destroy();
});

describeStoreContract('DynamoDB', async (clock) => {
  await emptyTables(doc, contractTables);
  return {
    watches: new DynamoDbWatchStore(doc, contractTables.watches),
    feeds: new DynamoDbFeedStore(doc, contractTables.feeds),
    matches: new DynamoDbMatchStore(doc, contractTables.matches, clock),
  };
});

describeRoutingContract('DynamoDB', async (clock) => {
  await emptyTables(doc, contractTables);
  return {
    matches: new DynamoDbMatchStore(doc, contractTables.matches, clock),
    rateLimiter: new DynamoDbRateLimiter(doc, contractTables.matches),
  };
});

describeRecentItemContract('DynamoDB', async (clock) => {
  await emptyTables(doc, contractTables);
  return new DynamoDbRecentItemStore(doc, contractTables.recentItems, clock);
});

describe('DynamoDbFeedStore.getMany', () => {
  it('reads the states asked for in the order asked, over BatchGetItem limit, skipping unknown and repeated URLs', async () => {
    const tables = await createTestTables(client);
    const feeds = new DynamoDbFeedStore(doc, tables.feeds);
    const urls = Array.from({ length: 150 }, (_, i) => `https://news.example/feed-${i}.xml`);
    for (const url of urls) await feeds.put(aFeed({ url }));
    const asked = [urls[149], 'https://news.example/unknown.xml', ...urls.slice(0, 149), urls[0]];

    const states = await feeds.getMany(asked as string[]);

    expect(states.map((state) => state.url)).toEqual([urls[149], ...urls.slice(0, 149)]);
    expect(states[0]).toEqual(aFeed({ url: urls[149] }));
  });
});

describe('DynamoDB item layout', () => {
  it('keeps a recent item under its day seen, its time seen and item id, with a TTL 7 days on and its fields compressed', async () => {
    await emptyTables(doc, contractTables);
    const item = aRecentItem({ key: 'k'.repeat(1_000), guid: 'g-1' });
    await new DynamoDbRecentItemStore(doc, contractTables.recentItems).record([item]);

    const itemId = createHash('sha256')
      .update(JSON.stringify([item.feedUrl, item.key]))
      .digest('base64url');
    const seen = `2099-03-10T08:00:00.000Z#${itemId}`;
    const stored = await doc.send(
      new GetCommand({ TableName: contractTables.recentItems, Key: { day: '2099-03-10', seen } }),
    );
    const { item: compressed, ...keys } = stored.Item ?? {};

    // 2099-03-10T08:00:00Z is 4076812800 s; plus 7 days of 86,400 s.
    expect(keys).toEqual({ day: '2099-03-10', seen, exp: 4076812800 + 7 * 86_400 });
    expect(JSON.parse(brotliDecompressSync(compressed as Uint8Array).toString('utf8'))).toEqual([
      item.feedUrl,
      item.key,
      item.title,
      item.body,
      item.link,
      item.published,
      'g-1',
    ]);
  });

  it('stores a typical news item in at most 1 KB as DynamoDB counts it: 1 write unit', async () => {
    await emptyTables(doc, contractTables);
    const seenAt = new Date('2099-03-10T08:00:00.000Z');
    // The e2e bench's items: 150 words of corpus prose in HTML, parsed as the poller parses them.
    const corpus = generateCorpus(20, E2E.wordsPerItem, buildVocabulary(E2E.seed), E2E.seed);
    const xml = rssFeed(corpus, { title: 'Bench feed', feedId: 'f0', published: seenAt });
    const feedUrl = 'http://127.0.0.1:40000/feed-0.xml';
    const feed = await parseFeed(new TextEncoder().encode(xml));
    const items = feed.items.map((item) => recentItemOf(item, feedUrl, seenAt));
    await new DynamoDbRecentItemStore(doc, contractTables.recentItems).record(items);

    const stored = await doc.send(
      new QueryCommand({
        TableName: contractTables.recentItems,
        KeyConditionExpression: '#day = :day',
        ExpressionAttributeNames: { '#day': 'day' },
        ExpressionAttributeValues: { ':day': '2099-03-10' },
      }),
    );
    const sizes = (stored.Items ?? []).map(itemSize);

    expect(Math.min(...items.map((item) => item.body.length))).toBeGreaterThan(800);
    expect(sizes).toHaveLength(20);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1_024);
  });

  it('stores a PENDING match with its day, TTL and pending shard, and drops the shard once SENT', async () => {
    const tables = await createTestTables(client);
    const matches = new DynamoDbMatchStore(doc, tables.matches);
    const key = { watchId: 'w1', storyKey: 'story-1' };
    await storeNewStory(matches, aMatch());

    const pending = await doc.send(new GetCommand({ TableName: tables.matches, Key: key }));
    await settleAs(matches, 'w1', 'story-1', 'SENT');
    const sent = await doc.send(new GetCommand({ TableName: tables.matches, Key: key }));

    // 2099-03-10T09:00:00Z is 4076816400 s; plus 90 days of 86,400 s.
    expect(pending.Item).toEqual({
      ...aMatch(),
      matchedDay: '2099-03-10',
      expiresAt: 4076816400 + 90 * 86_400,
      pendingShard: 'PENDING',
    });
    expect(sent.Item).toEqual({
      ...aMatch({ alertState: 'SENT' }),
      matchedDay: '2099-03-10',
      expiresAt: 4076816400 + 90 * 86_400,
    });
  });

  it('keeps a DIGEST match under the DIGEST shard and a rate counter apart, with its TTL', async () => {
    const tables = await createTestTables(client);
    await storeNewStory(new DynamoDbMatchStore(doc, tables.matches), aMatch());
    await settleAs(new DynamoDbMatchStore(doc, tables.matches), 'w1', 'story-1', 'DIGEST');
    await new DynamoDbRateLimiter(doc, tables.matches).take(
      'w1',
      '2099-03-10T12',
      10,
      new Date('2099-03-11T13:00:00.000Z'),
    );

    const digest = await doc.send(
      new GetCommand({ TableName: tables.matches, Key: { watchId: 'w1', storyKey: 'story-1' } }),
    );
    const counter = await doc.send(
      new GetCommand({
        TableName: tables.matches,
        Key: { watchId: '#rate-limit#w1', storyKey: '2099-03-10T12' },
      }),
    );

    expect(digest.Item?.pendingShard).toBe('DIGEST');
    expect(counter.Item).toEqual({
      watchId: '#rate-limit#w1',
      storyKey: '2099-03-10T12',
      alertCount: 1,
      expiresAt: Date.parse('2099-03-11T13:00:00.000Z') / 1000,
    });
  });

  it('stores a feed as its state alone, and reads past the due shard a stack with the byDue index wrote', async () => {
    const tables = await createTestTables(client);
    const store = new DynamoDbFeedStore(doc, tables.feeds);
    await store.put(aFeed());
    const older = aFeed({ url: 'https://older.example/rss', nextDueAt: '2000-01-01T00:00:00.000Z' });
    await doc.send(new PutCommand({ TableName: tables.feeds, Item: { ...older, dueShard: 'feeds' } }));

    const item = await doc.send(new GetCommand({ TableName: tables.feeds, Key: { url: aFeed().url } }));

    expect(item.Item).toEqual(aFeed());
    expect(await store.get(older.url)).toEqual(older);
    expect(await store.due(aFeed().nextDueAt)).toEqual([older, aFeed()]);
  });
});

describe('ensureTables', () => {
  it('creates the four tables with their indexes and TTLs, and is safe to run again', async () => {
    const tables = await createTestTables(client);

    await ensureTables(client, tables);
    const [feeds, matches, ttl, recentItems, recentTtl] = await Promise.all([
      client.send(new DescribeTableCommand({ TableName: tables.feeds })),
      client.send(new DescribeTableCommand({ TableName: tables.matches })),
      client.send(new DescribeTimeToLiveCommand({ TableName: tables.matches })),
      client.send(new DescribeTableCommand({ TableName: tables.recentItems })),
      client.send(new DescribeTimeToLiveCommand({ TableName: tables.recentItems })),
    ]);

    expect(feeds.Table?.GlobalSecondaryIndexes).toBeUndefined();
    expect(matches.Table?.TableStatus).toBe('ACTIVE');
    expect(matches.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual([
      'byDay',
      'byWatchTime',
      'pending',
    ]);
    expect(ttl.TimeToLiveDescription).toEqual({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' });
    expect(recentItems.Table?.KeySchema).toEqual([
      { AttributeName: 'day', KeyType: 'HASH' },
      { AttributeName: 'seen', KeyType: 'RANGE' },
    ]);
    expect(recentItems.Table?.GlobalSecondaryIndexes).toBeUndefined();
    expect(recentTtl.TimeToLiveDescription).toEqual({
      AttributeName: 'exp',
      TimeToLiveStatus: 'ENABLED',
    });
  });
});

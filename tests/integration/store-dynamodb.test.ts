import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
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
import { itemSize } from '../bench/dynamodb-usage.ts';
import { FEED_NOW, parseFeedText } from '../bench/parse-feeds.ts';
import { ensureTables, type TableNames } from '../helpers/ensure-tables.ts';
import { seededRandom } from '../helpers/prng.ts';
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

/** The recent-items rows of one day, as stored. */
function recentRowsOf(day: string) {
  return doc.send(
    new QueryCommand({
      TableName: contractTables.recentItems,
      KeyConditionExpression: '#day = :day',
      ExpressionAttributeNames: { '#day': 'day' },
      ExpressionAttributeValues: { ':day': day },
    }),
  );
}

describe('DynamoDB item layout', () => {
  it('keeps the items of one feed seen at one instant in one row under their day, time seen and feed, with a TTL 7 days on and their fields compressed', async () => {
    await emptyTables(doc, contractTables);
    const first = aRecentItem({ key: 'k'.repeat(1_000), guid: 'g-1' });
    const { link: _link, published: _published, ...second } = aRecentItem({ key: 'item-2' });
    const otherFeed = aRecentItem({ feedUrl: 'https://other.example/feed' });
    await new DynamoDbRecentItemStore(doc, contractTables.recentItems).record([first, second, otherFeed]);

    const rows = await recentRowsOf('2099-03-10');
    // The first 11 characters of the SHA-256, base64url, of the parts each followed by a NUL.
    const hash = (...parts: string[]) =>
      createHash('sha256')
        .update(parts.map((part) => `${part}\u0000`).join(''))
        .digest('base64url')
        .slice(0, 11);
    const decoded = (rows.Items ?? []).map(({ item: compressed, ...keys }) => ({
      keys,
      content: JSON.parse(brotliDecompressSync(compressed as Uint8Array).toString('utf8')),
    }));

    // 2099-03-10T08:00:00Z is 4076812800 s; plus 7 days of 86,400 s.
    const exp = 4076812800 + 7 * 86_400;
    expect(decoded).toEqual(
      [
        {
          keys: {
            day: '2099-03-10',
            seen: `2099-03-10T08:00:00.000Z#${hash(first.feedUrl)}#${hash(first.key, 'item-2')}`,
            exp,
          },
          content: [
            first.feedUrl,
            [
              [first.key, first.title, first.body, first.link, first.published, 'g-1'],
              ['item-2', second.title, second.body, null, null, null],
            ],
          ],
        },
        {
          keys: {
            day: '2099-03-10',
            seen: `2099-03-10T08:00:00.000Z#${hash(otherFeed.feedUrl)}#${hash(otherFeed.key)}`,
            exp,
          },
          content: [
            otherFeed.feedUrl,
            [[otherFeed.key, otherFeed.title, otherFeed.body, otherFeed.link, otherFeed.published, null]],
          ],
        },
      ].sort((a, b) => (a.keys.seen < b.keys.seen ? -1 : 1)),
    );
  });

  it("writes the new items of a teaser feed's poll, up to 4, in one row of at most 1 KB as DynamoDB counts it: 1 write unit", async () => {
    const seenAt = new Date('2099-03-10T08:00:00.000Z');
    // The parse bench's teaser feed: a headline and a two-sentence standfirst an item.
    const feed = await parseFeed(new TextEncoder().encode(parseFeedText('plain')), { now: FEED_NOW });
    const feedUrl = 'https://news.example.org/plain.xml';
    const sizes: number[] = [];
    for (let start = 0; start + 4 <= 40; start += 4) {
      await emptyTables(doc, contractTables);
      const items = feed.items.slice(start, start + 4).map((item) => recentItemOf(item, feedUrl, seenAt));
      await new DynamoDbRecentItemStore(doc, contractTables.recentItems).record(items);
      const stored = await recentRowsOf('2099-03-10');
      expect(stored.Items).toHaveLength(1);
      sizes.push(itemSize(stored.Items?.[0] ?? {}));
    }

    expect(Math.max(...sizes)).toBeLessThanOrEqual(1_024);
  });

  it("splits a poll's items into rows under DynamoDB's 400 KB item limit, and lists them all back", async () => {
    await emptyTables(doc, contractTables);
    // Incompressible bodies at the stored bound, so the rows' size is their items' own.
    const random = seededRandom(7);
    const noise = () =>
      Array.from({ length: 4_000 }, () => String.fromCharCode(0x4e00 + random.int(20_000))).join('');
    const items = Array.from({ length: 60 }, (_, n) => aRecentItem({ key: `item-${n}`, body: noise() }));
    const store = new DynamoDbRecentItemStore(doc, contractTables.recentItems, {
      now: () => new Date('2099-03-10T09:00:00.000Z'),
    });
    await store.record(items);

    const rows = await recentRowsOf('2099-03-10');
    const listed = await store.listSince('2099-03-10T00:00:00.000Z');

    expect(rows.Items).toHaveLength(3);
    expect(Math.max(...(rows.Items ?? []).map(itemSize))).toBeLessThan(400 * 1024);
    expect(listed.map((item) => item.key).sort()).toEqual(items.map((item) => item.key).sort());
    expect(listed.find((item) => item.key === 'item-59')?.body).toBe(items[59]?.body);
  });

  it('still lists a row of the one-item layout, written before items were grouped', async () => {
    await emptyTables(doc, contractTables);
    const item = aRecentItem({ guid: 'g-1' });
    const fields = [item.feedUrl, item.key, item.title, item.body, item.link, item.published, 'g-1'];
    await doc.send(
      new PutCommand({
        TableName: contractTables.recentItems,
        Item: {
          day: '2099-03-10',
          seen: '2099-03-10T08:00:00.000Z#an-item-id',
          exp: 4076812800 + 7 * 86_400,
          item: brotliCompressSync(Buffer.from(JSON.stringify(fields))),
        },
      }),
    );
    const store = new DynamoDbRecentItemStore(doc, contractTables.recentItems, {
      now: () => new Date('2099-03-10T09:00:00.000Z'),
    });

    expect(await store.listSince('2099-03-10T00:00:00.000Z')).toEqual([item]);
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

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDocumentClient } from '#adapters/aws-clients.ts';
import { DynamoDbFeedStore } from '#adapters/dynamodb/feed-store.ts';
import { DynamoDbMatchStore } from '#adapters/dynamodb/match-store.ts';
import { pollFeed } from '#core/pipeline/poll-feed.ts';
import { buildWatchSet } from '#core/pipeline/watch-set.ts';
import { ManualClock, ok, rss, ScriptedFetcher } from '../unit/helpers/pipeline-fakes.ts';
import { localDynamoDbClient } from './helpers/services.ts';
import { createTestTables } from './helpers/tables.ts';

/**
 * Story identity over DynamoDB Local: the near-duplicate look-up reads the byWatchTime
 * index and the fingerprint must survive the round trip through the matches table.
 */

const WIRE = 'https://wire.example.com/rss/world.xml';
const CHRONICLE = 'https://www.chronicle.example.co.uk/feeds/world.rss';
const LEDGER = 'https://asialedger.example.sg/feed/';
const LEAD =
  'Egyptian and Qatari mediators met Israeli and Hamas negotiators in Cairo on Tuesday in a fresh push for a ceasefire in Gaza and the release of hostages, two Egyptian security sources said.';

let client: DynamoDBClient;

beforeAll(() => {
  client = localDynamoDbClient();
});

afterAll(() => {
  client.destroy();
});

describe('the same story from three feeds over DynamoDB Local', () => {
  // A fresh store per poll is a fresh Lambda: only the byWatchTime index can find the first copy.
  test.each([
    ['one process', false],
    ['a process per feed', true],
  ])('is stored once, alerts once and lists the two other feeds (%s)', async (_, processPerFeed) => {
    const tables = await createTestTables(client);
    const doc = createDocumentClient(client);
    // Now, not a fixed date: DynamoDB Local's TTL removes matches dated past their retention.
    const start = new Date();
    const clock = new ManualClock(start);
    const matches = new DynamoDbMatchStore(doc, tables.matches, clock);
    const feeds = new DynamoDbFeedStore(doc, tables.feeds);
    const { watchSet } = buildWatchSet([{ id: 'gaza', query: 'ceasefire AND Gaza' }]);
    const fetcher = new ScriptedFetcher()
      .serve(
        WIRE,
        ok(
          rss([
            {
              title: 'Mediators in Cairo push Israel and Hamas towards Gaza ceasefire deal',
              link: 'https://wire.example.com/world/gaza-cairo-talks',
              guid: 'wire-0',
              description: `CAIRO (Reuters) - ${LEAD}`,
            },
          ]),
        ),
      )
      .serve(
        CHRONICLE,
        ok(
          rss([
            {
              title: 'Reuters - Mediators in Cairo push Israel and Hamas towards Gaza ceasefire deal',
              link: 'https://www.chronicle.example.co.uk/news/world/gaza-cairo-talks-60000',
              guid: 'chronicle-60000',
              description: LEAD,
            },
          ]),
        ),
      )
      .serve(
        LEDGER,
        ok(
          rss([
            {
              title: 'Gaza ceasefire talks resume in Cairo as mediators push for hostage deal',
              guid: 'ledger:0',
              description: LEAD,
            },
          ]),
        ),
      );

    const stored = [];
    for (const url of [WIRE, CHRONICLE, LEDGER]) {
      const store = processPerFeed ? new DynamoDbMatchStore(doc, tables.matches, clock) : matches;
      const outcome = await pollFeed(
        { url, consecutiveFailures: 0, nextDueAt: clock.now().toISOString() },
        { fetcher, feeds, matches: store, clock, watchSet },
      );
      stored.push(...outcome.stored);
      clock.advance(5 * 60_000);
    }

    expect(stored.map((match) => match.storyKey)).toEqual([
      'https://wire.example.com/world/gaza-cairo-talks',
    ]);
    const all = await matches.listRecent({ watchId: 'gaza' });
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      storyKey: 'https://wire.example.com/world/gaza-cairo-talks',
      feedUrl: WIRE,
      alsoIn: [
        {
          feed: CHRONICLE,
          itemKey: 'chronicle-60000',
          title: 'Reuters - Mediators in Cairo push Israel and Hamas towards Gaza ceasefire deal',
          link: 'https://www.chronicle.example.co.uk/news/world/gaza-cairo-talks-60000',
          seenAt: new Date(start.getTime() + 5 * 60_000).toISOString(),
        },
        {
          feed: LEDGER,
          itemKey: 'ledger:0',
          title: 'Gaza ceasefire talks resume in Cairo as mediators push for hostage deal',
          seenAt: new Date(start.getTime() + 10 * 60_000).toISOString(),
        },
      ],
      fingerprint: stored[0]?.fingerprint,
    });
    expect(stored[0]?.fingerprint).toMatch(/^v2:/);
    expect((await matches.listPending()).map((match) => [match.watchId, match.storyKey])).toEqual([
      ['gaza', 'https://wire.example.com/world/gaza-cairo-talks'],
    ]);
  });
});

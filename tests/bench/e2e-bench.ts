import { performance } from 'node:perf_hooks';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { createDocumentClient, createDynamoDbClient } from '#adapters/aws-clients.ts';
import { DynamoDbFeedStore } from '#adapters/dynamodb/feed-store.ts';
import { storyRegisterKey } from '#adapters/dynamodb/match-item.ts';
import { DynamoDbMatchStore } from '#adapters/dynamodb/match-store.ts';
import { DynamoDbRecentItemStore } from '#adapters/dynamodb/recent-item-store.ts';
import { HttpFetcher } from '#adapters/http/index.ts';
import { PerWatchQueue } from '#core/alerts/same-story.ts';
import { FetchThrottle, pollFeeds } from '#core/pipeline/poll-batch.ts';
import type { PollDeps, PollStatus } from '#core/pipeline/poll-feed.ts';
import { buildWatchSet } from '#core/pipeline/watch-set.ts';
import { POLLER_BATCH_SIZE } from '../../lib/pipeline.ts';
import { DEFAULT_FEEDS_PER_MESSAGE } from '../../lib/stack-config.ts';
import { ensureTables, type TableNames } from '../helpers/ensure-tables.ts';
import { localServiceOptions } from '../helpers/local-aws.ts';
import { startDynamoDbLocal } from '../integration/helpers/dynamodb-local.ts';
import { type FeedServer, startFeedServer } from '../integration/helpers/feed-server.ts';
import { buildVocabulary, type CorpusItem, generateCorpus, generateWatches } from './corpus.ts';
import { type CommandUsage, DynamoDbUsage, itemSize } from './dynamodb-usage.ts';
import { rssFeed } from './feed-xml.ts';
import { median } from './stats.ts';

export const E2E = {
  feeds: 1_000,
  /** Publishers: feeds are spread over this many servers (ports), as pollFeeds limits per host. */
  hosts: 50,
  itemsPerFeed: 20,
  wordsPerItem: 150,
  watches: 300,
  latencyMs: 50,
  /** Share of feeds that send an ETag and so answer 304 to the second cycle's conditional GET. */
  conditionalShare: 0.3,
  seed: 42,
} as const;

export interface CycleReport {
  name: string;
  wallMs: number;
  /** One poller invocation: POLLER_BATCH_SIZE messages of FEEDS_PER_MESSAGE feeds, run as the handler runs them. */
  invocations: number;
  invocationMedianMs: number;
  /**
   * The bench process's CPU time (user + system) over one invocation, median: the work a Lambda
   * pays for at its CPU share. DynamoDB Local runs in its own process, so real DynamoDB's share of
   * the wall time is not in it; the feed servers share this process, so it slightly overstates.
   */
  invocationCpuMedianMs: number;
  /** DynamoDB requests one invocation sends, mean: each a round trip a Lambda waits for. */
  dynamodbRequestsPerInvocation: number;
  statuses: Partial<Record<PollStatus, number>>;
  itemsParsed: number;
  matchesStored: number;
  /** Sum of the sizes of the matches stored, as DynamoDB bills them. */
  matchItemBytes: number;
  dynamodb: Record<string, CommandUsage>;
  writeRequestsPerPoll: number;
  readRequestsPerPoll: number;
}

export interface E2eReport {
  setup: typeof E2E & { feedsPerMessage: number; messagesPerInvocation: number; feedKilobytes: number };
  cycles: CycleReport[];
  /**
   * The watches' story registers after both cycles, as stored: how many, records held, and bytes as
   * DynamoDB bills them with and without their records (a register grows with its watch's
   * stories of the last 7 days, so the cost model sizes it from these).
   */
  registers: { count: number; records: number; bytes: number; emptyBytes: number };
  peakRssMb: number;
}

const WRITES = new Set(['Put', 'Update', 'Delete']);

function isWrite(key: string): boolean {
  return WRITES.has(key.split(' ')[0] ?? '');
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Polls 1,000 feeds on 127.0.0.1 through pollFeeds with the DynamoDB stores, shaped as the
 * poller Lambda shapes the work: messages of FEEDS_PER_MESSAGE feeds, one BatchGetItem per message,
 * POLLER_BATCH_SIZE messages per invocation processed in parallel (Powertools' default),
 * invocations one after another (a single poller; the stack allows 10 at once).
 */
export async function runE2eBench(log: (line: string) => void): Promise<E2eReport> {
  const vocabulary = buildVocabulary(E2E.seed);
  const pool = generateCorpus(E2E.feeds, E2E.wordsPerItem, vocabulary, E2E.seed);
  const watches = generateWatches(E2E.watches, vocabulary, E2E.seed);
  const watchSet = buildWatchSet(watches).watchSet;

  log('e2e: starting DynamoDB Local (in memory) and the feed servers');
  const dynamo = await startDynamoDbLocal();
  const servers: FeedServer[] = [];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    const client = createDynamoDbClient(localServiceOptions(dynamo.endpoint));
    const doc = createDocumentClient(client);
    const tables: TableNames = {
      watches: 'bench-watches',
      feeds: 'bench-feeds',
      matches: 'bench-matches',
      recentItems: 'bench-recent-items',
    };
    await ensureTables(client, tables);
    for (let i = 0; i < E2E.hosts; i++) servers.push(await startFeedServer());

    const now = new Date();
    const urls: string[] = [];
    /** What each feed without an ETag serves in the third cycle: its body rebuilt, its items the same. */
    const rebuiltRoutes: (() => void)[] = [];
    let feedBytes = 0;
    for (let n = 0; n < E2E.feeds; n++) {
      const server = servers[n % E2E.hosts] as FeedServer;
      const path = `/feed-${n}.xml`;
      // Each feed carries a window of the shared pool, so neighbouring feeds share no links.
      const items = Array.from(
        { length: E2E.itemsPerFeed },
        (_, i) => pool[(n * 7 + i) % pool.length] as CorpusItem,
      );
      const body = rssFeed(items, { title: `Bench feed ${n}`, feedId: `f${n}`, published: now });
      feedBytes += Buffer.byteLength(body);
      const conditional = n % 10 < E2E.conditionalShare * 10;
      const route = {
        delayMs: E2E.latencyMs,
        headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
      };
      server.route(path, { ...route, body, ...(conditional ? { etag: `"f${n}-v1"` } : {}) });
      if (!conditional) {
        const rebuilt = body.replace(
          '<channel>',
          `<channel><lastBuildDate>${new Date(now.getTime() + 10 * 60_000).toUTCString()}</lastBuildDate>`,
        );
        rebuiltRoutes.push(() => server.route(path, { ...route, body: rebuilt }));
      }
      urls.push(server.url(path));
    }

    const feeds = new DynamoDbFeedStore(doc, tables.feeds);
    const matches = new DynamoDbMatchStore(doc, tables.matches);
    const initial = new Date(0).toISOString();
    // Bounded: a thousand puts at once would queue past the SDK's 3 s connection timeout.
    const seeding = pLimit(16);
    await Promise.all(
      urls.map((url) =>
        seeding(() => feeds.put({ url, consecutiveFailures: 0, nextDueAt: initial, createdAt: initial })),
      ),
    );

    const usage = new DynamoDbUsage();
    usage.attach(doc);
    let clockOffsetMs = 0;
    const deps: PollDeps = {
      fetcher: new HttpFetcher({ allowedAddresses: ['127.0.0.1/32'] }),
      feeds,
      matches,
      // As the poller keeps them, so their writes are counted too.
      recentItems: new DynamoDbRecentItemStore(doc, tables.recentItems),
      clock: { now: () => new Date(Date.now() + clockOffsetMs) },
      watchSet,
      // As the poller's process has one: decisions for one watch run in turn, not against each other.
      sameStoryQueue: new PerWatchQueue(),
    };
    // As the poller shares one across an invocation's messages: 16 fetches at once, 2 per host.
    const throttle = new FetchThrottle();
    const invocations = chunks(chunks(urls, DEFAULT_FEEDS_PER_MESSAGE), POLLER_BATCH_SIZE);

    const cycles: CycleReport[] = [];
    for (const name of [
      'first poll: all 200',
      'second poll: 30% 304, 70% unchanged 200',
      'third poll: 30% 304, 70% rebuilt 200 (a new lastBuildDate)',
    ]) {
      log(`e2e: ${name}`);
      // Each cycle one polling interval after the last, as the dispatcher would schedule them.
      clockOffsetMs = cycles.length * 5 * 60_000;
      if (cycles.length === 2) for (const rebuild of rebuiltRoutes) rebuild();
      usage.reset();
      const statuses: CycleReport['statuses'] = {};
      let itemsParsed = 0;
      let matchesStored = 0;
      let matchItemBytes = 0;
      const invocationMs: number[] = [];
      const invocationCpuMs: number[] = [];
      const cycleStart = performance.now();
      for (const messages of invocations) {
        const start = performance.now();
        const cpuStart = process.cpuUsage();
        await Promise.all(
          messages.map(async (message) => {
            const states = await feeds.getMany(message);
            const result = await pollFeeds(states, deps, throttle);
            if (result.errors.length > 0) throw result.errors[0]?.error;
            for (const outcome of result.outcomes) {
              statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
              itemsParsed += outcome.items;
              matchesStored += outcome.stored.length;
              for (const stored of outcome.stored) matchItemBytes += itemSize(stored);
            }
          }),
        );
        invocationMs.push(performance.now() - start);
        const cpu = process.cpuUsage(cpuStart);
        invocationCpuMs.push((cpu.user + cpu.system) / 1000);
      }
      const wallMs = performance.now() - cycleStart;
      const dynamodb = usage.snapshot();
      const total = (predicate: (key: string) => boolean) =>
        Object.entries(dynamodb)
          .filter(([key]) => predicate(key))
          .reduce((sum, [, entry]) => sum + entry.requests, 0);
      cycles.push({
        name,
        wallMs,
        invocations: invocationMs.length,
        invocationMedianMs: median(invocationMs),
        invocationCpuMedianMs: median(invocationCpuMs),
        dynamodbRequestsPerInvocation: total(() => true) / invocationMs.length,
        statuses,
        itemsParsed,
        matchesStored,
        matchItemBytes,
        dynamodb,
        writeRequestsPerPoll: total(isWrite) / E2E.feeds,
        readRequestsPerPoll: total((key) => !isWrite(key)) / E2E.feeds,
      });
    }
    const registers = { count: 0, records: 0, bytes: 0, emptyBytes: 0 };
    for (const watch of watches) {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tables.matches, Key: storyRegisterKey(watch.id) }),
      );
      if (!Item) continue;
      registers.count++;
      registers.records += (Item.stories as string[]).length;
      registers.bytes += itemSize(Item);
      registers.emptyBytes += itemSize({ ...Item, stories: [] });
    }
    return {
      registers,
      setup: {
        ...E2E,
        feedsPerMessage: DEFAULT_FEEDS_PER_MESSAGE,
        messagesPerInvocation: POLLER_BATCH_SIZE,
        feedKilobytes: feedBytes / E2E.feeds / 1024,
      },
      cycles,
      peakRssMb: peakRss / (1024 * 1024),
    };
  } finally {
    clearInterval(sampler);
    await Promise.all(servers.map((server) => server.close()));
    await dynamo.stop();
  }
}

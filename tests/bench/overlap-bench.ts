import { performance } from 'node:perf_hooks';
import { HttpFetcher, HttpPageFetcher } from '#adapters/http/index.ts';
import { MemoryFeedStore, MemoryMatchStore } from '#adapters/memory/index.ts';
import { PerWatchQueue } from '#core/alerts/same-story.ts';
import { DEFAULT_PAGE_CONCURRENCY, PageThrottle } from '#core/article/page-throttle.ts';
import type { FeedState } from '#core/model.ts';
import { FETCH_CONCURRENCY, FetchThrottle, pollFeeds } from '#core/pipeline/poll-batch.ts';
import type { PollDeps } from '#core/pipeline/poll-feed.ts';
import { buildWatchSet } from '#core/pipeline/watch-set.ts';
import { POLLER_BATCH_SIZE } from '../../lib/pipeline.ts';
import { DEFAULT_FEEDS_PER_MESSAGE } from '../../lib/stack-config.ts';
import { type FeedServer, startFeedServer } from '../integration/helpers/feed-server.ts';
import { buildVocabulary, generateCorpus, generateWatches } from './corpus.ts';
import { escapeXml } from './feed-xml.ts';
import { BENCH_PAGES, benchPage } from './page-corpus.ts';

/**
 * One poller invocation against publishers that take their time: does a Lambda wait for them on
 * top of its CPU work, or while doing it? The cost model bills an invocation for whichever is
 * longer (see invocationSeconds), and this measures both regimes.
 */
export const OVERLAP = {
  hosts: 50,
  feedLatencyMs: 300,
  pageLatencyMs: 500,
  /** One feed of the invocation answers this late: the slowest publisher. */
  slowestFeedMs: 2_000,
  watches: 300,
  seed: 42,
} as const;

const FEEDS = DEFAULT_FEEDS_PER_MESSAGE * POLLER_BATCH_SIZE;

export interface OverlapRun {
  name: string;
  feeds: number;
  pagesRead: number;
  wallSeconds: number;
  /** The process's CPU time over the invocation (the local publishers' serving included). */
  cpuSeconds: number;
  /** The publishers' latencies as the cost model counts them (see waitSeconds). */
  waitSeconds: number;
}

export interface OverlapReport {
  setup: typeof OVERLAP & { feeds: number };
  runs: OverlapRun[];
}

/**
 * An invocation's waiting as the cost model counts it: every feed's response and DynamoDB
 * request, FETCH_CONCURRENCY at a time, every page's, DEFAULT_PAGE_CONCURRENCY at a time, and the
 * slowest publisher's tail.
 */
export function waitSeconds(
  work: { feeds: number; pages: number; dynamodbRequests?: number },
  latency: {
    feedSeconds: number;
    pageSeconds: number;
    slowestFeedSeconds: number;
    dynamodbRequestSeconds?: number;
  },
): number {
  const requestSeconds = (work.dynamodbRequests ?? 0) * (latency.dynamodbRequestSeconds ?? 0);
  return (
    (work.feeds * latency.feedSeconds + requestSeconds) / FETCH_CONCURRENCY +
    (work.pages * latency.pageSeconds) / DEFAULT_PAGE_CONCURRENCY +
    latency.slowestFeedSeconds
  );
}

/**
 * What a Lambda is billed for an invocation: its CPU work overlaps the waiting (the event loop
 * reads one page while other responses arrive), so the longer of the two, the CPU work starting
 * after the first response (the waiting counts every response already).
 */
export function invocationSeconds(cpuSeconds: number, waiting: number, firstResponseSeconds: number): number {
  return Math.max(cpuSeconds + firstResponseSeconds, waiting);
}

/**
 * FEEDS teaser feeds (one new item each, a headline and a two-sentence standfirst, so full text
 * `auto` reads its page) on OVERLAP.hosts local servers, each page one of the bench's news pages,
 * polled as one poller invocation polls them: messages of DEFAULT_FEEDS_PER_MESSAGE in parallel,
 * sharing the fetch and page throttles. Then again, every feed answering 304.
 */
export async function runOverlapBench(log: (line: string) => void): Promise<OverlapReport> {
  const vocabulary = buildVocabulary(OVERLAP.seed);
  const items = generateCorpus(FEEDS, 40, vocabulary, OVERLAP.seed);
  const watchSet = buildWatchSet(generateWatches(OVERLAP.watches, vocabulary, OVERLAP.seed)).watchSet;
  const pages = BENCH_PAGES.map(({ name }) => benchPage(name).body);
  const servers: FeedServer[] = [];
  try {
    for (let i = 0; i < OVERLAP.hosts; i++) servers.push(await startFeedServer());
    const now = new Date();
    const feeds = new MemoryFeedStore();
    const urls: string[] = [];
    for (let n = 0; n < FEEDS; n++) {
      const server = servers[n % OVERLAP.hosts] as FeedServer;
      const item = items[n] ?? { title: '', body: '' };
      const pagePath = `/story-${n}.html`;
      server.route(pagePath, {
        delayMs: OVERLAP.pageLatencyMs,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: pages[n % pages.length] as Uint8Array,
      });
      const standfirst = item.body
        .split(/(?<=\.) /)
        .slice(0, 2)
        .join(' ');
      const xml = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed ${n}</title><link>${server.url('/')}</link><item><title>${escapeXml(item.title)}</title><link>${server.url(pagePath)}</link><guid isPermaLink="false">f${n}</guid><pubDate>${now.toUTCString()}</pubDate><description>${escapeXml(standfirst)}</description></item></channel></rss>`;
      const path = `/feed-${n}.xml`;
      server.route(path, {
        delayMs: n === 0 ? OVERLAP.slowestFeedMs : OVERLAP.feedLatencyMs,
        headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
        body: xml,
        etag: `"f${n}"`,
      });
      urls.push(server.url(path));
      await feeds.put({
        url: server.url(path),
        consecutiveFailures: 0,
        nextDueAt: new Date(0).toISOString(),
      });
    }
    const allowedAddresses = ['127.0.0.1/32'];
    const runs: OverlapRun[] = [];
    let clockOffsetMs = 0;
    for (const name of ['every feed new, its page read', 'every feed 304']) {
      log(`overlap: ${name}`);
      const clock = { now: () => new Date(Date.now() + clockOffsetMs) };
      const deps: PollDeps = {
        fetcher: new HttpFetcher({ allowedAddresses }),
        feeds,
        matches: new MemoryMatchStore(clock),
        clock,
        watchSet,
        sameStoryQueue: new PerWatchQueue(),
        articles: { pages: new HttpPageFetcher({ allowedAddresses }), throttle: new PageThrottle(clock) },
      };
      const throttle = new FetchThrottle();
      let pagesRead = 0;
      const messages: string[][] = [];
      for (let i = 0; i < urls.length; i += DEFAULT_FEEDS_PER_MESSAGE)
        messages.push(urls.slice(i, i + DEFAULT_FEEDS_PER_MESSAGE));
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      await Promise.all(
        messages.map(async (message) => {
          const states = await Promise.all(message.map(async (url) => (await feeds.get(url)) as FeedState));
          const result = await pollFeeds(states, deps, throttle);
          if (result.errors.length > 0) throw result.errors[0]?.error;
          for (const outcome of result.outcomes) pagesRead += outcome.pages?.fetched ?? 0;
        }),
      );
      const cpu = process.cpuUsage(cpuStart);
      runs.push({
        name,
        feeds: urls.length,
        pagesRead,
        wallSeconds: (performance.now() - start) / 1000,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        waitSeconds: waitSeconds(
          { feeds: urls.length, pages: pagesRead },
          {
            feedSeconds: OVERLAP.feedLatencyMs / 1000,
            pageSeconds: OVERLAP.pageLatencyMs / 1000,
            slowestFeedSeconds: OVERLAP.slowestFeedMs / 1000,
          },
        ),
      });
      clockOffsetMs += 5 * 60_000;
    }
    return { setup: { ...OVERLAP, feeds: FEEDS }, runs };
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
}

import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { createDocumentClient, createDynamoDbClient } from '#adapters/aws-clients.ts';
import { DynamoDbFeedStore } from '#adapters/dynamodb/feed-store.ts';
import { DynamoDbMatchStore } from '#adapters/dynamodb/match-store.ts';
import { DynamoDbRecentItemStore } from '#adapters/dynamodb/recent-item-store.ts';
import { DynamoDbWatchStore } from '#adapters/dynamodb/watch-store.ts';
import { HttpFetcher, HttpPageFetcher } from '#adapters/http/index.ts';
import { countMetric, logger, MetricName, metrics } from '#adapters/powertools.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { PerWatchQueue } from '#core/alerts/same-story.ts';
import { describePages } from '#core/article/article-pages.ts';
import { PageThrottle } from '#core/article/page-throttle.ts';
import { PARSE_BUDGET_MS } from '#core/feed/limits.ts';
import type { FeedState } from '#core/model.ts';
import { FetchThrottle, pollFeeds } from '#core/pipeline/poll-batch.ts';
import type { PollOutcome } from '#core/pipeline/poll-feed.ts';
import { WatchSetCache } from '#core/pipeline/watch-set.ts';
import { allowPrivateNetwork, requireEnv } from './config.ts';
import { ENV } from './env.ts';
import { parsePollMessage } from './poll-message.ts';

const documentClient = createDocumentClient(createDynamoDbClient());
const feeds = new DynamoDbFeedStore(documentClient, requireEnv(ENV.feedsTable));
const matches = new DynamoDbMatchStore(documentClient, requireEnv(ENV.matchesTable));
const recentItems = new DynamoDbRecentItemStore(documentClient, requireEnv(ENV.recentItemsTable));
/**
 * Watches are re-read at most once per polling cycle per warm container: a scan of 1,000
 * watches is ~25 read units, so scanning on every invocation would cost more than the polling
 * itself, while an edited watch still takes effect within one cycle.
 */
const WATCH_REFRESH_MS = 5 * 60_000;
const watchCache = new WatchSetCache(
  new DynamoDbWatchStore(documentClient, requireEnv(ENV.watchesTable)),
  systemClock,
  WATCH_REFRESH_MS,
);
const fetcher = new HttpFetcher({ allowPrivateNetwork: allowPrivateNetwork() });
/** Article pages: their own slots (2 per host) and the hosts that asked to wait, for the container's life. */
const pages = new HttpPageFetcher({ allowPrivateNetwork: allowPrivateNetwork() });
const pageThrottle = new PageThrottle(systemClock);
/**
 * Time kept back from article pages at the end of an invocation: a page's own deadline, the
 * reading, and the feed's state write. The first poll of many new feeds can want a thousand
 * pages, and an invocation that timed out would be retried whole.
 */
const PAGE_RESERVE_MS = 30_000;
let pagesNotAfter: number | undefined;
const processor = new BatchProcessor(EventType.SQS);
/**
 * One set of fetch slots for the whole container: the batch's records are processed in
 * parallel, and a container runs one invocation at a time, so this bounds the invocation
 * (32 fetches, 2 per host) rather than each message.
 */
const throttle = new FetchThrottle();
/** The container's same-story decisions, one at a time per watch across the batch's records. */
const sameStoryQueue = new PerWatchQueue();

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A feed is started only while this much of the invocation is left: its fetch deadline (15 s),
 * its parse budget (PARSE_BUDGET_MS) and its matching and writes, with a margin. Feeds that
 * would start later are handed back to SQS with their message, rather than time out the whole
 * invocation, which would fail the feeds already polled with them.
 */
const FEED_TIME_RESERVE_MS = 15_000 + PARSE_BUDGET_MS + 10_000;

/** The feeds of a message that the invocation had no time left to start. */
class OutOfTimeError extends Error {
  override name = 'OutOfTimeError';
}

/**
 * One queue message carries several feed URLs. A feed that fails is recorded in its state
 * and is not a message failure (retrying would re-poll the healthy feeds with it); only a
 * store failure or a malformed message fails the record, which SQS then retries and
 * finally moves to the DLQ.
 */
async function pollMessage(record: SQSRecord, context?: Context): Promise<void> {
  const message = parsePollMessage(record.body);
  const { watchSet, invalid, rebuilt } = await watchCache.get();
  if (rebuilt) {
    for (const { watch, error } of invalid) {
      logger.error('watch skipped: invalid query', {
        watchId: watch.id,
        query: watch.query,
        reason: error.message,
      });
      countMetric(MetricName.WatchInvalid);
    }
  }
  const states = await feeds.getMany(message.feeds);
  const now = systemClock.now();
  const result = await pollFeeds(
    states,
    {
      fetcher,
      feeds,
      matches,
      recentItems,
      clock: systemClock,
      watchSet,
      sameStoryQueue,
      articles: { pages, throttle: pageThrottle, notAfter: pagesNotAfter },
    },
    throttle,
    (outcome) => recordOutcome(outcome, states, now),
    () => context === undefined || context.getRemainingTimeInMillis() >= FEED_TIME_RESERVE_MS,
  );
  if (result.errors.length > 0) throw result.errors[0]?.error;
  if (result.deferred.length > 0) {
    logger.warn('feeds handed back: the invocation ran short of time', { feeds: result.deferred });
    throw new OutOfTimeError(
      `${result.deferred.length} feeds not started before the invocation's time ran short`,
    );
  }
}

function recordOutcome(outcome: PollOutcome, states: FeedState[], now: Date): void {
  if (outcome.stored.length > 0) countMetric(MetricName.MatchStored, outcome.stored.length);
  for (const failure of outcome.itemFailures) {
    logger.error('item not stored', {
      feed: outcome.url,
      item: failure.itemKey,
      reason: failure.reason,
      attempts: failure.attempts,
      status: failure.status,
    });
  }
  if (outcome.pages) {
    countMetric(MetricName.ArticlePageFetched, outcome.pages.fetched);
    if (outcome.pages.unavailable > 0)
      countMetric(MetricName.ArticlePageUnavailable, outcome.pages.unavailable);
    const summary = describePages(outcome.pages);
    if (summary) logger.info('article pages skipped', { feed: outcome.url, summary });
  }
  if (outcome.status !== 'failed') return;
  countMetric(MetricName.FeedFailed);
  logger.warn('feed failed', {
    feed: outcome.url,
    kind: outcome.error?.kind,
    reason: outcome.error?.message,
  });
  const failingSince = states.find((state) => state.url === outcome.url)?.failingSince;
  if (failingSince && now.getTime() - Date.parse(failingSince) >= DAY_MS)
    countMetric(MetricName.FeedFailingForADay);
}

const lambdaHandler = async (event: SQSEvent, context: Context) => {
  pagesNotAfter = Date.now() + context.getRemainingTimeInMillis() - PAGE_RESERVE_MS;
  return processPartialResponse(event, pollMessage, processor, { context });
};

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { createDocumentClient, createDynamoDbClient, createSqsClient } from '#adapters/aws-clients.ts';
import { DynamoDbFeedStore } from '#adapters/dynamodb/feed-store.ts';
import { countMetric, logger, MetricName, metrics } from '#adapters/powertools.ts';
import { SqsFeedQueue } from '#adapters/sqs/feed-queue.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { type DispatchResult, dispatchDue } from '#core/pipeline/dispatch.ts';
import { positiveIntEnv, requireEnv } from './config.ts';
import { ENV } from './env.ts';

const feeds = new DynamoDbFeedStore(createDocumentClient(createDynamoDbClient()), requireEnv(ENV.feedsTable));
const queue = new SqsFeedQueue(createSqsClient(), requireEnv(ENV.feedQueueUrl));
const feedsPerMessage = positiveIntEnv(ENV.feedsPerMessage);

/** Scheduled: enqueue every due feed for the pollers. A duplicate invocation only polls feeds twice; storing is idempotent. */
const lambdaHandler = async (): Promise<DispatchResult> => {
  const result = await dispatchDue(feeds, systemClock.now(), queue, feedsPerMessage);
  if (result.backlog > 0) {
    logger.warn('pollers have not drained the last cycle; nothing dispatched', { ...result });
  } else {
    logger.info('dispatched due feeds', { ...result });
  }
  countMetric(MetricName.FeedsDispatched, result.feeds);
  return result;
};

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));

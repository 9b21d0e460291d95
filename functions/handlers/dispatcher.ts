import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig, createDocumentClient, createDynamoDbClient } from '#adapters/aws-clients.ts';
import { DynamoDbFeedStore } from '#adapters/dynamodb/feed-store.ts';
import { countMetric, logger, MetricName, metrics } from '#adapters/powertools.ts';
import { SqsFeedQueue } from '#adapters/sqs/feed-queue.ts';
import { type DispatchResult, dispatchDue } from '#core/pipeline/dispatch.ts';
import { positiveIntEnv, requireEnv } from './config.ts';
import { ENV } from './env.ts';

const feeds = new DynamoDbFeedStore(createDocumentClient(createDynamoDbClient()), requireEnv(ENV.feedsTable));
// The queue lives in the function's own region, so the regional endpoint is the right one;
// not switching to the QueueUrl's host also keeps AWS_ENDPOINT_URL_SQS overrides (local runs) in force.
const queue = new SqsFeedQueue(
  new SQSClient({ ...awsClientConfig(), useQueueUrlAsEndpoint: false }),
  requireEnv(ENV.feedQueueUrl),
);
const feedsPerMessage = positiveIntEnv(ENV.feedsPerMessage);

/** Scheduled: enqueue every due feed for the pollers. A duplicate invocation only polls feeds twice; storing is idempotent. */
export const handler = async (): Promise<DispatchResult> => {
  const result = await dispatchDue(feeds, new Date(), queue, feedsPerMessage);
  if (result.backlog > 0) {
    logger.warn('pollers have not drained the last cycle; nothing dispatched', { ...result });
  } else {
    logger.info('dispatched due feeds', { ...result });
  }
  countMetric(MetricName.FeedsDispatched, result.feeds);
  metrics.publishStoredMetrics();
  return result;
};

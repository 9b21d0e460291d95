import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig, createDocumentClient, createDynamoDbClient } from '#adapters/aws-clients.ts';
import { DynamoDbFeedStore } from '#adapters/dynamodb/feed-store.ts';
import { countMetric, logger, MetricName, metrics } from '#adapters/powertools.ts';
import { dispatchDue } from '#core/pipeline/dispatch.ts';
import { positiveIntEnv, requireEnv } from './config.ts';
import { ENV } from './env.ts';

const feeds = new DynamoDbFeedStore(createDocumentClient(createDynamoDbClient()), requireEnv(ENV.feedsTable));
// The queue lives in the function's own region, so the regional endpoint is the right one;
// not switching to the QueueUrl's host also keeps AWS_ENDPOINT_URL_SQS overrides (local runs) in force.
const sqs = new SQSClient({ ...awsClientConfig(), useQueueUrlAsEndpoint: false });
const queueUrl = requireEnv(ENV.feedQueueUrl);
const feedsPerMessage = positiveIntEnv(ENV.feedsPerMessage);

/** SendMessageBatch takes at most 10 entries. */
const SQS_BATCH = 10;
const SEND_ATTEMPTS = 3;

/** Scheduled: enqueue every due feed for the pollers. A duplicate invocation only polls feeds twice; storing is idempotent. */
export const handler = async (): Promise<{ feeds: number; messages: number }> => {
  const result = await dispatchDue(feeds, new Date(), enqueue, feedsPerMessage);
  logger.info('dispatched due feeds', result);
  countMetric(MetricName.FeedsDispatched, result.feeds);
  metrics.publishStoredMetrics();
  return result;
};

async function enqueue(batches: string[][]): Promise<void> {
  for (let start = 0; start < batches.length; start += SQS_BATCH) {
    let entries = batches
      .slice(start, start + SQS_BATCH)
      .map((urls, index) => ({ Id: String(start + index), MessageBody: JSON.stringify({ feeds: urls }) }));
    // SQS reports per-entry failures without throwing; retry just those.
    for (let attempt = 1; entries.length > 0; attempt++) {
      const response = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      const failed = new Set((response.Failed ?? []).map((failure) => failure.Id));
      entries = entries.filter((entry) => failed.has(entry.Id));
      if (entries.length > 0 && attempt >= SEND_ATTEMPTS) {
        throw new Error(`could not enqueue ${entries.length} feed messages after ${SEND_ATTEMPTS} attempts`);
      }
    }
  }
}

import { createDocumentClient, createDynamoDbClient, createSnsClient } from '#adapters/aws-clients.ts';
import { DynamoDbMatchStore } from '#adapters/dynamodb/match-store.ts';
import { DynamoDbWatchStore } from '#adapters/dynamodb/watch-store.ts';
import { countMetric, logger, MetricName, metrics } from '#adapters/powertools.ts';
import { SnsNotifier } from '#adapters/sns/sns-notifier.ts';
import { sendDueDigests } from '#core/alerts/send-digests.ts';
import { errorMessage } from '#core/errors.ts';
import { requireEnv, systemClock } from './config.ts';
import { ENV } from './env.ts';

const doc = createDocumentClient(createDynamoDbClient());
const deps = {
  matches: new DynamoDbMatchStore(doc, requireEnv(ENV.matchesTable)),
  watches: new DynamoDbWatchStore(doc, requireEnv(ENV.watchesTable)),
  notifier: new SnsNotifier(createSnsClient(), requireEnv(ENV.alertTopicArn)),
  clock: systemClock,
};

/** Scheduled hourly: sends each watch's digest whose period has begun, outside its quiet hours. */
export const handler = async () => {
  try {
    const report = await sendDueDigests(deps);
    if (report.sent.length > 0) countMetric(MetricName.DigestPublished, report.sent.length);
    for (const { watchId, error } of report.failed) {
      countMetric(MetricName.AlertPublishFailed);
      logger.error('digest not sent; its matches wait for the next run', {
        watchId,
        reason: errorMessage(error),
      });
    }
    const summary = {
      digests: report.sent.length,
      matches: report.sent.reduce((total, digest) => total + digest.matches, 0),
      waiting: report.waiting,
      suppressed: report.suppressed,
      failed: report.failed.length,
    };
    logger.info('sent due digests', summary);
    return summary;
  } finally {
    metrics.publishStoredMetrics();
  }
};

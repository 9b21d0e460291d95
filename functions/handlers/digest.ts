import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { countMetric, logger, MetricName, metrics } from '#adapters/powertools.ts';
import { sendDueDigests } from '#core/alerts/send-digests.ts';
import { errorMessage } from '#core/errors.ts';
import { deliveryAdapters, logRefused } from './delivery-wiring.ts';

const { matches, notifier, routing } = deliveryAdapters();
const deps = { matches, notifier, watches: routing.watches, clock: routing.clock };

/** Scheduled hourly: sends each watch's digest whose period has begun, outside its quiet hours. */
const lambdaHandler = async () => {
  const report = await sendDueDigests(deps);
  if (report.sent.length > 0) countMetric(MetricName.DigestPublished, report.sent.length);
  for (const { watchId, storyKey, reason } of report.refused) logRefused(watchId, storyKey, reason);
  if (report.takenOver > 0) {
    logger.warn('took over digest matches whose claim lapsed; they may have been sent once already', {
      matches: report.takenOver,
    });
  }
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
    refused: report.refused.length,
    failed: report.failed.length,
  };
  logger.info('sent due digests', summary);
  return summary;
};

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));

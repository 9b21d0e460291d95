import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { countMetric, logger, MetricName, metrics } from '#adapters/powertools.ts';
import { errorMessage } from '#core/errors.ts';
import { redrivePending } from '#core/pipeline/deliver.ts';
import { deliveryAdapters, logRefused, logTakeover } from './delivery-wiring.ts';

const adapters = deliveryAdapters();

/** Matches this old and still PENDING were missed by the stream path (its retries ran out, or SNS was down). */
const GRACE_MS = 10 * 60 * 1000;

/** Room kept for the slowest single delivery (a few AWS calls, each bounded at 5 s with retries). */
const SAFETY_MS = 20_000;

/** Scheduled: re-drives PENDING alerts so that no stored match goes unalerted. */
const lambdaHandler = async (
  _event: unknown,
  context: Partial<Pick<Context, 'getRemainingTimeInMillis'>>,
) => {
  const { sent, refused, takenOver, failed } = await redrivePending(
    adapters,
    new Date(Date.now() - GRACE_MS),
    undefined,
    // Invoked outside Lambda (locally), there is no deadline to keep.
    () => (context.getRemainingTimeInMillis ? context.getRemainingTimeInMillis() > SAFETY_MS : true),
  );
  if (sent.length > 0) countMetric(MetricName.AlertPublished, sent.length);
  for (const match of takenOver) logTakeover(match.watchId, match.storyKey);
  for (const match of refused) logRefused(match.watchId, match.storyKey, match.failure);
  for (const { match, error } of failed) {
    countMetric(MetricName.AlertPublishFailed);
    logger.error('re-drive failed; will retry next sweep', {
      watchId: match.watchId,
      storyKey: match.storyKey,
      reason: errorMessage(error),
    });
  }
  logger.info('swept pending alerts', {
    sent: sent.length,
    refused: refused.length,
    failed: failed.length,
  });
  return { sent: sent.length, refused: refused.length, failed: failed.length };
};

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));

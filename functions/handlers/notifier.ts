import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { countMetric, logger, MetricName, metrics } from '#adapters/powertools.ts';
import { errorMessage } from '#core/errors.ts';
import { deliverAlert, UnrecordedDeliveryError } from '#core/pipeline/deliver.ts';
import { deliveryAdapters, logRefused, logTakeover } from './delivery-wiring.ts';

const adapters = deliveryAdapters();
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * Driven by the matches table's stream: what was stored is routed once, alerted now or moved to
 * the watch's digest (delivery mode, quiet hours, hourly limit).
 */
async function alertForRecord(record: DynamoDBRecord): Promise<void> {
  const keys = record.dynamodb?.Keys;
  const watchId = keys?.watchId?.S;
  const storyKey = keys?.storyKey?.S;
  if (!watchId || !storyKey) return;
  try {
    const delivery = await deliverAlert({ watchId, storyKey }, adapters);
    if (delivery.takenOver) logTakeover(watchId, storyKey);
    if (delivery.result === 'sent') countMetric(MetricName.AlertPublished);
    if (delivery.result === 'failed') logRefused(watchId, storyKey, delivery.match?.failure);
    if (delivery.result === 'digest') countMetric(MetricName.AlertRoutedToDigest);
    if (delivery.notice) {
      countMetric(MetricName.AlertRateLimited);
      logger.warn('watch passed its hourly alert limit; further matches go to the digest', { watchId });
    }
  } catch (error) {
    countMetric(MetricName.AlertPublishFailed);
    if (error instanceof UnrecordedDeliveryError) {
      logger.error('alert published but not recorded as sent', { watchId, storyKey, reason: error.message });
      throw error;
    }
    logger.error('alert not published; the stream retries it and the sweeper re-drives it', {
      watchId,
      storyKey,
      reason: errorMessage(error),
    });
    throw error;
  }
}

const lambdaHandler = async (event: DynamoDBStreamEvent, context: Context) =>
  // In order: a stream batch reports the first failure and retries from there.
  processPartialResponse(event, alertForRecord, processor, { context, processInParallel: false });

export const handler = middy(lambdaHandler)
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));

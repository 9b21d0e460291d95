import { createDocumentClient, createDynamoDbClient, createSnsClient } from '#adapters/aws-clients.ts';
import { DynamoDbMatchStore } from '#adapters/dynamodb/match-store.ts';
import { DynamoDbRateLimiter } from '#adapters/dynamodb/rate-limiter.ts';
import { DynamoDbWatchStore } from '#adapters/dynamodb/watch-store.ts';
import { countMetric, logger, MetricName } from '#adapters/powertools.ts';
import { SnsNotifier } from '#adapters/sns/sns-notifier.ts';
import { systemClock } from '#adapters/system-clock.ts';
import type { DeliverDeps } from '#core/pipeline/deliver.ts';
import { requireEnv } from './config.ts';
import { ENV } from './env.ts';

/**
 * The adapters every alert-sending function (notifier, sweeper, digest) is wired with, built
 * once per cold start by the handler that calls this at module scope.
 */
export function deliveryAdapters(): DeliverDeps {
  const doc = createDocumentClient(createDynamoDbClient());
  return {
    matches: new DynamoDbMatchStore(doc, requireEnv(ENV.matchesTable)),
    notifier: new SnsNotifier(createSnsClient(), requireEnv(ENV.alertTopicArn)),
    routing: {
      watches: new DynamoDbWatchStore(doc, requireEnv(ENV.watchesTable)),
      rateLimiter: new DynamoDbRateLimiter(doc, requireEnv(ENV.matchesTable)),
      clock: systemClock,
    },
  };
}

/** A match SNS refused for good is FAILED and never retried: counted as a failed publish, so its alarm tells. */
export function logRefused(watchId: string, storyKey: string, reason: string | undefined): void {
  countMetric(MetricName.AlertPublishFailed);
  logger.error('alert refused for good by SNS; marked FAILED and not retried', { watchId, storyKey, reason });
}

/** The one case that can send an alert twice: the deliverer before may have published it and died. */
export function logTakeover(watchId: string, storyKey: string): void {
  logger.warn('took over a delivery whose claim lapsed; it may have been published once already', {
    watchId,
    storyKey,
  });
}

/**
 * The names shared by the handlers' logs and metrics and the stack's alarms and dashboard, so
 * both sides watch exactly the same metrics. This module builds nothing: the CDK app imports it
 * without constructing a Logger or Metrics (those live in powertools.ts, for the handlers).
 */

/** The `service` key of every log line and the `service` dimension of every metric. */
export const SERVICE_NAME = 'feedwatch';
export const METRICS_NAMESPACE = 'Feedwatch';

export const MetricName = {
  /** Feeds queued for polling by one dispatcher run. */
  FeedsDispatched: 'FeedsDispatched',
  /** One feed could not be fetched or parsed in one poll. */
  FeedFailed: 'FeedFailed',
  /** A feed has failed without a success for 24 hours or more (emitted each poll while it lasts). */
  FeedFailingForADay: 'FeedFailingForADay',
  /** A new match was stored (a repeat of a known story is not counted). */
  MatchStored: 'MatchStored',
  AlertPublished: 'AlertPublished',
  /** Publishing an alert to SNS failed; the match stays PENDING for the sweeper. */
  AlertPublishFailed: 'AlertPublishFailed',
  /** A match went to its watch's digest instead of alerting now (digest mode, quiet hours, over the limit). */
  AlertRoutedToDigest: 'AlertRoutedToDigest',
  /** A watch passed its hourly alert limit (counted once per watch and hour, with the notice). */
  AlertRateLimited: 'AlertRateLimited',
  /** A digest message was published. */
  DigestPublished: 'DigestPublished',
  /** A stored watch could not be used (bad query); it is skipped, the rest still run. */
  WatchInvalid: 'WatchInvalid',
  /** An article page was requested for a new item (full text). */
  ArticlePageFetched: 'ArticlePageFetched',
  /** An article page could not be used (non-2xx, not HTML, a consent or paywall page, too slow or large); the item was matched on its feed text. */
  ArticlePageUnavailable: 'ArticlePageUnavailable',
} as const;

export type MetricName = (typeof MetricName)[keyof typeof MetricName];

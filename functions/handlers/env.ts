/**
 * Environment variable names shared by the CDK stack (which sets them) and the
 * handlers (which read them). Never retype one of these strings elsewhere.
 */
export const ENV = {
  watchesTable: 'WATCHES_TABLE',
  feedsTable: 'FEEDS_TABLE',
  matchesTable: 'MATCHES_TABLE',
  recentItemsTable: 'RECENT_ITEMS_TABLE',
  feedQueueUrl: 'FEED_QUEUE_URL',
  alertTopicArn: 'ALERT_TOPIC_ARN',
  /** "true" lets feeds on private networks through the SSRF guard (intranet feeds). */
  allowPrivateNetwork: 'ALLOW_PRIVATE_NETWORK',
  /** How many feeds one queue message carries to a poller. */
  feedsPerMessage: 'FEEDS_PER_MESSAGE',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

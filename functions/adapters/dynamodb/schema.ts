/**
 * The DynamoDB table layout, in one place: the CDK stack, the adapters, the local
 * store and the tests all build their tables from these definitions, so the cloud
 * and the local run cannot drift apart.
 */

export const WATCHES = {
  partitionKey: 'id',
} as const;

/**
 * No index: the dispatcher scans the table for the feeds due now. A quiet feed stays due at every
 * cycle (isScheduled spaces its polls), so an index by due time would hand it nearly every feed
 * anyway, and would cost two more write units (its delete and insert) on every state put.
 */
export const FEEDS = {
  partitionKey: 'url',
  /** Written by stacks that had the byDue index; read past, never written. */
  legacyDueShard: 'dueShard',
} as const;

export const MATCHES = {
  partitionKey: 'watchId',
  sortKey: 'storyKey',
  /** Epoch seconds; DynamoDB TTL deletes expired matches. */
  ttlAttribute: 'expiresAt',
  /** Recent matches of one watch, newest first. */
  byWatchTimeIndex: { name: 'byWatchTime', partitionKey: 'watchId', sortKey: 'matchedAt' },
  /** Recent matches across all watches: partition per UTC day, sorted by time. */
  byDayIndex: { name: 'byDay', partitionKey: 'matchedDay', sortKey: 'matchedAt' },
  /**
   * Sparse GSI: only PENDING and DIGEST matches carry `pendingShard` (set to their state), so
   * the sweeper and the digest job each read just theirs.
   */
  pendingIndex: { name: 'pending', partitionKey: 'pendingShard', sortKey: 'matchedAt' },
  pendingShardValue: 'PENDING',
  digestShardValue: 'DIGEST',
  /**
   * Alert rate counters share the table: partition `#rate-limit#<watchId>`, sort key the window.
   * They have no matchedAt, so no index lists them, and no alertState, so the notifier's
   * stream filter skips them; TTL removes them.
   */
  rateCounter: { partitionPrefix: '#rate-limit#', countAttribute: 'alertCount' },
  /**
   * Each watch's story register (see #core/alerts/same-story.ts) shares the table too:
   * partition `#stories#<watchId>`, one item. Like the counters, no index lists it and the
   * stream filter skips it; TTL removes the register of a watch quiet for the retention.
   */
  storyRegister: { partitionPrefix: '#stories#', sortKeyValue: 'register' },
} as const;

/** Default retention of a stored match. */
export const MATCH_TTL_DAYS = 90;

export const RECENT_ITEMS = {
  /** A hash of (feed URL, item key): item keys have no length bound, and a key must stay small. */
  partitionKey: 'itemId',
  /** Epoch seconds; DynamoDB TTL deletes items RECENT_ITEM_DAYS after they were seen. */
  ttlAttribute: 'expiresAt',
  /** Items seen across all feeds: partition per UTC day, sorted by time seen. */
  bySeenDayIndex: { name: 'bySeenDay', partitionKey: 'seenDay', sortKey: 'seenAt' },
} as const;

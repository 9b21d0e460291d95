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

/**
 * No index: the table's own key lists a day's items, so a poll's new items cost their row's
 * table write alone. Each version of an item is in the row of the poll that saw it (an edited
 * item seen again is in a later row); the store lists the newest version of each item. Short
 * attribute names and the items' fields compressed together into one binary attribute keep a
 * poll of up to 4 teasers within 1 KB, 1 WRU.
 */
export const RECENT_ITEMS = {
  /** The UTC day the items were seen (YYYY-MM-DD): one partition lists one day's items. */
  partitionKey: 'day',
  /**
   * When the items were seen (ISO 8601), '#', a short hash of their feed's URL, '#', a short hash
   * of their keys (item keys have no length bound and a key must stay small). Sorting by it lists the
   * day's items by time seen; the key condition `>= since` selects those seen since a time.
   */
  sortKey: 'seen',
  /** Epoch seconds; DynamoDB TTL deletes items RECENT_ITEM_DAYS after they were seen. */
  ttlAttribute: 'exp',
  /** The feed, then each item's own fields (key, title, body, link, dates, guid), compressed: see recent-item-row.ts. */
  contentAttribute: 'item',
} as const;

/**
 * How a RecentItem is laid out as a DynamoDB item, and the order both recent-item stores
 * (DynamoDB and in-memory) list in, so they cannot drift apart.
 */
import { textHash } from '#core/hash.ts';
import type { RecentItem } from '#core/model.ts';
import { recentItemExpiry } from '#core/recent/recent-item.ts';
import { withoutUndefined } from './items.ts';
import { RECENT_ITEMS } from './schema.ts';

export type RecentItemRow = RecentItem & { itemId: string; seenDay: string; expiresAt: number };

export function recentItemId(item: Pick<RecentItem, 'feedUrl' | 'key'>): string {
  return textHash(JSON.stringify([item.feedUrl, item.key]));
}

export function toRecentItemRow(item: RecentItem): RecentItemRow {
  return {
    ...withoutUndefined(item),
    [RECENT_ITEMS.partitionKey]: recentItemId(item),
    [RECENT_ITEMS.bySeenDayIndex.partitionKey]: item.seenAt.slice(0, 10),
    [RECENT_ITEMS.ttlAttribute]: Math.floor(recentItemExpiry(item.seenAt).getTime() / 1000),
  } as RecentItemRow;
}

export function fromRecentItemRow(row: object): RecentItem {
  const { itemId: _id, seenDay: _day, expiresAt: _expires, ...item } = row as RecentItemRow;
  return item;
}

/** Newest seen first; items seen at one instant by feed, then key, so every store lists alike. */
export function newestSeenFirst(a: RecentItem, b: RecentItem): number {
  return compare(b.seenAt, a.seenAt) || compare(a.feedUrl, b.feedUrl) || compare(a.key, b.key);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

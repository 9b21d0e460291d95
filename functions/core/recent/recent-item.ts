import type { FeedItem, RecentItem } from '../model.ts';

/** How long a seen item stays previewable: a week of news is what people try a query on. */
export const RECENT_ITEM_DAYS = 7;

/**
 * Bounds per stored item, in characters. A feed's description or lead is almost always
 * shorter than the body bound; a full article is cut, so a preview can miss a word deep in a
 * very long article that the poll itself matched. At most about 12 KB per item, far below
 * DynamoDB's 400 KB, so a week of a busy feed list stays cheap to keep and to read.
 */
export const RECENT_ITEM_LIMITS = { title: 500, body: 4_000, link: 2_048, key: 1_000 } as const;

/** The record of `item` that the recent-items store keeps: its normalised fields, cut to size. */
export function recentItemOf(item: FeedItem, feedUrl: string, seenAt: Date): RecentItem {
  return {
    feedUrl,
    key: cut(item.key, RECENT_ITEM_LIMITS.key),
    title: cut(item.title, RECENT_ITEM_LIMITS.title),
    ...(item.link !== undefined && item.link.length <= RECENT_ITEM_LIMITS.link && { link: item.link }),
    ...(item.published !== undefined && { published: item.published }),
    body: cut(item.body, RECENT_ITEM_LIMITS.body),
    ...(item.guid !== undefined && { guid: cut(item.guid, RECENT_ITEM_LIMITS.key) }),
    seenAt: seenAt.toISOString(),
  };
}

/** When an item seen at `seenAt` is forgotten. */
export function recentItemExpiry(seenAt: string): Date {
  return new Date(Date.parse(seenAt) + RECENT_ITEM_DAYS * 86_400_000);
}

/** The start of the window still kept at `now`. */
export function recentWindowStart(now: Date): string {
  return new Date(now.getTime() - RECENT_ITEM_DAYS * 86_400_000).toISOString();
}

/** At most `limit` UTF-16 units, never splitting a surrogate pair (half an emoji is not text). */
function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(limit - 1)) ? limit - 1 : limit;
  return text.slice(0, end);
}

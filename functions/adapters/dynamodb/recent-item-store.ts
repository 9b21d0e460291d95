import { setTimeout as sleep } from 'node:timers/promises';
import { BatchWriteCommand, type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { FeedwatchError } from '#core/errors.ts';
import type { RecentItem } from '#core/model.ts';
import type { Clock, RecentItemStore } from '#core/ports.ts';
import { RECENT_ITEM_DAYS } from '#core/recent/recent-item.ts';
import {
  fromRecentItemRow,
  newestSeenFirst,
  recentItemId,
  recentRowSeenAt,
  toRecentItemRows,
} from './recent-item-row.ts';
import { RECENT_ITEMS } from './schema.ts';

/** DynamoDB's limit on one BatchWriteItem. */
const BATCH_SIZE = 25;
/** Throttled writes come back unprocessed; a few short waits cover a burst. */
const UNPROCESSED_RETRIES = 5;
const DAY_MS = 86_400_000;

const systemClock: Clock = { now: () => new Date() };

/**
 * Items by the day they were seen, a row per feed and time seen (one poll's new items); see
 * schema.ts for the layout and TTL.
 */
export class DynamoDbRecentItemStore implements RecentItemStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async record(items: readonly RecentItem[]): Promise<void> {
    // One batch may not name a key twice, and only an item's newest version is listed: an item
    // given twice is written once, as its version seen last (the later of two seen at once).
    const newest = new Map<string, RecentItem>();
    for (const item of items) {
      const id = recentItemId(item);
      const kept = newest.get(id);
      if (!kept || kept.seenAt <= item.seenAt) newest.set(id, item);
    }
    const rows = toRecentItemRows([...newest.values()]);
    for (let start = 0; start < rows.length; start += BATCH_SIZE) {
      let requests = rows.slice(start, start + BATCH_SIZE).map((row) => ({ PutRequest: { Item: row } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > UNPROCESSED_RETRIES)
          throw new FeedwatchError(
            `${requests.length} ${requests.length === 1 ? 'row' : 'rows'} of recent items not recorded: the table is throttling writes`,
          );
        if (attempt > 0) await sleep(50 * 2 ** attempt);
        const response = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = (response.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  /**
   * Reads the days newest first, each newest first, keeping the first (newest) record of each
   * item; older days are read only while fewer than `limit` items are listed. Items seen at the
   * instant of the last one listed are all read, as the order among them is by feed and key.
   */
  async listSince(since: string, limit?: number): Promise<RecentItem[]> {
    if (limit === 0) return [];
    const now = this.clock.now();
    const newest = new Map<string, RecentItem>();
    let lastListedAt: string | undefined;
    reading: for (const day of daysFrom(since, now).reverse()) {
      // A day before the last one listed holds only items seen before it.
      if (lastListedAt !== undefined) break;
      const pages = paginateQuery(
        { client: this.doc, ...(limit !== undefined && { pageSize: limit }) },
        {
          TableName: this.tableName,
          KeyConditionExpression: '#day = :day AND #seen >= :since',
          // TTL deletes expired items within a day or two, not at once: they are not listed meanwhile.
          FilterExpression: '#expires > :now',
          ExpressionAttributeNames: {
            '#day': RECENT_ITEMS.partitionKey,
            '#seen': RECENT_ITEMS.sortKey,
            '#expires': RECENT_ITEMS.ttlAttribute,
          },
          ExpressionAttributeValues: {
            ':day': day,
            ':since': since,
            ':now': Math.floor(now.getTime() / 1000),
          },
          ScanIndexForward: false,
        },
      );
      for await (const page of pages) {
        for (const row of page.Items ?? []) {
          const seenAt = recentRowSeenAt(row);
          if (lastListedAt !== undefined && seenAt < lastListedAt) break reading;
          for (const item of fromRecentItemRow(row)) {
            const itemId = recentItemId(item);
            if (newest.has(itemId)) continue;
            newest.set(itemId, item);
            if (newest.size === limit) lastListedAt = seenAt;
          }
        }
      }
    }
    const listed = [...newest.values()].sort(newestSeenFirst);
    return limit === undefined ? listed : listed.slice(0, limit);
  }
}

/** UTC days from the day of `since` to the day of `now`, both included, within the days items are kept. */
function daysFrom(since: string, now: Date): string[] {
  const oldestKept = now.getTime() - (RECENT_ITEM_DAYS + 1) * DAY_MS;
  const first = Math.max(
    Date.parse(`${since.slice(0, 10)}T00:00:00.000Z`) || 0,
    oldestKept - (oldestKept % DAY_MS),
  );
  const days: string[] = [];
  for (let day = first; day <= now.getTime(); day += DAY_MS)
    days.push(new Date(day).toISOString().slice(0, 10));
  return days;
}

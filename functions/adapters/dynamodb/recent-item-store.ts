import { setTimeout as sleep } from 'node:timers/promises';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FeedwatchError } from '#core/errors.ts';
import type { RecentItem } from '#core/model.ts';
import type { Clock, RecentItemStore } from '#core/ports.ts';
import { RECENT_ITEM_DAYS } from '#core/recent/recent-item.ts';
import { queryAll } from './paginate.ts';
import { fromRecentItemRow, newestSeenFirst, recentItemId, toRecentItemRow } from './recent-item-row.ts';
import { RECENT_ITEMS } from './schema.ts';

/** DynamoDB's limit on one BatchWriteItem. */
const BATCH_SIZE = 25;
/** Throttled writes come back unprocessed; a few short waits cover a burst. */
const UNPROCESSED_RETRIES = 5;
const DAY_MS = 86_400_000;

const systemClock: Clock = { now: () => new Date() };

/** One item per (feed, item key) in the recent-items table; see schema.ts for its index and TTL. */
export class DynamoDbRecentItemStore implements RecentItemStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async record(items: readonly RecentItem[]): Promise<void> {
    // One batch may not name a key twice: an item listed twice in a feed is recorded once, as its last.
    const rows = [...new Map(items.map((item) => [recentItemId(item), toRecentItemRow(item)])).values()];
    for (let start = 0; start < rows.length; start += BATCH_SIZE) {
      let requests = rows.slice(start, start + BATCH_SIZE).map((row) => ({ PutRequest: { Item: row } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > UNPROCESSED_RETRIES)
          throw new FeedwatchError(
            `${requests.length} recent items not recorded: the table is throttling writes`,
          );
        if (attempt > 0) await sleep(50 * 2 ** attempt);
        const response = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = (response.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  async listSince(since: string, limit?: number): Promise<RecentItem[]> {
    const index = RECENT_ITEMS.bySeenDayIndex;
    const now = this.clock.now();
    const days = daysFrom(since, now);
    const perDay = await Promise.all(
      days.map((day) =>
        queryAll(
          this.doc,
          {
            TableName: this.tableName,
            IndexName: index.name,
            KeyConditionExpression: '#day = :day AND #seenAt >= :since',
            // TTL deletes expired items within a day or two, not at once: they are not listed meanwhile.
            FilterExpression: '#expiresAt > :now',
            ExpressionAttributeNames: {
              '#day': index.partitionKey,
              '#seenAt': index.sortKey,
              '#expiresAt': RECENT_ITEMS.ttlAttribute,
            },
            ExpressionAttributeValues: {
              ':day': day,
              ':since': since,
              ':now': Math.floor(now.getTime() / 1000),
            },
            ScanIndexForward: false,
          },
          limit,
        ),
      ),
    );
    const listed = perDay.flat().map(fromRecentItemRow).sort(newestSeenFirst);
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

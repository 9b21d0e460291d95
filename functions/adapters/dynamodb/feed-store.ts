import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import type { FeedState } from '#core/model.ts';
import type { FeedStore } from '#core/ports.ts';
import { byKey, withoutUndefined } from './items.ts';
import { scanAll } from './paginate.ts';
import { FEEDS } from './schema.ts';

/** One item per feed URL. */
export class DynamoDbFeedStore implements FeedStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(): Promise<FeedState[]> {
    const items = await scanAll(this.doc, { TableName: this.tableName, ConsistentRead: true });
    return items.map(toFeedState).sort(byKey('url'));
  }

  async get(url: string): Promise<FeedState | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { [FEEDS.partitionKey]: url }, ConsistentRead: true }),
    );
    return result.Item ? toFeedState(result.Item) : undefined;
  }

  /**
   * The states of many feeds (missing ones left out), in BatchGetItem calls of up to 100 keys,
   * eventually consistent: half the read units of a strongly consistent GetItem per feed. Polls
   * of one feed are minutes apart, and a state read a moment stale can only make a poll fetch
   * without validators or re-match items whose matches are already stored (puts are conditional).
   */
  async getMany(urls: readonly string[]): Promise<FeedState[]> {
    const unique = [...new Set(urls)];
    const found = new Map<string, FeedState>();
    for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
      let keys: Record<string, unknown>[] = unique
        .slice(start, start + BATCH_GET_LIMIT)
        .map((url) => ({ [FEEDS.partitionKey]: url }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt === BATCH_GET_ATTEMPTS) {
          throw new Error(
            `DynamoDB left ${keys.length} feed states unread after ${BATCH_GET_ATTEMPTS} attempts (throttled); the message will be retried`,
          );
        }
        if (attempt > 0) await sleep(BATCH_GET_BACKOFF_MS * 2 ** (attempt - 1));
        const result = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) {
          const state = toFeedState(item);
          found.set(state.url, state);
        }
        keys = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return unique.flatMap((url) => found.get(url) ?? []);
  }

  async put(state: FeedState): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: withoutUndefined(state),
      }),
    );
  }

  async delete(url: string): Promise<boolean> {
    const result = await this.doc.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { [FEEDS.partitionKey]: url },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return result.Attributes !== undefined;
  }

  /**
   * Soonest due first. One eventually consistent scan of the table (0.5 read units per 4 KB
   * scanned, in 1 MB pages): a feed due a moment late is polled at the next cycle.
   */
  async due(now: string): Promise<FeedState[]> {
    const items = await scanAll(this.doc, {
      TableName: this.tableName,
      FilterExpression: '#due <= :now',
      ExpressionAttributeNames: { '#due': 'nextDueAt' },
      ExpressionAttributeValues: { ':now': now },
    });
    return items.map(toFeedState).sort(byKey('nextDueAt'));
  }
}

/** BatchGetItem's own limit on keys per request. */
const BATCH_GET_LIMIT = 100;
/** Unprocessed keys (throttling) are retried with exponential back-off, then the read fails. */
const BATCH_GET_ATTEMPTS = 5;
const BATCH_GET_BACKOFF_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function toFeedState(item: Record<string, unknown>): FeedState {
  const { [FEEDS.legacyDueShard]: _shard, ...state } = item;
  return state as unknown as FeedState;
}

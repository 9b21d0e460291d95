import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { FeedState } from '#core/model.ts';
import type { FeedStore } from '#core/ports.ts';
import { byKey, withoutUndefined } from './items.ts';
import { queryAll, scanAll } from './paginate.ts';
import { FEEDS } from './schema.ts';

/** One item per feed URL; every item carries `dueShard` so the byDue index sees all feeds. */
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

  async put(state: FeedState): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...withoutUndefined(state), [FEEDS.dueIndex.partitionKey]: FEEDS.dueShardValue },
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

  /** Soonest due first. */
  async due(now: string): Promise<FeedState[]> {
    const { name, partitionKey, sortKey } = FEEDS.dueIndex;
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: name,
      KeyConditionExpression: '#shard = :shard AND #due <= :now',
      ExpressionAttributeNames: { '#shard': partitionKey, '#due': sortKey },
      ExpressionAttributeValues: { ':shard': FEEDS.dueShardValue, ':now': now },
      ScanIndexForward: true,
    });
    return items.map(toFeedState);
  }
}

function toFeedState(item: Record<string, unknown>): FeedState {
  const { [FEEDS.dueIndex.partitionKey]: _shard, ...state } = item;
  return state as unknown as FeedState;
}

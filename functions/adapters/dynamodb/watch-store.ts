import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Watch } from '#core/model.ts';
import type { WatchStore } from '#core/ports.ts';
import { byKey, withoutUndefined } from './items.ts';
import { scanAll } from './paginate.ts';
import { WATCHES } from './schema.ts';

/** One item per watch id. */
export class DynamoDbWatchStore implements WatchStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(): Promise<Watch[]> {
    const items = await scanAll(this.doc, { TableName: this.tableName, ConsistentRead: true });
    return (items as unknown as Watch[]).sort(byKey('id'));
  }

  async get(id: string): Promise<Watch | undefined> {
    const result = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [WATCHES.partitionKey]: id },
        ConsistentRead: true,
      }),
    );
    return result.Item as Watch | undefined;
  }

  async put(watch: Watch): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: withoutUndefined(watch) }));
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.doc.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { [WATCHES.partitionKey]: id },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return result.Attributes !== undefined;
  }
}

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { FEEDS, MATCHES, RECENT_ITEMS, WATCHES } from '#adapters/dynamodb/schema.ts';
import { ensureTables, type TableNames } from '../../helpers/ensure-tables.ts';
import { uniqueName } from './names.ts';

/** Fresh, empty watches/feeds/matches/recent-items tables under unique names. */
export async function createTestTables(client: DynamoDBClient): Promise<TableNames> {
  const names = {
    watches: uniqueName('watches'),
    feeds: uniqueName('feeds'),
    matches: uniqueName('matches'),
    recentItems: uniqueName('recent-items'),
  };
  await ensureTables(client, names);
  return names;
}

/**
 * Deletes every item, so one set of tables serves many tests: creating tables with their
 * indexes costs far more in DynamoDB Local than emptying a handful of items.
 */
export async function emptyTables(doc: DynamoDBDocumentClient, names: TableNames): Promise<void> {
  const keys: Array<[table: string, keyAttributes: string[]]> = [
    [names.watches, [WATCHES.partitionKey]],
    [names.feeds, [FEEDS.partitionKey]],
    [names.matches, [MATCHES.partitionKey, MATCHES.sortKey]],
    [names.recentItems, [RECENT_ITEMS.partitionKey, RECENT_ITEMS.sortKey]],
  ];
  await Promise.all(
    keys.map(async ([table, keyAttributes]) => {
      const projection = keyAttributes.map((_, position) => `#k${position}`).join(', ');
      const attributeNames = Object.fromEntries(
        keyAttributes.map((name, position) => [`#k${position}`, name]),
      );
      for await (const page of paginateScan(
        { client: doc },
        { TableName: table, ProjectionExpression: projection, ExpressionAttributeNames: attributeNames },
      )) {
        await Promise.all(
          (page.Items ?? []).map((key) => doc.send(new DeleteCommand({ TableName: table, Key: key }))),
        );
      }
    }),
  );
}

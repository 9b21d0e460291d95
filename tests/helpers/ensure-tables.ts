/**
 * Creates the Feedwatch tables from the adapters' schema.ts when they are absent, in DynamoDB
 * Local for the integration tests and the e2e bench. The cloud tables come from the CDK stack,
 * which reads the same schema.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { FEEDS, MATCHES, RECENT_ITEMS, WATCHES } from '#adapters/dynamodb/schema.ts';

export interface TableNames {
  watches: string;
  feeds: string;
  matches: string;
  recentItems: string;
}

const TABLE_ACTIVE_WAIT_SECONDS = 120;

interface TableSpec {
  input: CreateTableCommandInput;
  ttlAttribute?: string;
}

function tableSpecs(names: TableNames): TableSpec[] {
  const onDemand = { BillingMode: 'PAY_PER_REQUEST' } as const;
  const allAttributes = { ProjectionType: 'ALL' } as const;
  const watches: CreateTableCommandInput = {
    TableName: names.watches,
    ...onDemand,
    AttributeDefinitions: stringAttributes(WATCHES.partitionKey),
    KeySchema: [{ AttributeName: WATCHES.partitionKey, KeyType: 'HASH' }],
  };
  const feeds: CreateTableCommandInput = {
    TableName: names.feeds,
    ...onDemand,
    ...onDemand,
    AttributeDefinitions: stringAttributes(FEEDS.partitionKey),
    KeySchema: [{ AttributeName: FEEDS.partitionKey, KeyType: 'HASH' }],
  };
  const matches: CreateTableCommandInput = {
    TableName: names.matches,
    ...onDemand,
    AttributeDefinitions: stringAttributes(
      MATCHES.partitionKey,
      MATCHES.sortKey,
      MATCHES.byWatchTimeIndex.sortKey,
      MATCHES.byDayIndex.partitionKey,
      MATCHES.pendingIndex.partitionKey,
    ),
    KeySchema: [
      { AttributeName: MATCHES.partitionKey, KeyType: 'HASH' },
      { AttributeName: MATCHES.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      index(MATCHES.byWatchTimeIndex, allAttributes),
      index(MATCHES.byDayIndex, allAttributes),
      index(MATCHES.pendingIndex, allAttributes),
    ],
  };
  const recentItems: CreateTableCommandInput = {
    TableName: names.recentItems,
    ...onDemand,
    AttributeDefinitions: stringAttributes(RECENT_ITEMS.partitionKey, RECENT_ITEMS.sortKey),
    KeySchema: [
      { AttributeName: RECENT_ITEMS.partitionKey, KeyType: 'HASH' },
      { AttributeName: RECENT_ITEMS.sortKey, KeyType: 'RANGE' },
    ],
  };
  return [
    { input: watches },
    { input: feeds },
    { input: matches, ttlAttribute: MATCHES.ttlAttribute },
    { input: recentItems, ttlAttribute: RECENT_ITEMS.ttlAttribute },
  ];
}

/** Creates each absent table (with its GSIs and TTLs) and waits until all are ACTIVE. */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  await Promise.all(tableSpecs(names).map((spec) => ensureTable(client, spec)));
}

async function ensureTable(client: DynamoDBClient, { input, ttlAttribute }: TableSpec): Promise<void> {
  const tableName = input.TableName as string;
  const status = await tableStatus(client, tableName);
  if (status === 'ACTIVE') return;
  let createdHere = false;
  let active = false;
  if (status === undefined) {
    try {
      const created = await client.send(new CreateTableCommand(input));
      createdHere = true;
      active = created.TableDescription?.TableStatus === 'ACTIVE';
    } catch (error) {
      // Another process created it first; waiting below covers both cases.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  if (!active) {
    // The waiter's default first delay is 20 s; local tables are ACTIVE almost at once.
    await waitUntilTableExists(
      { client, maxWaitTime: TABLE_ACTIVE_WAIT_SECONDS, minDelay: 1, maxDelay: 5 },
      { TableName: tableName },
    );
  }
  // TTL can only be switched on once the table is ACTIVE.
  if (createdHere && ttlAttribute) await enableTtl(client, tableName, ttlAttribute);
}

async function tableStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return described.Table?.TableStatus ?? 'CREATING';
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function enableTtl(client: DynamoDBClient, tableName: string, attributeName: string): Promise<void> {
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: attributeName, Enabled: true },
    }),
  );
}

function stringAttributes(...names: string[]) {
  return names.map((name) => ({ AttributeName: name, AttributeType: 'S' as const }));
}

function index(
  definition: { name: string; partitionKey: string; sortKey: string },
  projection: { ProjectionType: 'ALL' },
) {
  return {
    IndexName: definition.name,
    KeySchema: [
      { AttributeName: definition.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: definition.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: projection,
  };
}

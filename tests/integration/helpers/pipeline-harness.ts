/**
 * The set-up shared by the tests that run the real Lambda handler modules against the local
 * services: fresh tables (the matches table with its stream on), an alert topic with a
 * subscribed inbox queue, a feed queue, the handlers' environment, and the handler modules
 * imported afresh so their module-scope wiring reads that environment.
 */
import { pathToFileURL } from 'node:url';
import { type DynamoDBClient, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { vi } from 'vitest';
import { createDocumentClient } from '#adapters/aws-clients.ts';
import { DynamoDbFeedStore } from '#adapters/dynamodb/feed-store.ts';
import { DynamoDbMatchStore } from '#adapters/dynamodb/match-store.ts';
import { DynamoDbWatchStore } from '#adapters/dynamodb/watch-store.ts';
import type { TableNames } from '../../helpers/ensure-tables.ts';
import { StreamReader, useLocalAws } from './lambda-env.ts';
import {
  dynamoDbEndpoint,
  fauxqsEndpoint,
  localDynamoDbClient,
  localSnsClient,
  localSqsClient,
} from './services.ts';
import { createTestQueue, createTestTopic, subscribedQueue, type TestQueue } from './sns-sqs.ts';
import { createTestTables } from './tables.ts';

export interface PipelineHarnessOptions {
  /** Handler variables added to (or overriding) the defaults, e.g. `FEEDS_PER_MESSAGE`. */
  extraEnv?: Record<string, string>;
  /**
   * Where the handlers' SDK clients send their requests, e.g. fault proxies in front of the
   * services; DynamoDB Local and fauxqs themselves by default. The harness's own clients
   * (stores, queues, stream) always go to the services directly.
   */
  endpoints?: { dynamoDb?: string; fauxqs?: string };
  /** The poller as deployed (its index.mjs, see tests/helpers/function-bundle.ts) in place of its TypeScript module. */
  pollerBundle?: string;
}

export interface PipelineHarness {
  tables: TableNames;
  /** Direct clients, for reading and arranging what the handlers see. */
  dynamoDb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  feeds: DynamoDbFeedStore;
  matches: DynamoDbMatchStore;
  watches: DynamoDbWatchStore;
  topicArn: string;
  /** Subscribed to the alert topic: what a subscriber receives. */
  inbox: TestQueue;
  /** The dispatcher's queue (`FEED_QUEUE_URL`). */
  feedQueue: TestQueue;
  /** The matches table's stream, read as the notifier's event source mapping would. */
  stream: StreamReader;
  handlers: {
    dispatcher: typeof import('#handlers/dispatcher.ts');
    poller: typeof import('#handlers/poller.ts');
    notifier: typeof import('#handlers/notifier.ts');
    sweeper: typeof import('#handlers/sweeper.ts');
    digest: typeof import('#handlers/digest.ts');
  };
  /** Restores the environment and closes the stream reader and the harness's clients. */
  close(): void;
}

export async function startPipelineHarness(options: PipelineHarnessOptions = {}): Promise<PipelineHarness> {
  const dynamoDb = localDynamoDbClient();
  const tables = await createTestTables(dynamoDb);
  await dynamoDb.send(
    new UpdateTableCommand({
      TableName: tables.matches,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  const doc = createDocumentClient(dynamoDb);
  const stream = new StreamReader(dynamoDbEndpoint(), tables.matches);

  const sns = localSnsClient();
  const sqs = localSqsClient();
  const topicArn = await createTestTopic(sns);
  const inbox = await subscribedQueue(sns, sqs, topicArn);
  const feedQueue = await createTestQueue(sqs);

  const restoreEnv = useLocalAws(
    {
      WATCHES_TABLE: tables.watches,
      FEEDS_TABLE: tables.feeds,
      MATCHES_TABLE: tables.matches,
      RECENT_ITEMS_TABLE: tables.recentItems,
      FEED_QUEUE_URL: feedQueue.url,
      ALERT_TOPIC_ARN: topicArn,
      ALLOW_PRIVATE_NETWORK: 'true',
      FEEDS_PER_MESSAGE: '10',
      ...options.extraEnv,
    },
    {
      dynamoDb: options.endpoints?.dynamoDb ?? dynamoDbEndpoint(),
      fauxqs: options.endpoints?.fauxqs ?? fauxqsEndpoint(),
    },
  );
  try {
    vi.resetModules();
    const handlers = {
      dispatcher: await import('#handlers/dispatcher.ts'),
      poller: (options.pollerBundle
        ? await import(pathToFileURL(options.pollerBundle).href)
        : await import('#handlers/poller.ts')) as typeof import('#handlers/poller.ts'),
      notifier: await import('#handlers/notifier.ts'),
      sweeper: await import('#handlers/sweeper.ts'),
      digest: await import('#handlers/digest.ts'),
    };
    return {
      tables,
      dynamoDb,
      doc,
      sqs,
      feeds: new DynamoDbFeedStore(doc, tables.feeds),
      matches: new DynamoDbMatchStore(doc, tables.matches),
      watches: new DynamoDbWatchStore(doc, tables.watches),
      topicArn,
      inbox,
      feedQueue,
      stream,
      handlers,
      close() {
        restoreEnv();
        stream.close();
        sns.destroy();
        sqs.destroy();
        dynamoDb.destroy();
      },
    };
  } catch (error) {
    restoreEnv();
    stream.close();
    throw error;
  }
}

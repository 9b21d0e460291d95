import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { awsClientConfig, createDocumentClient, createDynamoDbClient } from '#adapters/aws-clients.ts';
import { DynamoDbFeedStore } from '#adapters/dynamodb/feed-store.ts';
import { errorMessage } from '#core/errors.ts';
import { localServiceOptions } from '../helpers/local-aws.ts';
import { type FaultProxy, startFaultProxy } from './helpers/fault-proxy.ts';
import { dynamoDbEndpoint, localDynamoDbClient } from './helpers/services.ts';
import { createTestTables } from './helpers/tables.ts';

/**
 * A hung service must cost one request timeout, not the whole Lambda invocation: the
 * clients are built with a 5 s request timeout (aws-clients.ts). The proxy holds the
 * request open and never answers, so only the SDK's own timer can end it.
 */

const FEED = {
  url: 'https://wire.example.com/world.xml',
  consecutiveFailures: 0,
  nextDueAt: '2026-01-01T00:00:00.000Z',
};

let proxy: FaultProxy;
let feedsTable: string;

beforeAll(async () => {
  const tables = await createTestTables(localDynamoDbClient());
  feedsTable = tables.feeds;
  await new DynamoDbFeedStore(createDocumentClient(localDynamoDbClient()), feedsTable).put(FEED);
  proxy = await startFaultProxy(dynamoDbEndpoint());
});

afterEach(() => proxy.reset());

afterAll(async () => {
  await proxy?.close();
});

describe('a request to a hung DynamoDB endpoint', () => {
  test('is abandoned at the request timeout and retried, so the read still succeeds', async () => {
    const feeds = new DynamoDbFeedStore(
      createDocumentClient(createDynamoDbClient(localServiceOptions(proxy.endpoint))),
      feedsTable,
    );
    proxy.inject({ kind: 'hang' }, { actions: ['GetItem'], times: 1 });

    const state = await feeds.get(FEED.url);

    expect(state).toEqual(FEED);
    await proxy.idle();
    expect(proxy.requests).toEqual([
      { action: 'GetItem', outcome: 'hang', closedByClient: true },
      { action: 'GetItem', outcome: 'forwarded', closedByClient: false },
    ]);
  });

  test('fails with the SDK timeout error when no attempt is left, instead of waiting forever', async () => {
    const singleAttempt = new DynamoDBClient({
      ...awsClientConfig(localServiceOptions(proxy.endpoint)),
      maxAttempts: 1,
    });
    const feeds = new DynamoDbFeedStore(createDocumentClient(singleAttempt), feedsTable);
    proxy.inject({ kind: 'hang' }, { actions: ['GetItem'] });

    const failure = feeds.get(FEED.url);

    await expect(failure).rejects.toMatchObject({
      name: 'TimeoutError',
      message:
        '@smithy/node-http-handler - [ERROR] a request has exceeded the configured 5000 ms requestTimeout.',
    });
    await proxy.idle();
    expect(proxy.requests).toEqual([{ action: 'GetItem', outcome: 'hang', closedByClient: true }]);
  });

  test('that sends its headers and then stalls the body fails after 5 s of silence too', {
    timeout: 15_000,
  }, async () => {
    const singleAttempt = new DynamoDBClient({
      ...awsClientConfig(localServiceOptions(proxy.endpoint)),
      maxAttempts: 1,
    });
    const feeds = new DynamoDbFeedStore(createDocumentClient(singleAttempt), feedsTable);
    proxy.inject({ kind: 'stall-body' }, { actions: ['GetItem'] });

    const error = await feeds.get(FEED.url).catch((reason: unknown) => reason);

    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(errorMessage(error)).toBe(
      '@smithy/node-http-handler - the request socket timed out after 5000 ms of inactivity (configured by client requestHandler).',
    );
    await proxy.idle();
    expect(proxy.requests).toEqual([{ action: 'GetItem', outcome: 'stall-body', closedByClient: true }]);
  });
});

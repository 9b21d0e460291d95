import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { createDynamoDbClient, createSnsClient } from '#adapters/aws-clients.ts';
import { localServiceOptions } from '../helpers/local-aws.ts';
import { dynamoDbEndpoint, fauxqsEndpoint } from './helpers/services.ts';

function dynamoDb() {
  const client = createDynamoDbClient(localServiceOptions(dynamoDbEndpoint()));
  return { client, call: () => client.send(new ListTablesCommand({})) };
}

function sns() {
  const client = createSnsClient(localServiceOptions(fauxqsEndpoint()));
  return { client, call: () => client.send(new ListTopicsCommand({})) };
}

describe('AWS SDK clients', () => {
  it.each([
    ['DynamoDB', dynamoDb],
    ['SNS', sns],
  ])('%s: bounded timeouts and retries, pointed at the local service', async (_, create) => {
    const { client, call } = create();

    await call();
    const handler = client.config.requestHandler;

    expect(handler).toBeInstanceOf(NodeHttpHandler);
    expect((handler as NodeHttpHandler).httpHandlerConfigs()).toMatchObject({
      connectionTimeout: 3_000,
      requestTimeout: 5_000,
      throwOnRequestTimeout: true,
    });
    expect(await client.config.maxAttempts()).toBe(4);
    expect(await client.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
    expect(await client.config.region()).toBe('us-east-1');
    expect(await client.config.credentials()).toMatchObject({
      accessKeyId: 'local',
      secretAccessKey: 'local',
    });
    client.destroy();
  });
});

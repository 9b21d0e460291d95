/** Clients for the local services started by global-setup.ts. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import { awsClientConfig, createDynamoDbClient, createSnsClient } from '#adapters/aws-clients.ts';
import { localServiceOptions } from '../../helpers/local-aws.ts';

export function dynamoDbEndpoint(): string {
  return inject('dynamoDbEndpoint');
}

export function fauxqsEndpoint(): string {
  return inject('fauxqsEndpoint');
}

export function localDynamoDbClient(): DynamoDBClient {
  return createDynamoDbClient(localServiceOptions(dynamoDbEndpoint()));
}

export function localSnsClient(): SNSClient {
  return createSnsClient(localServiceOptions(fauxqsEndpoint()));
}

export function localSqsClient(): SQSClient {
  return new SQSClient(awsClientConfig(localServiceOptions(fauxqsEndpoint())));
}

/**
 * Starts the local services once per test run, on free ports (other runs may be going on
 * the same machine), hands their endpoints to the tests, and stops them at teardown.
 */
import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from './helpers/dynamodb-local.ts';
import { type FauxqsServer, startFauxqsServer } from './helpers/fauxqs-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local, in memory, e.g. `http://127.0.0.1:41234`. */
    dynamoDbEndpoint: string;
    /** fauxqs (SNS + SQS on one endpoint). */
    fauxqsEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [dynamoDb, fauxqs] = await Promise.allSettled([startDynamoDbLocal(), startFauxqsServer()]);
  const stopAll = async () => {
    await Promise.all(
      [dynamoDb, fauxqs].map((started) =>
        started.status === 'fulfilled' ? started.value.stop() : undefined,
      ),
    );
  };
  if (dynamoDb.status === 'rejected' || fauxqs.status === 'rejected') {
    await stopAll();
    throw dynamoDb.status === 'rejected' ? dynamoDb.reason : (fauxqs as PromiseRejectedResult).reason;
  }
  project.provide('dynamoDbEndpoint', (dynamoDb.value as DynamoDbLocal).endpoint);
  project.provide('fauxqsEndpoint', (fauxqs.value as FauxqsServer).endpoint);
  return stopAll;
}

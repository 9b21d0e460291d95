import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBRecord, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { awsClientConfig } from '#adapters/aws-clients.ts';
import { localServiceOptions } from '../../helpers/local-aws.ts';

/**
 * Points the real Lambda handlers at the local services through the SDK's standard
 * endpoint variables, so the handler modules run unchanged: the same module-scope
 * wiring, the same clients, only other endpoints.
 */
export function useLocalAws(
  env: Record<string, string>,
  endpoints: { dynamoDb: string; fauxqs: string },
): () => void {
  const values: Record<string, string> = {
    ...env,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDb,
    AWS_ENDPOINT_URL_SNS: endpoints.fauxqs,
    AWS_ENDPOINT_URL_SQS: endpoints.fauxqs,
    POWERTOOLS_DEV: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/** A Lambda context with `remainingMs` of its time left, which the poller reads before each feed. */
export function lambdaContext(remainingMs = 120_000): Context {
  return { getRemainingTimeInMillis: () => remainingMs } as Context;
}

export function sqsEvent(bodies: { messageId: string; body: string }[]): SQSEvent {
  return {
    Records: bodies.map(({ messageId, body }) => ({
      messageId,
      receiptHandle: messageId,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:feeds',
      awsRegion: 'us-east-1',
    })),
  };
}

/**
 * Reads a table's real stream in DynamoDB Local from a remembered position, as Lambda's
 * event source mapping would, and hands over the records as a Lambda event.
 */
export class StreamReader {
  private readonly client: DynamoDBStreamsClient;
  private iterators = new Map<string, string | undefined>();

  constructor(
    endpoint: string,
    private readonly tableName: string,
  ) {
    this.client = new DynamoDBStreamsClient(awsClientConfig(localServiceOptions(endpoint)));
  }

  async next(filter: (record: DynamoDBRecord) => boolean = () => true): Promise<DynamoDBStreamEvent> {
    const streams = await this.client.send(new ListStreamsCommand({ TableName: this.tableName }));
    const streamArn = streams.Streams?.[0]?.StreamArn;
    if (!streamArn) throw new Error(`table ${this.tableName} has no stream`);
    const description = await this.client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const records: DynamoDBRecord[] = [];
    for (const shard of description.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId ?? '';
      let iterator = this.iterators.get(shardId);
      if (!this.iterators.has(shardId)) {
        const started = await this.client.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        iterator = started.ShardIterator;
      }
      while (iterator) {
        const page = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator }));
        records.push(...((page.Records ?? []) as DynamoDBRecord[]));
        iterator = page.NextShardIterator;
        if (!page.Records?.length) break;
      }
      this.iterators.set(shardId, iterator);
    }
    return { Records: records.filter(filter) };
  }

  close(): void {
    this.client.destroy();
  }
}

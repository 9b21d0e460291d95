/**
 * The one place AWS SDK clients are built, so every client shares the same timeouts and
 * retry policy, and the local run and tests can point them at DynamoDB Local / fauxqs.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * The SDK v3 waits forever by default. A stalled TCP connect or a response that never
 * comes must fail fast enough to be retried inside one Lambda invocation.
 * - connect: 3 s is far above a healthy in-region connect (a few ms) yet short enough
 *   to leave room for retries.
 * - request: 5 s for the whole request/response; DynamoDB item calls and SNS Publish
 *   answer in tens of milliseconds, so 5 s only ever trips on a hung connection.
 */
export const HTTP_TIMEOUTS = { connectionTimeoutMs: 3_000, requestTimeoutMs: 5_000 } as const;

/**
 * Four attempts (one call, three retries) with the SDK's exponential backoff and jitter.
 * "adaptive" adds a client-side token bucket that slows the caller down while DynamoDB
 * throttles, instead of spending every retry at once during a burst.
 */
export const RETRY_POLICY = { maxAttempts: 4, retryMode: 'adaptive' } as const;

/** Region used when an endpoint override is given without one (local services ignore it). */
const LOCAL_REGION = 'us-east-1';

export interface AwsClientOptions {
  /** Override for local services, e.g. `http://127.0.0.1:8000`. */
  endpoint?: string;
  /** Defaults to the SDK's own resolution (AWS_REGION in Lambda). */
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** The configuration shared by every client (tests build their test-only clients, such as streams, on it). */
export function awsClientConfig(options: AwsClientOptions = {}) {
  const region = options.region ?? (options.endpoint ? LOCAL_REGION : undefined);
  return {
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(region ? { region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: RETRY_POLICY.maxAttempts,
    retryMode: RETRY_POLICY.retryMode,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: HTTP_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: HTTP_TIMEOUTS.requestTimeoutMs,
      // requestTimeout stops counting once headers arrive; a body that then stalls would wait
      // for the SDK's 300 s socket default, four times over. Silence on the socket is bounded too.
      socketTimeout: HTTP_TIMEOUTS.requestTimeoutMs,
      // Without this the SDK only logs a warning when the request timeout passes.
      throwOnRequestTimeout: true,
    }),
  };
}

export function createDynamoDbClient(options: AwsClientOptions = {}): DynamoDBClient {
  return new DynamoDBClient(awsClientConfig(options));
}

/**
 * Optional model fields are often `undefined`; DynamoDB rejects those unless they are
 * removed while marshalling.
 */
export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}

export function createSnsClient(options: AwsClientOptions = {}): SNSClient {
  return new SNSClient(awsClientConfig(options));
}

/**
 * The queue lives in the caller's own region, so the regional endpoint is the right one; not
 * switching to the QueueUrl's host also keeps AWS_ENDPOINT_URL_SQS overrides (local runs) in force.
 */
export function createSqsClient(options: AwsClientOptions = {}): SQSClient {
  return new SQSClient({ ...awsClientConfig(options), useQueueUrlAsEndpoint: false });
}

/** For the CLI, which finds a deployed stack's tables through its outputs. */
export function createCloudFormationClient(options: AwsClientOptions = {}): CloudFormationClient {
  return new CloudFormationClient(awsClientConfig(options));
}

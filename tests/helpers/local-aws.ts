import type { AwsClientOptions } from '#adapters/aws-clients.ts';

/**
 * Client options for a local service (DynamoDB Local, fauxqs): the endpoint, a fixed region and
 * static credentials, which the local services accept whatever they are.
 */
export function localServiceOptions(endpoint: string): AwsClientOptions {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
}

import { randomUUID } from 'node:crypto';

/**
 * A name no other test (or concurrent test run) uses; valid as a DynamoDB table, SQS queue
 * and SNS topic name (letters, digits, `-`; at most 80 characters).
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 13)}`;
}

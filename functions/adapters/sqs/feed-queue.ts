import { GetQueueAttributesCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { FeedQueue } from '#core/ports.ts';

/** SendMessageBatch takes at most 10 entries. */
const SQS_BATCH = 10;
const SEND_ATTEMPTS = 3;

export class SqsFeedQueue implements FeedQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async backlog(): Promise<number> {
    const response = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    return Number(response.Attributes?.ApproximateNumberOfMessages ?? 0);
  }

  async enqueue(batches: string[][]): Promise<void> {
    for (let start = 0; start < batches.length; start += SQS_BATCH) {
      let entries = batches
        .slice(start, start + SQS_BATCH)
        .map((urls, index) => ({ Id: String(start + index), MessageBody: JSON.stringify({ feeds: urls }) }));
      // SQS reports per-entry failures without throwing; retry just those.
      for (let attempt = 1; entries.length > 0; attempt++) {
        const response = await this.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
        );
        const failed = new Set((response.Failed ?? []).map((failure) => failure.Id));
        entries = entries.filter((entry) => failed.has(entry.Id));
        if (entries.length > 0 && attempt >= SEND_ATTEMPTS) {
          throw new Error(
            `could not enqueue ${entries.length} feed messages after ${SEND_ATTEMPTS} attempts`,
          );
        }
      }
    }
  }
}

/** Topics and queues on fauxqs for the notifier tests, each under a unique name. */
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { uniqueName } from './names.ts';

export interface TestQueue {
  url: string;
  arn: string;
}

export async function createTestTopic(sns: SNSClient): Promise<string> {
  const created = await sns.send(new CreateTopicCommand({ Name: uniqueName('alerts') }));
  return created.TopicArn ?? '';
}

export async function createTestQueue(sqs: SQSClient): Promise<TestQueue> {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('inbox') }));
  const url = created.QueueUrl ?? '';
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return { url, arn: attributes.Attributes?.QueueArn ?? '' };
}

/** A queue subscribed to the topic with the given subscription attributes. */
export async function subscribedQueue(
  sns: SNSClient,
  sqs: SQSClient,
  topicArn: string,
  attributes: Record<string, string> = {},
): Promise<TestQueue> {
  const queue = await createTestQueue(sqs);
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: queue.arn,
      Attributes: attributes,
    }),
  );
  return queue;
}

/**
 * Everything waiting in the queue now, removed from it. fauxqs fans out inside Publish, so a message that
 * is not there once Publish has returned will never arrive.
 */
export async function drain(sqs: SQSClient, queue: TestQueue): Promise<Message[]> {
  const received: Message[] = [];
  for (;;) {
    const batch = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    if (!batch.Messages?.length) return received;
    received.push(...batch.Messages);
    // Deleted, not just received: an undeleted message reappears after the visibility
    // timeout and would show up again in a later drain.
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: batch.Messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? '',
        })),
      }),
    );
  }
}

import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SnsNotifier } from '#adapters/sns/sns-notifier.ts';
import { subscribe } from '#adapters/sns/subscriptions.ts';
import type { AlertMessage } from '#core/ports.ts';
import { localSnsClient, localSqsClient } from './helpers/services.ts';
import { createTestQueue, createTestTopic, drain } from './helpers/sns-sqs.ts';

function anAlert(watchId: string): AlertMessage {
  return { watchId, subject: `alert for ${watchId}`, email: 'e', sms: 's', json: { watchId } };
}

let sns: SNSClient;
let sqs: SQSClient;
let topicArn: string;

beforeAll(() => {
  sns = localSnsClient();
  sqs = localSqsClient();
});

afterAll(() => {
  sns.destroy();
  sqs.destroy();
});

beforeEach(async () => {
  topicArn = await createTestTopic(sns);
});

async function attributesOf(subscriptionArn: string): Promise<Record<string, string>> {
  const result = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }));
  return result.Attributes ?? {};
}

describe('subscribe against fauxqs', () => {
  it('filters an SQS subscription on the given watch ids, once each, and delivers only those alerts', async () => {
    const queue = await createTestQueue(sqs);

    const subscription = await subscribe(sns, topicArn, {
      protocol: 'sqs',
      endpoint: queue.arn,
      watchIds: ['w1', 'w3', 'w1'],
    });
    const notifier = new SnsNotifier(sns, topicArn);
    for (const watchId of ['w1', 'w2', 'w3']) await notifier.publish(anAlert(watchId));
    const delivered = await drain(sqs, queue);

    expect(subscription.pendingConfirmation).toBe(false);
    expect(subscription.subscriptionArn.startsWith(`${topicArn}:`)).toBe(true);
    expect(await attributesOf(subscription.subscriptionArn)).toMatchObject({
      Protocol: 'sqs',
      Endpoint: queue.arn,
      FilterPolicy: '{"watchId":["w1","w3"]}',
      FilterPolicyScope: 'MessageAttributes',
    });
    expect(delivered.map((message) => JSON.parse(message.Body ?? '{}').Subject)).toEqual([
      'alert for w1',
      'alert for w3',
    ]);
  });

  it('subscribes an email address to every watch, pending its confirmation', async () => {
    const subscription = await subscribe(sns, topicArn, {
      protocol: 'email',
      endpoint: 'analyst@example.org',
    });

    const attributes = await attributesOf(subscription.subscriptionArn);
    const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));

    expect(subscription.pendingConfirmation).toBe(true);
    expect(attributes.PendingConfirmation).toBe('true');
    expect(attributes.FilterPolicy).toBeUndefined();
    expect(listed.Subscriptions?.map(({ Protocol, Endpoint }) => ({ Protocol, Endpoint }))).toEqual([
      { Protocol: 'email', Endpoint: 'analyst@example.org' },
    ]);
  });

  it('treats an empty watch list as every watch for an SMS number', async () => {
    const subscription = await subscribe(sns, topicArn, {
      protocol: 'sms',
      endpoint: '+15555550100',
      watchIds: [],
    });

    const attributes = await attributesOf(subscription.subscriptionArn);

    expect(subscription.pendingConfirmation).toBe(false);
    expect(attributes).toMatchObject({ Protocol: 'sms', Endpoint: '+15555550100' });
    expect(attributes.FilterPolicy).toBeUndefined();
  });
});

import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SnsNotifier, snsMessageBody } from '#adapters/sns/sns-notifier.ts';
import { snsSubject } from '#core/alerts/subject.ts';
import type { AlertMessage } from '#core/ports.ts';
import { localSnsClient, localSqsClient } from './helpers/services.ts';
import { createTestTopic, drain, subscribedQueue } from './helpers/sns-sqs.ts';

function anAlert(watchId: string, overrides: Partial<AlertMessage> = {}): AlertMessage {
  return {
    watchId,
    subject: `[${watchId}] EU agrees to seize Russian assets`,
    email: `Watch ${watchId}\n\nEU agrees to **seize** Russian **assets**\nhttps://news.example/eu-assets`,
    sms: `${watchId}: EU agrees to seize Russian assets https://news.example/eu-assets`,
    json: { watchId, title: 'EU agrees to seize Russian assets', matched: ['asset', 'seizure'] },
    ...overrides,
  };
}

let sns: SNSClient;
let sqs: SQSClient;
let topicArn: string;
let notifier: SnsNotifier;

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
  notifier = new SnsNotifier(sns, topicArn);
});

describe('SnsNotifier against fauxqs', () => {
  it('publishes the per-protocol JSON structure, subject and watchId attribute in the SNS envelope', async () => {
    const queue = await subscribedQueue(sns, sqs, topicArn);

    await notifier.publish(anAlert('w1'));
    const [message, ...rest] = await drain(sqs, queue);

    expect(rest).toEqual([]);
    const envelope = JSON.parse(message?.Body ?? '{}');
    expect(envelope).toMatchObject({
      Type: 'Notification',
      TopicArn: topicArn,
      Subject: '[w1] EU agrees to seize Russian assets',
      MessageAttributes: { watchId: { Type: 'String', Value: 'w1' } },
    });
    // fauxqs passes the MessageStructure=json body through whole; real SNS would hand an SQS
    // subscriber only the `default` value. Either way these are the bodies SNS chooses from.
    expect(JSON.parse(envelope.Message)).toEqual({
      default: '{"watchId":"w1","title":"EU agrees to seize Russian assets","matched":["asset","seizure"]}',
      email: 'Watch w1\n\nEU agrees to **seize** Russian **assets**\nhttps://news.example/eu-assets',
      sms: 'w1: EU agrees to seize Russian assets https://news.example/eu-assets',
    });
  });

  it('delivers the body and the watchId message attribute as they are when raw delivery is on', async () => {
    const queue = await subscribedQueue(sns, sqs, topicArn, { RawMessageDelivery: 'true' });

    await notifier.publish(anAlert('w1'));
    const messages = await drain(sqs, queue);

    expect(messages).toHaveLength(1);
    expect(messages[0]?.Body).toBe(snsMessageBody(anAlert('w1')));
    expect(messages[0]?.MessageAttributes).toEqual({ watchId: { DataType: 'String', StringValue: 'w1' } });
  });

  it('reaches a subscription filtered on watchId only with that watch alerts', async () => {
    const onlyW1 = await subscribedQueue(sns, sqs, topicArn, {
      RawMessageDelivery: 'true',
      FilterPolicy: '{"watchId":["w1"]}',
    });
    const everything = await subscribedQueue(sns, sqs, topicArn, { RawMessageDelivery: 'true' });

    await notifier.publish(anAlert('w2'));
    await notifier.publish(anAlert('w1'));
    const filtered = await drain(sqs, onlyW1);
    const unfiltered = await drain(sqs, everything);

    expect(filtered.map((message) => message.Body)).toEqual([snsMessageBody(anAlert('w1'))]);
    expect(unfiltered.map((message) => message.MessageAttributes?.watchId?.StringValue)).toEqual([
      'w2',
      'w1',
    ]);
  });

  it('sends a long multi-line subject as one line under 100 characters', async () => {
    const queue = await subscribedQueue(sns, sqs, topicArn);
    const title = `Ceasefire\n\tholds   in the north: ${'talks continue '.repeat(8)}`;

    await notifier.publish(anAlert('w1', { subject: title }));
    const [message] = await drain(sqs, queue);

    const subject = JSON.parse(message?.Body ?? '{}').Subject;
    expect(subject).toBe(
      'Ceasefire holds in the north: talks continue talks continue talks continue talks continue talks co…',
    );
    expect(subject).toHaveLength(99);
  });

  it('publishes without a Subject when nothing printable is left of it', async () => {
    const queue = await subscribedQueue(sns, sqs, topicArn);

    await notifier.publish(anAlert('w1', { subject: ' \n\u0007 ' }));
    const [message] = await drain(sqs, queue);

    expect(JSON.parse(message?.Body ?? '{}').Subject).toBeNull();
  });
});

describe('snsSubject', () => {
  it.each([
    ['Ceasefire holds', 'Ceasefire holds'],
    ['  Line one\r\nline\u2028two\u0000  ', 'Line one line two'],
    ['bell\u0007inside', 'bellinside'],
    ['x'.repeat(99), 'x'.repeat(99)],
    ['x'.repeat(100), `${'x'.repeat(98)}…`],
    [`${'y'.repeat(97)}😀😀`, `${'y'.repeat(97)}…`],
    ['\n\t ', undefined],
  ])('makes %j into %j', (input, expected) => {
    expect(snsSubject(input)).toBe(expected);
  });
});

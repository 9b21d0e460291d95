import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { snsSubject } from '#core/alerts/subject.ts';
import type { AlertMessage, Notifier } from '#core/ports.ts';

/** Message attribute that subscription filter policies select on (see subscriptions.ts). */
export const WATCH_ID_ATTRIBUTE = 'watchId';

/**
 * Publishes one alert to the topic with a per-protocol body: email and SMS subscribers get
 * their rendered text, everything else (SQS, HTTP) the JSON alert under `default`.
 */
export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topicArn: string,
  ) {}

  async publish(message: AlertMessage): Promise<void> {
    const subject = snsSubject(message.subject);
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        MessageStructure: 'json',
        Message: snsMessageBody(message),
        ...(subject === undefined ? {} : { Subject: subject }),
        MessageAttributes: {
          [WATCH_ID_ATTRIBUTE]: { DataType: 'String', StringValue: message.watchId },
        },
      }),
    );
  }
}

/** SNS requires the `default` key when MessageStructure is json. */
export function snsMessageBody(message: AlertMessage): string {
  return JSON.stringify({ default: JSON.stringify(message.json), email: message.email, sms: message.sms });
}

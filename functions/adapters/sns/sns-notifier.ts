import { PublishCommand, type SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import { snsSubject } from '#core/alerts/subject.ts';
import { PublishRefusedError } from '#core/errors.ts';
import type { AlertMessage, Notifier } from '#core/ports.ts';
import { WATCH_ID_ATTRIBUTE } from './alert-attributes.ts';

/** SNS's limit on one message, body and attributes together. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

/** Refusals of this one message (too long, a bad parameter in it): retrying cannot help. */
const REFUSED_FOR_GOOD = new Set(['InvalidParameterException', 'InvalidParameterValueException']);

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
    try {
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
    } catch (error) {
      // An error answer from SNS means nothing was published; a network error leaves it unknown.
      if (error instanceof SNSServiceException && error.$metadata.httpStatusCode !== undefined) {
        throw new PublishRefusedError(error.message, REFUSED_FOR_GOOD.has(error.name));
      }
      throw error;
    }
  }

  fits(message: AlertMessage): boolean {
    return fitsOneSnsMessage(message);
  }
}

/** SNS requires the `default` key when MessageStructure is json. */
export function snsMessageBody(message: AlertMessage): string {
  return JSON.stringify({ default: JSON.stringify(message.json), email: message.email, sms: message.sms });
}

/** Whether SNS accepts the message's size, counting the subject and the watch attribute too. */
export function fitsOneSnsMessage(message: AlertMessage): boolean {
  const bytes =
    Buffer.byteLength(snsMessageBody(message)) +
    Buffer.byteLength(snsSubject(message.subject) ?? '') +
    Buffer.byteLength(WATCH_ID_ATTRIBUTE) +
    Buffer.byteLength('String') +
    Buffer.byteLength(message.watchId);
  return bytes <= SNS_MAX_MESSAGE_BYTES;
}

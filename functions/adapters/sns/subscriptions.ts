import { type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { WATCH_ID_ATTRIBUTE } from './alert-attributes.ts';

export type SubscriptionProtocol = 'email' | 'sms' | 'sqs';

export interface SubscriptionRequest {
  protocol: SubscriptionProtocol;
  /** Email address, E.164 phone number, or SQS queue ARN. */
  endpoint: string;
  /** Only alerts of these watches are delivered; absent or empty means every watch. */
  watchIds?: string[];
}

export interface Subscription {
  subscriptionArn: string;
  /** Email subscriptions deliver nothing until the recipient clicks the link AWS sends. */
  pendingConfirmation: boolean;
}

/** Subscribes an endpoint to the alert topic, filtered on the `watchId` attribute when asked. */
export async function subscribe(
  sns: SNSClient,
  topicArn: string,
  request: SubscriptionRequest,
): Promise<Subscription> {
  const result = await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: request.protocol,
      Endpoint: request.endpoint,
      // Without this SNS answers "pending confirmation" instead of the ARN for email.
      ReturnSubscriptionArn: true,
      ...(request.watchIds?.length ? { Attributes: watchFilter(request.watchIds) } : {}),
    }),
  );
  return {
    subscriptionArn: result.SubscriptionArn ?? '',
    pendingConfirmation: request.protocol === 'email',
  };
}

export function watchFilter(watchIds: string[]): Record<string, string> {
  return {
    FilterPolicy: JSON.stringify({ [WATCH_ID_ATTRIBUTE]: [...new Set(watchIds)] }),
    FilterPolicyScope: 'MessageAttributes',
  };
}

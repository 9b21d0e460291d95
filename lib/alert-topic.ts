import { Alias } from 'aws-cdk-lib/aws-kms';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { WATCH_ID_ATTRIBUTE } from '#adapters/sns/alert-attributes.ts';
import type { AlertSubscriber } from './stack-config.ts';

/** AWS-managed SNS key: encryption at rest with no key to run, and no KMS grant for publishers. */
export const AWS_MANAGED_SNS_KEY = 'alias/aws/sns';

export interface AlertTopicProps {
  readonly subscribers: readonly AlertSubscriber[];
}

/** The topic analysts subscribe to (email, SMS), with one subscription per configured subscriber. */
export class AlertTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Feedwatch alerts',
      enforceSSL: true,
      masterKey: Alias.fromAliasName(this, 'AwsManagedKey', AWS_MANAGED_SNS_KEY),
    });
    // The notifier sets WATCH_ID_ATTRIBUTE on every alert; a subscriber limited to some watches filters on it.
    for (const subscriber of props.subscribers) {
      const filterPolicy = subscriber.watches && {
        [WATCH_ID_ATTRIBUTE]: SubscriptionFilter.stringFilter({ allowlist: subscriber.watches }),
      };
      const options = filterPolicy ? { filterPolicy } : {};
      this.topic.addSubscription(
        subscriber.protocol === 'email'
          ? new EmailSubscription(subscriber.endpoint, options)
          : new SmsSubscription(subscriber.endpoint, options),
      );
    }
  }
}

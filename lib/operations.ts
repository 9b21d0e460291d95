import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, MetricName, SERVICE_NAME } from '#adapters/telemetry-names.ts';
import type { FeedwatchFunction } from './feedwatch-function.ts';

export interface OperationsProps {
  readonly functions: Readonly<Record<string, FeedwatchFunction>>;
  readonly notifier: FeedwatchFunction;
  readonly feedQueue: IQueue;
  readonly feedDeadLetterQueue: IQueue;
  readonly notifierDeadLetterQueue: IQueue;
  /** Subscribed to the operator topic when given. @default no subscription */
  readonly operatorEmail?: string;
  /** Alarm when the month's SMS spend exceeds this many US dollars. */
  readonly smsSpendAlarmUsd: number;
}

const FIVE_MINUTES = Duration.minutes(5);

/** Feedwatch's own metric, as the handlers publish it through Powertools (service dimension included). */
export function feedwatchMetric(name: MetricName, period: Duration = FIVE_MINUTES): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE_NAME },
    statistic: 'Sum',
    period,
  });
}

/** What the operator needs to know the pipeline is healthy: alarms to a topic, and a dashboard. */
export class Operations extends Construct {
  readonly operatorTopic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.operatorTopic = this.createOperatorTopic(props.operatorEmail);
    const smsSpend = new Metric({
      namespace: 'AWS/SNS',
      metricName: 'SMSMonthToDateSpentUSD',
      statistic: 'Maximum',
      period: FIVE_MINUTES,
    });

    this.alarmAbove('FeedDeadLetterQueueNotEmpty', {
      description: 'Feed messages failed 3 times and wait in the feed DLQ; some feeds were not polled.',
      metric: props.feedDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: FIVE_MINUTES,
      }),
      threshold: 0,
    });
    this.alarmAbove('NotifierDeadLetterQueueNotEmpty', {
      description: 'New matches failed every notifier retry; their alerts were not sent by the stream.',
      metric: props.notifierDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: FIVE_MINUTES,
      }),
      threshold: 0,
    });
    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarmAbove(`${name}Errors`, {
        description: `The ${name.toLowerCase()} function failed.`,
        metric: fn.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
        threshold: 0,
      });
    }
    this.alarmAbove('AlertPublishFailed', {
      description:
        'Alerts or digests could not be published to SNS; they stay PENDING (or DIGEST) until a later run succeeds.',
      metric: feedwatchMetric(MetricName.AlertPublishFailed),
      threshold: 0,
    });
    this.alarmAbove('FeedFailingForADay', {
      description:
        'At least one feed has failed for 24 hours; run `feedwatch feed list --stack <name>` to see which and why.',
      metric: feedwatchMetric(MetricName.FeedFailingForADay, Duration.hours(1)),
      threshold: 0,
    });
    this.alarmAbove('SmsSpend', {
      description: `SMS spend this month is above ${props.smsSpendAlarmUsd} USD.`,
      metric: smsSpend,
      threshold: props.smsSpendAlarmUsd,
    });

    this.createDashboard(props, smsSpend);
  }

  private createOperatorTopic(operatorEmail: string | undefined): Topic {
    // CloudWatch can only publish to an encrypted topic whose key policy lets it use the key,
    // which an AWS-managed key's policy never does: hence a customer key here.
    const key = new Key(this, 'OperatorTopicKey', {
      description: 'Encrypts the Feedwatch operator topic; usable by CloudWatch alarms',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const sameAccount = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } };
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: sameAccount,
      }),
    );
    const topic = new Topic(this, 'OperatorTopic', {
      displayName: 'Feedwatch operator',
      enforceSSL: true,
      masterKey: key,
    });
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: sameAccount,
      }),
    );
    if (operatorEmail) topic.addSubscription(new EmailSubscription(operatorEmail));
    return topic;
  }

  private alarmAbove(id: string, props: { description: string; metric: IMetric; threshold: number }): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No data means nothing happened: no errors, no failed alerts, no SMS sent.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.operatorTopic));
    this.alarms.push(alarm);
  }

  private createDashboard(props: OperationsProps, smsSpend: Metric): void {
    const functions = Object.entries(props.functions);
    const perFunction = (metric: (fn: FeedwatchFunction, label: string) => IMetric) =>
      functions.map(([name, fn]) => metric(fn, name));
    const dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(1) });
    dashboard.addWidgets(
      new TextWidget({
        markdown:
          '# Feedwatch\nDispatcher → feed queue → poller → matches → notifier → alerts (or digests, hourly). Alarms go to the operator topic.',
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      graph(
        'Matches and alerts',
        [
          feedwatchMetric(MetricName.MatchStored),
          feedwatchMetric(MetricName.AlertPublished),
          feedwatchMetric(MetricName.AlertPublishFailed),
          feedwatchMetric(MetricName.AlertRoutedToDigest),
          feedwatchMetric(MetricName.AlertRateLimited),
          feedwatchMetric(MetricName.DigestPublished),
        ],
        8,
      ),
      graph('Feeds dispatched', [feedwatchMetric(MetricName.FeedsDispatched)], 8),
      graph(
        'Feed and watch problems',
        [
          feedwatchMetric(MetricName.FeedFailed),
          feedwatchMetric(MetricName.FeedFailingForADay),
          feedwatchMetric(MetricName.WatchInvalid),
        ],
        8,
      ),
    );
    dashboard.addWidgets(
      graph(
        'Invocations',
        perFunction((fn, label) => fn.metricInvocations({ period: FIVE_MINUTES, label })),
      ),
      graph(
        'Errors',
        perFunction((fn, label) => fn.metricErrors({ period: FIVE_MINUTES, label })),
      ),
    );
    dashboard.addWidgets(
      graph(
        'Duration p95',
        perFunction((fn, label) => fn.metricDuration({ statistic: 'p95', period: FIVE_MINUTES, label })),
      ),
      graph(
        'Throttles',
        perFunction((fn, label) => fn.metricThrottles({ period: FIVE_MINUTES, label })),
      ),
    );
    dashboard.addWidgets(
      graph('Feed queue', [
        props.feedQueue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES }),
        props.feedQueue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES }),
      ]),
      graph('Dead-letter queues', [
        props.feedDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          label: 'Feed DLQ',
        }),
        props.notifierDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          label: 'Notifier DLQ',
        }),
      ]),
    );
    dashboard.addWidgets(
      graph('Notifier stream lag (ms)', [
        props.notifier.metric('IteratorAge', { statistic: 'Maximum', period: FIVE_MINUTES }),
      ]),
      graph('SMS spend this month (USD)', [smsSpend]),
    );
  }
}

function graph(title: string, metrics: IMetric[], width = 12): GraphWidget {
  return new GraphWidget({ title, left: metrics, width, height: 6 });
}

import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AlertTopic } from './alert-topic.ts';
import { DataTables } from './data-tables.ts';
import { Operations } from './operations.ts';
import { StackOutput } from './outputs.ts';
import { Pipeline } from './pipeline.ts';
import type { StackConfig } from './stack-config.ts';

export interface FeedwatchStackProps extends StackProps {
  readonly config: StackConfig;
}

/**
 * Feedwatch in one stack: the stateful tables (RETAIN) and the stateless pipeline that a
 * redeploy may replace freely, each in its own construct.
 */
export class FeedwatchStack extends Stack {
  readonly tables: DataTables;
  readonly alerts: AlertTopic;
  readonly pipeline: Pipeline;
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: FeedwatchStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.tables = new DataTables(this, 'Tables');
    this.alerts = new AlertTopic(this, 'Alerts', { subscribers: config.subscribers });
    this.pipeline = new Pipeline(this, 'Pipeline', {
      tables: this.tables,
      alertTopic: this.alerts.topic,
      schedule: config.schedule,
      allowPrivateNetwork: config.allowPrivateNetwork,
      feedsPerMessage: config.feedsPerMessage,
    });
    this.operations = new Operations(this, 'Operations', {
      functions: this.pipeline.functions,
      notifier: this.pipeline.notifier,
      feedQueue: this.pipeline.feedQueue,
      feedDeadLetterQueue: this.pipeline.feedDeadLetterQueue,
      notifierDeadLetterQueue: this.pipeline.notifierDeadLetterQueue,
      smsSpendAlarmUsd: config.smsSpendAlarmUsd,
      ...(config.operatorEmail !== undefined && { operatorEmail: config.operatorEmail }),
    });

    // No exportName: the CLI reads these with DescribeStacks, and exports would pin them
    // against change for any stack that imported them.
    const outputs: Record<string, { value: string; description: string }> = {
      [StackOutput.watchesTableName]: { value: this.tables.watches.tableName, description: 'Watches table' },
      [StackOutput.feedsTableName]: { value: this.tables.feeds.tableName, description: 'Feeds table' },
      [StackOutput.matchesTableName]: { value: this.tables.matches.tableName, description: 'Matches table' },
      [StackOutput.recentItemsTableName]: {
        value: this.tables.recentItems.tableName,
        description: 'Recent items table (items seen in the last days, for trying queries)',
      },
      [StackOutput.alertTopicArn]: { value: this.alerts.topic.topicArn, description: 'Alert topic' },
      [StackOutput.feedQueueUrl]: { value: this.pipeline.feedQueue.queueUrl, description: 'Feed queue' },
    };
    for (const [key, output] of Object.entries(outputs)) new CfnOutput(this, key, output);
  }
}

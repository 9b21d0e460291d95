import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { DELIVERY_LEASE_MS } from '#core/pipeline/deliver.ts';
import { ENV } from '#handlers/env.ts';
import { FeedwatchFunction } from '../../lib/feedwatch-function.ts';
import type { FeedwatchStack } from '../../lib/feedwatch-stack.ts';
import { StackOutput } from '../../lib/outputs.ts';
import { getAtt, logicalIdOf, ref, synthStack } from './synth-stack.ts';

const USER_CONTEXT = { alertEmail: 'a@example.com', alertSms: '+15555550100' };
const { stack, template } = synthStack(USER_CONTEXT);
/** One synth for every context override, to keep the suite fast. */
const custom = synthStack({
  alertEmail: 'a@example.com, b@example.com',
  alertWatches: 'w1,w2',
  schedule: 'rate(10 minutes)',
  allowPrivateNetwork: 'true',
  feedsPerMessage: '5',
  smsSpendAlarmUsd: '20',
  operatorEmail: 'ops@example.com',
});
const { pipeline, tables, alerts, operations } = stack;

function ruleTargeting(t: Template, fn: FeedwatchFunction) {
  const rules = Object.values(t.findResources('AWS::Events::Rule')).filter(
    (rule) =>
      JSON.stringify(rule.Properties.Targets) === JSON.stringify([{ Arn: getAtt(fn, 'Arn'), Id: 'Target0' }]),
  );
  expect(rules).toHaveLength(1);
  return rules[0]?.Properties;
}

function functionProps(t: Template, fn: FeedwatchFunction) {
  return t.toJSON().Resources[logicalIdOf(fn)].Properties;
}

/** The function role's statements, as [actions, resources] pairs in declaration order. */
function statementsOf(t: Template, fn: FeedwatchFunction) {
  const policies = Object.values(t.findResources('AWS::IAM::Policy')).filter((policy) =>
    JSON.stringify(policy.Properties.Roles).includes(JSON.stringify(ref(fn.role as IConstruct))),
  );
  expect(policies).toHaveLength(1);
  return policies[0]?.Properties.PolicyDocument.Statement.map(
    (statement: { Effect: string; Action: string | string[]; Resource: unknown }) => {
      expect(statement.Effect).toBe('Allow');
      return [[statement.Action].flat(), [statement.Resource].flat()];
    },
  );
}

function tableWithIndexes(table: FeedwatchStack['tables']['matches'], indexes: string[]) {
  return [
    getAtt(table, 'Arn'),
    ...indexes.map((name) => ({ 'Fn::Join': ['', [getAtt(table, 'Arn'), `/index/${name}`]] })),
  ];
}

const READ = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'];
const READ_WRITE = [...READ, 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

describe('schedules', () => {
  it('runs the dispatcher every 5 minutes by default', () => {
    expect(ruleTargeting(template, pipeline.dispatcher).ScheduleExpression).toBe('rate(5 minutes)');
  });

  it('takes the dispatcher schedule from context', () => {
    expect(ruleTargeting(custom.template, custom.stack.pipeline.dispatcher).ScheduleExpression).toBe(
      'rate(10 minutes)',
    );
  });

  it('runs the sweeper every 15 minutes', () => {
    expect(ruleTargeting(template, pipeline.sweeper).ScheduleExpression).toBe('rate(15 minutes)');
  });

  it('runs the digest job at the top of every hour', () => {
    expect(ruleTargeting(template, pipeline.digest).ScheduleExpression).toBe('cron(0 * * * ? *)');
  });

  it('does not retry a failed scheduled run: the next one picks up what is due', () => {
    for (const fn of [pipeline.dispatcher, pipeline.sweeper, pipeline.digest]) {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: ref(fn),
        MaximumRetryAttempts: 0,
      });
    }
  });
});

describe('tables', () => {
  it('keeps every table on stack deletion and replacement', () => {
    const found = template.findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.keys(found).sort()).toEqual(
      [
        logicalIdOf(tables.watches),
        logicalIdOf(tables.feeds),
        logicalIdOf(tables.matches),
        logicalIdOf(tables.recentItems),
      ].sort(),
    );
    for (const table of Object.values(found)) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      // KMS without a key id is the AWS-managed key.
      expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
      expect(table.Properties.Replicas[0].PointInTimeRecoverySpecification).toEqual({
        PointInTimeRecoveryEnabled: true,
      });
    }
  });

  it('keys watches by id', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: Match.absent(),
    });
  });

  it('keys feeds by url, with no index: the dispatcher scans them', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'url', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: Match.absent(),
    });
  });

  it('keys matches by watch and story, expires them by TTL and streams both images', () => {
    const matches = template.toJSON().Resources[logicalIdOf(tables.matches)].Properties;
    expect(matches.KeySchema).toEqual([
      { AttributeName: 'watchId', KeyType: 'HASH' },
      { AttributeName: 'storyKey', KeyType: 'RANGE' },
    ]);
    expect(
      matches.GlobalSecondaryIndexes.map(
        (index: { IndexName: string; KeySchema: { AttributeName: string }[] }) => [
          index.IndexName,
          ...index.KeySchema.map((key) => key.AttributeName),
        ],
      ),
    ).toEqual([
      ['byWatchTime', 'watchId', 'matchedAt'],
      ['byDay', 'matchedDay', 'matchedAt'],
      ['pending', 'pendingShard', 'matchedAt'],
    ]);
    expect(matches.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(matches.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  it('keys recent items by the day and time seen, with no index, and expires them by TTL, with no stream', () => {
    const recentItems = template.toJSON().Resources[logicalIdOf(tables.recentItems)].Properties;
    expect(recentItems.KeySchema).toEqual([
      { AttributeName: 'day', KeyType: 'HASH' },
      { AttributeName: 'seen', KeyType: 'RANGE' },
    ]);
    expect(recentItems.AttributeDefinitions).toEqual([
      { AttributeName: 'day', AttributeType: 'S' },
      { AttributeName: 'seen', AttributeType: 'S' },
    ]);
    expect(recentItems.GlobalSecondaryIndexes).toBeUndefined();
    expect(recentItems.TimeToLiveSpecification).toEqual({ AttributeName: 'exp', Enabled: true });
    expect(recentItems.StreamSpecification).toBeUndefined();
  });

  it('creates the recent-items table under a logical id of its own, as a key schema cannot change in place', () => {
    // The table keyed by item id was TablesRecentItems<hash>; reusing that id would ask
    // CloudFormation to change the key of the table it names.
    expect(logicalIdOf(tables.recentItems)).toMatch(/^TablesRecentItemsByDay[0-9A-F]{8}$/);
  });
});

describe('feed queue and poller', () => {
  it('redrives to a 14-day DLQ after 3 receives, with a visibility of 6x the poller timeout', () => {
    const queue = template.toJSON().Resources[logicalIdOf(pipeline.feedQueue)].Properties;
    const pollerTimeout = functionProps(template, pipeline.poller).Timeout;
    expect(queue).toEqual({
      RedrivePolicy: { deadLetterTargetArn: getAtt(pipeline.feedDeadLetterQueue, 'Arn'), maxReceiveCount: 3 },
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 6 * pollerTimeout,
    });
    expect(pollerTimeout).toBe(120);
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
  });

  it('denies every queue request without TLS', () => {
    for (const queue of [
      pipeline.feedQueue,
      pipeline.feedDeadLetterQueue,
      pipeline.notifierDeadLetterQueue,
    ]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(queue)],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ],
        },
      });
    }
  });

  it('feeds the poller 10 messages at a time, at most 10 pollers at once, reporting item failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: getAtt(pipeline.feedQueue, 'Arn'),
      FunctionName: ref(pipeline.poller),
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });
});

describe('notifier', () => {
  it('reads only INSERTs of PENDING matches from the stream, retrying and bisecting, then giving up to its DLQ', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
      (mapping) => JSON.stringify(mapping.Properties.FunctionName) === JSON.stringify(ref(pipeline.notifier)),
    );
    expect(mappings.map((mapping) => mapping.Properties)).toEqual([
      {
        EventSourceArn: getAtt(tables.matches, 'StreamArn'),
        FunctionName: ref(pipeline.notifier),
        StartingPosition: 'LATEST',
        BatchSize: 25,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: getAtt(pipeline.notifierDeadLetterQueue, 'Arn') } },
        FilterCriteria: {
          Filters: [
            { Pattern: '{"eventName":["INSERT"],"dynamodb":{"NewImage":{"alertState":{"S":["PENDING"]}}}}' },
          ],
        },
      },
    ]);
  });
});

describe('delivery claims', () => {
  it('outlast every deliverer: a claim lapses only after the Lambda holding it has been stopped by its timeout', () => {
    const timeouts = [pipeline.notifier, pipeline.sweeper, pipeline.digest].map(
      (fn) => functionProps(template, fn).Timeout,
    );

    expect(timeouts).toEqual([30, 60, 120]);
    expect(DELIVERY_LEASE_MS).toBe(180_000);
    expect(Math.max(...timeouts) * 1000).toBeLessThan(DELIVERY_LEASE_MS);
  });
});

describe('functions', () => {
  const all = Object.entries(pipeline.functions);

  it.each(all)('%s runs on Node.js 24 on ARM64 with source maps and a one-month log group', (_, fn) => {
    const props = functionProps(template, fn);
    expect(props.Runtime).toBe('nodejs24.x');
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.Handler).toBe('index.handler');
    expect(props.LoggingConfig).toEqual({ LogGroup: ref(fn.logGroup) });
    const logGroup = template.toJSON().Resources[logicalIdOf(fn.logGroup)];
    expect(logGroup.Properties).toEqual({ RetentionInDays: 30 });
    // Logs are operational, not user data: they go with the stack.
    expect(logGroup.DeletionPolicy).toBe('Delete');
  });

  const base = {
    NODE_OPTIONS: '--enable-source-maps',
    AWS_LAMBDA_EXEC_WRAPPER: '/var/task/node-flags.sh',
    POWERTOOLS_SERVICE_NAME: 'feedwatch',
    POWERTOOLS_METRICS_NAMESPACE: 'Feedwatch',
  };

  it('gives each function exactly the environment it reads', () => {
    const env = (fn: FeedwatchFunction) => functionProps(template, fn).Environment.Variables;
    expect(env(pipeline.dispatcher)).toEqual({
      ...base,
      [ENV.feedsTable]: ref(tables.feeds),
      [ENV.feedQueueUrl]: ref(pipeline.feedQueue),
      [ENV.feedsPerMessage]: '20',
    });
    expect(env(pipeline.poller)).toEqual({
      ...base,
      [ENV.watchesTable]: ref(tables.watches),
      [ENV.feedsTable]: ref(tables.feeds),
      [ENV.matchesTable]: ref(tables.matches),
      [ENV.recentItemsTable]: ref(tables.recentItems),
      [ENV.allowPrivateNetwork]: 'false',
    });
    for (const fn of [pipeline.notifier, pipeline.sweeper, pipeline.digest]) {
      expect(env(fn)).toEqual({
        ...base,
        [ENV.watchesTable]: ref(tables.watches),
        [ENV.matchesTable]: ref(tables.matches),
        [ENV.alertTopicArn]: ref(alerts.topic),
      });
    }
  });

  it('passes allowPrivateNetwork and feedsPerMessage from context', () => {
    const poller = functionProps(custom.template, custom.stack.pipeline.poller);
    const dispatcher = functionProps(custom.template, custom.stack.pipeline.dispatcher);
    expect(poller.Environment.Variables[ENV.allowPrivateNetwork]).toBe('true');
    expect(dispatcher.Environment.Variables[ENV.feedsPerMessage]).toBe('5');
  });
});

describe('least privilege', () => {
  const logs = (fn: FeedwatchFunction) => [
    ['logs:CreateLogStream', 'logs:PutLogEvents'],
    [getAtt(fn.logGroup, 'Arn')],
  ];

  it('dispatcher: reads feeds and sends to the feed queue', () => {
    expect(statementsOf(template, pipeline.dispatcher)).toEqual([
      logs(pipeline.dispatcher),
      [READ, tableWithIndexes(tables.feeds, [])],
      [['sqs:SendMessage', 'sqs:GetQueueAttributes'], [getAtt(pipeline.feedQueue, 'Arn')]],
    ]);
  });

  it('poller: reads watches, writes feeds and matches, only batch-writes recent items, consumes the feed queue', () => {
    expect(statementsOf(template, pipeline.poller)).toEqual([
      logs(pipeline.poller),
      [READ, [getAtt(tables.watches, 'Arn')]],
      [READ_WRITE, tableWithIndexes(tables.feeds, [])],
      [READ_WRITE, tableWithIndexes(tables.matches, ['byWatchTime', 'byDay', 'pending'])],
      [['dynamodb:BatchWriteItem'], [getAtt(tables.recentItems, 'Arn')]],
      [
        [
          'sqs:ReceiveMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueUrl',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
        ],
        [getAtt(pipeline.feedQueue, 'Arn')],
      ],
    ]);
  });

  it('notifier: reads watches, updates matches and counters, publishes alerts, reads the stream, sends failures to its DLQ', () => {
    expect(statementsOf(template, pipeline.notifier)).toEqual([
      logs(pipeline.notifier),
      [READ, [getAtt(tables.watches, 'Arn')]],
      [READ_WRITE, tableWithIndexes(tables.matches, ['byWatchTime', 'byDay', 'pending'])],
      [['sns:Publish'], [ref(alerts.topic)]],
      [
        ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        [getAtt(pipeline.notifierDeadLetterQueue, 'Arn')],
      ],
      [['dynamodb:ListStreams'], [getAtt(tables.matches, 'StreamArn')]],
      [
        ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        [getAtt(tables.matches, 'StreamArn')],
      ],
    ]);
  });

  it.each([
    ['sweeper', () => pipeline.sweeper],
    ['digest', () => pipeline.digest],
  ])('%s: reads watches, updates matches and counters, publishes alerts', (_, fn) => {
    expect(statementsOf(template, fn())).toEqual([
      logs(fn()),
      [READ, [getAtt(tables.watches, 'Arn')]],
      [READ_WRITE, tableWithIndexes(tables.matches, ['byWatchTime', 'byDay', 'pending'])],
      [['sns:Publish'], [ref(alerts.topic)]],
    ]);
  });

  it('uses no AWS managed policies and no wildcard actions', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    const actions = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) =>
      policy.Properties.PolicyDocument.Statement.flatMap((statement: { Action: string | string[] }) =>
        [statement.Action].flat(),
      ),
    );
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });
});

describe('alert topic', () => {
  it('is encrypted with the AWS-managed SNS key and refuses publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'Feedwatch alerts',
      KmsMasterKeyId: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':kms:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':alias/aws/sns',
          ],
        ],
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [ref(alerts.topic)],
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ],
      },
    });
  });

  function subscriptions(t: Template, topic: typeof alerts.topic) {
    return Object.values(t.findResources('AWS::SNS::Subscription'))
      .map((subscription) => subscription.Properties)
      .filter((props) => JSON.stringify(props.TopicArn) === JSON.stringify(ref(topic)));
  }

  it('subscribes the email and SMS endpoints from context, unfiltered', () => {
    expect(subscriptions(template, alerts.topic)).toEqual([
      { Endpoint: 'a@example.com', Protocol: 'email', TopicArn: ref(alerts.topic) },
      { Endpoint: '+15555550100', Protocol: 'sms', TopicArn: ref(alerts.topic) },
    ]);
  });

  it('limits comma-separated subscribers to alertWatches with a watchId filter policy', () => {
    const topic = custom.stack.alerts.topic;
    expect(subscriptions(custom.template, topic)).toEqual(
      ['a@example.com', 'b@example.com'].map((endpoint) => ({
        Endpoint: endpoint,
        Protocol: 'email',
        TopicArn: ref(topic),
        FilterPolicy: { watchId: ['w1', 'w2'] },
      })),
    );
  });

  it('gives each subscriber of the subscriptions JSON its own filter', () => {
    const perSubscriber = synthStack({
      subscriptions: JSON.stringify([
        { protocol: 'email', endpoint: 'desk@example.com', watches: ['sanctions'] },
        { protocol: 'sms', endpoint: '+447700900123' },
      ]),
    });
    const topic = perSubscriber.stack.alerts.topic;
    expect(subscriptions(perSubscriber.template, topic)).toEqual([
      {
        Endpoint: 'desk@example.com',
        Protocol: 'email',
        TopicArn: ref(topic),
        FilterPolicy: { watchId: ['sanctions'] },
      },
      { Endpoint: '+447700900123', Protocol: 'sms', TopicArn: ref(topic) },
    ]);
  });
});

describe('operations', () => {
  const operatorTopic = ref(operations.operatorTopic);

  it('raises ten alarms, all to the operator topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties,
    );
    expect(alarms).toHaveLength(10);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([operatorTopic]);
      expect(alarm.ComparisonOperator).toBe('GreaterThanThreshold');
      expect(alarm.TreatMissingData).toBe('notBreaching');
    }
  });

  it.each([
    ['feed', () => pipeline.feedDeadLetterQueue],
    ['notifier', () => pipeline.notifierDeadLetterQueue],
  ])('alarms as soon as the %s DLQ holds a message', (_, queue) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(queue(), 'QueueName') }],
      Statistic: 'Maximum',
      Threshold: 0,
    });
  });

  it.each(Object.entries(pipeline.functions))('alarms on any %s error', (_, fn) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: ref(fn) }],
      Statistic: 'Sum',
      Threshold: 0,
    });
  });

  it.each([
    ['AlertPublishFailed', 300],
    ['FeedFailingForADay', 3600],
  ])('alarms on the %s metric the handlers publish', (metricName, period) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Feedwatch',
      MetricName: metricName,
      Dimensions: [{ Name: 'service', Value: 'feedwatch' }],
      Statistic: 'Sum',
      Period: period,
      Threshold: 0,
    });
  });

  it('alarms on SMS spend above 5 USD, or the smsSpendAlarmUsd context', () => {
    const smsAlarm = { Namespace: 'AWS/SNS', MetricName: 'SMSMonthToDateSpentUSD', Statistic: 'Maximum' };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { ...smsAlarm, Threshold: 5 });
    custom.template.hasResourceProperties('AWS::CloudWatch::Alarm', { ...smsAlarm, Threshold: 20 });
  });

  it('encrypts the operator topic with a rotated key CloudWatch may use', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'Feedwatch operator',
      KmsMasterKeyId: getAtt(operations.operatorTopic.masterKey as IConstruct, 'Arn'),
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ]),
      },
    });
  });

  it('subscribes the operator email only when given', () => {
    const operatorSubscriptions = (t: Template, topic: unknown) =>
      Object.values(t.findResources('AWS::SNS::Subscription')).filter(
        (subscription) => JSON.stringify(subscription.Properties.TopicArn) === JSON.stringify(topic),
      );
    expect(operatorSubscriptions(template, operatorTopic)).toEqual([]);
    expect(
      operatorSubscriptions(custom.template, ref(custom.stack.operations.operatorTopic)).map(
        (subscription) => subscription.Properties,
      ),
    ).toEqual([
      {
        Endpoint: 'ops@example.com',
        Protocol: 'email',
        TopicArn: ref(custom.stack.operations.operatorTopic),
      },
    ]);
  });

  it('draws the pipeline metrics on one dashboard', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    for (const metric of [
      'MatchStored',
      'AlertPublished',
      'AlertPublishFailed',
      'AlertRoutedToDigest',
      'AlertRateLimited',
      'DigestPublished',
      'FeedFailed',
      'WatchInvalid',
    ]) {
      expect(body).toContain(`\\"Feedwatch\\",\\"${metric}\\",\\"service\\",\\"feedwatch\\"`);
    }
    expect(body).toContain('IteratorAge');
    expect(body).toContain('SMSMonthToDateSpentUSD');
  });
});

describe('outputs', () => {
  it('exposes the names the CLI reads, under fixed keys and without exports', () => {
    expect(template.toJSON().Outputs).toEqual({
      [StackOutput.watchesTableName]: { Description: 'Watches table', Value: ref(tables.watches) },
      [StackOutput.feedsTableName]: { Description: 'Feeds table', Value: ref(tables.feeds) },
      [StackOutput.matchesTableName]: { Description: 'Matches table', Value: ref(tables.matches) },
      [StackOutput.recentItemsTableName]: {
        Description: 'Recent items table (items seen in the last days, for trying queries)',
        Value: ref(tables.recentItems),
      },
      [StackOutput.alertTopicArn]: { Description: 'Alert topic', Value: ref(alerts.topic) },
      [StackOutput.feedQueueUrl]: { Description: 'Feed queue', Value: ref(pipeline.feedQueue) },
    });
  });
});

describe('FeedwatchFunction.useTopic', () => {
  it('grants the key actions a customer-managed topic key needs, next to sns:Publish', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Test');
    const key = new Key(stack, 'Key', { enableKeyRotation: true });
    const topic = new Topic(stack, 'Topic', { masterKey: key });
    new FeedwatchFunction(stack, 'Fn', {
      entry: 'functions/handlers/sweeper.ts',
      description: 'test',
    }).useTopic(ENV.alertTopicArn, topic);

    const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0];

    expect(policy?.Properties.PolicyDocument.Statement.slice(1)).toEqual([
      { Action: 'sns:Publish', Effect: 'Allow', Resource: ref(topic) },
      { Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Effect: 'Allow', Resource: getAtt(key, 'Arn') },
    ]);
  });
});

import { Duration, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '#handlers/env.ts';
import type { DataTables } from './data-tables.ts';
import { FeedwatchFunction } from './feedwatch-function.ts';

export const SWEEPER_SCHEDULE = 'rate(15 minutes)';
/** At the top of each hour: hourly digests go out as their hour ends, daily ones at 07:00 local. */
export const DIGEST_SCHEDULE = 'cron(0 * * * ? *)';
export const POLLER_TIMEOUT = Duration.seconds(120);
export const POLLER_BATCH_SIZE = 10;
/** At most this many pollers at once, so a 10,000-feed cycle drains steadily instead of stampeding. */
export const POLLER_MAX_CONCURRENCY = 10;
export const NOTIFIER_BATCH_SIZE = 25;
export const NOTIFIER_RETRY_ATTEMPTS = 5;

export interface PipelineProps {
  readonly tables: DataTables;
  readonly alertTopic: ITopic;
  /** EventBridge schedule expression of the dispatcher, already validated. */
  readonly schedule: string;
  readonly allowPrivateNetwork: boolean;
  readonly feedsPerMessage: number;
}

/**
 * The stateless half: dispatcher -> feed queue -> poller -> matches table -> stream ->
 * notifier -> alert topic, plus the sweeper that re-drives alerts left PENDING and the
 * digest job that sends what the notifier routed to digests.
 */
export class Pipeline extends Construct {
  readonly dispatcher: FeedwatchFunction;
  readonly poller: FeedwatchFunction;
  readonly notifier: FeedwatchFunction;
  readonly sweeper: FeedwatchFunction;
  readonly digest: FeedwatchFunction;
  readonly feedQueue: Queue;
  readonly feedDeadLetterQueue: Queue;
  readonly notifierDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    const { watches, feeds, matches, recentItems } = props.tables;

    this.feedDeadLetterQueue = secureQueue(this, 'FeedDeadLetterQueue', {
      retentionPeriod: Duration.days(14),
    });
    this.feedQueue = secureQueue(this, 'FeedQueue', {
      // Lambda's guidance: at least six times the consumer's timeout, so a message is not
      // handed to a second poller while the first is still working on it.
      visibilityTimeout: Duration.seconds(POLLER_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.feedDeadLetterQueue, maxReceiveCount: 3 },
    });
    this.notifierDeadLetterQueue = secureQueue(this, 'NotifierDeadLetterQueue', {
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.notifierDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter queue: the on-failure destination of the notifier's stream event source mapping, which SQS3 cannot see because it only recognises SQS redrive policies.",
    });

    this.dispatcher = new FeedwatchFunction(this, 'Dispatcher', {
      entry: 'functions/handlers/dispatcher.ts',
      description: 'Queues the feeds that are due, in batches, for the pollers',
      timeout: Duration.seconds(60),
      // A failed cycle is not retried: the next scheduled run queues whatever is still due.
      retryAttempts: 0,
    })
      .useTable(ENV.feedsTable, feeds, 'read')
      .useQueueForSending(ENV.feedQueueUrl, this.feedQueue)
      .useSetting(ENV.feedsPerMessage, String(props.feedsPerMessage));

    this.poller = new FeedwatchFunction(this, 'Poller', {
      entry: 'functions/handlers/poller.ts',
      description: 'Fetches queued feeds, matches watches, stores each new match once',
      memorySize: 512,
      timeout: POLLER_TIMEOUT,
    })
      .useTable(ENV.watchesTable, watches, 'read')
      .useTable(ENV.feedsTable, feeds, 'readWrite')
      .useTable(ENV.matchesTable, matches, 'readWrite')
      .useTable(ENV.recentItemsTable, recentItems, 'batchWrite')
      .useSetting(ENV.allowPrivateNetwork, String(props.allowPrivateNetwork));
    this.poller.addEventSource(
      new SqsEventSource(this.feedQueue, {
        batchSize: POLLER_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: POLLER_MAX_CONCURRENCY,
      }),
    );

    this.notifier = new FeedwatchFunction(this, 'Notifier', {
      entry: 'functions/handlers/notifier.ts',
      description: 'Routes each new match: alerts it now (within the hourly limit) or queues it for a digest',
    })
      .useTable(ENV.watchesTable, watches, 'read')
      .useTable(ENV.matchesTable, matches, 'readWrite')
      .useTopic(ENV.alertTopicArn, props.alertTopic);
    this.notifier.addEventSource(
      new DynamoEventSource(matches, {
        startingPosition: StartingPosition.LATEST,
        batchSize: NOTIFIER_BATCH_SIZE,
        bisectBatchOnError: true,
        retryAttempts: NOTIFIER_RETRY_ATTEMPTS,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.notifierDeadLetterQueue),
        // Only new PENDING matches: neither the PENDING -> SENT/DIGEST updates nor the alert rate
        // counters kept in the same table (they have no alertState) may invoke the notifier.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { alertState: { S: FilterRule.isEqual('PENDING') } } },
          }),
        ],
      }),
    );

    this.sweeper = new FeedwatchFunction(this, 'Sweeper', {
      entry: 'functions/handlers/sweeper.ts',
      description: 'Re-drives alerts left PENDING (a crash or a failed publish)',
      timeout: Duration.seconds(60),
      retryAttempts: 0,
    })
      .useTable(ENV.watchesTable, watches, 'read')
      .useTable(ENV.matchesTable, matches, 'readWrite')
      .useTopic(ENV.alertTopicArn, props.alertTopic);

    this.digest = new FeedwatchFunction(this, 'Digest', {
      entry: 'functions/handlers/digest.ts',
      description:
        'Sends each watch its due digest of matches that waited (digest mode, quiet hours, rate limit)',
      timeout: Duration.seconds(120),
      // A failed run is not retried: the matches stay in DIGEST and the next hourly run sends them.
      retryAttempts: 0,
    })
      .useTable(ENV.watchesTable, watches, 'read')
      .useTable(ENV.matchesTable, matches, 'readWrite')
      .useTopic(ENV.alertTopicArn, props.alertTopic);

    new Rule(this, 'DispatchSchedule', {
      description: 'Starts a polling cycle',
      schedule: Schedule.expression(props.schedule),
      targets: [new LambdaFunction(this.dispatcher)],
    });
    new Rule(this, 'SweepSchedule', {
      description: 'Re-drives PENDING alerts',
      schedule: Schedule.expression(SWEEPER_SCHEDULE),
      targets: [new LambdaFunction(this.sweeper)],
    });
    new Rule(this, 'DigestSchedule', {
      description: 'Sends due digests',
      schedule: Schedule.expression(DIGEST_SCHEDULE),
      targets: [new LambdaFunction(this.digest)],
    });
  }

  get functions(): Record<'Dispatcher' | 'Poller' | 'Notifier' | 'Sweeper' | 'Digest', FeedwatchFunction> {
    return {
      Dispatcher: this.dispatcher,
      Poller: this.poller,
      Notifier: this.notifier,
      Sweeper: this.sweeper,
      Digest: this.digest,
    };
  }
}

function secureQueue(
  scope: Construct,
  id: string,
  props: ConstructorParameters<typeof Queue>[2] & object,
): Queue {
  return new Queue(scope, id, { ...props, enforceSSL: true, encryption: QueueEncryption.SQS_MANAGED });
}

import { StreamViewType } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { FEEDS, MATCHES, RECENT_ITEMS, WATCHES } from '#adapters/dynamodb/schema.ts';
import { FeedwatchTable } from './feedwatch-table.ts';

/** The tables, laid out from the shared schema so the cloud and local stores match. */
export class DataTables extends Construct {
  readonly watches: FeedwatchTable;
  readonly feeds: FeedwatchTable;
  readonly matches: FeedwatchTable;
  readonly recentItems: FeedwatchTable;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.watches = new FeedwatchTable(this, 'Watches', { partitionKey: WATCHES.partitionKey });
    this.feeds = new FeedwatchTable(this, 'Feeds', { partitionKey: FEEDS.partitionKey });
    this.matches = new FeedwatchTable(this, 'Matches', {
      partitionKey: MATCHES.partitionKey,
      sortKey: MATCHES.sortKey,
      indexes: [MATCHES.byWatchTimeIndex, MATCHES.byDayIndex, MATCHES.pendingIndex],
      timeToLiveAttribute: MATCHES.ttlAttribute,
      // The notifier reads new matches from the stream; old images show what an update changed.
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
    // A table's key cannot change in place: a new construct id makes CloudFormation create this
    // table. The one keyed by item id it replaces is kept (RETAIN), emptied by its TTL within days.
    this.recentItems = new FeedwatchTable(this, 'RecentItemsByDay', {
      partitionKey: RECENT_ITEMS.partitionKey,
      sortKey: RECENT_ITEMS.sortKey,
      timeToLiveAttribute: RECENT_ITEMS.ttlAttribute,
    });
  }
}

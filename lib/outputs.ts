/**
 * The stack's CloudFormation OutputKeys, shared by the stack (which declares them) and the
 * CLI (which reads them with `--stack`), so neither side retypes a key.
 */
export const StackOutput = {
  watchesTableName: 'WatchesTableName',
  feedsTableName: 'FeedsTableName',
  matchesTableName: 'MatchesTableName',
  recentItemsTableName: 'RecentItemsTableName',
  alertTopicArn: 'AlertTopicArn',
  feedQueueUrl: 'FeedQueueUrl',
} as const;

/** Name of the stack `bin/app.ts` deploys; the CLI's `--stack` default. */
export const DEFAULT_STACK_NAME = 'Feedwatch';

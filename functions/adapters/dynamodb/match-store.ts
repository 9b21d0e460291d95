import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { systemClock } from '#adapters/system-clock.ts';
import { newestFirst } from '#core/match-order.ts';
import type { MergedItem, StoredMatch, StoryRecord } from '#core/model.ts';
import type {
  Claim,
  ClaimQueue,
  ClaimResult,
  Clock,
  MatchStore,
  NewStoryOutcome,
  RecentMatchesQuery,
  Settlement,
  StoryRegister,
} from '#core/ports.ts';
import {
  ALSO_IN_LIMIT,
  daysBackTo,
  decodeStory,
  encodeStories,
  fromMatchItem,
  MERGED_KEYS_LIMIT,
  mergedKeyOf,
  pendingShardOf,
  sinceWithinRetention,
  storyRegisterExpiry,
  storyRegisterKey,
  toMatchItem,
} from './match-item.ts';
import { queryAll } from './paginate.ts';
import { MATCHES } from './schema.ts';

/**
 * Days of the per-day index read at once when listing across watches: few for the usual
 * "latest N" (recent days hold them), doubling so a walk over the whole retention window
 * still takes only a handful of round trips.
 */
const FIRST_DAY_BATCH = 2;
/** Stays below the HTTP agent's 50 sockets. */
const MAX_DAY_BATCH = 32;

/** One item per (watchId, storyKey) in the matches table; see schema.ts for the indexes. */
export class DynamoDbMatchStore implements MatchStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async claim(
    watchId: string,
    storyKey: string,
    queue: ClaimQueue,
    claim: Claim,
    now: string,
  ): Promise<ClaimResult> {
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [MATCHES.partitionKey]: watchId, [MATCHES.sortKey]: storyKey },
          // The shard stays: a claim its deliverer died with is listed in its queue and taken over.
          UpdateExpression: 'SET alertState = :sending, claimedBy = :owner, leaseUntil = :leaseUntil',
          ConditionExpression:
            'alertState = :queue OR (alertState = :sending AND #pendingShard = :shard AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#pendingShard': MATCHES.pendingIndex.partitionKey },
          ExpressionAttributeValues: {
            ':sending': 'SENDING',
            ':owner': claim.owner,
            ':leaseUntil': claim.leaseUntil,
            ':queue': queue,
            ':shard': pendingShardOf(queue),
            ':now': now,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const before = fromMatchItem(result.Attributes ?? {});
      return {
        claimed: true,
        match: { ...before, alertState: 'SENDING', claimedBy: claim.owner, leaseUntil: claim.leaseUntil },
        takenOver: before.alertState === 'SENDING',
      };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { claimed: false };
      throw error;
    }
  }

  async settle(watchId: string, storyKey: string, owner: string, settlement: Settlement): Promise<boolean> {
    const shard = pendingShardOf(settlement.state);
    const failure = settlement.state === 'FAILED' ? settlement.failure : undefined;
    const set = [
      'alertState = :next',
      ...(shard ? ['#pendingShard = :shard'] : []),
      ...(failure ? ['failure = :failure'] : []),
    ];
    const remove = ['claimedBy', 'leaseUntil', ...(shard ? [] : ['#pendingShard'])];
    return ignoringFailedCondition(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [MATCHES.partitionKey]: watchId, [MATCHES.sortKey]: storyKey },
          // The shard moves the match between the sparse index's partitions, or out of it.
          UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
          ConditionExpression: 'alertState = :sending AND claimedBy = :owner',
          ExpressionAttributeNames: { '#pendingShard': MATCHES.pendingIndex.partitionKey },
          ExpressionAttributeValues: {
            ':next': settlement.state,
            ':sending': 'SENDING',
            ':owner': owner,
            ...(shard && { ':shard': shard }),
            ...(failure && { ':failure': failure }),
          },
        }),
      ),
    );
  }

  async get(watchId: string, storyKey: string): Promise<StoredMatch | undefined> {
    const result = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [MATCHES.partitionKey]: watchId, [MATCHES.sortKey]: storyKey },
        ConsistentRead: true,
      }),
    );
    return result.Item ? fromMatchItem(result.Item) : undefined;
  }

  async listRecent(query: RecentMatchesQuery): Promise<StoredMatch[]> {
    if (query.limit !== undefined && query.limit <= 0) return [];
    const since = sinceWithinRetention(query.since, this.clock.now());
    if (query.watchId !== undefined) {
      const { name, partitionKey, sortKey } = MATCHES.byWatchTimeIndex;
      const watchId = query.watchId;
      const items = await queryAll(
        this.doc,
        this.newestFirstQuery(name, partitionKey, watchId, sortKey, since),
        oneMore(query.limit),
      );
      const ties = query.anyTies
        ? undefined
        : (matchedAt: string) => this.matchesAt(name, partitionKey, watchId, sortKey, matchedAt);
      return this.inListingOrder(items.map(fromMatchItem), query.limit, ties);
    }
    return this.listRecentAcrossWatches(since, query.limit);
  }

  async listPending(limit?: number): Promise<StoredMatch[]> {
    return this.listShard(MATCHES.pendingShardValue, limit);
  }

  async listDigest(limit?: number): Promise<StoredMatch[]> {
    return this.listShard(MATCHES.digestShardValue, limit);
  }

  /** One partition of the sparse index, oldest first. */
  private async listShard(shard: string, limit: number | undefined): Promise<StoredMatch[]> {
    if (limit !== undefined && limit <= 0) return [];
    const { name, partitionKey } = MATCHES.pendingIndex;
    const items = await queryAll(
      this.doc,
      {
        TableName: this.tableName,
        IndexName: name,
        KeyConditionExpression: '#shard = :shard',
        ExpressionAttributeNames: { '#shard': partitionKey },
        ExpressionAttributeValues: { ':shard': shard },
        ScanIndexForward: true,
      },
      limit,
    );
    return items.map(fromMatchItem);
  }

  async addSource(watchId: string, storyKey: string, merged: MergedItem): Promise<void> {
    const key = mergedKeyOf(merged);
    const shared = {
      TableName: this.tableName,
      Key: { [MATCHES.partitionKey]: watchId, [MATCHES.sortKey]: storyKey },
      ExpressionAttributeNames: { '#storyKey': MATCHES.sortKey },
    };
    // Only an existing match, never its own item, and each merged item once while keys fit.
    const newItem =
      'attribute_exists(#storyKey) AND NOT (feedUrl = :feed AND itemKey = :itemKey) ' +
      'AND (attribute_not_exists(mergedKeys) OR (NOT contains(mergedKeys, :key) AND size(mergedKeys) < :keysLimit))';
    const values = {
      ':feed': merged.feed,
      ':itemKey': merged.itemKey ?? '',
      ':key': key,
      ':keys': new Set([key]),
      ':keysLimit': MERGED_KEYS_LIMIT,
      ':limit': ALSO_IN_LIMIT,
    };
    const listed = await ignoringFailedCondition(() =>
      this.doc.send(
        new UpdateCommand({
          ...shared,
          UpdateExpression:
            'SET alsoIn = list_append(if_not_exists(alsoIn, :empty), :merged) ADD mergedKeys :keys',
          ConditionExpression: `${newItem} AND (attribute_not_exists(alsoIn) OR size(alsoIn) < :limit)`,
          ExpressionAttributeValues: { ...values, ':empty': [], ':merged': [merged] },
        }),
      ),
    );
    if (listed) return;
    await ignoringFailedCondition(() =>
      this.doc.send(
        new UpdateCommand({
          ...shared,
          UpdateExpression: 'ADD mergedKeys :keys, alsoInMore :one',
          ConditionExpression: `${newItem} AND size(alsoIn) >= :limit`,
          ExpressionAttributeValues: { ...values, ':one': 1 },
        }),
      ),
    );
  }

  async getStories(watchId: string): Promise<StoryRegister | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: storyRegisterKey(watchId), ConsistentRead: true }),
    );
    if (!result.Item) return undefined;
    return {
      version: Number(result.Item.version),
      stories: ((result.Item.stories as string[] | undefined) ?? []).map(decodeStory),
    };
  }

  async putStories(
    watchId: string,
    next: { expectedVersion?: number; stories: StoryRecord[] },
  ): Promise<'stored' | 'register-changed'> {
    const written = await ignoringFailedCondition(() =>
      this.doc.send(new PutCommand(this.registerPut(watchId, next))),
    );
    return written ? 'stored' : 'register-changed';
  }

  /** The conditional put of a watch's next register: see MatchStore.putNewStory. */
  private registerPut(watchId: string, next: { expectedVersion?: number; stories: StoryRecord[] }) {
    return {
      TableName: this.tableName,
      Item: {
        ...storyRegisterKey(watchId),
        version: (next.expectedVersion ?? 0) + 1,
        stories: encodeStories(next.stories),
        [MATCHES.ttlAttribute]: storyRegisterExpiry(this.clock.now()),
      },
      ...(next.expectedVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(version)' }
        : {
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': next.expectedVersion },
          }),
    };
  }

  async putNewStory(
    match: StoredMatch,
    next: { expectedVersion?: number; stories: StoryRecord[] },
  ): Promise<NewStoryOutcome> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: this.registerPut(match.watchId, next) },
            {
              Put: {
                TableName: this.tableName,
                Item: toMatchItem(match),
                ConditionExpression: 'attribute_not_exists(#storyKey)',
                ExpressionAttributeNames: { '#storyKey': MATCHES.sortKey },
              },
            },
          ],
        }),
      );
      return 'stored';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [register, stored] = error.CancellationReasons ?? [];
      // A conflicting transaction on the register is a change of it too: decide again.
      if (register?.Code && register.Code !== 'None') return 'register-changed';
      if (stored?.Code === 'ConditionalCheckFailed') return 'exists';
      throw error;
    }
  }

  /** Walks the per-day index from tomorrow (absorbing clock skew) back to the day of `since`. */
  private async listRecentAcrossWatches(since: string, limit: number | undefined): Promise<StoredMatch[]> {
    const tomorrow = new Date(this.clock.now().getTime() + 86_400_000);
    const days = daysBackTo(tomorrow, since);
    const { name, partitionKey, sortKey } = MATCHES.byDayIndex;
    const wanted = oneMore(limit);
    const found: StoredMatch[] = [];
    for (
      let start = 0, size = FIRST_DAY_BATCH;
      start < days.length && (wanted === undefined || found.length < wanted);
      start += size, size = Math.min(size * 2, MAX_DAY_BATCH)
    ) {
      const batch = days.slice(start, start + size);
      const remaining = wanted === undefined ? undefined : wanted - found.length;
      const perDay = await Promise.all(
        batch.map((day) =>
          queryAll(this.doc, this.newestFirstQuery(name, partitionKey, day, sortKey, since), remaining),
        ),
      );
      for (const items of perDay) found.push(...items.map(fromMatchItem));
    }
    // matchedDay is the day of matchedAt: one instant's matches share a partition.
    return this.inListingOrder(found, limit, (matchedAt) =>
      this.matchesAt(name, partitionKey, matchedAt.slice(0, 10), sortKey, matchedAt),
    );
  }

  /**
   * The first `limit` of `found` in the listing order (newestFirst), `found` being what the index
   * queries read, newest first, for one more than `limit` (see oneMore). The indexes sort by
   * matchedAt alone: where the limit cuts through the matches of one instant, which of them were
   * read is arbitrary, so all of that instant's are read (`atInstant`) and the order picks among
   * them. The match after the limit tells whether it does, so most listings need no extra query;
   * without `atInstant` (anyTies), none does.
   */
  private async inListingOrder(
    found: StoredMatch[],
    limit: number | undefined,
    atInstant: ((matchedAt: string) => Promise<StoredMatch[]>) | undefined,
  ): Promise<StoredMatch[]> {
    found.sort(newestFirst);
    if (limit === undefined) return found;
    const last = found[limit - 1];
    const next = found[limit];
    if (!atInstant || !last || !next || next.matchedAt !== last.matchedAt) return found.slice(0, limit);
    // Every match newer than that instant was read: each query reads its newest first.
    const newer = found.filter((match) => match.matchedAt > last.matchedAt);
    return [...newer, ...(await atInstant(last.matchedAt))].sort(newestFirst).slice(0, limit);
  }

  /** Every match of one index partition stored at `matchedAt`. */
  private async matchesAt(
    indexName: string,
    partitionKey: string,
    partitionValue: string,
    sortKey: string,
    matchedAt: string,
  ): Promise<StoredMatch[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: indexName,
      KeyConditionExpression: '#pk = :pk AND #sk = :at',
      ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
      ExpressionAttributeValues: { ':pk': partitionValue, ':at': matchedAt },
    });
    return items.map(fromMatchItem);
  }

  private newestFirstQuery(
    indexName: string,
    partitionKey: string,
    partitionValue: string,
    sortKey: string,
    since: string,
  ): QueryCommandInput {
    return {
      TableName: this.tableName,
      IndexName: indexName,
      KeyConditionExpression: '#pk = :pk AND #sk >= :since',
      ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
      ExpressionAttributeValues: { ':pk': partitionValue, ':since': since },
      ScanIndexForward: false,
    };
  }
}

/** A listing reads one match past its limit: whether that one ties with the last tells if the cut is clean. */
function oneMore(limit: number | undefined): number | undefined {
  return limit === undefined ? undefined : limit + 1;
}

/** Runs a conditional write: true when it was applied, false when its condition did not hold. */
export async function ignoringFailedCondition(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

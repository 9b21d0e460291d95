import {
  ALSO_IN_LIMIT,
  decodeStory,
  encodeStories,
  fromMatchItem,
  type MatchItem,
  MERGED_KEYS_LIMIT,
  mergedKeyOf,
  pendingShardOf,
  sinceWithinRetention,
  toMatchItem,
} from '#adapters/dynamodb/match-item.ts';
import { MATCHES } from '#adapters/dynamodb/schema.ts';
import { systemClock } from '#adapters/system-clock.ts';
import { byCodeUnits, newestFirst } from '#core/match-order.ts';
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

/**
 * In-process MatchStore with the DynamoDB store's semantics. It keeps the same item layout
 * (toMatchItem), so validation, the default listing window and alsoIn rules are shared.
 */
export class MemoryMatchStore implements MatchStore {
  /** Plain data only (mergedKeys an array, not a Set): the local store keeps these Maps as JSON. */
  private readonly items = new Map<string, MatchItem & { mergedKeys?: string[] }>();
  /** Story registers by watch, encoded as the DynamoDB store keeps them. */
  private readonly registers = new Map<string, { version: number; stories: string[] }>();

  constructor(private readonly clock: Clock = systemClock) {}

  async claim(
    watchId: string,
    storyKey: string,
    queue: ClaimQueue,
    claim: Claim,
    now: string,
  ): Promise<ClaimResult> {
    const item = this.items.get(itemKey(watchId, storyKey));
    if (item === undefined) return { claimed: false };
    const takenOver = item.alertState === 'SENDING' && isLapsedClaimOf(item, queue, now);
    if (item.alertState !== queue && !takenOver) return { claimed: false };
    item.alertState = 'SENDING';
    item.claimedBy = claim.owner;
    item.leaseUntil = claim.leaseUntil;
    return { claimed: true, match: toMatch(item), takenOver };
  }

  async settle(watchId: string, storyKey: string, owner: string, settlement: Settlement): Promise<boolean> {
    const item = this.items.get(itemKey(watchId, storyKey));
    if (item === undefined || item.alertState !== 'SENDING' || item.claimedBy !== owner) return false;
    item.alertState = settlement.state;
    delete item.claimedBy;
    delete item.leaseUntil;
    if (settlement.state === 'FAILED') item.failure = settlement.failure;
    const shard = pendingShardOf(settlement.state);
    if (shard) item.pendingShard = shard;
    else delete item.pendingShard;
    return true;
  }

  async get(watchId: string, storyKey: string): Promise<StoredMatch | undefined> {
    const item = this.items.get(itemKey(watchId, storyKey));
    return item && toMatch(item);
  }

  async listRecent(query: RecentMatchesQuery): Promise<StoredMatch[]> {
    if (query.limit !== undefined && query.limit <= 0) return [];
    const since = sinceWithinRetention(query.since, this.clock.now());
    const recent = [...this.items.values()]
      .filter(
        (item) => (query.watchId === undefined || item.watchId === query.watchId) && item.matchedAt >= since,
      )
      .sort(newestFirst);
    return recent.slice(0, query.limit).map(toMatch);
  }

  async listPending(limit?: number): Promise<StoredMatch[]> {
    return this.listShard(MATCHES.pendingShardValue, limit);
  }

  async listDigest(limit?: number): Promise<StoredMatch[]> {
    return this.listShard(MATCHES.digestShardValue, limit);
  }

  /**
   * DynamoDB's TTL in memory, so a store kept for months (the local store's file) stays bounded:
   * a match is forgotten once it is out of the retention window that listings show.
   */
  private forgetExpired(): void {
    const oldestKept = sinceWithinRetention(undefined, this.clock.now());
    for (const [key, item] of this.items) if (item.matchedAt < oldestKept) this.items.delete(key);
    // A register whose stories (newest last) are all past retention, as DynamoDB's TTL removes it.
    for (const [watchId, register] of this.registers) {
      const newest = register.stories.at(-1);
      if (newest !== undefined && decodeStory(newest).matchedAt < oldestKept) this.registers.delete(watchId);
    }
  }

  private listShard(shard: string, limit: number | undefined): StoredMatch[] {
    if (limit !== undefined && limit <= 0) return [];
    const oldestFirst = [...this.items.values()]
      .filter((item) => item.pendingShard === shard)
      .sort((a, b) => byCodeUnits(a.matchedAt, b.matchedAt));
    return oldestFirst.slice(0, limit).map(toMatch);
  }

  async addSource(watchId: string, storyKey: string, merged: MergedItem): Promise<void> {
    const item = this.items.get(itemKey(watchId, storyKey));
    if (!item || (item.feedUrl === merged.feed && item.itemKey === merged.itemKey)) return;
    const key = mergedKeyOf(merged);
    const keys = item.mergedKeys ?? [];
    if (keys.includes(key) || keys.length >= MERGED_KEYS_LIMIT) return;
    const alsoIn = item.alsoIn ?? [];
    if (alsoIn.length < ALSO_IN_LIMIT) item.alsoIn = [...alsoIn, structuredClone(merged)];
    else item.alsoInMore = (item.alsoInMore ?? 0) + 1;
    item.mergedKeys = [...keys, key];
  }

  async getStories(watchId: string): Promise<StoryRegister | undefined> {
    const register = this.registers.get(watchId);
    return register && { version: register.version, stories: register.stories.map(decodeStory) };
  }

  async putNewStory(
    match: StoredMatch,
    next: { expectedVersion?: number; stories: StoryRecord[] },
  ): Promise<NewStoryOutcome> {
    this.forgetExpired();
    const item = structuredClone(toMatchItem(match));
    if (this.registers.get(match.watchId)?.version !== next.expectedVersion) return 'register-changed';
    const key = itemKey(match.watchId, match.storyKey);
    if (this.items.has(key)) return 'exists';
    this.items.set(key, item);
    this.writeRegister(match.watchId, next);
    return 'stored';
  }

  async putStories(
    watchId: string,
    next: { expectedVersion?: number; stories: StoryRecord[] },
  ): Promise<'stored' | 'register-changed'> {
    if (this.registers.get(watchId)?.version !== next.expectedVersion) return 'register-changed';
    this.writeRegister(watchId, next);
    return 'stored';
  }

  private writeRegister(watchId: string, next: { expectedVersion?: number; stories: StoryRecord[] }): void {
    this.registers.set(watchId, {
      version: (next.expectedVersion ?? 0) + 1,
      stories: encodeStories(next.stories),
    });
  }
}

/** A SENDING claim taken from `queue` whose lease ended before `now`. */
function isLapsedClaimOf(item: MatchItem, queue: ClaimQueue, now: string): boolean {
  return (
    item.pendingShard === pendingShardOf(queue) && item.leaseUntil !== undefined && item.leaseUntil < now
  );
}

function itemKey(watchId: string, storyKey: string): string {
  return JSON.stringify([watchId, storyKey]);
}

function toMatch(item: MatchItem): StoredMatch {
  return fromMatchItem(structuredClone(item));
}

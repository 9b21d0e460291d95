import {
  ALSO_IN_LIMIT,
  fromMatchItem,
  type MatchItem,
  pendingShardOf,
  sinceWithinRetention,
  toMatchItem,
} from '#adapters/dynamodb/match-item.ts';
import { MATCHES } from '#adapters/dynamodb/schema.ts';
import { byCodeUnits, newestFirst } from '#core/match-order.ts';
import type { StoredMatch } from '#core/model.ts';
import type { Clock, MatchStore, RecentMatchesQuery } from '#core/ports.ts';

const systemClock: Clock = { now: () => new Date() };

/**
 * In-process MatchStore with the DynamoDB store's semantics. It keeps the same item layout
 * (toMatchItem), so validation, the default listing window and alsoIn rules are shared.
 */
export class MemoryMatchStore implements MatchStore {
  private readonly items = new Map<string, MatchItem>();

  constructor(private readonly clock: Clock = systemClock) {}

  async putIfAbsent(match: StoredMatch): Promise<boolean> {
    this.forgetExpired();
    const key = itemKey(match.watchId, match.storyKey);
    if (this.items.has(key)) return false;
    this.items.set(key, structuredClone(toMatchItem(match)));
    return true;
  }

  async transition(
    watchId: string,
    storyKey: string,
    state: 'SENT' | 'SUPPRESSED' | 'DIGEST',
    from: 'PENDING' | 'DIGEST' = 'PENDING',
  ): Promise<boolean> {
    const item = this.items.get(itemKey(watchId, storyKey));
    if (item === undefined || item.alertState !== from) return false;
    item.alertState = state;
    const shard = pendingShardOf(state);
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
  }

  private listShard(shard: string, limit: number | undefined): StoredMatch[] {
    if (limit !== undefined && limit <= 0) return [];
    const oldestFirst = [...this.items.values()]
      .filter((item) => item.pendingShard === shard)
      .sort((a, b) => byCodeUnits(a.matchedAt, b.matchedAt));
    return oldestFirst.slice(0, limit).map(toMatch);
  }

  async addSource(watchId: string, storyKey: string, source: string): Promise<void> {
    const item = this.items.get(itemKey(watchId, storyKey));
    if (!item || item.feedUrl === source || item.link === source) return;
    const alsoIn = item.alsoIn ?? [];
    if (alsoIn.includes(source) || alsoIn.length >= ALSO_IN_LIMIT) return;
    item.alsoIn = [...alsoIn, source];
  }
}

function itemKey(watchId: string, storyKey: string): string {
  return JSON.stringify([watchId, storyKey]);
}

function toMatch(item: MatchItem): StoredMatch {
  return fromMatchItem(structuredClone(item));
}

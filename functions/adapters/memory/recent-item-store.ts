import type { RecentItem } from '#core/model.ts';
import type { Clock, RecentItemStore } from '#core/ports.ts';
import { recentItemExpiry } from '#core/recent/recent-item.ts';
import { newestSeenFirst } from '../dynamodb/recent-item-row.ts';

/** In-process RecentItemStore with the DynamoDB store's semantics, expiry included. */
export class MemoryRecentItemStore implements RecentItemStore {
  private readonly items = new Map<string, RecentItem>();

  constructor(private readonly clock: Clock = { now: () => new Date() }) {}

  async record(items: readonly RecentItem[]): Promise<void> {
    this.forgetExpired();
    for (const item of items) {
      const id = JSON.stringify([item.feedUrl, item.key]);
      const kept = this.items.get(id);
      if (!kept || kept.seenAt <= item.seenAt) this.items.set(id, structuredClone(item));
    }
  }

  async listSince(since: string, limit?: number): Promise<RecentItem[]> {
    this.forgetExpired();
    const listed = [...this.items.values()].filter((item) => item.seenAt >= since).sort(newestSeenFirst);
    return (limit === undefined ? listed : listed.slice(0, limit)).map((item) => structuredClone(item));
  }

  /** As DynamoDB's TTL does, so a long local run does not keep every item it ever saw. */
  private forgetExpired(): void {
    const now = this.clock.now().getTime();
    for (const [key, item] of this.items) {
      if (recentItemExpiry(item.seenAt).getTime() <= now) this.items.delete(key);
    }
  }
}

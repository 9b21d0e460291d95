import { byKey, withoutUndefined } from '#adapters/dynamodb/items.ts';
import type { FeedState } from '#core/model.ts';
import type { FeedStore } from '#core/ports.ts';

/** In-process FeedStore with the DynamoDB store's semantics; copies in and out like a database. */
export class MemoryFeedStore implements FeedStore {
  private readonly feeds = new Map<string, FeedState>();

  async list(): Promise<FeedState[]> {
    return [...this.feeds.values()].map((state) => structuredClone(state)).sort(byKey('url'));
  }

  async get(url: string): Promise<FeedState | undefined> {
    const state = this.feeds.get(url);
    return state && structuredClone(state);
  }

  async put(state: FeedState): Promise<void> {
    this.feeds.set(state.url, structuredClone(withoutUndefined(state)));
  }

  async delete(url: string): Promise<boolean> {
    return this.feeds.delete(url);
  }

  /** Soonest due first, like the DynamoDB store. */
  async due(now: string): Promise<FeedState[]> {
    return [...this.feeds.values()]
      .filter((state) => state.nextDueAt <= now)
      .sort(byKey('nextDueAt'))
      .map((state) => structuredClone(state));
  }
}

import { byKey, withoutUndefined } from '#adapters/dynamodb/items.ts';
import type { Watch } from '#core/model.ts';
import type { WatchStore } from '#core/ports.ts';

/** In-process WatchStore with the DynamoDB store's semantics; copies in and out like a database. */
export class MemoryWatchStore implements WatchStore {
  private readonly watches = new Map<string, Watch>();

  async list(): Promise<Watch[]> {
    return [...this.watches.values()].map((watch) => structuredClone(watch)).sort(byKey('id'));
  }

  async get(id: string): Promise<Watch | undefined> {
    const watch = this.watches.get(id);
    return watch && structuredClone(watch);
  }

  async put(watch: Watch): Promise<void> {
    this.watches.set(watch.id, structuredClone(withoutUndefined(watch)));
  }

  async delete(id: string): Promise<boolean> {
    return this.watches.delete(id);
  }
}

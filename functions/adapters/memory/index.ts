import { systemClock } from '#adapters/system-clock.ts';
import type { Clock } from '#core/ports.ts';
import { MemoryFeedStore } from './feed-store.ts';
import { MemoryMatchStore } from './match-store.ts';
import { MemoryRateLimiter } from './rate-limiter.ts';
import { MemoryRecentItemStore } from './recent-item-store.ts';
import { MemoryWatchStore } from './watch-store.ts';

export { MemoryFeedStore, MemoryMatchStore, MemoryRateLimiter, MemoryRecentItemStore, MemoryWatchStore };

/**
 * One of each memory store, reading time from `clock`: the store of `run --store memory`, and
 * the working copy of the local store's file (adapters/file/state-file.ts).
 */
export function memoryStores(clock: Clock = systemClock) {
  return {
    watches: new MemoryWatchStore(),
    feeds: new MemoryFeedStore(),
    matches: new MemoryMatchStore(clock),
    rateLimiter: new MemoryRateLimiter(() => clock.now().getTime()),
    recentItems: new MemoryRecentItemStore(clock),
  };
}

export { MemoryFeedStore } from './feed-store.ts';
export { MemoryMatchStore } from './match-store.ts';
export { MemoryRateLimiter } from './rate-limiter.ts';
export { MemoryRecentItemStore } from './recent-item-store.ts';
export { MemoryWatchStore } from './watch-store.ts';

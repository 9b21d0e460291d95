export { MemoryFeedStore } from './feed-store.ts';
export { MemoryMatchStore } from './match-store.ts';
export { MemoryRateLimiter } from './rate-limiter.ts';
export { MemoryWatchStore } from './watch-store.ts';

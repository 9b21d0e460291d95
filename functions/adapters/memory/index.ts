export { MemoryFeedStore } from './feed-store.ts';
export { MemoryMatchStore } from './match-store.ts';
export { MemoryWatchStore } from './watch-store.ts';

import {
  MemoryFeedStore,
  MemoryMatchStore,
  MemoryRateLimiter,
  MemoryRecentItemStore,
  MemoryWatchStore,
} from '#adapters/memory/index.ts';
import {
  describeRecentItemContract,
  describeRoutingContract,
  describeStoreContract,
} from './helpers/store-contract.ts';

describeStoreContract('in-memory', async (clock) => ({
  watches: new MemoryWatchStore(),
  feeds: new MemoryFeedStore(),
  matches: new MemoryMatchStore(clock),
}));

describeRoutingContract('in-memory', async (clock) => ({
  matches: new MemoryMatchStore(clock),
  rateLimiter: new MemoryRateLimiter(() => clock.now().getTime()),
}));

describeRecentItemContract('in-memory', async (clock) => new MemoryRecentItemStore(clock));

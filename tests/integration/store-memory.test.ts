import {
  MemoryFeedStore,
  MemoryMatchStore,
  MemoryRateLimiter,
  MemoryWatchStore,
} from '#adapters/memory/index.ts';
import { describeRoutingContract, describeStoreContract } from './helpers/store-contract.ts';

describeStoreContract('in-memory', async (clock) => ({
  watches: new MemoryWatchStore(),
  feeds: new MemoryFeedStore(),
  matches: new MemoryMatchStore(clock),
}));

describeRoutingContract('in-memory', async (clock) => ({
  matches: new MemoryMatchStore(clock),
  rateLimiter: new MemoryRateLimiter(() => clock.now().getTime()),
}));

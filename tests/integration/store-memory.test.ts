import { MemoryFeedStore, MemoryMatchStore, MemoryWatchStore } from '#adapters/memory/index.ts';
import { describeStoreContract } from './helpers/store-contract.ts';

describeStoreContract('in-memory', async (clock) => ({
  watches: new MemoryWatchStore(),
  feeds: new MemoryFeedStore(),
  matches: new MemoryMatchStore(clock),
}));

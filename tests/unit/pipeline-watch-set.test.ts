import { expect, test } from 'vitest';
import { MemoryWatchStore } from '#adapters/memory/index.ts';
import { WatchSetCache } from '#core/pipeline/watch-set.ts';
import { ManualClock } from './helpers/pipeline-fakes.ts';

const item = { title: 'Truce agreed', body: 'A truce was agreed overnight.' };

test('compiles once, reuses while unchanged, and rebuilds when a watch changes', async () => {
  const store = new MemoryWatchStore();
  const clock = new ManualClock(new Date('2026-11-28T10:00:00.000Z'));
  const cache = new WatchSetCache(store, clock, 60_000);
  await store.put({ id: 'truce', query: 'truce' });

  const first = await cache.get();
  await store.put({ id: 'ceasefire', query: 'ceasefire' });
  const withinRefresh = await cache.get();
  clock.advance(60_000);
  const afterChange = await cache.get();
  clock.advance(60_000);
  const unchanged = await cache.get();

  expect(first.rebuilt).toBe(true);
  expect(withinRefresh.rebuilt).toBe(false);
  expect(withinRefresh.watchSet.matcher.size).toBe(1);
  expect(afterChange.rebuilt).toBe(true);
  expect(afterChange.watchSet.matcher.size).toBe(2);
  expect(unchanged.rebuilt).toBe(false);
  expect(unchanged.watchSet).toBe(afterChange.watchSet);
});

test('an invalid watch is reported and skipped; the others still match', async () => {
  const store = new MemoryWatchStore();
  await store.put({ id: 'broken', query: 'truce AND' });
  await store.put({ id: 'truce', query: 'truce' });
  const cache = new WatchSetCache(store, new ManualClock(new Date()), 60_000);

  const { watchSet, invalid } = await cache.get();

  expect(invalid.map(({ watch, error }) => [watch.id, error.message])).toEqual([
    ['broken', 'at position 10: expected a term after "AND"'],
  ]);
  expect(watchSet.matcher.match(item).map((m) => m.watchId)).toEqual(['truce']);
});

test('a disabled watch is not matched', async () => {
  const store = new MemoryWatchStore();
  await store.put({ id: 'truce', query: 'truce', enabled: false });

  const { watchSet } = await new WatchSetCache(store, new ManualClock(new Date()), 60_000).get();

  expect(watchSet.matcher.match(item)).toEqual([]);
});

test('parallel callers share one read of the table', async () => {
  const store = new MemoryWatchStore();
  await store.put({ id: 'truce', query: 'truce' });
  let reads = 0;
  const list = store.list.bind(store);
  store.list = async () => {
    reads++;
    return list();
  };
  const cache = new WatchSetCache(store, new ManualClock(new Date()), 60_000);

  const results = await Promise.all([cache.get(), cache.get(), cache.get()]);

  expect(reads).toBe(1);
  expect(new Set(results.map((result) => result.watchSet)).size).toBe(1);
});

test('a change to a routing field alone rebuilds the watch set', async () => {
  const store = new MemoryWatchStore();
  const clock = new ManualClock(new Date('2026-11-28T10:00:00.000Z'));
  const cache = new WatchSetCache(store, clock, 60_000);
  await store.put({ id: 'truce', query: 'truce' });
  await cache.get();
  await store.put({ id: 'truce', query: 'truce', delivery: 'muted' });
  clock.advance(60_000);

  const { rebuilt, watchSet } = await cache.get();

  expect(rebuilt).toBe(true);
  expect(watchSet.watches.get('truce')?.delivery).toBe('muted');
});

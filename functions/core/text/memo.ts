import { LRUCache } from 'lru-cache';

/**
 * How many entries each text memo keeps. A long-lived Lambda meets an open vocabulary (names,
 * numbers, typos): past this many, the least recently used entries go and the words met
 * every day stay.
 */
const MEMO_ENTRIES = 200_000;

/** `compute` remembered by its string argument, for the text steps that meet the same words again and again. */
export function memoised<V extends {}>(compute: (key: string) => V): (key: string) => V {
  const cache = new LRUCache<string, V>({ max: MEMO_ENTRIES });
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute(key);
      cache.set(key, value);
    }
    return value;
  };
}

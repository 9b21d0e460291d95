/**
 * How many entries each text memo keeps. A long-lived Lambda meets an open vocabulary (names,
 * numbers, typos): past this many, the entries not used since the last turnover go and the words
 * met every day stay.
 */
const MEMO_ENTRIES = 200_000;

/**
 * `compute` remembered by its string argument, for the text steps that meet the same words again
 * and again. Two generations of Maps: a hit in the older one moves to the newer one, and when the
 * newer one holds half the entries it becomes the older one and the older one goes. A least
 * recently used entry goes within one turnover, as in an LRU cache, at the cost of one Map lookup
 * a hit. lru-cache allocated its arrays for all 200,000 entries when made: the two memos cost the
 * poller about 90 ms of each cold start (`npm run bench -- --only cold-start`).
 */
export function memoised<V extends {}>(compute: (key: string) => V): (key: string) => V {
  const half = MEMO_ENTRIES / 2;
  let recent = new Map<string, V>();
  let older = new Map<string, V>();
  return (key) => {
    let value = recent.get(key);
    if (value !== undefined) return value;
    value = older.get(key) ?? compute(key);
    if (recent.size >= half) {
      older = recent;
      recent = new Map();
    }
    recent.set(key, value);
    return value;
  };
}

import type { StoredMatch } from './model.ts';

type Ordered = Pick<StoredMatch, 'matchedAt' | 'published' | 'watchId' | 'itemKey' | 'storyKey'>;

/**
 * The order of MatchStore.listRecent, and so of `feedwatch matches`: the newest matchedAt first.
 * One poll stores all its matches with one matchedAt, so ties are common; they come newest
 * published first (an item without a date after those with one), then by watch id, then by item
 * key, and last by story key, which no two matches of a watch share: every listing of the same
 * matches comes out in the same order. Strings compare by character code, as the indexes do.
 */
export function newestFirst(a: Ordered, b: Ordered): number {
  return (
    byCodeUnits(b.matchedAt, a.matchedAt) ||
    // An absent date is '', before every date: last when newest comes first.
    byCodeUnits(b.published ?? '', a.published ?? '') ||
    byCodeUnits(a.watchId, b.watchId) ||
    byCodeUnits(a.itemKey, b.itemKey) ||
    byCodeUnits(a.storyKey, b.storyKey)
  );
}

/** Ascending by character code, as the indexes sort (not localeCompare). */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

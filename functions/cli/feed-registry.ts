import type { FeedState } from '#core/model.ts';
import type { FeedStore } from '#core/ports.ts';

/** Adds the feeds not stored yet, due at once; returns how many were added. */
export async function addMissingFeeds(
  feeds: FeedStore,
  urls: readonly string[],
  now: Date,
  fromConfig = false,
): Promise<number> {
  let added = 0;
  for (const url of urls) {
    if (await feeds.get(url)) continue;
    const state: FeedState = {
      url,
      consecutiveFailures: 0,
      nextDueAt: now.toISOString(),
      createdAt: now.toISOString(),
      ...(fromConfig ? { fromConfig } : {}),
    };
    await feeds.put(state);
    added++;
  }
  return added;
}

/**
 * The config's feeds are the config's to add and to remove: those it lists are added, and
 * those it added once and lists no more are removed. Feeds added with `feed add` are left
 * alone. Returns how many were removed.
 */
export async function syncConfigFeeds(feeds: FeedStore, urls: readonly string[], now: Date): Promise<number> {
  await addMissingFeeds(feeds, urls, now, true);
  const listed = new Set(urls);
  let removed = 0;
  for (const feed of await feeds.list()) {
    if (feed.fromConfig && !listed.has(feed.url) && (await feeds.delete(feed.url))) removed++;
  }
  return removed;
}

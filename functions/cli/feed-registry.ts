import { fullTextOf } from '#core/article/full-text.ts';
import type { FeedState, FullTextMode } from '#core/model.ts';
import type { FeedStore } from '#core/ports.ts';

/** Adds the feeds not stored yet, due at once; returns how many were added. */
export async function addMissingFeeds(
  feeds: FeedStore,
  urls: readonly string[],
  now: Date,
  fromConfig = false,
  settings: Pick<FeedState, 'fullText' | 'pollEvery'> = {},
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
      ...(settings.fullText ? { fullText: settings.fullText } : {}),
      ...(settings.pollEvery ? { pollEvery: settings.pollEvery } : {}),
    };
    await feeds.put(state);
    added++;
  }
  return added;
}

/**
 * The config's feeds are the config's to add, to set and to remove: those it lists are added
 * with their full-text setting (the feed's own, else the config's; it follows the config when
 * that changes), and those it added once and lists no more are removed. Feeds added with
 * `feed add` are left alone. Returns how many were removed.
 */
export async function syncConfigFeeds(
  feeds: FeedStore,
  config: {
    feeds: readonly string[];
    fullText: FullTextMode;
    feedFullText: ReadonlyMap<string, FullTextMode>;
  },
  now: Date,
): Promise<number> {
  const modeOf = (url: string) => config.feedFullText.get(url) ?? config.fullText;
  for (const url of config.feeds) await addMissingFeeds(feeds, [url], now, true, { fullText: modeOf(url) });
  const listed = new Set(config.feeds);
  let removed = 0;
  for (const feed of await feeds.list()) {
    if (!feed.fromConfig) continue;
    if (!listed.has(feed.url)) {
      if (await feeds.delete(feed.url)) removed++;
    } else if (fullTextOf(feed) !== modeOf(feed.url)) {
      await feeds.put({ ...feed, fullText: modeOf(feed.url) });
    }
  }
  return removed;
}

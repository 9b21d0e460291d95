import type { Clock, FeedStore, MatchStore, RecentItemStore, WatchStore } from '#core/ports.ts';

/** What the console needs: the same store ports the CLI and the pipeline use, and no adapter. */
export interface ConsoleDeps {
  watches: WatchStore;
  feeds: FeedStore;
  matches: MatchStore;
  /** Absent for a store without recent items: the lab then says there is nothing to try queries on. */
  recentItems?: RecentItemStore;
  clock: Clock;
  /** Refuses a feed URL that can never be polled (another scheme, a blocked address); throws FetchError. */
  checkFeedUrl(url: string): Promise<void>;
  /** The zone quiet hours and daily digests of a new watch are in, unless the form says otherwise. */
  timeZone: string;
  /** Told of each request that failed unexpectedly; the response itself says only what failed. */
  reportError(error: unknown): void;
}

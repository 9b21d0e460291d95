import pLimit from 'p-limit';
import type { FeedState } from '../model.ts';
import { type PollDeps, type PollOutcome, pollFeed } from './poll-feed.ts';

export interface BatchLimits {
  /** Feeds fetched at once. @default FETCH_CONCURRENCY */
  concurrency?: number;
  /** Feeds of one host fetched at once, to stay polite to a publisher with many feeds. @default 2 */
  perHost?: number;
}

export interface BatchResult {
  outcomes: PollOutcome[];
  /** Feeds whose poll hit a store error; their URLs are worth retrying as a whole. */
  errors: { url: string; error: unknown }[];
  /** Feeds not started because `canStart` said no (the time left ran short); worth handing back. */
  deferred: string[];
}

/**
 * Feeds one process or invocation fetches at once, unless told otherwise. A poller is billed
 * while it waits for publishers, so more at once is cheaper; the fetcher lets only 4 bodies
 * grow past 1 MB at a time (LargeBodySlots), so this many hold at most 64 MB below that and
 * 40 MB above it, within a 512 MB poller.
 */
export const FETCH_CONCURRENCY = 64;

/**
 * The fetch slots of one process or invocation, overall and per host. Share one throttle
 * across every batch that runs at the same time (the poller's parallel queue records), so
 * the bounds hold for the invocation, not for each message.
 */
export class FetchThrottle {
  private readonly overall: ReturnType<typeof pLimit>;
  private readonly perHost = new Map<string, ReturnType<typeof pLimit>>();

  constructor(private readonly limits: BatchLimits = {}) {
    this.overall = pLimit(limits.concurrency ?? FETCH_CONCURRENCY);
  }

  /** Host slot first, so a feed waiting for its host holds no overall slot. */
  run<T>(url: string, work: () => Promise<T>): Promise<T> {
    const host = hostOf(url);
    let hostLimit = this.perHost.get(host);
    if (!hostLimit) {
      hostLimit = pLimit(this.limits.perHost ?? 2);
      this.perHost.set(host, hostLimit);
    }
    return hostLimit(() => this.overall(work));
  }
}

/**
 * Polls many feeds with bounded concurrency, overall and per host; one feed never holds up the
 * rest beyond its own deadline. `canStart` is asked as each feed gets its slot: a feed it
 * refuses is not polled and is listed in `deferred` (the poller's Lambda, short of time).
 */
export async function pollFeeds(
  feeds: readonly FeedState[],
  deps: PollDeps,
  throttle: FetchThrottle = new FetchThrottle(),
  onOutcome?: (outcome: PollOutcome) => void,
  canStart: () => boolean = () => true,
): Promise<BatchResult> {
  const settled = await Promise.allSettled(
    feeds.map((feed) =>
      throttle.run(feed.url, async () => {
        if (!canStart()) return undefined;
        const outcome = await pollFeed(feed, deps);
        onOutcome?.(outcome);
        return outcome;
      }),
    ),
  );

  const result: BatchResult = { outcomes: [], errors: [], deferred: [] };
  settled.forEach((entry, index) => {
    const url = feeds[index]?.url ?? '';
    if (entry.status === 'rejected') result.errors.push({ url, error: entry.reason });
    else if (entry.value === undefined) result.deferred.push(url);
    else result.outcomes.push(entry.value);
  });
  return result;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

import pLimit from 'p-limit';
import type { FeedState } from '../model.ts';
import { type PollDeps, type PollOutcome, pollFeed } from './poll-feed.ts';

export interface BatchLimits {
  /** Feeds fetched at once. @default 16 */
  concurrency?: number;
  /** Feeds of one host fetched at once, to stay polite to a publisher with many feeds. @default 2 */
  perHost?: number;
}

export interface BatchResult {
  outcomes: PollOutcome[];
  /** Feeds whose poll hit a store error; their URLs are worth retrying as a whole. */
  errors: { url: string; error: unknown }[];
}

/** Polls many feeds with bounded concurrency, overall and per host; one feed never holds up the rest beyond its own deadline. */
export async function pollFeeds(
  feeds: readonly FeedState[],
  deps: PollDeps,
  limits: BatchLimits = {},
  onOutcome?: (outcome: PollOutcome) => void,
): Promise<BatchResult> {
  const overall = pLimit(limits.concurrency ?? 16);
  const perHost = new Map<string, ReturnType<typeof pLimit>>();
  const hostLimit = (url: string) => {
    const host = hostOf(url);
    let limit = perHost.get(host);
    if (!limit) {
      limit = pLimit(limits.perHost ?? 2);
      perHost.set(host, limit);
    }
    return limit;
  };

  const settled = await Promise.allSettled(
    feeds.map((feed) =>
      hostLimit(feed.url)(() =>
        overall(async () => {
          const outcome = await pollFeed(feed, deps);
          onOutcome?.(outcome);
          return outcome;
        }),
      ),
    ),
  );

  const result: BatchResult = { outcomes: [], errors: [] };
  settled.forEach((entry, index) => {
    if (entry.status === 'fulfilled') result.outcomes.push(entry.value);
    else result.errors.push({ url: feeds[index]?.url ?? '', error: entry.reason });
  });
  return result;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

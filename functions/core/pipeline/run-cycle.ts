import { PerWatchQueue } from '../alerts/same-story.ts';
import { sendDueDigests } from '../alerts/send-digests.ts';
import type { ArticleDeps } from '../article/article-pages.ts';
import { errorMessage } from '../errors.ts';
import type { StoredMatch, Watch } from '../model.ts';
import type {
  Clock,
  FeedStore,
  Fetcher,
  MatchStore,
  Notifier,
  RateLimiter,
  RecentItemStore,
  WatchStore,
} from '../ports.ts';
import { type DeliverDeps, deliverAlert, redrivePending } from './deliver.ts';
import { type BatchLimits, FetchThrottle, pollFeeds } from './poll-batch.ts';
import type { PollOutcome } from './poll-feed.ts';
import { DEFAULT_SCHEDULE, isScheduled, type SchedulePolicy } from './schedule.ts';
import { buildWatchSet } from './watch-set.ts';

export interface CycleDeps {
  watches: WatchStore;
  feeds: FeedStore;
  matches: MatchStore;
  fetcher: Fetcher;
  notifier: Notifier;
  /** Counts immediate alerts per watch and hour, as the notifier does in AWS. */
  rateLimiter: RateLimiter;
  /** Keeps every new item for the console's lab and `watch test --recent`. */
  recentItems?: RecentItemStore;
  clock: Clock;
  schedule?: SchedulePolicy;
  limits?: BatchLimits;
  /** Fetches the article pages of new items, as the poller does. */
  articles?: ArticleDeps;
  /**
   * The matches live in this process only (the local run's memory store): the rate-limit notice
   * and the digest do not point at `feedwatch matches`, which cannot read them.
   */
  matchesLostAtExit?: boolean;
}

export interface CycleReport {
  polled: number;
  notModified: number;
  failed: { url: string; message: string }[];
  newItems: number;
  /** Matches alerted one by one (rate-limit notices not included). */
  alerts: number;
  /** Matches moved to their watch's next digest (digest mode, quiet hours, over the hourly limit). */
  routedToDigest: number;
  /** Digest messages sent. */
  digests: number;
  invalidWatches: { watch: Watch; message: string }[];
  /** Alert and digest deliveries that failed; the matches stay waiting and are retried next cycle. */
  deliveryErrors: { watchId: string; storyKey: string; message: string }[];
  /** Matches the alert service refused for good: FAILED, shown by `feedwatch matches`, never retried. */
  refused: { watchId: string; storyKey: string; message: string }[];
  outcomes: PollOutcome[];
}

/**
 * One cycle of the whole pipeline in one process, as the local run does it: what the
 * dispatcher, pollers, notifier and sweeper do in AWS, in the same order and with the
 * same code. Matches left PENDING by an earlier cycle (a crash, a failed publish) are
 * delivered too, so nothing stored goes unalerted.
 */
export interface CycleProgress {
  start(dueFeeds: number): void;
  polled(outcome: PollOutcome): void;
}

export async function runCycle(deps: CycleDeps, progress?: CycleProgress): Promise<CycleReport> {
  const now = deps.clock.now();
  const { watchSet, invalid } = buildWatchSet(await deps.watches.list());
  const schedule = deps.schedule ?? DEFAULT_SCHEDULE;
  const due = (await deps.feeds.due(now.toISOString())).filter((feed) => isScheduled(feed, now, schedule));
  progress?.start(due.length);
  const batch = await pollFeeds(
    due,
    {
      fetcher: deps.fetcher,
      feeds: deps.feeds,
      matches: deps.matches,
      recentItems: deps.recentItems,
      clock: deps.clock,
      watchSet,
      schedule: deps.schedule,
      articles: deps.articles,
      sameStoryQueue: new PerWatchQueue(),
    },
    new FetchThrottle(deps.limits),
    progress?.polled,
  );

  const report: CycleReport = {
    polled: batch.outcomes.length,
    notModified: 0,
    failed: [],
    newItems: 0,
    alerts: 0,
    routedToDigest: 0,
    digests: 0,
    invalidWatches: invalid.map(({ watch, error }) => ({ watch, message: error.message })),
    deliveryErrors: [],
    refused: [],
    outcomes: batch.outcomes,
  };
  for (const outcome of batch.outcomes) {
    if (outcome.status === 'not-modified' || outcome.status === 'unchanged') report.notModified++;
    if (outcome.status === 'failed')
      report.failed.push({ url: outcome.url, message: outcome.error?.message ?? '' });
    report.newItems += outcome.newItems;
  }
  // A store error on one feed leaves its state unwritten, so it is simply due again next cycle;
  // the other feeds' matches are still delivered below.
  for (const { url, error } of batch.errors) {
    report.failed.push({ url, message: `not recorded, retried next cycle: ${errorMessage(error)}` });
  }

  // The watches just listed serve the routing: one read per cycle, not one per alert.
  const watches = { get: async (id: string) => watchSet.watches.get(id) };
  const delivery: DeliverDeps = {
    notifier: deps.notifier,
    matches: deps.matches,
    routing: {
      watches,
      rateLimiter: deps.rateLimiter,
      clock: deps.clock,
      matchesLostAtExit: deps.matchesLostAtExit,
    },
  };
  for (const stored of batch.outcomes.flatMap((outcome) => outcome.stored)) {
    try {
      const { result, match } = await deliverAlert(stored, delivery);
      if (result === 'sent') report.alerts++;
      if (result === 'digest') report.routedToDigest++;
      if (result === 'failed') report.refused.push(refusal(stored, match?.failure));
    } catch (error) {
      report.deliveryErrors.push({
        watchId: stored.watchId,
        storyKey: stored.storyKey,
        message: errorMessage(error),
      });
    }
  }
  if (report.deliveryErrors.length === 0) {
    const redriven = await redrivePending(delivery, now);
    report.alerts += redriven.sent.length;
    for (const match of redriven.refused) report.refused.push(refusal(match, match.failure));
  }
  const digests = await sendDueDigests({
    ...delivery,
    watches,
    clock: deps.clock,
    matchesLostAtExit: deps.matchesLostAtExit,
  });
  report.digests = digests.sent.length;
  for (const { watchId, storyKey, reason } of digests.refused)
    report.refused.push({ watchId, storyKey, message: reason });
  for (const failure of digests.failed) {
    report.deliveryErrors.push({
      watchId: failure.watchId,
      storyKey: '(digest)',
      message: errorMessage(failure.error),
    });
  }
  return report;
}

function refusal(match: Pick<StoredMatch, 'watchId' | 'storyKey'>, reason: string | undefined) {
  return { watchId: match.watchId, storyKey: match.storyKey, message: reason ?? '' };
}

import type { Watch } from '../model.ts';
import type { Clock, FeedStore, Fetcher, MatchStore, Notifier, WatchStore } from '../ports.ts';
import { deliverAlert, redrivePending } from './deliver.ts';
import { type BatchLimits, pollFeeds } from './poll-batch.ts';
import type { PollOutcome } from './poll-feed.ts';
import type { SchedulePolicy } from './schedule.ts';
import { buildWatchSet } from './watch-set.ts';

export interface CycleDeps {
  watches: WatchStore;
  feeds: FeedStore;
  matches: MatchStore;
  fetcher: Fetcher;
  notifier: Notifier;
  clock: Clock;
  schedule?: SchedulePolicy;
  limits?: BatchLimits;
}

export interface CycleReport {
  polled: number;
  notModified: number;
  failed: { url: string; message: string }[];
  newItems: number;
  alerts: number;
  invalidWatches: { watch: Watch; message: string }[];
  /** Alert deliveries that failed; the matches stay PENDING and are retried next cycle. */
  deliveryErrors: { watchId: string; storyKey: string; message: string }[];
  outcomes: PollOutcome[];
}

/**
 * One cycle of the whole pipeline in one process, as the local run does it: what the
 * dispatcher, pollers, notifier and sweeper do in AWS, in the same order and with the
 * same code. Matches left PENDING by an earlier cycle (a crash, a failed publish) are
 * delivered too, so nothing stored goes unalerted.
 */
export async function runCycle(
  deps: CycleDeps,
  onOutcome?: (outcome: PollOutcome) => void,
): Promise<CycleReport> {
  const now = deps.clock.now();
  const { watchSet, invalid } = buildWatchSet(await deps.watches.list());
  const due = await deps.feeds.due(now.toISOString());
  const batch = await pollFeeds(
    due,
    {
      fetcher: deps.fetcher,
      feeds: deps.feeds,
      matches: deps.matches,
      clock: deps.clock,
      watchSet,
      schedule: deps.schedule,
    },
    deps.limits,
    onOutcome,
  );
  if (batch.errors.length > 0) throw batch.errors[0]?.error;

  const report: CycleReport = {
    polled: batch.outcomes.length,
    notModified: 0,
    failed: [],
    newItems: 0,
    alerts: 0,
    invalidWatches: invalid.map(({ watch, error }) => ({ watch, message: error.message })),
    deliveryErrors: [],
    outcomes: batch.outcomes,
  };
  for (const outcome of batch.outcomes) {
    if (outcome.status === 'not-modified' || outcome.status === 'unchanged') report.notModified++;
    if (outcome.status === 'failed')
      report.failed.push({ url: outcome.url, message: outcome.error?.message ?? '' });
    report.newItems += outcome.newItems;
  }

  const delivery = { notifier: deps.notifier, matches: deps.matches };
  for (const stored of batch.outcomes.flatMap((outcome) => outcome.stored)) {
    try {
      if ((await deliverAlert(stored, delivery)).result === 'sent') report.alerts++;
    } catch (error) {
      report.deliveryErrors.push({
        watchId: stored.watchId,
        storyKey: stored.storyKey,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  if (report.deliveryErrors.length === 0) {
    const redriven = await redrivePending(delivery, now);
    report.alerts += redriven.sent.length;
  }
  return report;
}

import type { FeedQueue, FeedStore } from '../ports.ts';
import { DEFAULT_SCHEDULE, isScheduled, type SchedulePolicy } from './schedule.ts';

export interface DispatchResult {
  feeds: number;
  messages: number;
  /** Messages still waiting when this cycle began; nothing is added on top of a backlog. */
  backlog: number;
}

/**
 * Hands the due feeds to pollers in messages of `feedsPerMessage` URLs: one queue
 * message per feed would make 10,000 feeds cost 10,000 invocations every cycle. A quiet
 * feed stays due without a write, so while the pollers have not drained the last cycle,
 * dispatching again would only queue the same feeds twice: that cycle is skipped. Of the due
 * feeds, those that follow their change rate are polled only at the cycles their quiet spell
 * calls for (isScheduled).
 */
export async function dispatchDue(
  feeds: FeedStore,
  now: Date,
  queue: FeedQueue,
  feedsPerMessage: number,
  schedule: SchedulePolicy = DEFAULT_SCHEDULE,
): Promise<DispatchResult> {
  const backlog = await queue.backlog();
  if (backlog > 0) return { feeds: 0, messages: 0, backlog };
  const due = (await feeds.due(now.toISOString())).filter((feed) => isScheduled(feed, now, schedule));
  const batches: string[][] = [];
  for (let i = 0; i < due.length; i += feedsPerMessage) {
    batches.push(due.slice(i, i + feedsPerMessage).map((feed) => feed.url));
  }
  if (batches.length > 0) await queue.enqueue(batches);
  return { feeds: due.length, messages: batches.length, backlog: 0 };
}

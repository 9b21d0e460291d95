import type { FeedStore } from '../ports.ts';

/**
 * Hands the due feeds to pollers in messages of `feedsPerMessage` URLs: one queue
 * message per feed would make 10,000 feeds cost 10,000 invocations every cycle.
 */
export async function dispatchDue(
  feeds: FeedStore,
  now: Date,
  enqueue: (batches: string[][]) => Promise<void>,
  feedsPerMessage: number,
): Promise<{ feeds: number; messages: number }> {
  const due = await feeds.due(now.toISOString());
  const batches: string[][] = [];
  for (let i = 0; i < due.length; i += feedsPerMessage) {
    batches.push(due.slice(i, i + feedsPerMessage).map((feed) => feed.url));
  }
  if (batches.length > 0) await enqueue(batches);
  return { feeds: due.length, messages: batches.length };
}

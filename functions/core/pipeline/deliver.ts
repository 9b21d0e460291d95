import { formatAlert } from '../alerts/format.ts';
import type { StoredMatch } from '../model.ts';
import type { MatchStore, Notifier } from '../ports.ts';

export interface DeliverDeps {
  notifier: Notifier;
  matches: MatchStore;
}

export type DeliveryResult = 'sent' | 'skipped';

/**
 * Publishes the alert of one stored match and marks it SENT. The current state is read
 * first, so a match already sent by another path (the stream and the sweeper can both
 * see it) is not sent again. A crash between publish and marking SENT re-sends it once:
 * SNS standard topics cannot deduplicate, and email/SMS cannot go through FIFO topics.
 */
export async function deliverAlert(match: Pick<StoredMatch, 'watchId' | 'storyKey'>, deps: DeliverDeps) {
  const current = await deps.matches.get(match.watchId, match.storyKey);
  if (current?.alertState !== 'PENDING') return { result: 'skipped' as const, match: current };
  await deps.notifier.publish(formatAlert(current));
  await deps.matches.transition(current.watchId, current.storyKey, 'SENT');
  return { result: 'sent' as const, match: current };
}

/**
 * Re-drives matches left PENDING, for instance by a notifier that died after the match
 * was stored. Only matches older than `olderThan` are taken, so the sweeper does not race
 * the stream path for fresh ones. Each failure is reported, none stops the others.
 */
export async function redrivePending(deps: DeliverDeps, olderThan: Date, limit = 500) {
  const pending = await deps.matches.listPending(limit);
  const cutoff = olderThan.toISOString();
  const sent: StoredMatch[] = [];
  const failed: { match: StoredMatch; error: unknown }[] = [];
  for (const match of pending) {
    if (match.matchedAt > cutoff) continue;
    try {
      const delivery = await deliverAlert(match, deps);
      if (delivery.result === 'sent' && delivery.match) sent.push(delivery.match);
    } catch (error) {
      failed.push({ match, error });
    }
  }
  return { sent, failed };
}

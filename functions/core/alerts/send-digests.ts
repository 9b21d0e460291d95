import type { StoredMatch } from '../model.ts';
import type { Clock, MatchStore, Notifier, WatchStore } from '../ports.ts';
import { digestCadenceOf, isDigestDue } from './delivery-policy.ts';
import { formatMessage } from './format.ts';

export interface DigestDeps {
  matches: MatchStore;
  watches: Pick<WatchStore, 'get'>;
  notifier: Notifier;
  clock: Clock;
  /** The matches live in this process only (the local run's memory store): see format.ts. */
  matchesLostAtExit?: boolean;
}

export interface DigestReport {
  /** One entry per digest published, with the number of matches it carried. */
  sent: { watchId: string; matches: number }[];
  /** Matches of muted watches taken out of the digest queue unsent. */
  suppressed: number;
  /** Matches whose digest is not due yet (next period, or quiet hours). */
  waiting: number;
  failed: { watchId: string; error: unknown }[];
}

/** Enough for a flood across every watch; whatever is left goes out in the next run. */
const MAX_MATCHES_PER_RUN = 5_000;

/**
 * Sends each watch's digest whose period has begun: one message per watch listing the matches
 * that waited in DIGEST, then marks them SENT. As with single alerts, a crash between the
 * publish and the marking re-sends them once; a failure for one watch does not stop the others.
 */
export async function sendDueDigests(deps: DigestDeps, limit = MAX_MATCHES_PER_RUN): Promise<DigestReport> {
  const now = deps.clock.now();
  const report: DigestReport = { sent: [], suppressed: 0, waiting: 0, failed: [] };
  for (const [watchId, waiting] of groupByWatch(await deps.matches.listDigest(limit))) {
    try {
      const watch = await deps.watches.get(watchId);
      if (watch?.delivery === 'muted') {
        report.suppressed += await markAll(deps.matches, waiting, 'SUPPRESSED');
        continue;
      }
      if (!isDigestDue(watch, waiting[0]?.matchedAt ?? '', now)) {
        report.waiting += waiting.length;
        continue;
      }
      await deps.notifier.publish(
        formatMessage({
          kind: 'digest',
          watchId,
          watchName: watch?.name ?? waiting[0]?.watchName,
          cadence: digestCadenceOf(watch),
          matches: waiting,
          matchesLostAtExit: deps.matchesLostAtExit,
        }),
      );
      await markAll(deps.matches, waiting, 'SENT');
      report.sent.push({ watchId, matches: waiting.length });
    } catch (error) {
      report.failed.push({ watchId, error });
    }
  }
  return report;
}

/** Keeps the store's oldest-first order within each watch. */
function groupByWatch(matches: StoredMatch[]): Map<string, StoredMatch[]> {
  const groups = new Map<string, StoredMatch[]>();
  for (const match of matches) {
    const group = groups.get(match.watchId) ?? [];
    group.push(match);
    groups.set(match.watchId, group);
  }
  return groups;
}

async function markAll(matches: MatchStore, waiting: StoredMatch[], state: 'SENT' | 'SUPPRESSED') {
  let marked = 0;
  for (const match of waiting) {
    if (await matches.transition(match.watchId, match.storyKey, state, 'DIGEST')) marked++;
  }
  return marked;
}

import { PublishRefusedError } from '../errors.ts';
import type { StoredMatch, Watch } from '../model.ts';
import { holdsLiveClaim, newClaim, record, releaseQuietly } from '../pipeline/deliver.ts';
import type { Claim, Clock, MatchStore, Notifier, Settlement, WatchStore } from '../ports.ts';
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
  /** One entry per digest message published, with the number of matches it carried. */
  sent: { watchId: string; matches: number }[];
  /** Matches of muted watches taken out of the digest queue unsent. */
  suppressed: number;
  /** Matches whose digest is not due yet (next period, or quiet hours). */
  waiting: number;
  /** Matches the alert service refused for good, even alone: FAILED with the reason, never retried. */
  refused: { watchId: string; storyKey: string; reason: string }[];
  /** Matches taken over from a digest run whose claim lapsed: that run may have sent them already. */
  takenOver: number;
  failed: { watchId: string; error: unknown }[];
}

/** Enough for a flood across every watch; whatever is left goes out in the next run. */
const MAX_MATCHES_PER_RUN = 5_000;

/**
 * Sends each watch's digest whose period has begun: the matches that waited in DIGEST, then
 * marks them SENT. The matches are claimed first, oldest first, and a run stops at the first it
 * cannot claim, so of two runs at once one sends the digest and the other leaves it alone. A
 * digest too large for one message goes out as several, each within the alert service's limit;
 * a match the service refuses for good is marked FAILED and the rest still go out. A failure
 * for one watch does not stop the others.
 */
export async function sendDueDigests(deps: DigestDeps, limit = MAX_MATCHES_PER_RUN): Promise<DigestReport> {
  const now = deps.clock.now();
  const report: DigestReport = { sent: [], suppressed: 0, waiting: 0, refused: [], takenOver: 0, failed: [] };
  for (const [watchId, waiting] of groupByWatch(await deps.matches.listDigest(limit))) {
    try {
      const watch = await deps.watches.get(watchId);
      if (watch?.delivery !== 'muted' && !isDigestDue(watch, waiting[0]?.matchedAt ?? '', now)) {
        report.waiting += waiting.length;
        continue;
      }
      const claim = newClaim(now);
      const run = new DigestRun(deps, watchId, watch, claim, report);
      try {
        report.takenOver += await claimInOrder(deps.matches, waiting, claim, now, run.held);
        if (watch?.delivery === 'muted') await run.settleAll(run.held, { state: 'SUPPRESSED' });
        else await run.send(run.held);
      } catch (error) {
        await run.releaseUnpublished();
        throw error;
      }
    } catch (error) {
      report.failed.push({ watchId, error });
    }
  }
  return report;
}

/**
 * Claims the watch's waiting matches oldest first, stopping at the first one held by another
 * live run or claimed by it first: two runs contend for the same oldest match, so one of them
 * takes the digest and the other none of it. Returns how many were taken over from a lapsed run.
 */
async function claimInOrder(
  matches: MatchStore,
  waiting: StoredMatch[],
  claim: Claim,
  now: Date,
  /** Receives each match as it is claimed, so a failure midway still knows what to give back. */
  held: StoredMatch[],
): Promise<number> {
  let takenOver = 0;
  for (const match of waiting) {
    if (holdsLiveClaim(match, now)) break;
    const result = await matches.claim(match.watchId, match.storyKey, 'DIGEST', claim, now.toISOString());
    if (!result.claimed) break;
    held.push(result.match);
    if (result.takenOver) takenOver++;
  }
  return takenOver;
}

/** One watch's claimed digest matches, sent in as many messages as they need. */
class DigestRun {
  /** Every match this run claimed, and those of them it published. */
  readonly held: StoredMatch[] = [];
  private readonly published = new Set<StoredMatch>();

  constructor(
    private readonly deps: DigestDeps,
    private readonly watchId: string,
    private readonly watch: Watch | undefined,
    private readonly claim: Claim,
    private readonly report: DigestReport,
  ) {}

  /**
   * Sends `matches` in as few messages as halving finds, each within the service's limit. A
   * match too large even alone, or that the service refuses for good, is FAILED; set apart
   * first, it does not split the others' digest. Any other failure propagates.
   */
  async send(matches: StoredMatch[]): Promise<void> {
    const fitting: StoredMatch[] = [];
    for (const match of matches) {
      if (this.deps.notifier.fits(this.digestOf([match]))) fitting.push(match);
      else await this.refuse(match, 'too large for one message of the alert service');
    }
    await this.sendInParts(fitting);
  }

  private async sendInParts(matches: StoredMatch[]): Promise<void> {
    if (matches.length === 0) return;
    const message = this.digestOf(matches);
    try {
      if (!this.deps.notifier.fits(message)) {
        throw new PublishRefusedError('too large for one message of the alert service', true);
      }
      await this.deps.notifier.publish(message);
    } catch (error) {
      if (!(error instanceof PublishRefusedError && error.permanent)) throw error;
      if (matches.length === 1) return this.refuse(matches[0] as StoredMatch, error.message);
      const half = Math.ceil(matches.length / 2);
      await this.sendInParts(matches.slice(0, half));
      return this.sendInParts(matches.slice(half));
    }
    for (const match of matches) this.published.add(match);
    this.report.sent.push({ watchId: this.watchId, matches: matches.length });
    await this.settleAll(matches, { state: 'SENT' });
  }

  /**
   * After a failure, gives what was claimed but not published back to the digest queue for the
   * next run. A published match whose SENT write failed keeps its claim: sent again only if
   * the claim lapses and is taken over. A match already settled is not held any more: no-op.
   */
  async releaseUnpublished(): Promise<void> {
    for (const match of this.held) {
      if (!this.published.has(match)) await releaseQuietly(this.settleOne(match), 'DIGEST');
    }
  }

  async settleAll(matches: StoredMatch[], settlement: Settlement): Promise<void> {
    for (const match of matches) {
      if (
        (await record(this.settleOne(match), settlement, this.claim)) &&
        settlement.state === 'SUPPRESSED'
      ) {
        this.report.suppressed++;
      }
    }
  }

  private async refuse(match: StoredMatch, reason: string): Promise<void> {
    await record(this.settleOne(match), { state: 'FAILED', failure: reason }, this.claim);
    this.report.refused.push({ watchId: this.watchId, storyKey: match.storyKey, reason });
  }

  private settleOne(match: StoredMatch) {
    return (settlement: Settlement) =>
      this.deps.matches.settle(match.watchId, match.storyKey, this.claim.owner, settlement);
  }

  private digestOf(matches: StoredMatch[]) {
    return formatMessage({
      kind: 'digest',
      watchId: this.watchId,
      watchName: this.watch?.name ?? matches[0]?.watchName,
      cadence: digestCadenceOf(this.watch),
      matches,
      matchesLostAtExit: this.deps.matchesLostAtExit,
    });
  }
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

import {
  digestCadenceOf,
  maxAlertsPerHourOf,
  rateWindowAt,
  routeOf,
  timeZoneOf,
} from '../alerts/delivery-policy.ts';
import { formatAlert, formatMessage } from '../alerts/format.ts';
import { errorMessage, FeedwatchError, PublishRefusedError } from '../errors.ts';
import type { StoredMatch, Watch } from '../model.ts';
import type {
  AlertMessage,
  Claim,
  ClaimQueue,
  Clock,
  MatchStore,
  Notifier,
  RateLimiter,
  Settlement,
  WatchStore,
} from '../ports.ts';

/**
 * How long a deliverer's claim on a match lasts before another deliverer may take it over.
 * Longer than the longest a deliverer can run (the digest Lambda's 120 s timeout; the
 * notifier's is 30 s, the sweeper's 60 s) by a minute for clock skew and calls in flight: a
 * deliverer still running never loses its claim, and a Lambda cannot outlive its timeout.
 */
export const DELIVERY_LEASE_MS = 3 * 60_000;

/** Tries of the write that records a published match; each is also retried by the SDK itself. */
const RECORD_ATTEMPTS = 3;

/** What per-watch routing needs: the watch's settings, the shared alert counter, the time. */
export interface RoutingDeps {
  watches: Pick<WatchStore, 'get'>;
  rateLimiter: RateLimiter;
  clock: Clock;
  /** The matches live in this process only (the local run's memory store): see format.ts. */
  matchesLostAtExit?: boolean;
}

export interface DeliverDeps {
  notifier: Notifier;
  matches: MatchStore;
  /** Delivery modes, quiet hours and the hourly limit. */
  routing: RoutingDeps;
}

/**
 * sent: alerted now. digest: moved to the watch's next digest (`notice` when this one also
 * published the "over the limit" notice). suppressed: the watch is muted. failed: the alert
 * service refused it for good (FAILED, with the reason). skipped: the match was not PENDING, or
 * another deliverer holds it (the stream and the sweeper can both see it), or it does not exist.
 */
export type DeliveryResult = 'sent' | 'digest' | 'suppressed' | 'failed' | 'skipped';

export interface Delivery {
  result: DeliveryResult;
  match?: StoredMatch;
  notice?: boolean;
  /** Taken over from a deliverer whose lease ran out: that one may have published it already. */
  takenOver?: boolean;
}

/** The alert went out but the write recording it kept failing: the claim holds it until its lease ends. */
export class UnrecordedDeliveryError extends FeedwatchError {
  override name = 'UnrecordedDeliveryError';
}

/** A fresh claim for one delivery attempt, from `now` for the lease. */
export function newClaim(now: Date): Claim {
  return {
    owner: globalThis.crypto.randomUUID(),
    leaseUntil: new Date(now.getTime() + DELIVERY_LEASE_MS).toISOString(),
  };
}

/**
 * Routes one stored match and, when it is alerted now, publishes it and marks it SENT. The
 * match is claimed first (PENDING -> SENDING, one deliverer of any number), so only its
 * claimant routes and publishes it; the rate-limit slot is taken under the claim and given back
 * only when the alert service answered that nothing was published. A SENT write that fails
 * after the publish is retried as a write; while the claim lives no other deliverer publishes.
 * A deliverer that dies between publish and record leaves a claim that lapses after
 * DELIVERY_LEASE_MS and is then taken over: that is the one way an alert goes out twice.
 */
export async function deliverAlert(
  match: Pick<StoredMatch, 'watchId' | 'storyKey'>,
  deps: DeliverDeps,
): Promise<Delivery> {
  const { watches, rateLimiter, clock } = deps.routing;
  const now = clock.now();
  const claim = newClaim(now);
  const claimed = await deps.matches.claim(
    match.watchId,
    match.storyKey,
    'PENDING',
    claim,
    now.toISOString(),
  );
  if (!claimed.claimed) return { result: 'skipped' };
  const { match: current, takenOver } = claimed;
  const settle = (settlement: Settlement) =>
    deps.matches.settle(current.watchId, current.storyKey, claim.owner, settlement);
  const done = (result: DeliveryResult, settlement: Settlement, extra: Partial<Delivery> = {}): Delivery => ({
    result,
    match: withSettlement(current, settlement),
    ...(takenOver && { takenOver }),
    ...extra,
  });

  const window = rateWindowAt(now);
  let slotTaken = false;
  let notice = false;
  try {
    const watch = await watches.get(current.watchId);
    const route = routeOf(watch, now);
    if (route !== 'immediate') {
      const settlement: Settlement = { state: route === 'muted' ? 'SUPPRESSED' : 'DIGEST' };
      await settle(settlement);
      return done(route === 'muted' ? 'suppressed' : 'digest', settlement);
    }
    const limit = maxAlertsPerHourOf(watch);
    const decision = await rateLimiter.take(current.watchId, window.key, limit, window.expiresAt);
    if (decision === 'over-limit') {
      await settle({ state: 'DIGEST' });
      return done('digest', { state: 'DIGEST' });
    }
    slotTaken = true;
    notice = decision === 'first-over-limit';
    // The notice goes out before the match moves: a crash in between lets the claim lapse, and
    // the deliverer taking it over finds the limit passed and moves the match without a notice.
    const message = notice
      ? rateLimitNotice(current, watch, limit, deps.routing.matchesLostAtExit)
      : formatAlert(current);
    await publish(deps.notifier, message);
  } catch (error) {
    if (slotTaken && error instanceof PublishRefusedError)
      await rateLimiter.giveBack(current.watchId, window.key);
    if (!notice && error instanceof PublishRefusedError && error.permanent) {
      const failed: Settlement = { state: 'FAILED', failure: error.message };
      await settle(failed);
      return done('failed', failed);
    }
    await releaseQuietly(settle, 'PENDING');
    throw error;
  }
  const settlement: Settlement = { state: notice ? 'DIGEST' : 'SENT' };
  await record(settle, settlement, claim);
  return notice ? done('digest', settlement, { notice }) : done('sent', settlement);
}

/** Publishes, refusing up front (for good) a message over the service's size limit. */
async function publish(notifier: Notifier, message: AlertMessage): Promise<void> {
  if (!notifier.fits(message)) {
    throw new PublishRefusedError('too large for one message of the alert service', true);
  }
  await notifier.publish(message);
}

/**
 * Records what a publish did, retrying the write (never the publish). False when the claim was
 * taken over meanwhile (this deliverer outlived its lease): the taker publishes it once more.
 */
export async function record(
  settle: (settlement: Settlement) => Promise<boolean>,
  settlement: Settlement,
  claim: Claim,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await settle(settlement);
    } catch (error) {
      if (attempt >= RECORD_ATTEMPTS) {
        throw new UnrecordedDeliveryError(
          `published, but not recorded as ${settlement.state}: ${errorMessage(error)}; ` +
            `no deliverer publishes it again before its claim lapses at ${claim.leaseUntil}`,
        );
      }
    }
  }
}

/**
 * Gives a claimed match back to its queue after a failure, for the next retry. Should that
 * write fail too, the claim lapses on its own: the original error is the one worth reporting.
 */
export async function releaseQuietly(
  settle: (settlement: Settlement) => Promise<boolean>,
  queue: ClaimQueue,
): Promise<void> {
  await settle({ state: queue }).catch(() => false);
}

function withSettlement(match: StoredMatch, settlement: Settlement): StoredMatch {
  const { claimedBy: _owner, leaseUntil: _lease, ...rest } = match;
  return settlement.state === 'FAILED'
    ? { ...rest, alertState: 'FAILED', failure: settlement.failure }
    : { ...rest, alertState: settlement.state };
}

function rateLimitNotice(
  match: StoredMatch,
  watch: Watch | undefined,
  limit: number,
  matchesLostAtExit: boolean | undefined,
) {
  return formatMessage({
    kind: 'rate-limit',
    watchId: match.watchId,
    watchName: watch?.name ?? match.watchName,
    limit,
    cadence: digestCadenceOf(watch),
    timeZone: timeZoneOf(watch),
    matchesLostAtExit,
  });
}

/**
 * Re-drives matches left PENDING, for instance by a notifier that died after the match
 * was stored, and takes over claims whose deliverer died. Only matches older than `olderThan`
 * are taken, so the sweeper does not contend with the stream path for fresh ones. Each failure
 * is reported, none stops the others; matches routed to a digest (or muted) on the way are
 * neither sent nor failed.
 */
export async function redrivePending(
  deps: DeliverDeps,
  olderThan: Date,
  limit = 500,
  /** Checked before each match: a run that stops early leaves the rest PENDING for the next one. */
  timeLeft: () => boolean = () => true,
) {
  const pending = await deps.matches.listPending(limit);
  const cutoff = olderThan.toISOString();
  const sent: StoredMatch[] = [];
  const refused: StoredMatch[] = [];
  const takenOver: StoredMatch[] = [];
  const failed: { match: StoredMatch; error: unknown }[] = [];
  for (const match of pending) {
    // Stopping between matches, never inside one, keeps a timeout from falling between
    // publish and marking SENT, which would leave the claim to lapse and be taken over.
    if (!timeLeft()) break;
    if (match.matchedAt > cutoff || holdsLiveClaim(match, deps.routing.clock.now())) continue;
    try {
      const delivery = await deliverAlert(match, deps);
      if (delivery.takenOver) takenOver.push(match);
      if (delivery.result === 'sent' && delivery.match) sent.push(delivery.match);
      if (delivery.result === 'failed' && delivery.match) refused.push(delivery.match);
    } catch (error) {
      failed.push({ match, error });
    }
  }
  return { sent, refused, takenOver, failed };
}

/** Claimed by a deliverer whose lease has not run out: trying to claim it would only fail. */
export function holdsLiveClaim(match: StoredMatch, now: Date): boolean {
  return match.alertState === 'SENDING' && (match.leaseUntil ?? '') >= now.toISOString();
}

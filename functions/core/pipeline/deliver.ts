import {
  digestCadenceOf,
  maxAlertsPerHourOf,
  rateWindowAt,
  routeOf,
  timeZoneOf,
} from '../alerts/delivery-policy.ts';
import { formatAlert, formatMessage } from '../alerts/format.ts';
import type { StoredMatch, Watch } from '../model.ts';
import type { Clock, MatchStore, Notifier, RateLimiter, WatchStore } from '../ports.ts';

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
  /**
   * Delivery modes, quiet hours and the hourly limit. Without it every PENDING match is alerted
   * at once, unlimited: the behaviour before routing, kept for callers that test only publishing.
   */
  routing?: RoutingDeps;
}

/**
 * sent: alerted now. digest: moved to the watch's next digest (`notice` when this one also
 * published the "over the limit" notice). suppressed: the watch is muted. skipped: the match
 * was not PENDING (already handled by another path) or does not exist.
 */
export type DeliveryResult = 'sent' | 'digest' | 'suppressed' | 'skipped';

export interface Delivery {
  result: DeliveryResult;
  match?: StoredMatch;
  notice?: boolean;
}

/**
 * Routes one stored match and, when it is alerted now, publishes it and marks it SENT. The
 * current state is read first, so a match already handled by another path (the stream and the
 * sweeper can both see it) is not handled again. A crash between publish and marking SENT
 * re-sends it once: SNS standard topics cannot deduplicate, and email/SMS cannot go through
 * FIFO topics. A publish that fails gives its rate-limit slot back before the error propagates,
 * so retries do not eat the watch's hourly budget.
 */
export async function deliverAlert(
  match: Pick<StoredMatch, 'watchId' | 'storyKey'>,
  deps: DeliverDeps,
): Promise<Delivery> {
  const current = await deps.matches.get(match.watchId, match.storyKey);
  if (current?.alertState !== 'PENDING') return { result: 'skipped', match: current };
  if (!deps.routing) return sendNow(current, deps);

  const { watches, rateLimiter, clock } = deps.routing;
  const watch = await watches.get(current.watchId);
  const now = clock.now();
  const route = routeOf(watch, now);
  if (route === 'muted') return moveTo('suppressed', current, deps.matches);
  if (route === 'digest') return moveTo('digest', current, deps.matches);

  const window = rateWindowAt(now);
  const limit = maxAlertsPerHourOf(watch);
  const decision = await rateLimiter.take(current.watchId, window.key, limit, window.expiresAt);
  if (decision === 'over-limit') return moveTo('digest', current, deps.matches);
  try {
    if (decision === 'allowed') return await sendNow(current, deps);
    // The notice goes out before the match moves: a crash in between re-runs this delivery,
    // which then finds the limit passed and moves the match without a second notice.
    await deps.notifier.publish(rateLimitNotice(current, watch, limit, deps.routing.matchesLostAtExit));
  } catch (error) {
    await rateLimiter.giveBack(current.watchId, window.key);
    throw error;
  }
  return { ...(await moveTo('digest', current, deps.matches)), notice: true };
}

async function sendNow(current: StoredMatch, deps: DeliverDeps): Promise<Delivery> {
  await deps.notifier.publish(formatAlert(current));
  await deps.matches.transition(current.watchId, current.storyKey, 'SENT');
  return { result: 'sent', match: current };
}

async function moveTo(
  result: 'digest' | 'suppressed',
  current: StoredMatch,
  matches: MatchStore,
): Promise<Delivery> {
  const state = result === 'digest' ? 'DIGEST' : 'SUPPRESSED';
  const moved = await matches.transition(current.watchId, current.storyKey, state);
  return moved ? { result, match: { ...current, alertState: state } } : { result: 'skipped', match: current };
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
 * was stored. Only matches older than `olderThan` are taken, so the sweeper does not race
 * the stream path for fresh ones. Each failure is reported, none stops the others; matches
 * routed to a digest (or muted) on the way are neither sent nor failed.
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
  const failed: { match: StoredMatch; error: unknown }[] = [];
  for (const match of pending) {
    // Stopping between matches, never inside one, keeps a timeout from falling between
    // publish and marking SENT, which would send that alert twice.
    if (!timeLeft()) break;
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

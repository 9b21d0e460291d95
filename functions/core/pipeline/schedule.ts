import type { FeedState } from '../model.ts';

/**
 * When a feed is next due. A healthy feed is polled as often as it changes: every `intervalMinutes`
 * (the freshness target) while it brings new items, and less often the longer it has been quiet,
 * up to `maxQuietMinutes`; the user can fix a feed's interval instead, and a server's longer
 * Cache-Control max-age is honoured. Failing feeds back off exponentially with jitter up to a day
 * and are never given up on, so a feed that comes back is noticed.
 */

export interface SchedulePolicy {
  /** Polling interval of a feed that brings new items: the freshness target, also the floor. @default 5 */
  intervalMinutes: number;
  /** Longest back-off for a failing feed. @default 1440 (24 h) */
  maxBackoffMinutes: number;
  /** Longest interval of a quiet feed: a feed that wakes up is caught within it. @default 60 */
  maxQuietMinutes: number;
}

export const DEFAULT_SCHEDULE: SchedulePolicy = {
  intervalMinutes: 5,
  maxBackoffMinutes: 24 * 60,
  maxQuietMinutes: 60,
};

const MINUTE_MS = 60_000;

/** What the interval after a successful poll depends on. */
export interface PollHistory {
  /** When a poll last found items not seen before; the quiet spell runs from here. */
  lastNewItemAt?: string;
  /** An interval the user fixed for this feed (`feed set --every`), in minutes. */
  pollEvery?: number;
}

/**
 * Why a feed is polled at its interval: it just brought new items, it has been quiet (half its
 * quiet spell), the user set the interval, or the server's Cache-Control max-age asked for longer.
 */
export type IntervalReason = 'new-items' | 'quiet' | 'set' | 'max-age';

export interface PollInterval {
  minutes: number;
  reason: IntervalReason;
}

/**
 * The interval after a successful poll at `now`. Half the time the feed has been quiet, in whole
 * intervals, between `intervalMinutes` and `maxQuietMinutes`: quiet for 20 minutes, polled again
 * in 10; quiet for 2 hours, in 60. A poll that finds a new item starts the quiet spell again, so
 * the next polls are at the floor. A fixed interval (`pollEvery`) replaces this rule, and a longer
 * max-age (capped at `maxBackoffMinutes`) overrides either.
 */
export function pollIntervalAfterSuccess(
  now: Date,
  history: PollHistory,
  policy: SchedulePolicy,
  maxAgeSeconds?: number,
): PollInterval {
  const base = policy.intervalMinutes;
  let chosen: PollInterval;
  if (history.pollEvery !== undefined) {
    chosen = { minutes: Math.max(base, history.pollEvery), reason: 'set' };
  } else {
    const quietMinutes = (now.getTime() - Date.parse(history.lastNewItemAt ?? now.toISOString())) / MINUTE_MS;
    const half = Math.floor(quietMinutes / 2 / base) * base;
    chosen = {
      minutes: Math.min(Math.max(base, policy.maxQuietMinutes), Math.max(base, half)),
      reason: quietMinutes > 0 ? 'quiet' : 'new-items',
    };
  }
  const askedMinutes = Math.min((maxAgeSeconds ?? 0) / 60, policy.maxBackoffMinutes);
  return askedMinutes > chosen.minutes ? { minutes: askedMinutes, reason: 'max-age' } : chosen;
}

/**
 * Due half a floor interval early: the dispatcher's cycles come every `intervalMinutes`, and a
 * poll runs some seconds after its cycle began, so a due time of exactly now + interval would
 * miss the cycle it was meant for and wait for the next one. A feed that follows its change rate
 * stays due at the next cycle: `isScheduled` spaces its quiet polls, so they write nothing.
 */
export function nextDueAfterSuccess(now: Date, policy: SchedulePolicy, interval: PollInterval): string {
  const minutes = followsChangeRate(interval) ? policy.intervalMinutes : interval.minutes;
  return new Date(now.getTime() + (minutes - policy.intervalMinutes / 2) * MINUTE_MS).toISOString();
}

function followsChangeRate(interval: PollInterval): boolean {
  return interval.reason === 'new-items' || interval.reason === 'quiet';
}

/**
 * Whether a due feed is polled at this cycle. A healthy feed that follows its change rate is
 * polled at the cycles its quiet spell calls for: from the poll that last found new items, at
 * offsets o(1) = interval, o(k+1) = o(k) + the interval for a spell of o(k) (5, 10, 15, 20, 30, 45,
 * 65, 95, 140, 200... minutes at a 5-minute target), each within half a cycle. These cycles follow
 * from `lastNewItemAt` alone, so a quiet poll writes nothing, and the dispatcher's read of the due
 * index (10,000 states of under 1 KB: 750 read units a cycle) replaces a state write per poll.
 * Every other feed (failing, fixed by the user, retrying an item, waiting for a max-age, never
 * polled) is polled whenever its nextDueAt has come.
 */
export function isScheduled(
  feed: Pick<FeedState, 'lastNewItemAt' | 'pollEvery' | 'consecutiveFailures' | 'itemFailures'>,
  now: Date,
  policy: SchedulePolicy,
): boolean {
  if (feed.consecutiveFailures > 0 || feed.pollEvery !== undefined || feed.lastNewItemAt === undefined)
    return true;
  // An item whose matches could not be stored is tried again at every cycle until it is given up.
  if (feed.itemFailures?.some((failure) => failure.status === 'retrying')) return true;
  const base = policy.intervalMinutes;
  const elapsed = (now.getTime() - Date.parse(feed.lastNewItemAt)) / MINUTE_MS;
  const inThisCycle = (offset: number) => offset > elapsed - base / 2 && offset <= elapsed + base / 2;
  const step = (offset: number) =>
    pollIntervalAfterSuccess(new Date(now.getTime() - (elapsed - offset) * MINUTE_MS), feed, policy).minutes;
  let offset = 0;
  for (;;) {
    const interval = step(offset);
    // Past 2 x maxQuietMinutes every interval is the longest one: the rest is arithmetic.
    if (interval >= Math.max(base, policy.maxQuietMinutes)) {
      const k = Math.floor((elapsed + base / 2 - offset) / interval);
      return k >= 1 && inThisCycle(offset + k * interval);
    }
    offset += interval;
    if (inThisCycle(offset)) return true;
    if (offset > elapsed + base / 2) return false;
  }
}

/**
 * `failures` counts this failure too (1 after the first). Full jitter keeps thousands of
 * feeds that failed together (a provider outage) from retrying in lock-step.
 */
export function nextDueAfterFailure(
  now: Date,
  policy: SchedulePolicy,
  failures: number,
  retryAfterSeconds?: number,
  random: () => number = Math.random,
): string {
  const capMs = policy.maxBackoffMinutes * MINUTE_MS;
  const baseMs = policy.intervalMinutes * MINUTE_MS;
  const exponentialMs = Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1));
  const jitteredMs = baseMs + random() * Math.max(0, exponentialMs - baseMs);
  const delayMs = Math.max(jitteredMs, Math.min(capMs, (retryAfterSeconds ?? 0) * 1000));
  return new Date(now.getTime() + delayMs).toISOString();
}

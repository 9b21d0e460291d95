import type { FeedState, IntervalReason } from '../model.ts';

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

/** Whether the interval follows from the feed's quiet spell, rather than from the user or the server. */
export function followsChangeRate(interval: PollInterval): boolean {
  return interval.reason === 'new-items' || interval.reason === 'quiet';
}

type ScheduleState = Pick<
  FeedState,
  'lastNewItemAt' | 'pollEvery' | 'pollReason' | 'consecutiveFailures' | 'itemFailures'
>;

/**
 * The last new item's time, for a feed whose polls are spaced by its quiet spell; absent for a
 * feed polled whenever its nextDueAt has come: failing, fixed by the user, waiting for a max-age,
 * never polled, or retrying an item (an item whose matches could not be stored is tried again at
 * every cycle until it is given up).
 */
function quietSpellStart(feed: ScheduleState): number | undefined {
  if (feed.consecutiveFailures > 0 || feed.pollEvery !== undefined || feed.pollReason === 'max-age')
    return undefined;
  if (feed.itemFailures?.some((failure) => failure.status === 'retrying')) return undefined;
  return feed.lastNewItemAt === undefined ? undefined : Date.parse(feed.lastNewItemAt);
}

/**
 * The feed's first scheduled poll whose cycle is not over `elapsed` minutes after its last new
 * item: its offset from that item, and the interval from the poll before it. The offsets are
 * o(1) = interval, o(k+1) = o(k) + the interval for a spell of o(k) (5, 10, 15, 20, 30, 45, 65,
 * 95, 140, 200... minutes at a 5-minute target); a cycle polls the offset within half a cycle of it.
 */
function nextQuietPoll(
  start: number,
  elapsed: number,
  policy: SchedulePolicy,
): { offset: number; interval: number } {
  const base = policy.intervalMinutes;
  const longest = Math.max(base, policy.maxQuietMinutes);
  const history = { lastNewItemAt: new Date(start).toISOString() };
  let offset = 0;
  for (;;) {
    const interval = pollIntervalAfterSuccess(new Date(start + offset * MINUTE_MS), history, policy).minutes;
    // Past 2 x maxQuietMinutes every interval is the longest one: the rest is arithmetic.
    if (interval >= longest) {
      const steps = Math.max(1, Math.floor((elapsed - base / 2 - offset) / interval) + 1);
      return { offset: offset + steps * interval, interval };
    }
    offset += interval;
    if (offset > elapsed - base / 2) return { offset, interval };
  }
}

/**
 * Whether a due feed is polled at this cycle. A healthy feed that follows its change rate is
 * polled at the cycles its quiet spell calls for (see nextQuietPoll). These cycles follow from
 * `lastNewItemAt` alone, so a quiet poll writes nothing, and the dispatcher's scan of the feeds
 * table (10,000 states of under 1 KB: about 750 read units a cycle) replaces a state write per poll.
 * Every other feed (see quietSpellStart) is polled whenever its nextDueAt has come.
 */
export function isScheduled(feed: ScheduleState, now: Date, policy: SchedulePolicy): boolean {
  const start = quietSpellStart(feed);
  if (start === undefined) return true;
  const elapsed = (now.getTime() - start) / MINUTE_MS;
  return nextQuietPoll(start, elapsed, policy).offset <= elapsed + policy.intervalMinutes / 2;
}

export interface NextPoll {
  /** When the feed is next polled: the cycle that comes at or after this time. */
  at: string;
  /** The interval that poll ends, in minutes; absent for a failing feed or one never polled. */
  minutes?: number;
  /** Why the feed is polled at that interval; absent for a failing feed or one never polled. */
  reason?: IntervalReason | 'retrying';
}

/**
 * When the feed is next polled and why, as the dispatcher decides it (due, and isScheduled): its
 * stored nextDueAt says it only for a feed that does not follow its change rate, since a quiet
 * poll of one that does writes nothing.
 */
export function nextPoll(
  feed: ScheduleState & Pick<FeedState, 'nextDueAt' | 'pollMinutes'>,
  now: Date,
  policy: SchedulePolicy,
): NextPoll {
  const start = quietSpellStart(feed);
  if (start === undefined) {
    if (feed.consecutiveFailures > 0) return { at: feed.nextDueAt };
    if (feed.pollEvery !== undefined || feed.pollReason === 'max-age')
      return {
        at: feed.nextDueAt,
        minutes: feed.pollMinutes ?? Math.max(policy.intervalMinutes, feed.pollEvery ?? 0),
        reason: feed.pollReason ?? 'set',
      };
    if (feed.lastNewItemAt === undefined) return { at: feed.nextDueAt };
    return { at: feed.nextDueAt, minutes: policy.intervalMinutes, reason: 'retrying' };
  }
  const elapsed = (now.getTime() - start) / MINUTE_MS;
  const { offset, interval } = nextQuietPoll(start, elapsed, policy);
  const scheduled = start + offset * MINUTE_MS;
  return {
    at: new Date(Math.max(scheduled, Date.parse(feed.nextDueAt))).toISOString(),
    minutes: interval,
    reason: offset === policy.intervalMinutes ? 'new-items' : 'quiet',
  };
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

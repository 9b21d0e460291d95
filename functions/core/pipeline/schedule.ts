/**
 * When a feed is next due. Healthy feeds are polled every interval (or later when the
 * server's Cache-Control asks for it); failing feeds back off exponentially with jitter
 * up to a day and are never given up on, so a feed that comes back is noticed.
 */

export interface SchedulePolicy {
  /** Normal polling interval, also the floor. @default 5 */
  intervalMinutes: number;
  /** Longest back-off for a failing feed. @default 1440 (24 h) */
  maxBackoffMinutes: number;
}

export const DEFAULT_SCHEDULE: SchedulePolicy = { intervalMinutes: 5, maxBackoffMinutes: 24 * 60 };

const MINUTE_MS = 60_000;

export function nextDueAfterSuccess(now: Date, policy: SchedulePolicy, maxAgeSeconds?: number): string {
  const floorMs = policy.intervalMinutes * MINUTE_MS;
  const askedMs = Math.min((maxAgeSeconds ?? 0) * 1000, policy.maxBackoffMinutes * MINUTE_MS);
  return new Date(now.getTime() + Math.max(floorMs, askedMs)).toISOString();
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

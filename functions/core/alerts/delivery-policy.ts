import type { DigestCadence, Watch } from '../model.ts';
import { isQuietAt, quietHoursProblem } from './quiet-hours.ts';
import { isKnownTimeZone, wallClockAt } from './wall-clock.ts';

/**
 * What happens to a watch's match, decided when it is delivered (not when it is stored), so a
 * change to the watch applies to every match not yet sent.
 */

export const DEFAULT_MAX_ALERTS_PER_HOUR = 10;
/** Local time at which daily digests go out, in the watch's quiet-hours time zone (else UTC). */
export const DAILY_DIGEST_HOUR = 7;

const HOUR_MS = 3_600_000;
/** Counters outlive their hour by a day, so one read late (clock skew, a slow retry) still counts. */
const COUNTER_GRACE_MS = 24 * HOUR_MS;

export type Route = 'muted' | 'digest' | 'immediate';

/** A deleted watch keeps the defaults: its stored matches are still alerted. */
export function routeOf(watch: Watch | undefined, now: Date): Route {
  if (watch?.delivery === 'muted') return 'muted';
  if (watch?.delivery === 'digest' || isQuietAt(watch?.quietHours, now)) return 'digest';
  return 'immediate';
}

export function maxAlertsPerHourOf(watch: Watch | undefined): number {
  const limit = watch?.maxAlertsPerHour;
  return limit !== undefined && Number.isInteger(limit) && limit >= 1 ? limit : DEFAULT_MAX_ALERTS_PER_HOUR;
}

export function digestCadenceOf(watch: Watch | undefined): DigestCadence {
  return watch?.digest ?? 'hourly';
}

/**
 * The rate-limit window: the UTC clock hour. A fixed window lets a burst straddling the hour
 * through twice, which an analyst can live with; a sliding one would cost a write per alert.
 */
export function rateWindowAt(now: Date): { key: string; expiresAt: Date } {
  const hourStart = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  return {
    key: new Date(hourStart).toISOString().slice(0, 13),
    expiresAt: new Date(hourStart + HOUR_MS + COUNTER_GRACE_MS),
  };
}

/**
 * Whether the digest holding matches since `oldestMatchedAt` goes out now: once a digest period
 * (the UTC hour, or the day from 07:00 local) has begun since the oldest one, and never in quiet
 * hours. Comparing periods, not wall-clock instants, means a missed or failed run is caught up
 * by the next one.
 */
export function isDigestDue(watch: Watch | undefined, oldestMatchedAt: string, now: Date): boolean {
  if (isQuietAt(watch?.quietHours, now)) return false;
  const oldest = new Date(oldestMatchedAt);
  if (Number.isNaN(oldest.getTime())) return true;
  const period = digestCadenceOf(watch) === 'daily' ? dailyPeriod(timeZoneOf(watch)) : hourlyPeriod;
  return period(now) > period(oldest);
}

/** The time zone of a watch's daily digest: its quiet hours' zone when valid, else its own, else UTC. */
export function timeZoneOf(watch: Watch | undefined): string {
  const quiet = watch?.quietHours;
  if (quiet && !quietHoursProblem(quiet)) return quiet.timeZone;
  return watch?.timeZone !== undefined && isKnownTimeZone(watch.timeZone) ? watch.timeZone : 'UTC';
}

function hourlyPeriod(instant: Date): string {
  return instant.toISOString().slice(0, 13);
}

/** The local date on which the digest day containing `instant` began (days start at 07:00). */
function dailyPeriod(timeZone: string) {
  return (instant: Date): string => {
    const local = wallClockAt(instant, timeZone);
    const localMs = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
    return new Date(localMs - DAILY_DIGEST_HOUR * HOUR_MS).toISOString().slice(0, 10);
  };
}

/** Why a watch's delivery settings cannot work, in one line; undefined when they are valid. */
export function deliverySettingsProblem(watch: Watch): string | undefined {
  const limit = watch.maxAlertsPerHour;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    return `max alerts per hour must be a whole number of at least 1, got ${limit}`;
  if (watch.timeZone !== undefined && !isKnownTimeZone(watch.timeZone))
    return `time zone "${watch.timeZone}" is not an IANA time zone such as Europe/London`;
  return watch.quietHours ? quietHoursProblem(watch.quietHours) : undefined;
}

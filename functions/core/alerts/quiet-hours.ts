import type { QuietHours } from '../model.ts';
import { isKnownTimeZone, minuteOfDay, parseClockTime, wallClockAt } from './wall-clock.ts';

/** Why a quiet-hours setting cannot work, in one line; undefined when it is valid. */
export function quietHoursProblem(quiet: QuietHours): string | undefined {
  const start = parseClockTime(quiet.start);
  const end = parseClockTime(quiet.end);
  if (start === undefined) return `quiet hours start "${quiet.start}" is not a 24-hour HH:MM time`;
  if (end === undefined) return `quiet hours end "${quiet.end}" is not a 24-hour HH:MM time`;
  if (start === end) return `quiet hours start and end are both ${quiet.start}; give a window`;
  if (!isKnownTimeZone(quiet.timeZone))
    return `quiet hours time zone "${quiet.timeZone}" is not an IANA time zone such as Europe/London`;
  return undefined;
}

/**
 * Whether `instant` falls in the quiet window: start inclusive, end exclusive, wrapping past
 * midnight when start is later than end. An invalid setting (one written to the table by hand)
 * counts as no quiet hours: alerting too much beats failing every delivery of the watch.
 */
export function isQuietAt(quiet: QuietHours | undefined, instant: Date): boolean {
  if (!quiet || quietHoursProblem(quiet)) return false;
  const start = parseClockTime(quiet.start) ?? 0;
  const end = parseClockTime(quiet.end) ?? 0;
  const now = minuteOfDay(wallClockAt(instant, quiet.timeZone));
  return start < end ? now >= start && now < end : now >= start || now < end;
}

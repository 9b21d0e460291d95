/**
 * Wall-clock time in an IANA time zone, from the runtime's own time-zone data (Intl), so
 * quiet hours and daily digests follow daylight saving without a time-zone library.
 */

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws RangeError for a time zone the runtime does not know. */
export function wallClockAt(instant: Date, timeZone: string): WallClock {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(
    formatter.formatToParts(instant).map((part) => [part.type, Number(part.value)]),
  );
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
  };
}

export function isKnownTimeZone(timeZone: string): boolean {
  try {
    wallClockAt(new Date(0), timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes since local midnight. */
export function minuteOfDay(clock: Pick<WallClock, 'hour' | 'minute'>): number {
  return clock.hour * 60 + clock.minute;
}

/** `HH:MM` (24-hour) as minutes since midnight; undefined when it is not such a time. */
export function parseClockTime(text: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

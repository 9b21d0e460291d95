import { describe, expect, test } from 'vitest';
import { deliverySettingsProblem, isDigestDue, rateWindowAt, routeOf } from '#core/alerts/delivery-policy.ts';
import { isQuietAt, quietHoursProblem } from '#core/alerts/quiet-hours.ts';
import type { QuietHours, Watch } from '#core/model.ts';

const LONDON_NIGHT: QuietHours = { start: '22:00', end: '07:00', timeZone: 'Europe/London' };

describe('quiet hours', () => {
  test.each([
    ['2026-01-15T21:59:00.000Z', false],
    ['2026-01-15T22:00:00.000Z', true],
    ['2026-01-15T23:59:00.000Z', true],
    ['2026-01-16T00:00:00.000Z', true],
    ['2026-01-16T06:59:00.000Z', true],
    ['2026-01-16T07:00:00.000Z', false],
    ['2026-01-16T12:00:00.000Z', false],
  ])('a window across midnight in London winter (UTC+0): %s quiet is %s', (instant, quiet) => {
    expect(isQuietAt(LONDON_NIGHT, new Date(instant))).toBe(quiet);
  });

  test.each([
    // British Summer Time is UTC+1: 22:00 local is 21:00 UTC, 07:00 local is 06:00 UTC.
    ['2026-07-15T20:59:00.000Z', false],
    ['2026-07-15T21:00:00.000Z', true],
    ['2026-07-16T05:59:00.000Z', true],
    ['2026-07-16T06:00:00.000Z', false],
  ])('follows daylight saving in London summer (UTC+1): %s quiet is %s', (instant, quiet) => {
    expect(isQuietAt(LONDON_NIGHT, new Date(instant))).toBe(quiet);
  });

  test.each([
    ['2026-03-10T03:29:00.000Z', false],
    // 09:00 in Kolkata (UTC+5:30) is 03:30 UTC.
    ['2026-03-10T03:30:00.000Z', true],
    ['2026-03-10T11:29:00.000Z', true],
    ['2026-03-10T11:30:00.000Z', false],
  ])('a daytime window in a half-hour zone (Asia/Kolkata): %s quiet is %s', (instant, quiet) => {
    const office: QuietHours = { start: '09:00', end: '17:00', timeZone: 'Asia/Kolkata' };
    expect(isQuietAt(office, new Date(instant))).toBe(quiet);
  });

  test('the same instant is quiet in one zone and not in another', () => {
    const instant = new Date('2026-01-15T23:30:00.000Z');
    expect(isQuietAt(LONDON_NIGHT, instant)).toBe(true);
    expect(isQuietAt({ ...LONDON_NIGHT, timeZone: 'America/New_York' }, instant)).toBe(false);
  });

  test.each([
    [
      { start: '7:00', end: '08:00', timeZone: 'UTC' },
      'quiet hours start "7:00" is not a 24-hour HH:MM time',
    ],
    [
      { start: '07:00', end: '24:00', timeZone: 'UTC' },
      'quiet hours end "24:00" is not a 24-hour HH:MM time',
    ],
    [
      { start: '07:00', end: '07:00', timeZone: 'UTC' },
      'quiet hours start and end are both 07:00; give a window',
    ],
    [
      { start: '22:00', end: '07:00', timeZone: 'Europe/Londres' },
      'quiet hours time zone "Europe/Londres" is not an IANA time zone such as Europe/London',
    ],
  ])('rejects %j with one clear line', (quiet, message) => {
    expect(quietHoursProblem(quiet)).toBe(message);
  });

  test('an invalid setting stored by hand never silences a watch', () => {
    const broken = { start: '22:00', end: '07:00', timeZone: 'Mars/Olympus' };
    expect(isQuietAt(broken, new Date('2026-01-15T23:00:00.000Z'))).toBe(false);
  });
});

describe('routing and digest timing', () => {
  const watch: Watch = { id: 'w', query: 'q', quietHours: LONDON_NIGHT };

  test('routes quiet-hour matches to the digest, others to an immediate alert', () => {
    expect(routeOf(watch, new Date('2026-01-15T23:00:00.000Z'))).toBe('digest');
    expect(routeOf(watch, new Date('2026-01-15T12:00:00.000Z'))).toBe('immediate');
    expect(routeOf({ ...watch, delivery: 'digest' }, new Date('2026-01-15T12:00:00.000Z'))).toBe('digest');
    expect(routeOf({ ...watch, delivery: 'muted' }, new Date('2026-01-15T12:00:00.000Z'))).toBe('muted');
  });

  test('counts alerts per UTC hour, and keeps the counter a day past it', () => {
    expect(rateWindowAt(new Date('2026-01-15T23:59:59.999Z'))).toEqual({
      key: '2026-01-15T23',
      expiresAt: new Date('2026-01-17T00:00:00.000Z'),
    });
  });

  test('an hourly digest is due once the hour of its oldest match is over', () => {
    const hourly: Watch = { id: 'w', query: 'q' };
    expect(isDigestDue(hourly, '2026-01-15T10:05:00.000Z', new Date('2026-01-15T10:59:59.000Z'))).toBe(false);
    expect(isDigestDue(hourly, '2026-01-15T10:05:00.000Z', new Date('2026-01-15T11:00:00.000Z'))).toBe(true);
    // A missed run is caught up by the next one.
    expect(isDigestDue(hourly, '2026-01-15T10:05:00.000Z', new Date('2026-01-15T14:00:00.000Z'))).toBe(true);
  });

  test('quiet hours hold the digest until they end', () => {
    expect(isDigestDue(watch, '2026-01-15T23:10:00.000Z', new Date('2026-01-16T03:00:00.000Z'))).toBe(false);
    expect(isDigestDue(watch, '2026-01-15T23:10:00.000Z', new Date('2026-01-16T07:00:00.000Z'))).toBe(true);
  });

  test('a daily digest goes out at 07:00 in the watch time zone, once a day', () => {
    const daily: Watch = {
      id: 'w',
      query: 'q',
      delivery: 'digest',
      digest: 'daily',
      quietHours: { start: '23:00', end: '06:00', timeZone: 'America/New_York' },
    };
    // 07:00 in New York (EST, UTC-5) is 12:00 UTC.
    expect(isDigestDue(daily, '2026-01-15T13:00:00.000Z', new Date('2026-01-16T11:59:00.000Z'))).toBe(false);
    expect(isDigestDue(daily, '2026-01-15T13:00:00.000Z', new Date('2026-01-16T12:00:00.000Z'))).toBe(true);
    // A match at 06:59 local belongs to the day that ended at 07:00.
    expect(isDigestDue(daily, '2026-01-16T11:59:00.000Z', new Date('2026-01-16T12:00:00.000Z'))).toBe(true);
    expect(isDigestDue(daily, '2026-01-16T12:00:00.000Z', new Date('2026-01-16T13:00:00.000Z'))).toBe(false);
  });

  test("a daily digest without quiet hours goes out at 07:00 in the watch's own time zone", () => {
    const daily: Watch = { id: 'w', query: 'q', digest: 'daily', timeZone: 'Asia/Tokyo' };
    // 07:00 in Tokyo (UTC+9) is 22:00 UTC the day before.
    expect(isDigestDue(daily, '2026-01-15T08:00:00.000Z', new Date('2026-01-15T21:59:00.000Z'))).toBe(false);
    expect(isDigestDue(daily, '2026-01-15T08:00:00.000Z', new Date('2026-01-15T22:00:00.000Z'))).toBe(true);
  });

  test('a time zone that is not an IANA zone is refused, and never used', () => {
    const watch: Watch = { id: 'w', query: 'q', digest: 'daily', timeZone: 'Mars/Olympus' };

    expect(deliverySettingsProblem(watch)).toBe(
      'time zone "Mars/Olympus" is not an IANA time zone such as Europe/London',
    );
    expect(isDigestDue(watch, '2026-01-15T08:00:00.000Z', new Date('2026-01-16T07:00:00.000Z'))).toBe(true);
  });

  test('a daily digest without a time zone goes out at 07:00 UTC', () => {
    const daily: Watch = { id: 'w', query: 'q', digest: 'daily' };
    expect(isDigestDue(daily, '2026-01-15T08:00:00.000Z', new Date('2026-01-16T06:59:00.000Z'))).toBe(false);
    expect(isDigestDue(daily, '2026-01-15T08:00:00.000Z', new Date('2026-01-16T07:00:00.000Z'))).toBe(true);
  });
});

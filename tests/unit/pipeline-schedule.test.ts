import { describe, expect, test } from 'vitest';
import { DEFAULT_SCHEDULE, nextDueAfterFailure, nextDueAfterSuccess } from '#core/pipeline/schedule.ts';

const NOW = new Date('2026-11-28T10:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();

describe('nextDueAfterSuccess', () => {
  test('polls again after the interval', () => {
    expect(nextDueAfterSuccess(NOW, DEFAULT_SCHEDULE)).toBe(at(5));
  });

  test('honours a longer Cache-Control max-age, never a shorter one, and caps it at a day', () => {
    expect(nextDueAfterSuccess(NOW, DEFAULT_SCHEDULE, 1800)).toBe(at(30));
    expect(nextDueAfterSuccess(NOW, DEFAULT_SCHEDULE, 60)).toBe(at(5));
    expect(nextDueAfterSuccess(NOW, DEFAULT_SCHEDULE, 7 * 86_400)).toBe(at(24 * 60));
  });
});

describe('nextDueAfterFailure', () => {
  test('backs off exponentially: the upper bound doubles with each failure', () => {
    const latest = () => 1;
    expect(
      [1, 2, 3, 4].map((failures) => nextDueAfterFailure(NOW, DEFAULT_SCHEDULE, failures, undefined, latest)),
    ).toEqual([at(5), at(10), at(20), at(40)]);
  });

  test('never waits less than the interval, whatever the jitter draws', () => {
    expect(nextDueAfterFailure(NOW, DEFAULT_SCHEDULE, 6, undefined, () => 0)).toBe(at(5));
  });

  test('jitter spreads feeds that failed together across the window', () => {
    expect(nextDueAfterFailure(NOW, DEFAULT_SCHEDULE, 3, undefined, () => 0.5)).toBe(at(12.5));
  });

  test('caps the back-off at 24 hours and never gives up', () => {
    expect(nextDueAfterFailure(NOW, DEFAULT_SCHEDULE, 50, undefined, () => 1)).toBe(at(24 * 60));
  });

  test('waits at least as long as Retry-After asks, within the cap', () => {
    expect(nextDueAfterFailure(NOW, DEFAULT_SCHEDULE, 1, 3600, () => 0)).toBe(at(60));
    expect(nextDueAfterFailure(NOW, DEFAULT_SCHEDULE, 1, 10 * 86_400, () => 0)).toBe(at(24 * 60));
  });
});

import { describe, expect, test } from 'vitest';
import {
  DEFAULT_SCHEDULE,
  isScheduled,
  nextDueAfterFailure,
  nextDueAfterSuccess,
  nextPoll,
  type PollHistory,
  pollIntervalAfterSuccess,
} from '#core/pipeline/schedule.ts';

const NOW = new Date('2026-11-28T10:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();
const quietFor = (minutes: number): PollHistory => ({ lastNewItemAt: at(-minutes) });
const interval = (history: PollHistory, maxAgeSeconds?: number) =>
  pollIntervalAfterSuccess(NOW, history, DEFAULT_SCHEDULE, maxAgeSeconds);

describe('pollIntervalAfterSuccess', () => {
  test('a poll that found new items polls again at the floor', () => {
    expect(interval(quietFor(0))).toEqual({ minutes: 5, reason: 'new-items' });
  });

  test('a quiet feed is polled every half of its quiet spell, in whole 5-minute steps', () => {
    const minutes = [5, 10, 15, 19, 20, 29, 30, 45, 65, 95, 119, 120, 600, 50_000].map(
      (quiet) => interval(quietFor(quiet)).minutes,
    );
    expect(minutes).toEqual([5, 5, 5, 5, 10, 10, 15, 20, 30, 45, 55, 60, 60, 60]);
    expect(interval(quietFor(45)).reason).toBe('quiet');
  });

  test("the steps follow the freshness target, and the longest interval is the policy's", () => {
    const policy = { ...DEFAULT_SCHEDULE, intervalMinutes: 15, maxQuietMinutes: 120 };
    expect(
      [10, 30, 59, 60, 200, 1_000].map(
        (quiet) => pollIntervalAfterSuccess(NOW, quietFor(quiet), policy).minutes,
      ),
    ).toEqual([15, 15, 15, 30, 90, 120]);
  });

  test('an interval the user fixed replaces the rule, never below the floor', () => {
    expect(interval({ ...quietFor(600), pollEvery: 5 })).toEqual({ minutes: 5, reason: 'set' });
    expect(interval({ ...quietFor(0), pollEvery: 30 })).toEqual({ minutes: 30, reason: 'set' });
    expect(interval({ pollEvery: 1 })).toEqual({ minutes: 5, reason: 'set' });
  });

  test('a longer Cache-Control max-age wins, never a shorter one, capped at a day', () => {
    expect(interval(quietFor(0), 1800)).toEqual({ minutes: 30, reason: 'max-age' });
    expect(interval(quietFor(600), 1800)).toEqual({ minutes: 60, reason: 'quiet' });
    expect(interval({ pollEvery: 5 }, 600)).toEqual({ minutes: 10, reason: 'max-age' });
    expect(interval(quietFor(0), 60)).toEqual({ minutes: 5, reason: 'new-items' });
    expect(interval(quietFor(0), 7 * 86_400)).toEqual({ minutes: 24 * 60, reason: 'max-age' });
  });
});

describe('nextDueAfterSuccess', () => {
  test('is due half a floor interval early, so the cycle it is meant for finds it due', () => {
    expect(nextDueAfterSuccess(NOW, DEFAULT_SCHEDULE, { minutes: 30, reason: 'set' })).toBe(at(27.5));
    expect(nextDueAfterSuccess(NOW, DEFAULT_SCHEDULE, { minutes: 60, reason: 'max-age' })).toBe(at(57.5));
  });

  test('a feed that follows its change rate stays due at the next cycle, however quiet', () => {
    expect(nextDueAfterSuccess(NOW, DEFAULT_SCHEDULE, { minutes: 5, reason: 'new-items' })).toBe(at(2.5));
    expect(nextDueAfterSuccess(NOW, DEFAULT_SCHEDULE, { minutes: 60, reason: 'quiet' })).toBe(at(2.5));
  });
});

describe('isScheduled', () => {
  const healthy = { consecutiveFailures: 0, lastNewItemAt: NOW.toISOString() };
  /** The minutes after the last new item, over `until`, at whose cycle (polled a few seconds late) the feed is polled. */
  const cycles = (until: number, feed = healthy, policy = DEFAULT_SCHEDULE) => {
    const picked: number[] = [];
    for (let minute = policy.intervalMinutes; minute <= until; minute += policy.intervalMinutes) {
      if (isScheduled(feed, new Date(Date.parse(at(minute)) - 3_000), policy)) picked.push(minute);
    }
    return picked;
  };

  test('a quiet feed is polled at the cycles half its quiet spell calls for, then hourly', () => {
    expect(cycles(400)).toEqual([5, 10, 15, 20, 30, 45, 65, 95, 140, 200, 260, 320, 380]);
  });

  test('a feed quiet for a month is still polled hourly, on its own cycles', () => {
    const month = 30 * 24 * 60;
    const picked = cycles(month + 200).filter((minute) => minute > month);
    expect(picked).toEqual([month + 20, month + 80, month + 140, month + 200]);
  });

  test("the steps follow the freshness target and the policy's longest interval", () => {
    const policy = { ...DEFAULT_SCHEDULE, intervalMinutes: 15, maxQuietMinutes: 120 };
    expect(cycles(600, healthy, policy)).toEqual([15, 30, 45, 60, 90, 135, 195, 285, 405, 525]);
  });

  test('a failing feed, one with a fixed interval, one never polled, and one waiting for a max-age go by their due time alone', () => {
    const quietAt = new Date(Date.parse(at(35)));
    expect(isScheduled(healthy, quietAt, DEFAULT_SCHEDULE)).toBe(false);
    expect(isScheduled({ ...healthy, consecutiveFailures: 2 }, quietAt, DEFAULT_SCHEDULE)).toBe(true);
    expect(isScheduled({ ...healthy, pollEvery: 5 }, quietAt, DEFAULT_SCHEDULE)).toBe(true);
    expect(isScheduled({ consecutiveFailures: 0 }, quietAt, DEFAULT_SCHEDULE)).toBe(true);
    expect(isScheduled({ ...healthy, pollReason: 'max-age' }, quietAt, DEFAULT_SCHEDULE)).toBe(true);
  });
});

describe('nextPoll', () => {
  const healthy = { consecutiveFailures: 0, lastNewItemAt: NOW.toISOString(), nextDueAt: at(2.5) };
  const minutesLater = (minutes: number) => new Date(Date.parse(at(minutes)));

  test("a quiet feed's next poll is the quiet spell's next cycle, not its stored due time", () => {
    expect(nextPoll(healthy, minutesLater(0), DEFAULT_SCHEDULE)).toEqual({
      at: at(5),
      minutes: 5,
      reason: 'new-items',
    });
    expect(nextPoll(healthy, minutesLater(50), DEFAULT_SCHEDULE)).toEqual({
      at: at(65),
      minutes: 20,
      reason: 'quiet',
    });
    expect(nextPoll(healthy, minutesLater(300), DEFAULT_SCHEDULE)).toEqual({
      at: at(320),
      minutes: 60,
      reason: 'quiet',
    });
  });

  test('a cycle within half a cycle of the scheduled time still counts as it', () => {
    expect(nextPoll(healthy, minutesLater(66), DEFAULT_SCHEDULE).at).toBe(at(65));
    expect(nextPoll(healthy, minutesLater(68), DEFAULT_SCHEDULE).at).toBe(at(95));
  });

  test('agrees with isScheduled at every cycle of a quiet day', () => {
    for (let minute = 5; minute <= 24 * 60; minute += 5) {
      const cycle = new Date(Date.parse(at(minute)) - 3_000);
      const next = nextPoll(healthy, cycle, DEFAULT_SCHEDULE);
      expect(Date.parse(next.at) <= Date.parse(at(minute + 2.5))).toBe(
        isScheduled(healthy, cycle, DEFAULT_SCHEDULE),
      );
    }
  });

  test('a due time written later than the quiet spell asks wins', () => {
    expect(nextPoll({ ...healthy, nextDueAt: at(7) }, minutesLater(0), DEFAULT_SCHEDULE).at).toBe(at(7));
  });

  test('every other feed is next polled at its due time, with why', () => {
    const later = minutesLater(35);
    expect(
      nextPoll({ ...healthy, consecutiveFailures: 3, nextDueAt: at(80) }, later, DEFAULT_SCHEDULE),
    ).toEqual({
      at: at(80),
    });
    expect(nextPoll({ ...healthy, pollEvery: 30, nextDueAt: at(57.5) }, later, DEFAULT_SCHEDULE)).toEqual({
      at: at(57.5),
      minutes: 30,
      reason: 'set',
    });
    expect(
      nextPoll(
        { ...healthy, pollMinutes: 120, pollReason: 'max-age', nextDueAt: at(117.5) },
        later,
        DEFAULT_SCHEDULE,
      ),
    ).toEqual({ at: at(117.5), minutes: 120, reason: 'max-age' });
    const retrying = {
      ...healthy,
      itemFailures: [
        {
          itemHash: 'h',
          itemKey: 'k',
          title: 't',
          reason: 'r',
          attempts: 1,
          firstFailedAt: at(0),
          lastFailedAt: at(0),
          status: 'retrying' as const,
        },
      ],
    };
    expect(nextPoll(retrying, later, DEFAULT_SCHEDULE)).toEqual({
      at: at(2.5),
      minutes: 5,
      reason: 'retrying',
    });
    expect(nextPoll({ consecutiveFailures: 0, nextDueAt: at(0) }, later, DEFAULT_SCHEDULE)).toEqual({
      at: at(0),
    });
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

import { MemoryFeedStore, MemoryMatchStore } from '#adapters/memory/index.ts';
import type { FeedState } from '#core/model.ts';
import { pollFeed } from '#core/pipeline/poll-feed.ts';
import { DEFAULT_SCHEDULE, isScheduled } from '#core/pipeline/schedule.ts';
import { buildWatchSet } from '#core/pipeline/watch-set.ts';
import { ManualClock, ok, rss, ScriptedFetcher } from '../unit/helpers/pipeline-fakes.ts';

/** What one feed costs in polls and state writes over a month, under the poller's own schedule. */
export interface ScheduleSimulation {
  /** New-content events a month (publications landing between two polls count once each). */
  events: number;
  polls: number;
  /** Polls that found at least one new item. */
  newContentPolls: number;
  /** Of those, how many found each number of events: `findingPollsByEvents[k]` found k. */
  findingPollsByEvents: number[];
  /** Feed-state puts, as pollFeed decided them. */
  statePuts: number;
  /** Mean and worst minutes from an event to the poll that found it. */
  meanDelayMinutes: number;
  worstDelayMinutes: number;
}

const MINUTE = 60_000;
const FEED = 'https://feed.example.com/rss.xml';
const START = new Date('2026-01-01T00:00:00.000Z');

/**
 * One feed for `days` under the real pollFeed, with cycles every freshness-target interval and
 * due feeds picked as the dispatcher picks them (nextDueAt, then isScheduled): publications arrive as a Poisson process of
 * `eventsPerHour` (a fixed seed, so every run prints the same figures); a quiet poll is a 304,
 * which writes what a rebuilt body with the same items would (nothing, or the new due time).
 */
export async function simulateSchedule(
  eventsPerHour: number,
  settings: Pick<FeedState, 'pollEvery'> = {},
  days = 30,
  seed = 20,
): Promise<ScheduleSimulation> {
  const random = mulberry32(seed);
  const clock = new ManualClock(START);
  const puts = { count: 0 };
  const feeds = new (class extends MemoryFeedStore {
    override async put(state: FeedState): Promise<void> {
      puts.count++;
      return super.put(state);
    }
  })();
  const fetcher = new ScriptedFetcher();
  const deps = {
    fetcher,
    feeds,
    matches: new MemoryMatchStore(clock),
    clock,
    watchSet: buildWatchSet([]).watchSet,
  };
  const cycleMinutes = DEFAULT_SCHEDULE.intervalMinutes;
  const endMinute = days * 24 * 60;
  const eventTimes: number[] = [];
  for (let t = nextGap(random, eventsPerHour); t < endMinute; t += nextGap(random, eventsPerHour))
    eventTimes.push(t);

  await feeds.put({ url: FEED, consecutiveFailures: 0, nextDueAt: START.toISOString(), ...settings });
  fetcher.serve(FEED, ok(rss([{ title: 'first', guid: 'first', description: 'first' }]), { etag: '"0"' }));
  await pollFeed((await feeds.get(FEED)) as FeedState, deps);
  const result: ScheduleSimulation = {
    events: eventTimes.length,
    polls: 0,
    newContentPolls: 0,
    findingPollsByEvents: [],
    statePuts: 0,
    meanDelayMinutes: 0,
    worstDelayMinutes: 0,
  };
  puts.count = 0;
  let published = 0;
  let found = 0;
  let delaySum = 0;
  for (let minute = cycleMinutes; minute < endMinute; minute += cycleMinutes) {
    clock.advance(cycleMinutes * MINUTE);
    const state = (await feeds.get(FEED)) as FeedState;
    // As the dispatcher picks them: due by nextDueAt, and at the cycles the quiet spell calls for.
    if (state.nextDueAt > clock.now().toISOString() || !isScheduled(state, clock.now(), DEFAULT_SCHEDULE))
      continue;
    while (published < eventTimes.length && (eventTimes[published] ?? Infinity) <= minute) published++;
    fetcher.serve(
      FEED,
      published === found
        ? { status: 'not-modified', etag: `"${published}"` }
        : ok(rss(itemsUpTo(published)), { etag: `"${published}"` }),
    );
    const outcome = await pollFeed(state, deps);
    result.polls++;
    if (outcome.newItems > 0) {
      result.newContentPolls++;
      const events = published - found;
      result.findingPollsByEvents[events] = (result.findingPollsByEvents[events] ?? 0) + 1;
      for (let event = found; event < published; event++) {
        const delay = minute - (eventTimes[event] ?? minute);
        delaySum += delay;
        result.worstDelayMinutes = Math.max(result.worstDelayMinutes, delay);
      }
      found = published;
    }
  }
  result.statePuts = puts.count;
  result.meanDelayMinutes = found > 0 ? delaySum / found : 0;
  return result;
}

/** The feed's newest 20 items, newest first. */
function itemsUpTo(published: number) {
  const items = [];
  for (let n = published; n > Math.max(0, published - 20); n--)
    items.push({ title: `story ${n}`, guid: `story-${n}`, description: `story ${n}` });
  return items;
}

function nextGap(random: () => number, eventsPerHour: number): number {
  return (-Math.log(1 - random()) / eventsPerHour) * 60;
}

/** A small seeded generator, so the simulation is the same on every run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

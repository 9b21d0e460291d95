import { beforeEach, describe, expect, test } from 'vitest';
import { MemoryFeedStore, MemoryMatchStore } from '#adapters/memory/index.ts';
import type { Watch } from '#core/model.ts';
import { type PollDeps, pollFeed } from '#core/pipeline/poll-feed.ts';
import { buildWatchSet } from '#core/pipeline/watch-set.ts';
import { ManualClock, ok, rss, ScriptedFetcher } from './helpers/pipeline-fakes.ts';

/**
 * What is one story and what is not, through pollFeed: one feed's items are one story only by
 * their link or GUID, and text a feed repeats across its items (a standfirst, "Read more")
 * never makes two stories one, in one feed or across feeds.
 */

const LIVE = 'https://live.example.com/rss';
const WIRE = 'https://wire.example.com/rss';
const OTHER = 'https://other.example.org/feed';
const START = new Date('2026-11-28T10:00:00.000Z');
const STANDFIRST = 'Read the full story on our website for live updates and analysis.';

let clock: ManualClock;
let matches: MemoryMatchStore;
let fetcher: ScriptedFetcher;
let deps: (watches: Watch[]) => PollDeps;

beforeEach(() => {
  clock = new ManualClock(START);
  matches = new MemoryMatchStore(clock);
  fetcher = new ScriptedFetcher();
  const feeds = new MemoryFeedStore();
  deps = (watches) => ({ fetcher, feeds, matches, clock, watchSet: buildWatchSet(watches).watchSet });
});

async function poll(url: string, watches: Watch[]) {
  const outcome = await pollFeed(
    { url, consecutiveFailures: 0, nextDueAt: START.toISOString() },
    deps(watches),
  );
  clock.advance(5 * 60_000);
  return outcome;
}

describe('one feed', () => {
  test('a live story published as three daily updates, one word apart, alerts three times', async () => {
    fetcher.serve(
      LIVE,
      ok(
        rss(
          [1, 2, 3].map((day) => ({
            title: `Ceasefire talks: day ${day}`,
            link: `https://live.example.com/ceasefire-talks-day-${day}`,
            guid: `live-${day}`,
            description:
              'Egyptian and Qatari mediators met Israeli and Hamas negotiators in Cairo in a fresh push for a ceasefire in Gaza.',
          })),
        ),
      ),
    );

    const outcome = await poll(LIVE, [{ id: 'ceasefire', query: 'ceasefire' }]);

    expect(outcome.stored.map((match) => match.title)).toEqual([
      'Ceasefire talks: day 1',
      'Ceasefire talks: day 2',
      'Ceasefire talks: day 3',
    ]);
    expect((await matches.listRecent({})).flatMap((match) => match.alsoIn ?? [])).toEqual([]);
  });

  test('eight different stories sharing one standfirst alert eight times', async () => {
    const headlines = [
      'Fed holds interest rates steady as inflation cools',
      'Flooding closes schools across Valencia region',
      'Election commission confirms runoff date in Bucharest',
      'Earthquake of magnitude 6.1 shakes western Turkey',
      'Euroclear faces lawsuits in Russian courts over frozen assets',
      'Heatwave pushes Seville past 44C for a third day',
      'Chip maker opens its first European plant in Dresden',
      'Sudan truce in El Fasher begins as aid convoys wait',
    ];
    fetcher.serve(
      LIVE,
      ok(
        rss(
          headlines.map((title, index) => ({
            title,
            link: `https://live.example.com/story-${index}`,
            guid: `live-${index}`,
            description: STANDFIRST,
          })),
        ),
      ),
    );

    const outcome = await poll(LIVE, [{ id: 'analysis', query: 'analysis' }]);

    expect(outcome.stored.map((match) => match.title)).toEqual(headlines);
  });
});

describe('across feeds', () => {
  const STORIES = [
    {
      title: 'Fed holds interest rates steady as inflation cools',
      lead: 'The Federal Reserve held interest rates steady on Wednesday and signalled two cuts later this year.',
    },
    {
      title: 'Flooding closes schools across Valencia region',
      lead: 'Authorities in Valencia closed hundreds of schools on Thursday after torrential rain flooded roads.',
    },
    {
      title: 'Election commission confirms runoff date in Bucharest',
      lead: "Romania's election commission set the presidential runoff for 18 May after a tense first round.",
    },
    {
      title: 'Earthquake of magnitude 6.1 shakes western Turkey',
      lead: 'A magnitude 6.1 earthquake struck western Turkey on Monday, damaging buildings in several towns.',
    },
    {
      title: 'Euroclear faces lawsuits in Russian courts over frozen assets',
      lead: 'Belgian depository Euroclear said it faces more than 100 lawsuits in Russia over frozen assets.',
    },
    {
      title: 'Heatwave pushes Seville past 44C for a third day',
      lead: 'Seville recorded 44C on Saturday as a heatwave held southern Spain for a third straight day.',
    },
    {
      title: 'Chip maker opens its first European plant in Dresden',
      lead: 'A Taiwanese chip maker opened its first European factory in Dresden with 2,000 jobs planned.',
    },
    {
      title: 'Sudan truce in El Fasher begins as aid convoys wait',
      lead: 'A truce in the Sudanese city of El Fasher took effect at dawn as aid convoys waited at its edge.',
    },
  ];
  const WATCHES: Watch[] = [{ id: 'analysis', query: 'analysis' }];

  function feedOf(host: string, stories: typeof STORIES, body: (lead: string) => string) {
    return ok(
      rss(
        stories.map((story, index) => ({
          title: story.title,
          link: `https://${host}/story-${index}`,
          guid: `${host}-${index}`,
          description: body(story.lead),
        })),
      ),
    );
  }

  test('four stories in each of two feeds, all with one copied standfirst, alert eight times', async () => {
    fetcher
      .serve(
        WIRE,
        feedOf('wire.example.com', STORIES.slice(0, 4), () => STANDFIRST),
      )
      .serve(
        OTHER,
        feedOf('other.example.org', STORIES.slice(4), () => STANDFIRST),
      );

    const first = await poll(WIRE, WATCHES);
    const second = await poll(OTHER, WATCHES);

    expect([...first.stored, ...second.stored].map((match) => match.title)).toEqual(
      STORIES.map((story) => story.title),
    );
  });

  test('the same four stories in two feeds that both add the standfirst alert four times, each listing the other feed', async () => {
    fetcher
      .serve(
        WIRE,
        feedOf('wire.example.com', STORIES.slice(0, 4), (lead) => `${STANDFIRST} ${lead}`),
      )
      .serve(
        OTHER,
        feedOf('other.example.org', STORIES.slice(0, 4), (lead) => `${lead} ${STANDFIRST}`),
      );

    const first = await poll(WIRE, WATCHES);
    const second = await poll(OTHER, WATCHES);

    expect(first.stored).toHaveLength(4);
    expect(second.stored).toEqual([]);
    const stored = await matches.listRecent({});
    expect(stored.map((match) => [match.title, match.alsoIn?.map((merged) => merged.link)]).sort()).toEqual(
      STORIES.slice(0, 4)
        .map((story, index) => [story.title, [`https://other.example.org/story-${index}`]])
        .sort(),
    );
  });
});

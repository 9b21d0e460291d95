import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, test } from 'vitest';
import { MemoryFeedStore, MemoryMatchStore } from '#adapters/memory/index.ts';
import { FetchError } from '#core/errors.ts';
import type { FeedState, Watch } from '#core/model.ts';
import { type PollDeps, pollFeed } from '#core/pipeline/poll-feed.ts';
import { DEFAULT_SCHEDULE, isScheduled } from '#core/pipeline/schedule.ts';
import { buildWatchSet } from '#core/pipeline/watch-set.ts';
import { ManualClock, ok, rss, ScriptedFetcher } from './helpers/pipeline-fakes.ts';

const FEED = 'https://wire.example.com/world.xml';
const OTHER_FEED = 'https://other.example.org/rss';
const START = new Date('2026-11-28T10:00:00.000Z');
const MINUTE = 60_000;

const WATCHES: Watch[] = [
  { id: 'asset-seizure', name: 'Asset seizure', query: 'asset seizure' },
  { id: 'ceasefire', query: 'ceasefire OR truce' },
];

const SEIZURE_ITEM = {
  title: 'G7 agrees to start seizing frozen Russian assets',
  link: 'https://wire.example.com/g7-assets?utm_source=rss',
  guid: 'wire-1',
  description: 'Finance ministers agreed to begin seizing frozen Russian assets on Tuesday.',
};
const WEATHER_ITEM = {
  title: 'Heatwave grips southern Europe',
  link: 'https://wire.example.com/heatwave',
  guid: 'wire-2',
  description: 'Temperatures passed 40C in Seville.',
};

let clock: ManualClock;
let feeds: MemoryFeedStore;
let matches: MemoryMatchStore;
let fetcher: ScriptedFetcher;

function deps(watches: Watch[] = WATCHES): PollDeps {
  return { fetcher, feeds, matches, clock, watchSet: buildWatchSet(watches).watchSet };
}

function newFeed(url = FEED): FeedState {
  return { url, consecutiveFailures: 0, nextDueAt: START.toISOString() };
}

beforeEach(() => {
  clock = new ManualClock(START);
  feeds = new MemoryFeedStore();
  matches = new MemoryMatchStore(clock);
  fetcher = new ScriptedFetcher();
});

describe('pollFeed', () => {
  test('stores each new match once, keyed by the canonical link, and records a healthy state', async () => {
    fetcher.serve(FEED, ok(rss([SEIZURE_ITEM, WEATHER_ITEM]), { etag: '"v1"' }));

    const outcome = await pollFeed(newFeed(), deps());

    expect(outcome).toMatchObject({ url: FEED, status: 'ok', items: 2, newItems: 2 });
    expect(outcome.stored).toHaveLength(1);
    expect(outcome.stored[0]).toMatchObject({
      watchId: 'asset-seizure',
      watchName: 'Asset seizure',
      storyKey: 'https://wire.example.com/g7-assets',
      itemKey: 'wire-1',
      feedUrl: FEED,
      title: 'G7 agrees to start seizing frozen Russian assets',
      // "frozen Russian assets" also says asset seizure (concept expansion, on in the pipeline).
      matched: ['asset', 'seizure', 'asset seizure'],
      alertState: 'PENDING',
      matchedAt: START.toISOString(),
    });
    const state = await feeds.get(FEED);
    expect(state).toMatchObject({
      etag: '"v1"',
      consecutiveFailures: 0,
      lastSuccessAt: START.toISOString(),
      lastNewItemAt: START.toISOString(),
      // Half a cycle early, so the next cycle finds it due.
      nextDueAt: new Date(START.getTime() + 2.5 * MINUTE).toISOString(),
    });
    expect(state?.seen).toHaveLength(2);
  });

  test('an unchanged body is neither parsed nor matched again', async () => {
    fetcher.serve(FEED, ok(rss([SEIZURE_ITEM])));
    await pollFeed(newFeed(), deps());
    clock.advance(5 * MINUTE);

    const second = await pollFeed((await feeds.get(FEED)) as FeedState, deps());

    expect(second).toMatchObject({ status: 'unchanged', items: 0, newItems: 0, stored: [] });
  });

  test('304 Not Modified keeps the validators and stores nothing', async () => {
    fetcher.serve(
      FEED,
      ok(rss([SEIZURE_ITEM]), { etag: '"v1"', lastModified: 'Tue, 03 Jun 2025 07:45:00 GMT' }),
    );
    await pollFeed(newFeed(), deps());
    fetcher.serve(FEED, { status: 'not-modified' });

    const second = await pollFeed((await feeds.get(FEED)) as FeedState, deps());

    expect(second.status).toBe('not-modified');
    expect(fetcher.requests[1]).toEqual({
      url: FEED,
      etag: '"v1"',
      lastModified: 'Tue, 03 Jun 2025 07:45:00 GMT',
    });
    expect(await feeds.get(FEED)).toMatchObject({ etag: '"v1"', consecutiveFailures: 0 });
  });

  test('only new items are matched when a feed gains an item; an edited story does not alert twice', async () => {
    fetcher.serve(FEED, ok(rss([SEIZURE_ITEM])));
    await pollFeed(newFeed(), deps());
    const edited = { ...SEIZURE_ITEM, title: 'UPDATE: G7 agrees to start seizing frozen Russian assets' };
    const truce = {
      title: 'Truce holds in the north',
      link: 'https://wire.example.com/truce',
      guid: 'wire-3',
      description: 'A holiday truce held overnight.',
    };
    fetcher.serve(FEED, ok(rss([edited, truce])));

    const second = await pollFeed((await feeds.get(FEED)) as FeedState, deps());

    expect(second.newItems).toBe(2);
    expect(second.stored.map((m) => [m.watchId, m.storyKey])).toEqual([
      ['ceasefire', 'https://wire.example.com/truce'],
    ]);
  });

  test('the same story from a second feed is noted on the stored match instead of stored again', async () => {
    fetcher.serve(FEED, ok(rss([SEIZURE_ITEM])));
    fetcher.serve(
      OTHER_FEED,
      ok(rss([{ ...SEIZURE_ITEM, guid: 'other-77', link: 'https://www.wire.example.com/g7-assets#top' }])),
    );
    await pollFeed(newFeed(), deps());

    const second = await pollFeed(newFeed(OTHER_FEED), deps());

    expect(second.stored).toEqual([]);
    expect((await matches.get('asset-seizure', 'https://wire.example.com/g7-assets'))?.alsoIn).toEqual([
      {
        feed: OTHER_FEED,
        itemKey: 'other-77',
        title: SEIZURE_ITEM.title,
        link: 'https://www.wire.example.com/g7-assets#top',
        published: '2025-06-03T07:45:00.000Z',
        seenAt: START.toISOString(),
      },
    ]);
  });

  test('a muted watch stores its matches as SUPPRESSED', async () => {
    fetcher.serve(FEED, ok(rss([SEIZURE_ITEM])));

    const outcome = await pollFeed(
      newFeed(),
      deps([{ id: 'quiet', query: 'asset seizure', delivery: 'muted' }]),
    );

    expect(outcome.stored.map((m) => m.alertState)).toEqual(['SUPPRESSED']);
  });

  test('a watch limited to other feeds does not match here', async () => {
    fetcher.serve(FEED, ok(rss([SEIZURE_ITEM])));

    const outcome = await pollFeed(
      newFeed(),
      deps([{ id: 'elsewhere', query: 'asset', feeds: [OTHER_FEED] }]),
    );

    expect(outcome.stored).toEqual([]);
  });

  test('a fetch failure is recorded with its reason and backs off; it never throws', async () => {
    fetcher.serve(FEED, new FetchError('timeout', 'timed out after 15 s'));

    const outcome = await pollFeed(newFeed(), deps());

    expect(outcome).toMatchObject({
      status: 'failed',
      error: { kind: 'timeout', message: 'timed out after 15 s' },
    });
    expect(await feeds.get(FEED)).toMatchObject({
      consecutiveFailures: 1,
      failingSince: START.toISOString(),
      lastError: 'timed out after 15 s',
      lastErrorKind: 'timeout',
      nextDueAt: new Date(START.getTime() + 5 * MINUTE).toISOString(),
    });
  });

  test('Retry-After from a 429 sets the next attempt', async () => {
    fetcher.serve(FEED, new FetchError('rate_limited', 'HTTP 429 Too Many Requests', 3600));

    await pollFeed(newFeed(), deps());

    expect((await feeds.get(FEED))?.nextDueAt).toBe(new Date(START.getTime() + 60 * MINUTE).toISOString());
  });

  test('a body that is not a feed is recorded as a parse failure; recovery clears the failure', async () => {
    fetcher.serve(FEED, ok('<html><body>Service unavailable</body></html>'));
    const failed = await pollFeed(newFeed(), deps());
    expect(failed).toMatchObject({ status: 'failed', error: { kind: 'not_a_feed' } });
    fetcher.serve(FEED, ok(rss([WEATHER_ITEM])));
    clock.advance(10 * MINUTE);

    const recovered = await pollFeed((await feeds.get(FEED)) as FeedState, deps());

    expect(recovered.status).toBe('ok');
    const state = await feeds.get(FEED);
    expect(state).toMatchObject({ consecutiveFailures: 0 });
    expect(state?.failingSince).toBeUndefined();
    expect(state?.lastError).toBeUndefined();
  });
});

describe('pollFeed story identity', () => {
  const DAY = 24 * 60 * MINUTE;
  const THIRD_FEED = 'https://third.example.net/feed';
  const SYNDICATED = {
    ...SEIZURE_ITEM,
    title: 'Reuters - G7 agrees to start seizing frozen Russian assets',
    link: 'https://chronicle.example.co.uk/world/g7-assets-4411',
    guid: 'chronicle-4411',
  };

  test('the same story under another link and GUID from another feed is one story', async () => {
    fetcher.serve(FEED, ok(rss([SEIZURE_ITEM]))).serve(OTHER_FEED, ok(rss([SYNDICATED])));
    await pollFeed(newFeed(), deps());
    clock.advance(5 * MINUTE);

    const second = await pollFeed(newFeed(OTHER_FEED), deps());

    expect(second.stored).toEqual([]);
    expect(await matches.listRecent({})).toMatchObject([
      {
        storyKey: 'https://wire.example.com/g7-assets',
        alsoIn: [{ feed: OTHER_FEED, itemKey: 'chronicle-4411' }],
      },
    ]);
  });

  test('a near-duplicate older than the window is a new story', async () => {
    fetcher.serve(FEED, ok(rss([SEIZURE_ITEM]))).serve(OTHER_FEED, ok(rss([SYNDICATED])));
    await pollFeed(newFeed(), deps());
    clock.advance(7 * DAY + MINUTE);

    const second = await pollFeed(newFeed(OTHER_FEED), deps());

    expect(second.stored.map((m) => m.storyKey)).toEqual([
      'https://chronicle.example.co.uk/world/g7-assets-4411',
    ]);
  });

  test('the window is a PollDeps option', async () => {
    fetcher.serve(FEED, ok(rss([SEIZURE_ITEM]))).serve(OTHER_FEED, ok(rss([SYNDICATED])));
    await pollFeed(newFeed(), deps());
    clock.advance(2 * 60 * MINUTE);

    const second = await pollFeed(newFeed(OTHER_FEED), { ...deps(), dedupe: { windowMs: 60 * MINUTE } });

    expect(second.stored).toHaveLength(1);
  });

  test('an update of a story in the same feed under a new GUID and link is an article of its own', async () => {
    fetcher.serve(FEED, ok(rss([SEIZURE_ITEM])));
    await pollFeed(newFeed(), deps());
    fetcher.serve(
      FEED,
      ok(
        rss([
          SEIZURE_ITEM,
          { ...SEIZURE_ITEM, guid: 'wire-1-u1', link: 'https://wire.example.com/g7-assets-update' },
        ]),
      ),
    );
    clock.advance(5 * MINUTE);

    const second = await pollFeed((await feeds.get(FEED)) as FeedState, deps());

    expect(second.newItems).toBe(1);
    expect(second.stored.map((m) => [m.watchId, m.storyKey])).toEqual([
      ['asset-seizure', 'https://wire.example.com/g7-assets-update'],
    ]);
  });

  test.each([
    ['a new GUID with the same link', { guid: 'wire-1-reissued' }],
    ['the same GUID with a new link', { link: 'https://wire.example.com/g7-assets-moved' }],
  ])('an item of the same feed with %s is the same story, recorded on it', async (_, changed) => {
    fetcher.serve(FEED, ok(rss([SEIZURE_ITEM])));
    await pollFeed(newFeed(), deps());
    const reissued = {
      ...SEIZURE_ITEM,
      ...changed,
      title: 'UPDATE 1-G7 agrees to start seizing frozen Russian assets',
    };
    fetcher.serve(FEED, ok(rss([reissued])));
    clock.advance(5 * MINUTE);

    const second = await pollFeed((await feeds.get(FEED)) as FeedState, deps());

    expect(second).toMatchObject({ newItems: 1, stored: [] });
    const stored = await matches.listRecent({});
    expect(stored.map((m) => m.storyKey)).toEqual(['https://wire.example.com/g7-assets']);
    expect((stored[0]?.alsoIn ?? []).map((merged) => [merged.feed, merged.title])).toEqual(
      'guid' in changed ? [[FEED, reissued.title]] : [],
    );
  });

  test('a story that changes so that it matches another watch alerts for that watch', async () => {
    fetcher.serve(FEED, ok(rss([SEIZURE_ITEM])));
    await pollFeed(newFeed(), deps());
    const withTruce = {
      ...SYNDICATED,
      title: SEIZURE_ITEM.title,
      description: `${SEIZURE_ITEM.description} Moscow called for a truce in the dispute.`,
    };
    fetcher.serve(OTHER_FEED, ok(rss([withTruce])));
    clock.advance(5 * MINUTE);

    const second = await pollFeed(newFeed(OTHER_FEED), deps());

    expect(second.stored.map((m) => [m.watchId, m.storyKey])).toEqual([
      ['ceasefire', 'https://chronicle.example.co.uk/world/g7-assets-4411'],
    ]);
    expect(
      (await matches.get('asset-seizure', 'https://wire.example.com/g7-assets'))?.alsoIn?.map((m) => m.feed),
    ).toEqual([OTHER_FEED]);
  });

  test('an exact headline from another feed is the same story even when the lead differs', async () => {
    fetcher.serve(FEED, ok(rss([SEIZURE_ITEM])));
    fetcher.serve(
      OTHER_FEED,
      ok(
        rss([
          {
            title: SEIZURE_ITEM.title.toUpperCase(),
            link: 'https://other.example.org/a/9',
            description: 'Ministers meeting in Stresa signed off the plan after two days of talks.',
          },
        ]),
      ),
    );
    await pollFeed(newFeed(), deps());

    const second = await pollFeed(newFeed(OTHER_FEED), deps());

    expect(second.stored).toEqual([]);
  });

  test('an item with neither link nor GUID is keyed by its fingerprint, across feeds', async () => {
    const bare = { title: SEIZURE_ITEM.title, description: SEIZURE_ITEM.description };
    fetcher.serve(FEED, ok(rss([bare]))).serve(OTHER_FEED, ok(rss([bare])));

    const first = await pollFeed(newFeed(), deps());
    const second = await pollFeed(newFeed(OTHER_FEED), deps());

    expect(first.stored[0]?.storyKey).toBe(`fingerprint:${first.stored[0]?.fingerprint}`);
    expect(first.stored[0]?.fingerprint).toMatch(/^v2:[0-9a-f]{16}$/);
    expect(second.stored).toEqual([]);
  });

  test('feeds polled at the same time store one story once', async () => {
    fetcher
      .serve(FEED, ok(rss([SEIZURE_ITEM])))
      .serve(OTHER_FEED, ok(rss([SYNDICATED])))
      .serve(THIRD_FEED, ok(rss([{ ...SYNDICATED, guid: 'third-1', link: 'https://third.example.net/g7' }])));

    const outcomes = await Promise.all(
      [FEED, OTHER_FEED, THIRD_FEED].map((url) => pollFeed(newFeed(url), deps())),
    );

    expect(outcomes.flatMap((o) => o.stored)).toHaveLength(1);
    expect((await matches.listRecent({}))[0]?.alsoIn).toHaveLength(2);
  });

  test.each([
    ['https://amp.wire.example.com/g7-assets', 'amp host'],
    ['https://wire.example.com/g7-assets/amp', 'amp path'],
    [
      'https://www.wire.example.com/g7-assets?utm_source=x&amp;fbclid=y#comments',
      'www, tracking and fragment',
    ],
    ['https://wire.example.com/g7-assets?ocid=rss&amp;utm_medium=feed', 'ocid and utm'],
    // Written as in the feed's XML, where & is escaped.
  ])('%s (%s) is the same story key as the plain link', async (link) => {
    fetcher.serve(FEED, ok(rss([{ ...SEIZURE_ITEM, link }])));

    const outcome = await pollFeed(newFeed(), deps());

    expect(outcome.stored[0]?.storyKey).toBe('https://wire.example.com/g7-assets');
  });
});

describe('pollFeed story keys over the store key limit', () => {
  const LONG_LINK = `https://wire.example.com/g7-assets/${'a'.repeat(2_000 - 35)}`;
  const LONG_GUID = `wire-${'7'.repeat(3_000 - 5)}`;

  test.each([
    ['a 2,000-character link', { ...SEIZURE_ITEM, link: LONG_LINK }, LONG_LINK],
    ['a 3,000-character GUID', { ...SEIZURE_ITEM, link: undefined, guid: LONG_GUID }, `guid:${LONG_GUID}`],
  ])('%s is stored under the hash of its key, the same on every poll', async (_, item, fullKey) => {
    const expectedKey = `hash:${createHash('sha256').update(fullKey).digest('base64url')}`;
    fetcher.serve(FEED, ok(rss([item])));

    const first = await pollFeed(newFeed(), deps());
    clock.advance(5 * MINUTE);
    const again = await pollFeed(newFeed(), deps());

    expect(first.stored.map((m) => m.storyKey)).toEqual([expectedKey]);
    expect(expectedKey).toHaveLength(48);
    expect(again).toMatchObject({ status: 'ok', newItems: 1, stored: [] });
    expect((await matches.listRecent({})).map((m) => m.storyKey)).toEqual([expectedKey]);
  });
});

describe('pollFeed writes nothing for a quiet, healthy feed', () => {
  class CountingFeedStore extends MemoryFeedStore {
    puts = 0;
    override async put(state: FeedState): Promise<void> {
      this.puts++;
      return super.put(state);
    }
  }

  let counting: CountingFeedStore;

  async function firstPoll(settings: Partial<FeedState> = {}) {
    counting = new CountingFeedStore();
    feeds = counting;
    fetcher.serve(FEED, ok(rss([SEIZURE_ITEM]), { etag: '"v1"' }));
    await pollFeed({ ...newFeed(), ...settings }, deps());
    counting.puts = 0;
  }

  async function pollAfter(minutes: number) {
    clock.advance(minutes * MINUTE);
    return pollFeed((await feeds.get(FEED)) as FeedState, deps());
  }

  test('a 304 at the next cycle stores nothing: the feed stays due', async () => {
    await firstPoll();
    const before = await feeds.get(FEED);
    fetcher.serve(FEED, { status: 'not-modified', etag: '"v1"' });

    const outcome = await pollAfter(5);

    expect(outcome.status).toBe('not-modified');
    expect(counting.puts).toBe(0);
    expect(await feeds.get(FEED)).toEqual(before);
  });

  test('an unchanged body at the next cycle stores nothing either', async () => {
    await firstPoll();

    const outcome = await pollAfter(5);

    expect(outcome.status).toBe('unchanged');
    expect(counting.puts).toBe(0);
  });

  test('a rebuilt body that carries the same items is not parsed and stores nothing; new items are stored', async () => {
    await firstPoll();
    const rebuilt = (buildDate: string) =>
      ok(rss([SEIZURE_ITEM]).replace('<channel>', `<channel><lastBuildDate>${buildDate}</lastBuildDate>`), {
        etag: '"v1"',
      });
    fetcher.serve(FEED, rebuilt('Sat, 28 Nov 2026 10:05:00 GMT'));

    const quiet = await pollAfter(5);

    expect(quiet).toMatchObject({ status: 'unchanged', items: 0, newItems: 0 });
    expect(counting.puts).toBe(0);

    fetcher.serve(FEED, ok(rss([SEIZURE_ITEM, WEATHER_ITEM]), { etag: '"v1"' }));
    const busy = await pollAfter(5);

    expect(busy).toMatchObject({ status: 'ok', items: 2, newItems: 1 });
    expect(counting.puts).toBe(1);
    expect((await feeds.get(FEED))?.seen).toHaveLength(2);
  });

  test('the last success is refreshed every 6 hours, not at each hourly poll of a quiet feed', async () => {
    await firstPoll();
    fetcher.serve(FEED, { status: 'not-modified', etag: '"v1"' });

    for (let hour = 1; hour < 6; hour++) await pollAfter(60);
    expect(counting.puts).toBe(0);
    await pollAfter(60);

    expect(counting.puts).toBe(1);
    expect((await feeds.get(FEED))?.lastSuccessAt).toBe(
      new Date(START.getTime() + 6 * 60 * MINUTE).toISOString(),
    );
  });

  test('new validators, a longer max-age, or a recovery are written', async () => {
    await firstPoll();
    fetcher.serve(FEED, { status: 'not-modified', etag: '"v2"' });
    await pollAfter(5);
    fetcher.serve(FEED, { status: 'not-modified', etag: '"v2"', maxAgeSeconds: 3600 });
    await pollAfter(5);
    fetcher.serve(FEED, new FetchError('timeout', 'timed out after 15 s'));
    await pollAfter(60);
    fetcher.serve(FEED, { status: 'not-modified', etag: '"v2"' });
    await pollAfter(60);

    expect(counting.puts).toBe(4);
    expect(await feeds.get(FEED)).toMatchObject({ etag: '"v2"', consecutiveFailures: 0 });
  });

  test('a quiet feed stays due without a write, whatever its interval; a new item is written', async () => {
    await firstPoll();
    fetcher.serve(FEED, { status: 'not-modified', etag: '"v1"' });
    // The cycles isScheduled picks for a feed quiet since the first poll: 5, 10, 15, 20, 30, 45.
    for (const minutes of [5, 5, 5, 5, 10, 15]) await pollAfter(minutes);
    const quietPuts = counting.puts;
    const quietState = await feeds.get(FEED);

    fetcher.serve(FEED, ok(rss([SEIZURE_ITEM, WEATHER_ITEM]), { etag: '"v2"' }));
    await pollAfter(20);

    expect(quietPuts).toBe(0);
    expect(quietState).toMatchObject({
      lastNewItemAt: START.toISOString(),
      nextDueAt: new Date(START.getTime() + 2.5 * MINUTE).toISOString(),
    });
    expect(counting.puts).toBe(1);
    expect(await feeds.get(FEED)).toMatchObject({
      lastNewItemAt: new Date(START.getTime() + 65 * MINUTE).toISOString(),
      nextDueAt: new Date(START.getTime() + 67.5 * MINUTE).toISOString(),
    });
  });

  test("a server's longer max-age is written and polled when it comes, off the quiet spell's cycles; the poll after it goes back to them", async () => {
    await firstPoll();
    const minutesIn = (minutes: number) => new Date(START.getTime() + minutes * MINUTE);
    fetcher.serve(FEED, { status: 'not-modified', etag: '"v1"', maxAgeSeconds: 2 * 3600 });
    await pollAfter(5);
    const waiting = (await feeds.get(FEED)) as FeedState;
    const { pollMinutes: _m, pollReason: _r, ...asIfQuiet } = waiting;
    fetcher.serve(FEED, { status: 'not-modified', etag: '"v1"' });
    await pollAfter(120);

    expect(waiting).toMatchObject({
      pollMinutes: 120,
      pollReason: 'max-age',
      nextDueAt: minutesIn(122.5).toISOString(),
    });
    // 125 minutes after the last new item is not one of the quiet spell's cycles (95, 140).
    expect(isScheduled(waiting, minutesIn(125), DEFAULT_SCHEDULE)).toBe(true);
    expect(isScheduled(asIfQuiet, minutesIn(125), DEFAULT_SCHEDULE)).toBe(false);
    expect(counting.puts).toBe(2);
    const back = (await feeds.get(FEED)) as FeedState;
    expect(back).not.toHaveProperty('pollReason');
    expect(back).not.toHaveProperty('pollMinutes');
    expect(back.nextDueAt).toBe(minutesIn(127.5).toISOString());
    expect(isScheduled(back, minutesIn(130), DEFAULT_SCHEDULE)).toBe(false);
    expect(isScheduled(back, minutesIn(140), DEFAULT_SCHEDULE)).toBe(true);
  });

  test('a feed fixed at the freshness target stays due without a write, however quiet it is', async () => {
    await firstPoll({ pollEvery: 5 });
    fetcher.serve(FEED, { status: 'not-modified', etag: '"v1"' });
    for (let cycle = 0; cycle < 11; cycle++) await pollAfter(5);

    expect(counting.puts).toBe(0);
    expect((await feeds.get(FEED))?.nextDueAt).toBe(new Date(START.getTime() + 2.5 * MINUTE).toISOString());
  });
});

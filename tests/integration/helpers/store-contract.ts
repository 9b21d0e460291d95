/**
 * The behaviour every FeedStore / WatchStore / MatchStore must have. Run against each
 * implementation (in-memory, DynamoDB) so the local and cloud stores cannot drift apart.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { FeedState, MergedItem, RecentItem, StoredMatch, Watch } from '#core/model.ts';
import type {
  Claim,
  ClaimQueue,
  Clock,
  FeedStore,
  MatchStore,
  RateLimiter,
  RecentItemStore,
  WatchStore,
} from '#core/ports.ts';
import { storeNewStory } from '../../helpers/store-match.ts';

export interface Stores {
  watches: WatchStore;
  feeds: FeedStore;
  matches: MatchStore;
}

/** Builds fresh, empty stores whose match store reads time from `clock`. */
export type StoreFactory = (clock: Clock) => Promise<Stores>;

/**
 * Far in the future on purpose: DynamoDB Local enforces TTL, and would delete a match whose
 * `expiresAt` (matchedAt + 90 days) has already passed in real time, midway through a test.
 */
export const NOW = new Date('2099-03-10T12:00:00.000Z');

export function aMatch(overrides: Partial<StoredMatch> = {}): StoredMatch {
  return {
    watchId: 'w1',
    storyKey: 'story-1',
    itemKey: 'item-1',
    feedUrl: 'https://news.example/feed.xml',
    title: 'EU agrees to seize Russian assets',
    link: 'https://news.example/eu-assets',
    published: '2099-03-10T08:00:00.000Z',
    matched: ['asset', 'seizure'],
    hits: [
      { term: 'asset', word: 'assets', field: 'title' },
      { term: 'seizure', word: 'seize', field: 'title' },
    ],
    snippet: 'EU agrees to seize Russian assets',
    highlight: 'EU agrees to **seize** Russian **assets**',
    matchedAt: '2099-03-10T09:00:00.000Z',
    alertState: 'PENDING',
    ...overrides,
  };
}

function merged(feed: string, itemKey: string): MergedItem {
  return {
    feed,
    itemKey,
    title: `A copy from ${feed}`,
    link: `${feed}${itemKey}`,
    published: '2099-03-10T08:30:00.000Z',
    seenAt: '2099-03-10T09:05:00.000Z',
  };
}

const NOW_ISO = NOW.toISOString();
const LEASE_END = '2099-03-10T12:03:00.000Z';
const AFTER_LEASE = '2099-03-10T12:03:00.001Z';
const LATER_LEASE_END = '2099-03-10T12:06:00.001Z';
const CLAIM_A: Claim = { owner: 'deliverer-a', leaseUntil: LEASE_END };
const CLAIM_B: Claim = { owner: 'deliverer-b', leaseUntil: LATER_LEASE_END };

/** Moves a match out of `queue` to `state` the way a deliverer does: claim, then settle. */
export async function settleAs(
  matches: MatchStore,
  watchId: string,
  storyKey: string,
  state: 'SENT' | 'SUPPRESSED' | 'DIGEST',
  queue: ClaimQueue = 'PENDING',
): Promise<boolean> {
  const claim = { owner: `settle-${state}`, leaseUntil: LEASE_END };
  const claimed = await matches.claim(watchId, storyKey, queue, claim, NOW_ISO);
  return claimed.claimed && (await matches.settle(watchId, storyKey, claim.owner, { state }));
}

export function aFeed(overrides: Partial<FeedState> = {}): FeedState {
  return {
    url: 'https://news.example/feed.xml',
    title: 'Example News',
    etag: '"abc"',
    consecutiveFailures: 0,
    nextDueAt: '2099-03-10T12:00:00.000Z',
    seen: ['h1', 'h2'],
    ...overrides,
  };
}

export function describeStoreContract(implementation: string, createStores: StoreFactory): void {
  describe(`${implementation} stores: the store contract`, () => {
    let stores: Stores;

    beforeEach(async () => {
      stores = await createStores({ now: () => new Date(NOW) });
    });

    describe('WatchStore', () => {
      it('puts, gets, lists by id, replaces and deletes watches', async () => {
        const alpha: Watch = {
          id: 'alpha',
          query: 'ceasefire',
          name: 'Ceasefire',
          feeds: [],
          delivery: 'digest',
        };
        const beta: Watch = { id: 'beta', query: '"asset seizure"', enabled: false };

        await stores.watches.put(beta);
        await stores.watches.put({ ...alpha, createdAt: undefined });

        expect(await stores.watches.get('alpha')).toEqual(alpha);
        expect(await stores.watches.list()).toEqual([alpha, beta]);

        await stores.watches.put({ id: 'alpha', query: 'truce' });
        expect(await stores.watches.get('alpha')).toEqual({ id: 'alpha', query: 'truce' });

        expect(await stores.watches.delete('alpha')).toBe(true);
        expect(await stores.watches.delete('alpha')).toBe(false);
        expect(await stores.watches.get('alpha')).toBeUndefined();
        expect(await stores.watches.list()).toEqual([beta]);
      });

      it('returns copies, so changing a returned watch changes nothing stored', async () => {
        await stores.watches.put({ id: 'alpha', query: 'ceasefire', feeds: ['https://a.example/'] });

        const fetched = await stores.watches.get('alpha');
        fetched?.feeds?.push('https://b.example/');

        expect(await stores.watches.get('alpha')).toEqual({
          id: 'alpha',
          query: 'ceasefire',
          feeds: ['https://a.example/'],
        });
      });
    });

    describe('FeedStore', () => {
      it('replaces the whole state on put and drops undefined fields', async () => {
        await stores.feeds.put(aFeed({ lastError: 'HTTP 503', lastErrorKind: 'http_status' }));
        const replacement = aFeed({ etag: undefined, consecutiveFailures: 2, seen: [] });

        await stores.feeds.put(replacement);

        expect(await stores.feeds.get(replacement.url)).toEqual({
          url: 'https://news.example/feed.xml',
          title: 'Example News',
          consecutiveFailures: 2,
          nextDueAt: '2099-03-10T12:00:00.000Z',
          seen: [],
        });
      });

      it('lists every feed ordered by url', async () => {
        await stores.feeds.put(aFeed({ url: 'https://c.example/rss' }));
        await stores.feeds.put(aFeed({ url: 'https://a.example/rss' }));
        await stores.feeds.put(aFeed({ url: 'https://b.example/rss' }));

        const urls = (await stores.feeds.list()).map((feed) => feed.url);

        expect(urls).toEqual(['https://a.example/rss', 'https://b.example/rss', 'https://c.example/rss']);
      });

      it('returns feeds due at or before now, soonest first, and never one due later', async () => {
        await stores.feeds.put(
          aFeed({ url: 'https://later.example/', nextDueAt: '2099-03-10T12:00:00.001Z' }),
        );
        await stores.feeds.put(
          aFeed({ url: 'https://exactly.example/', nextDueAt: '2099-03-10T12:00:00.000Z' }),
        );
        await stores.feeds.put(
          aFeed({ url: 'https://earlier.example/', nextDueAt: '2099-03-10T11:59:59.999Z' }),
        );

        const due = await stores.feeds.due('2099-03-10T12:00:00.000Z');

        expect(due.map((feed) => feed.url)).toEqual(['https://earlier.example/', 'https://exactly.example/']);
        expect(due[0]).toEqual(
          aFeed({ url: 'https://earlier.example/', nextDueAt: '2099-03-10T11:59:59.999Z' }),
        );
      });

      it('deletes a feed, which then is neither listed nor due', async () => {
        await stores.feeds.put(aFeed());

        expect(await stores.feeds.delete('https://news.example/feed.xml')).toBe(true);
        expect(await stores.feeds.delete('https://news.example/feed.xml')).toBe(false);
        expect(await stores.feeds.get('https://news.example/feed.xml')).toBeUndefined();
        expect(await stores.feeds.list()).toEqual([]);
        expect(await stores.feeds.due('2030-01-01T00:00:00.000Z')).toEqual([]);
      });
    });

    describe('MatchStore', () => {
      it('stores a match once: a second new story of the same key is refused and changes nothing', async () => {
        const first = aMatch();

        expect(await stores.matches.putNewStory(first, { stories: [] })).toBe('stored');
        expect(
          await stores.matches.putNewStory(aMatch({ title: 'a later copy' }), {
            expectedVersion: 1,
            stories: [],
          }),
        ).toBe('exists');

        expect(await stores.matches.get('w1', 'story-1')).toEqual(first);
        expect((await stores.matches.getStories('w1'))?.version).toBe(1);
      });

      it('lets exactly one of five concurrent new stories of the same key win', async () => {
        const attempts = Array.from({ length: 5 }, (_, attempt) => aMatch({ itemKey: `item-${attempt}` }));

        const outcomes = await Promise.all(attempts.map((match) => storeNewStory(stores.matches, match)));

        expect(outcomes.filter(Boolean)).toEqual([true]);
        const winner = attempts[outcomes.indexOf(true)];
        expect(await stores.matches.get('w1', 'story-1')).toEqual(winner);
      });

      it('keeps the same story apart for different watches', async () => {
        expect(await storeNewStory(stores.matches, aMatch({ watchId: 'w1' }))).toBe(true);
        expect(await storeNewStory(stores.matches, aMatch({ watchId: 'w2' }))).toBe(true);

        expect((await stores.matches.get('w2', 'story-1'))?.watchId).toBe('w2');
        expect(await stores.matches.get('w3', 'story-1')).toBeUndefined();
      });

      it('claims a PENDING match for one owner; only that owner settles it, once', async () => {
        await storeNewStory(stores.matches, aMatch());

        const first = await stores.matches.claim('w1', 'story-1', 'PENDING', CLAIM_A, NOW_ISO);
        const second = await stores.matches.claim('w1', 'story-1', 'PENDING', CLAIM_B, NOW_ISO);
        const held = await stores.matches.get('w1', 'story-1');
        const byOther = await stores.matches.settle('w1', 'story-1', CLAIM_B.owner, { state: 'SENT' });
        const byOwner = await stores.matches.settle('w1', 'story-1', CLAIM_A.owner, { state: 'SENT' });
        const again = await stores.matches.settle('w1', 'story-1', CLAIM_A.owner, { state: 'SENT' });

        expect(first).toEqual({ claimed: true, match: held, takenOver: false });
        expect(held).toEqual(
          aMatch({ alertState: 'SENDING', claimedBy: 'deliverer-a', leaseUntil: LEASE_END }),
        );
        expect(second).toEqual({ claimed: false });
        expect([byOther, byOwner, again]).toEqual([false, true, false]);
        expect(await stores.matches.get('w1', 'story-1')).toEqual(aMatch({ alertState: 'SENT' }));
        expect(await stores.matches.claim('w1', 'story-1', 'PENDING', CLAIM_B, NOW_ISO)).toEqual({
          claimed: false,
        });
        expect(await stores.matches.claim('w1', 'no-such-story', 'PENDING', CLAIM_B, NOW_ISO)).toEqual({
          claimed: false,
        });
      });

      it('gives exactly one of many concurrent claimants the match', async () => {
        await storeNewStory(stores.matches, aMatch());

        const results = await Promise.all(
          ['a', 'b', 'c', 'd', 'e'].map((owner) =>
            stores.matches.claim('w1', 'story-1', 'PENDING', { owner, leaseUntil: LEASE_END }, NOW_ISO),
          ),
        );

        expect(results.filter((result) => result.claimed)).toHaveLength(1);
      });

      it('takes over a claim only once its lease has ended, and then only once', async () => {
        await storeNewStory(stores.matches, aMatch());
        await stores.matches.claim('w1', 'story-1', 'PENDING', CLAIM_A, NOW_ISO);

        const atLeaseEnd = await stores.matches.claim('w1', 'story-1', 'PENDING', CLAIM_B, LEASE_END);
        const takers = await Promise.all(
          ['b', 'c', 'd'].map((owner) =>
            stores.matches.claim(
              'w1',
              'story-1',
              'PENDING',
              { owner, leaseUntil: LATER_LEASE_END },
              AFTER_LEASE,
            ),
          ),
        );
        const lateOwner = await stores.matches.settle('w1', 'story-1', CLAIM_A.owner, { state: 'SENT' });

        expect(atLeaseEnd).toEqual({ claimed: false });
        const won = takers.filter((taker) => taker.claimed);
        expect(won).toHaveLength(1);
        expect(won[0]).toMatchObject({
          claimed: true,
          takenOver: true,
          match: { leaseUntil: LATER_LEASE_END },
        });
        expect(lateOwner).toBe(false);
      });

      it('gives a match back to its queue, or marks it FAILED with the reason, out of both queues', async () => {
        await storeNewStory(stores.matches, aMatch());
        await storeNewStory(stores.matches, aMatch({ storyKey: 'too-big' }));
        await stores.matches.claim('w1', 'story-1', 'PENDING', CLAIM_A, NOW_ISO);
        await stores.matches.claim('w1', 'too-big', 'PENDING', CLAIM_A, NOW_ISO);

        await stores.matches.settle('w1', 'story-1', CLAIM_A.owner, { state: 'PENDING' });
        await stores.matches.settle('w1', 'too-big', CLAIM_A.owner, {
          state: 'FAILED',
          failure: 'Message too long',
        });

        expect(await stores.matches.get('w1', 'story-1')).toEqual(aMatch());
        expect(await stores.matches.get('w1', 'too-big')).toEqual(
          aMatch({ storyKey: 'too-big', alertState: 'FAILED', failure: 'Message too long' }),
        );
        expect((await stores.matches.listPending()).map((match) => match.storyKey)).toEqual(['story-1']);
        expect(await stores.matches.listDigest()).toEqual([]);
        expect((await stores.matches.claim('w1', 'story-1', 'PENDING', CLAIM_B, NOW_ISO)).claimed).toBe(true);
      });

      it('never claims a match stored as SUPPRESSED', async () => {
        await storeNewStory(stores.matches, aMatch({ alertState: 'SUPPRESSED' }));

        expect(await stores.matches.claim('w1', 'story-1', 'PENDING', CLAIM_A, NOW_ISO)).toEqual({
          claimed: false,
        });
        expect((await stores.matches.get('w1', 'story-1'))?.alertState).toBe('SUPPRESSED');
      });

      it('lists only PENDING matches and those claimed from PENDING, oldest first, up to the limit', async () => {
        await storeNewStory(
          stores.matches,
          aMatch({ storyKey: 'newest', matchedAt: '2099-03-10T11:00:00.000Z' }),
        );
        await storeNewStory(
          stores.matches,
          aMatch({ watchId: 'w2', storyKey: 'oldest', matchedAt: '2099-03-08T23:00:00.000Z' }),
        );
        await storeNewStory(
          stores.matches,
          aMatch({ storyKey: 'middle', matchedAt: '2099-03-09T10:00:00.000Z' }),
        );
        await storeNewStory(
          stores.matches,
          aMatch({ storyKey: 'muted', matchedAt: '2099-03-01T00:00:00.000Z', alertState: 'SUPPRESSED' }),
        );
        await storeNewStory(
          stores.matches,
          aMatch({ storyKey: 'sent', matchedAt: '2099-03-02T00:00:00.000Z' }),
        );
        await settleAs(stores.matches, 'w1', 'sent', 'SENT');
        await storeNewStory(
          stores.matches,
          aMatch({ storyKey: 'claimed', matchedAt: '2099-03-10T11:30:00.000Z' }),
        );
        await stores.matches.claim('w1', 'claimed', 'PENDING', CLAIM_A, NOW_ISO);

        const pending = await stores.matches.listPending();
        const firstTwo = await stores.matches.listPending(2);

        // A claimed match stays listed: should its deliverer die, its claim is found and taken over.
        expect(pending.map((match) => match.storyKey)).toEqual(['oldest', 'middle', 'newest', 'claimed']);
        expect(firstTwo.map((match) => match.storyKey)).toEqual(['oldest', 'middle']);
        expect(pending[1]).toEqual(aMatch({ storyKey: 'middle', matchedAt: '2099-03-09T10:00:00.000Z' }));
        expect(await stores.matches.listPending(0)).toEqual([]);
      });

      it('lists one watch newest first, from `since` inclusive, up to the limit', async () => {
        await storeNewStory(stores.matches, aMatch({ storyKey: 'a', matchedAt: '2099-03-07T10:00:00.000Z' }));
        await storeNewStory(stores.matches, aMatch({ storyKey: 'b', matchedAt: '2099-03-09T10:00:00.000Z' }));
        await storeNewStory(stores.matches, aMatch({ storyKey: 'c', matchedAt: '2099-03-10T10:00:00.000Z' }));
        await storeNewStory(
          stores.matches,
          aMatch({ watchId: 'w2', storyKey: 'other', matchedAt: '2099-03-10T11:00:00.000Z' }),
        );

        const all = await stores.matches.listRecent({ watchId: 'w1' });
        const sinceB = await stores.matches.listRecent({ watchId: 'w1', since: '2099-03-09T10:00:00.000Z' });
        const newest = await stores.matches.listRecent({ watchId: 'w1', limit: 1 });

        expect(all.map((match) => match.storyKey)).toEqual(['c', 'b', 'a']);
        expect(sinceB.map((match) => match.storyKey)).toEqual(['c', 'b']);
        expect(newest).toEqual([aMatch({ storyKey: 'c', matchedAt: '2099-03-10T10:00:00.000Z' })]);
      });

      it('lists across watches and days newest first, from `since`, up to the limit', async () => {
        await storeNewStory(
          stores.matches,
          aMatch({ storyKey: 'jan', matchedAt: '2099-01-20T10:00:00.000Z' }),
        );
        await storeNewStory(
          stores.matches,
          aMatch({ watchId: 'w2', storyKey: 'mar-08', matchedAt: '2099-03-08T23:59:59.999Z' }),
        );
        await storeNewStory(
          stores.matches,
          aMatch({ storyKey: 'mar-09', matchedAt: '2099-03-09T00:00:00.000Z' }),
        );
        await storeNewStory(
          stores.matches,
          aMatch({ watchId: 'w3', storyKey: 'mar-10', matchedAt: '2099-03-10T11:59:00.000Z' }),
        );

        const all = await stores.matches.listRecent({});
        const sinceMar9 = await stores.matches.listRecent({ since: '2099-03-09T00:00:00.000Z' });
        const newestTwo = await stores.matches.listRecent({ limit: 2 });

        expect(all.map((match) => match.storyKey)).toEqual(['mar-10', 'mar-09', 'mar-08', 'jan']);
        expect(sinceMar9.map((match) => match.storyKey)).toEqual(['mar-10', 'mar-09']);
        expect(newestTwo.map((match) => match.storyKey)).toEqual(['mar-10', 'mar-09']);
        expect(await stores.matches.listRecent({ limit: 0 })).toEqual([]);
      });

      it('orders matches stored at one instant by published (newest first, none last), watch id, item key, story key, also where the limit cuts them', async () => {
        const instant = '2099-03-10T09:00:00.000Z';
        const tied = (watchId: string, itemKey: string, storyKey: string, published: string | undefined) =>
          aMatch({ watchId, itemKey, storyKey, published, matchedAt: instant });
        // Stored in an order that is neither the listing's nor the story keys'.
        for (const match of [
          tied('w2', 'item-b', 's1', '2099-03-10T08:00:00.000Z'),
          tied('w1', 'item-d', 's5', undefined),
          tied('w2', 'item-a', 's3', '2099-03-10T08:00:00.000Z'),
          tied('w1', 'item-c', 's4', '2099-03-10T08:00:00.000Z'),
          tied('w1', 'item-z', 's2', '2099-03-10T08:30:00.000Z'),
          tied('w1', 'item-c', 's0', '2099-03-10T08:00:00.000Z'),
          aMatch({ watchId: 'w2', storyKey: 'older', matchedAt: '2099-03-10T08:59:59.999Z' }),
          aMatch({ watchId: 'w1', storyKey: 'newer', matchedAt: '2099-03-10T09:00:00.001Z' }),
        ]) {
          await storeNewStory(stores.matches, match);
        }
        const keys = (matches: StoredMatch[]) => matches.map((match) => match.storyKey);

        const all = await stores.matches.listRecent({});
        const firstFour = await stores.matches.listRecent({ limit: 4 });
        const ofW1 = await stores.matches.listRecent({ watchId: 'w1' });
        const firstThreeOfW1 = await stores.matches.listRecent({ watchId: 'w1', limit: 3 });

        expect(keys(all)).toEqual(['newer', 's2', 's0', 's4', 's3', 's1', 's5', 'older']);
        expect(keys(firstFour)).toEqual(['newer', 's2', 's0', 's4']);
        expect(keys(ofW1)).toEqual(['newer', 's2', 's0', 's4', 's5']);
        expect(keys(firstThreeOfW1)).toEqual(['newer', 's2', 's0']);
      });

      it('leaves matches older than the retention window out of a listing without `since`', async () => {
        // 90 days before 2099-03-10 is 2098-12-10: that whole day is inside the window.
        await storeNewStory(
          stores.matches,
          aMatch({ storyKey: 'kept', matchedAt: '2098-12-10T00:00:00.000Z' }),
        );
        await storeNewStory(
          stores.matches,
          aMatch({ storyKey: 'expired', matchedAt: '2098-12-09T23:59:59.999Z' }),
        );

        const recent = await stores.matches.listRecent({});
        const recentOfWatch = await stores.matches.listRecent({ watchId: 'w1' });

        expect(recent.map((match) => match.storyKey)).toEqual(['kept']);
        expect(recentOfWatch.map((match) => match.storyKey)).toEqual(['kept']);
      });

      it('lists nothing older than the retention window, however far back `since` is', async () => {
        await storeNewStory(
          stores.matches,
          aMatch({ storyKey: 'kept', matchedAt: '2098-12-10T00:00:00.000Z' }),
        );
        await storeNewStory(
          stores.matches,
          aMatch({ storyKey: 'expired', matchedAt: '2098-12-09T23:59:59.999Z' }),
        );
        const farBack = '1825-01-01T00:00:00.000Z';

        const recent = await stores.matches.listRecent({ since: farBack });
        const recentOfWatch = await stores.matches.listRecent({ watchId: 'w1', since: farBack });

        expect(recent.map((match) => match.storyKey)).toEqual(['kept']);
        expect(recentOfWatch.map((match) => match.storyKey)).toEqual(['kept']);
      });

      it('records each merged item once, with its feed, link, title and time, never the match own item', async () => {
        await storeNewStory(stores.matches, aMatch());
        const other = merged('https://other.example/rss', 'other-1');
        const third = merged('https://third.example/rss', 'third-9');

        await stores.matches.addSource('w1', 'story-1', other);
        await stores.matches.addSource('w1', 'story-1', third);
        await stores.matches.addSource('w1', 'story-1', { ...other, title: 'seen again, edited' });
        await stores.matches.addSource('w1', 'story-1', merged('https://news.example/feed.xml', 'item-1'));
        await settleAs(stores.matches, 'w1', 'story-1', 'SENT');
        const afterAlert = merged('https://news.example/feed.xml', 'item-2');
        await stores.matches.addSource('w1', 'story-1', afterAlert);

        expect((await stores.matches.get('w1', 'story-1'))?.alsoIn).toEqual([other, third, afterAlert]);
      });

      it('lists 25 merged items and counts the rest, each once', async () => {
        await storeNewStory(stores.matches, aMatch());

        for (let source = 1; source <= 27; source++) {
          await stores.matches.addSource(
            'w1',
            'story-1',
            merged(`https://s${source}.example/`, `s-${source}`),
          );
        }
        await stores.matches.addSource('w1', 'story-1', merged('https://s27.example/', 's-27'));

        const stored = await stores.matches.get('w1', 'story-1');
        expect(stored?.alsoIn).toHaveLength(25);
        expect(stored?.alsoIn?.at(-1)?.feed).toBe('https://s25.example/');
        expect(stored?.alsoInMore).toBe(2);
      });

      it('ignores a merged item for a match that does not exist, creating nothing', async () => {
        await stores.matches.addSource('w1', 'missing', merged('https://other.example/rss', 'other-1'));

        expect(await stores.matches.get('w1', 'missing')).toBeUndefined();
        expect(await stores.matches.listRecent({})).toEqual([]);
      });

      it('stores a new story with its register, once per register version', async () => {
        const record = {
          storyKey: 'story-1',
          feed: 'f1',
          item: 'i1',
          fingerprint: 'v2:0123456789abcdef',
          headline: 'h1',
          matchedAt: '2099-03-10T09:00:00.000Z',
        };
        expect(await stores.matches.getStories('w1')).toBeUndefined();

        expect(await stores.matches.putNewStory(aMatch(), { stories: [record] })).toBe('stored');
        const second = { ...record, storyKey: 'story with spaces in its GUID', fingerprint: undefined };
        const racing = aMatch({ storyKey: 'story-2' });
        expect(await stores.matches.putNewStory(racing, { stories: [record] })).toBe('register-changed');
        expect(
          await stores.matches.putNewStory(racing, { expectedVersion: 1, stories: [record, second] }),
        ).toBe('stored');

        expect(await stores.matches.getStories('w1')).toEqual({
          version: 2,
          stories: [
            record,
            {
              storyKey: second.storyKey,
              feed: 'f1',
              item: 'i1',
              headline: 'h1',
              matchedAt: record.matchedAt,
            },
          ],
        });
        expect(await stores.matches.putNewStory(aMatch(), { expectedVersion: 2, stories: [] })).toBe(
          'exists',
        );
        expect((await stores.matches.getStories('w1'))?.version).toBe(2);
        expect((await stores.matches.listRecent({})).map((match) => match.storyKey).sort()).toEqual([
          'story-1',
          'story-2',
        ]);
        expect(await stores.matches.getStories('w2')).toBeUndefined();
      });

      it('lets exactly one of five concurrent new stories at one register version win', async () => {
        const outcomes = await Promise.all(
          [1, 2, 3, 4, 5].map((n) =>
            stores.matches.putNewStory(aMatch({ storyKey: `story-${n}` }), { stories: [] }),
          ),
        );

        expect(outcomes.filter((outcome) => outcome === 'stored')).toHaveLength(1);
        expect(outcomes.filter((outcome) => outcome === 'register-changed')).toHaveLength(4);
        expect(await stores.matches.listRecent({})).toHaveLength(1);
        expect(await stores.matches.listPending()).toHaveLength(1);
      });

      it('refuses a story key over the 1,024-byte sort-key limit, counted in UTF-8 bytes', async () => {
        const atLimit = 'é'.repeat(512);
        const overLimit = `${atLimit}a`;

        expect(await storeNewStory(stores.matches, aMatch({ storyKey: atLimit }))).toBe(true);
        await expect(storeNewStory(stores.matches, aMatch({ storyKey: overLimit }))).rejects.toThrow(
          "storyKey of 1025 bytes is over DynamoDB's 1024-byte sort-key limit",
        );

        expect((await stores.matches.listRecent({})).map((match) => match.storyKey)).toEqual([atLimit]);
      });

      it('rejects a match whose matchedAt is not a time', async () => {
        await expect(storeNewStory(stores.matches, aMatch({ matchedAt: 'yesterday' }))).rejects.toThrow(
          'matchedAt is not an ISO 8601 time: "yesterday"',
        );
      });
    });
  });
}

/** The DIGEST state and the alert counters, which routing adds to the match store's table. */
export function describeRoutingContract(
  implementation: string,
  createStores: (clock: Clock) => Promise<{ matches: MatchStore; rateLimiter: RateLimiter }>,
): void {
  describe(`${implementation} stores: the routing contract`, () => {
    let matches: MatchStore;
    let rateLimiter: RateLimiter;
    const expiresAt = new Date('2099-03-11T13:00:00.000Z');

    beforeEach(async () => {
      ({ matches, rateLimiter } = await createStores({ now: () => new Date(NOW) }));
    });

    it('moves PENDING to DIGEST, lists DIGEST apart from PENDING, then DIGEST to SENT once', async () => {
      await storeNewStory(matches, aMatch({ storyKey: 'late', matchedAt: '2099-03-10T11:00:00.000Z' }));
      await storeNewStory(matches, aMatch({ storyKey: 'early', matchedAt: '2099-03-10T10:00:00.000Z' }));
      await storeNewStory(matches, aMatch({ storyKey: 'pending' }));

      expect(await settleAs(matches, 'w1', 'late', 'DIGEST')).toBe(true);
      expect(await settleAs(matches, 'w1', 'early', 'DIGEST')).toBe(true);
      expect(await settleAs(matches, 'w1', 'early', 'DIGEST')).toBe(false);

      expect((await matches.listDigest()).map((match) => match.storyKey)).toEqual(['early', 'late']);
      expect((await matches.listDigest(1)).map((match) => match.storyKey)).toEqual(['early']);
      expect((await matches.listPending()).map((match) => match.storyKey)).toEqual(['pending']);
      expect(await matches.get('w1', 'early')).toEqual(
        aMatch({ storyKey: 'early', matchedAt: '2099-03-10T10:00:00.000Z', alertState: 'DIGEST' }),
      );

      expect(await settleAs(matches, 'w1', 'early', 'SENT')).toBe(false);
      expect(await settleAs(matches, 'w1', 'early', 'SENT', 'DIGEST')).toBe(true);
      expect(await settleAs(matches, 'w1', 'early', 'SENT', 'DIGEST')).toBe(false);
      expect((await matches.listDigest()).map((match) => match.storyKey)).toEqual(['late']);
    });

    it('keeps a match claimed from DIGEST in the digest list; a lapsed one is taken over from that queue only', async () => {
      await storeNewStory(matches, aMatch({ alertState: 'DIGEST' }));
      await matches.claim('w1', 'story-1', 'DIGEST', CLAIM_A, NOW_ISO);

      const asAlert = await matches.claim('w1', 'story-1', 'PENDING', CLAIM_B, AFTER_LEASE);
      const asDigest = await matches.claim('w1', 'story-1', 'DIGEST', CLAIM_B, AFTER_LEASE);

      expect((await matches.listDigest()).map((match) => [match.storyKey, match.alertState])).toEqual([
        ['story-1', 'SENDING'],
      ]);
      expect(await matches.listPending()).toEqual([]);
      expect(asAlert).toEqual({ claimed: false });
      expect(asDigest).toMatchObject({ claimed: true, takenOver: true });
      expect(await matches.settle('w1', 'story-1', CLAIM_B.owner, { state: 'DIGEST' })).toBe(true);
      expect((await matches.listDigest()).map((match) => match.alertState)).toEqual(['DIGEST']);
    });

    it('stores a match put as DIGEST in the digest list', async () => {
      await storeNewStory(matches, aMatch({ alertState: 'DIGEST' }));

      expect((await matches.listDigest()).map((match) => match.storyKey)).toEqual(['story-1']);
      expect(await matches.listPending()).toEqual([]);
    });

    it('allows the limit, answers first-over-limit exactly once, then over-limit', async () => {
      const decisions = [];
      for (let call = 0; call < 5; call++)
        decisions.push(await rateLimiter.take('w1', '2099-03-10T12', 3, expiresAt));

      expect(decisions).toEqual(['allowed', 'allowed', 'allowed', 'first-over-limit', 'over-limit']);
      expect(await rateLimiter.take('w2', '2099-03-10T12', 3, expiresAt)).toBe('allowed');
      expect(await rateLimiter.take('w1', '2099-03-10T13', 3, expiresAt)).toBe('allowed');
    });

    it('hands out exactly the limit and one notice among concurrent takers', async () => {
      const decisions = await Promise.all(
        Array.from({ length: 15 }, () => rateLimiter.take('w1', '2099-03-10T12', 10, expiresAt)),
      );

      expect(decisions.filter((decision) => decision === 'allowed')).toHaveLength(10);
      expect(decisions.filter((decision) => decision === 'first-over-limit')).toHaveLength(1);
      expect(decisions.filter((decision) => decision === 'over-limit')).toHaveLength(4);
    });

    it('gives a slot back, so the next take is counted afresh', async () => {
      await rateLimiter.take('w1', '2099-03-10T12', 1, expiresAt);
      await rateLimiter.giveBack('w1', '2099-03-10T12');
      await rateLimiter.giveBack('w1', 'no-such-window');

      expect(await rateLimiter.take('w1', '2099-03-10T12', 1, expiresAt)).toBe('allowed');
      expect(await rateLimiter.take('w1', '2099-03-10T12', 1, expiresAt)).toBe('first-over-limit');
    });

    it('never lists a counter as a match', async () => {
      await rateLimiter.take('w1', '2099-03-10T12', 10, expiresAt);

      expect(await matches.listRecent({})).toEqual([]);
      expect(await matches.listRecent({ watchId: 'w1' })).toEqual([]);
      expect(await matches.listPending()).toEqual([]);
      expect(await matches.listDigest()).toEqual([]);
    });
  });
}

export function aRecentItem(overrides: Partial<RecentItem> = {}): RecentItem {
  return {
    feedUrl: 'https://news.example/feed.xml',
    key: 'item-1',
    title: 'Heatwave warning issued for southern Europe',
    link: 'https://news.example/heatwave',
    published: '2099-03-10T07:00:00.000Z',
    body: 'Forecasters expect temperatures above 40C.',
    seenAt: '2099-03-10T08:00:00.000Z',
    ...overrides,
  };
}

/** The behaviour every RecentItemStore must have; `createStore` builds an empty one reading time from `clock`. */
export function describeRecentItemContract(
  implementation: string,
  createStore: (clock: Clock) => Promise<RecentItemStore>,
): void {
  describe(`${implementation} stores: the recent-items contract`, () => {
    let store: RecentItemStore;

    beforeEach(async () => {
      store = await createStore({ now: () => new Date(NOW) });
    });

    it('lists the items seen since a time, newest first, with every field as recorded', async () => {
      const older = aRecentItem({ key: 'older', seenAt: '2099-03-08T10:00:00.000Z' });
      const newer = aRecentItem({ key: 'newer', seenAt: '2099-03-10T11:00:00.000Z', guid: 'g-1' });
      const before = aRecentItem({ key: 'before', seenAt: '2099-03-05T10:00:00.000Z' });
      const {
        link: _link,
        published: _published,
        ...bare
      } = aRecentItem({ key: 'bare', seenAt: '2099-03-09T10:00:00.000Z' });

      await store.record([older, before]);
      await store.record([newer, bare]);

      expect(await store.listSince('2099-03-06T00:00:00.000Z')).toEqual([newer, bare, older]);
    });

    it('orders items seen at one instant by feed, then key, and keeps the newest under a limit', async () => {
      const at = '2099-03-10T09:00:00.000Z';
      const items = [
        aRecentItem({ feedUrl: 'https://b.example/feed', key: 'a', seenAt: at }),
        aRecentItem({ feedUrl: 'https://a.example/feed', key: 'z', seenAt: at }),
        aRecentItem({ feedUrl: 'https://a.example/feed', key: 'y', seenAt: at }),
        aRecentItem({ key: 'newest', seenAt: '2099-03-10T10:00:00.000Z' }),
      ];
      await store.record(items);

      const listed = await store.listSince('2099-03-09T00:00:00.000Z');
      const limited = await store.listSince('2099-03-09T00:00:00.000Z', 1);

      expect(listed.map((item) => `${item.feedUrl} ${item.key}`)).toEqual([
        'https://news.example/feed.xml newest',
        'https://a.example/feed y',
        'https://a.example/feed z',
        'https://b.example/feed a',
      ]);
      expect(limited.map((item) => item.key)).toEqual(['newest']);
    });

    it('replaces an item recorded again (an edited item), also twice in one call, and keeps items of other feeds apart', async () => {
      await store.record([aRecentItem({ title: 'First version' })]);
      await store.record([
        aRecentItem({ title: 'Second version', seenAt: '2099-03-10T09:00:00.000Z' }),
        aRecentItem({ title: 'Third version', seenAt: '2099-03-10T10:00:00.000Z' }),
        aRecentItem({ feedUrl: 'https://other.example/feed', title: 'Same key, other feed' }),
      ]);

      const listed = await store.listSince('2099-03-01T00:00:00.000Z');

      expect(listed.map((item) => item.title)).toEqual(['Third version', 'Same key, other feed']);
    });

    it('lists an item recorded again the same day and the next day once, as its newest version, also under a limit', async () => {
      await store.record([
        aRecentItem({ key: 'edited', title: 'v1', seenAt: '2099-03-09T08:00:00.000Z' }),
        aRecentItem({ key: 'other', title: 'other', seenAt: '2099-03-09T07:00:00.000Z' }),
      ]);
      await store.record([aRecentItem({ key: 'edited', title: 'v2', seenAt: '2099-03-09T09:00:00.000Z' })]);
      await store.record([
        aRecentItem({ key: 'edited', title: 'v3', seenAt: '2099-03-10T06:00:00.000Z' }),
        aRecentItem({ key: 'newest', title: 'newest', seenAt: '2099-03-10T07:00:00.000Z' }),
      ]);
      const titles = async (since: string, limit?: number) =>
        (await store.listSince(since, limit)).map((item) => item.title);

      expect(await titles('2099-03-01T00:00:00.000Z')).toEqual(['newest', 'v3', 'other']);
      expect(await titles('2099-03-01T00:00:00.000Z', 3)).toEqual(['newest', 'v3', 'other']);
      expect(await titles('2099-03-01T00:00:00.000Z', 2)).toEqual(['newest', 'v3']);
      expect(await titles('2099-03-09T08:30:00.000Z')).toEqual(['newest', 'v3']);
      expect(await titles('2099-03-10T06:30:00.000Z')).toEqual(['newest']);
      expect(await titles('2099-03-01T00:00:00.000Z', 0)).toEqual([]);
    });

    it('fills a limit with distinct items when older versions of one item come first in a day', async () => {
      await store.record([
        aRecentItem({ key: 'edited', title: 'v1', seenAt: '2099-03-10T08:00:00.000Z' }),
        aRecentItem({ key: 'other', title: 'other', seenAt: '2099-03-10T07:00:00.000Z' }),
      ]);
      await store.record([aRecentItem({ key: 'edited', title: 'v2', seenAt: '2099-03-10T09:00:00.000Z' })]);

      const listed = await store.listSince('2099-03-10T00:00:00.000Z', 2);

      expect(listed.map((item) => item.title)).toEqual(['v2', 'other']);
    });

    it('keeps the version seen last when an older one is recorded after it', async () => {
      await store.record([aRecentItem({ title: 'newer', seenAt: '2099-03-10T09:00:00.000Z' })]);
      await store.record([
        aRecentItem({ title: 'older', seenAt: '2099-03-10T08:00:00.000Z' }),
        aRecentItem({ title: 'oldest', seenAt: '2099-03-09T08:00:00.000Z' }),
      ]);

      expect((await store.listSince('2099-03-01T00:00:00.000Z')).map((item) => item.title)).toEqual([
        'newer',
      ]);
    });

    it('lists items seen at the instant of the last one a limit keeps in feed and key order', async () => {
      const at = '2099-03-10T09:00:00.000Z';
      // Recorded out of order, one of them twice, so listing by recording order or by item id
      // (the order of the records' keys: g, h, f, c, d, e here) would pick others.
      await store.record([
        ...['f', 'h', 'c', 'e', 'g'].map((key) => aRecentItem({ key, seenAt: at })),
        aRecentItem({ key: 'd', seenAt: '2099-03-10T08:00:00.000Z' }),
      ]);
      await store.record([
        aRecentItem({ key: 'd', seenAt: at }),
        aRecentItem({ key: 'old', seenAt: '2099-03-09T09:00:00.000Z' }),
      ]);

      const limited = await store.listSince('2099-03-01T00:00:00.000Z', 2);

      expect(limited.map((item) => item.key)).toEqual(['c', 'd']);
    });

    it('gives back a long item exactly: every character of a 4,000-character body and each field', async () => {
      // Non-ASCII letters, CJK, quotes, a backslash, a newline and a no-break space, over and over.
      const body = 'Zürich: «quoted» "text", \\ back\nslash 東京\u00a0'.repeat(100).slice(0, 4_000);
      const item = aRecentItem({
        key: `tag:news.example,2099:${'k'.repeat(980)}`,
        title: 'Ökonomen warnen 🚨 vor „Rezession“ — 2099',
        body,
        guid: 'urn:uuid:6f1c0b2e-0d5a-4c3e-9a4f-2b7e8d1c3a55',
      });
      await store.record([item]);

      const [listed] = await store.listSince('2099-03-01T00:00:00.000Z');

      expect(body).toHaveLength(4_000);
      expect(listed).toEqual(item);
    });

    it('records more items than one write batch holds', async () => {
      const items = Array.from({ length: 60 }, (_, index) =>
        aRecentItem({ key: `item-${String(index).padStart(2, '0')}`, seenAt: '2099-03-10T09:00:00.000Z' }),
      );
      await store.record(items);

      expect((await store.listSince('2099-03-10T00:00:00.000Z')).map((item) => item.key)).toEqual(
        items.map((item) => item.key),
      );
    });

    it('no longer lists an item kept for its 7 days', async () => {
      await store.record([
        aRecentItem({ key: 'expired', seenAt: '2099-03-03T11:59:00.000Z' }),
        aRecentItem({ key: 'kept', seenAt: '2099-03-03T12:01:00.000Z' }),
      ]);

      expect((await store.listSince('2099-01-01T00:00:00.000Z')).map((item) => item.key)).toEqual(['kept']);
    });
  });
}

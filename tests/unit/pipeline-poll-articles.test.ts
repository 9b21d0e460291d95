import { beforeEach, describe, expect, test } from 'vitest';
import { MemoryFeedStore, MemoryMatchStore } from '#adapters/memory/index.ts';
import { describePages } from '#core/article/article-pages.ts';
import { PageThrottle } from '#core/article/page-throttle.ts';
import { FetchError } from '#core/errors.ts';
import type { FeedState, FullTextMode, Watch } from '#core/model.ts';
import { type PollDeps, pollFeed } from '#core/pipeline/poll-feed.ts';
import { buildWatchSet } from '#core/pipeline/watch-set.ts';
import {
  articlePage,
  ManualClock,
  ok,
  rss,
  ScriptedFetcher,
  ScriptedPageFetcher,
} from './helpers/pipeline-fakes.ts';

const FEED = 'https://wire.example.com/world.xml';
const START = new Date('2026-11-28T10:00:00.000Z');
const WATCHES: Watch[] = [{ id: 'ceasefire', query: 'ceasefire OR truce' }];
const STORY = [
  'Leaders of a coalition of 25 countries met in London on Sunday to discuss how a ceasefire in Ukraine could be monitored and enforced.',
  'The Prime Minister said the group would double down on sanctions, while officials acknowledged that the United States had still not offered a backstop.',
  'The group is also looking at the option of seizing Russian assets held in European banks, a step several finance ministers have resisted.',
];
const LONG_TEXT = Array.from({ length: 120 }, (_, index) => `word${index}`).join(' ');

const teaser = (n: number, extra: { description?: string; pubDate?: string } = {}) => ({
  title: `Story ${n}`,
  link: `https://news.example.com/story-${n}`,
  guid: `story-${n}`,
  description: extra.description ?? 'Leaders met in London on Sunday.',
  ...(extra.pubDate ? { pubDate: extra.pubDate } : {}),
});

let clock: ManualClock;
let feeds: MemoryFeedStore;
let fetcher: ScriptedFetcher;
let pages: ScriptedPageFetcher;
let throttle: PageThrottle;

function deps(maxPagesPerPoll?: number): PollDeps {
  return {
    fetcher,
    feeds,
    matches: new MemoryMatchStore(clock),
    clock,
    watchSet: buildWatchSet(WATCHES).watchSet,
    articles: { pages, throttle, ...(maxPagesPerPoll ? { maxPagesPerPoll } : {}) },
  };
}

function feed(fullText?: FullTextMode): FeedState {
  return {
    url: FEED,
    consecutiveFailures: 0,
    nextDueAt: START.toISOString(),
    ...(fullText ? { fullText } : {}),
  };
}

beforeEach(() => {
  clock = new ManualClock(START);
  feeds = new MemoryFeedStore();
  fetcher = new ScriptedFetcher();
  pages = new ScriptedPageFetcher();
  throttle = new PageThrottle(clock);
  for (let n = 1; n <= 12; n++) pages.serve(`https://news.example.com/story-${n}`, articlePage(...STORY));
});

describe('article pages in a poll', () => {
  test('fetches the page of each new teaser item once, whatever the number of watches', async () => {
    fetcher.serve(FEED, ok(rss([teaser(1), teaser(2)])));

    const outcome = await pollFeed(feed(), deps());

    expect(pages.requests.sort()).toEqual([
      'https://news.example.com/story-1',
      'https://news.example.com/story-2',
    ]);
    expect(outcome.pages).toEqual({ fetched: 2, unavailable: 0, reasons: [], overCap: 0, maxPages: 10 });
    expect(
      describePages(outcome.pages ?? { fetched: 0, unavailable: 0, reasons: [], overCap: 0, maxPages: 10 }),
    ).toBeUndefined();
    expect((await feeds.get(FEED))?.pageKeys).toHaveLength(2);
  });

  test('never fetches a page again: not on a later poll, not when the item is edited', async () => {
    fetcher.serve(FEED, ok(rss([teaser(1)])));
    await pollFeed(feed(), deps());
    const edited = teaser(1, { description: 'Leaders met in London on Sunday and again on Monday.' });
    fetcher.serve(FEED, ok(rss([edited, teaser(2)])));

    const outcome = await pollFeed((await feeds.get(FEED)) as FeedState, deps());

    expect(outcome.newItems).toBe(2);
    expect(pages.requests).toEqual(['https://news.example.com/story-1', 'https://news.example.com/story-2']);
  });

  test('auto leaves items with long feed text alone; always fetches them; never fetches nothing', async () => {
    fetcher.serve(FEED, ok(rss([teaser(1, { description: LONG_TEXT }), teaser(2)])));

    await pollFeed(feed('auto'), deps());
    expect(pages.requests).toEqual(['https://news.example.com/story-2']);

    pages.requests.length = 0;
    await feeds.delete(FEED);
    await pollFeed(feed('always'), deps());
    expect(pages.requests.sort()).toEqual([
      'https://news.example.com/story-1',
      'https://news.example.com/story-2',
    ]);

    pages.requests.length = 0;
    await feeds.delete(FEED);
    const outcome = await pollFeed(feed('never'), deps());
    expect(pages.requests).toEqual([]);
    expect(outcome.pages).toBeUndefined();
    expect((await feeds.get(FEED))?.pageKeys).toBeUndefined();
  });

  test('fetches at most the cap per poll, newest items first, and says how many were left to their feed text', async () => {
    const items = Array.from({ length: 12 }, (_, index) =>
      teaser(index + 1, { pubDate: `Tue, ${String(index + 1).padStart(2, '0')} Jun 2025 07:45:00 GMT` }),
    );
    fetcher.serve(FEED, ok(rss(items)));

    const outcome = await pollFeed(feed(), deps());

    expect(pages.requests.sort()).toEqual(
      [3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => `https://news.example.com/story-${n}`).sort(),
    );
    expect(outcome.newItems).toBe(12);
    expect(describePages(outcome.pages as NonNullable<typeof outcome.pages>)).toBe(
      '2 items matched on feed text only (over 10 article pages per poll)',
    );
  });

  test('an unusable page costs its article only: the poll succeeds, and the feed counts it with its reason', async () => {
    pages.serve('https://news.example.com/story-2', new FetchError('http_status', 'HTTP 403 Forbidden'));
    pages.serve(
      'https://news.example.com/story-3',
      '<html><body><p>Accept all cookies to continue.</p></body></html>',
    );
    fetcher.serve(FEED, ok(rss([teaser(1), teaser(2), teaser(3)])));

    const outcome = await pollFeed(feed(), deps());

    expect(outcome.status).toBe('ok');
    expect(outcome.newItems).toBe(3);
    expect(outcome.pages?.unavailable).toBe(2);
    expect(describePages(outcome.pages as NonNullable<typeof outcome.pages>)).toMatch(
      /^2 of 3 article pages unavailable \((HTTP 403 Forbidden|no article on the page \(5 words: a consent, login or paywall page\?\)), and 1 other reason\)$/,
    );
    const state = await feeds.get(FEED);
    expect(state).toMatchObject({ consecutiveFailures: 0, pagesUnavailable: 2 });
    expect([
      'HTTP 403 Forbidden',
      'no article on the page (5 words: a consent, login or paywall page?)',
    ]).toContain(state?.lastPageError);
  });

  test('a host that answers 429 is asked for no more pages until its Retry-After has passed', async () => {
    throttle = new PageThrottle(clock, { perHost: 1 });
    pages.serve(
      'https://news.example.com/story-1',
      new FetchError('rate_limited', 'HTTP 429 Too Many Requests (retry after 120 s)', 120),
    );
    fetcher.serve(FEED, ok(rss([teaser(1), teaser(2), teaser(3)])));

    const outcome = await pollFeed(feed(), deps());

    expect(pages.requests).toEqual(['https://news.example.com/story-1']);
    expect(outcome.pages?.unavailable).toBe(3);
    expect(outcome.pages?.reasons.slice(1)).toEqual([
      'not fetched: news.example.com asked to wait (HTTP 429 Too Many Requests (retry after 120 s))',
      'not fetched: news.example.com asked to wait (HTTP 429 Too Many Requests (retry after 120 s))',
    ]);

    clock.advance(121_000);
    fetcher.serve(FEED, ok(rss([teaser(4)])));
    await pollFeed((await feeds.get(FEED)) as FeedState, deps());
    expect(pages.requests.at(-1)).toBe('https://news.example.com/story-4');
  });
});

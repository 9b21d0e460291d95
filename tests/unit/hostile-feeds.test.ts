import { beforeEach, describe, expect, test } from 'vitest';
import {
  MemoryFeedStore,
  MemoryMatchStore,
  MemoryRateLimiter,
  MemoryWatchStore,
} from '#adapters/memory/index.ts';
import { snsMessageBody } from '#adapters/sns/sns-notifier.ts';
import { formatMessage } from '#core/alerts/format.ts';
import { MAX_SMS_PARTS, smsParts } from '#core/alerts/sms-text.ts';
import { ParseBudget } from '#core/feed/limits.ts';
import { normalisePlainText } from '#core/feed/plain-text.ts';
import type { FeedState, StoredMatch } from '#core/model.ts';
import { pollFeed } from '#core/pipeline/poll-feed.ts';
import { type CycleDeps, runCycle } from '#core/pipeline/run-cycle.ts';
import { DEFAULT_SCHEDULE, nextDueAfterFailure } from '#core/pipeline/schedule.ts';
import { buildWatchSet } from '#core/pipeline/watch-set.ts';
import {
  ceasefireForms,
  invisibleCharactersFeed,
  longLinkFeed,
  nestedHtmlFeed,
  ORDINARY_ITEM,
  oversizedFormsFeed,
} from '../fixtures/hostile-feeds.ts';
import { ManualClock, ok, RecordingNotifier, ScriptedFetcher } from './helpers/pipeline-fakes.ts';

/**
 * Issue 23: one fixture per defect, each run through a whole local cycle (poll, store, alert)
 * on the memory stores, asserting what the user gets.
 */

const FEED = 'https://forum.example.com/rss';
const START = new Date('2026-11-28T10:00:00.000Z');
const KB = 1024;

let clock: ManualClock;
let feeds: MemoryFeedStore;
let matches: MemoryMatchStore;
let notifier: RecordingNotifier;
let fetcher: ScriptedFetcher;
let deps: CycleDeps;

beforeEach(async () => {
  clock = new ManualClock(START);
  feeds = new MemoryFeedStore();
  matches = new MemoryMatchStore(clock);
  notifier = new RecordingNotifier();
  fetcher = new ScriptedFetcher();
  const watches = new MemoryWatchStore();
  await watches.put({ id: 'ceasefire', name: 'Ceasefire', query: 'ceasefire', maxAlertsPerHour: 50 });
  await feeds.put({ url: FEED, consecutiveFailures: 0, nextDueAt: START.toISOString() });
  deps = {
    watches,
    feeds,
    matches,
    fetcher,
    notifier,
    rateLimiter: new MemoryRateLimiter(() => clock.now().getTime()),
    clock,
  };
});

function bytes(value: unknown): number {
  return Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
}

describe('an item that spells the watched word 9,900 ways', () => {
  test('is stored with 10 spellings and the count of the rest, and the next story of its feed is alerted too', async () => {
    fetcher.serve(FEED, ok(oversizedFormsFeed(9_900)));

    const report = await runCycle(deps);

    expect(report.failed).toEqual([]);
    expect(report.deliveryErrors).toEqual([]);
    expect(notifier.published.map((message) => message.json.title)).toEqual([
      'Forum post',
      ORDINARY_ITEM.title,
    ]);
    const spam = await matches.get('ceasefire', 'https://forum.example.com/spam');
    expect(spam?.hits.map((hit) => hit.word)).toEqual(ceasefireForms(10));
    expect(spam?.hitsLeftOut).toEqual([{ term: 'ceasefire', forms: 9_890 }]);
    expect(bytes(spam)).toBeLessThan(4 * KB);
    const alert = notifier.published[0];
    expect(alert?.email).toContain(
      `Why: ceasefire -> ${ceasefireForms(10)
        .map((form) => `"${form}" (body)`)
        .join(', ')} + 9,890 more forms\n`,
    );
    expect(Math.max(...notifier.published.map((message) => bytes(snsMessageBody(message))))).toBeLessThan(
      8 * KB,
    );
    expect((await feeds.get(FEED))?.consecutiveFailures).toBe(0);
  });

  test('a digest that holds it stays as small as any other', async () => {
    await deps.watches.put({ id: 'ceasefire', query: 'ceasefire', delivery: 'digest' });
    fetcher.serve(FEED, ok(oversizedFormsFeed(9_900)));
    await runCycle(deps);
    const held = await matches.listDigest();

    const digest = formatMessage({ kind: 'digest', watchId: 'ceasefire', cadence: 'hourly', matches: held });

    expect(held.map((match) => match.title)).toEqual(['Forum post', ORDINARY_ITEM.title]);
    expect(digest.email).toContain('+ 9,890 more forms');
    expect(bytes(snsMessageBody(digest))).toBeLessThan(12 * KB);
  });
});

describe('a matching story with a 2,000-character link', () => {
  test('is alerted by an SMS of at most 2 parts that leaves the link to the email, and an email with it', async () => {
    fetcher.serve(FEED, ok(longLinkFeed()));

    await runCycle(deps);

    const [alert] = notifier.published;
    expect(alert?.sms).toBe(
      'Feedwatch Ceasefire: Ceasefire talks resume in Geneva after weeks of shelling along the whole front line, officials say',
    );
    expect(smsParts(alert?.sms ?? '')).toBe(1);
    expect(alert?.email.split('\n')[1]).toHaveLength(2_000);
    expect(alert?.json).toMatchObject({ subject: alert?.subject, sms: alert?.sms });
  });

  test('whatever the title and link, the SMS is at most 2 parts and 1,600 bytes, and the subject under 100 characters', () => {
    const titles = ['x'.repeat(5_000), 'Перемирие '.repeat(300), '😀'.repeat(1_000), 'a b '.repeat(2_000)];
    const links = [undefined, 'https://e.example/', `https://e.example/${'€'.repeat(2_000)}`];

    const messages = titles.flatMap((title) =>
      links.map((link) =>
        formatMessage({
          kind: 'match',
          match: {
            watchId: 'w'.repeat(300),
            storyKey: 'k',
            itemKey: 'k',
            feedUrl: FEED,
            title,
            link,
            matched: ['ceasefire'],
            hits: [],
            snippet: '',
            highlight: '',
            matchedAt: START.toISOString(),
            alertState: 'PENDING',
          },
        }),
      ),
    );

    expect(messages.map((message) => smsParts(message.sms) <= MAX_SMS_PARTS)).not.toContain(false);
    expect(Math.max(...messages.map((message) => bytes(message.sms)))).toBeLessThanOrEqual(1_600);
    expect(Math.max(...messages.map((message) => message.subject.length))).toBeLessThan(100);
  });
});

describe('a matching story with invisible characters', () => {
  test('is alerted with none of them in the subject, the SMS, the email or the JSON', async () => {
    fetcher.serve(FEED, ok(invisibleCharactersFeed()));

    await runCycle(deps);

    const [alert] = notifier.published;
    expect(alert?.subject).toBe('[Feedwatch] Ceasefire: Ceasefire agreed in the north');
    expect(alert?.sms).toBe(
      'Feedwatch Ceasefire: Ceasefire agreed in the north https://forum.example.com/invisible',
    );
    expect(smsParts(alert?.sms ?? '')).toBe(1);
    const everything = `${alert?.subject}${alert?.sms}${alert?.email}${JSON.stringify(alert?.json)}`;
    expect(everything).not.toMatch(/[\p{Default_Ignorable_Code_Point}\p{Cf}]/u);
    expect(alert?.json.snippet).toBe('The ceasefire began at dawn.');
  });
});

describe('invisible characters, by Unicode property', () => {
  const invisible = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/u;
  /** Format characters drawn as visible signs (Prepended_Concatenation_Mark): kept. */
  const visibleMarks = [
    0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x6dd, 0x70f, 0x890, 0x891, 0x8e2, 0x110bd, 0x110cd,
  ];

  function codePointsWith(property: RegExp): number[] {
    const found: number[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      if (property.test(String.fromCodePoint(code))) found.push(code);
    }
    return found;
  }

  test('every Default_Ignorable_Code_Point and format character is removed from text, except the visible marks', () => {
    const all = codePointsWith(invisible);

    const kept = all.filter((code) => normalisePlainText(`a${String.fromCodePoint(code)}b`) !== 'ab');

    expect(all.length).toBeGreaterThan(4_000);
    expect(kept).toEqual(visibleMarks);
  });
});

describe('an item whose matches the store refuses', () => {
  /** The match store as DynamoDB answers an item over its size limit, for one story only. */
  class RefusingMatchStore extends MemoryMatchStore {
    refusals = 0;
    override async putNewStory(
      match: StoredMatch,
      next: Parameters<MemoryMatchStore['putNewStory']>[1],
    ): ReturnType<MemoryMatchStore['putNewStory']> {
      if (match.storyKey === 'https://forum.example.com/spam') {
        this.refusals++;
        throw new Error('Item size has exceeded the maximum allowed size');
      }
      return super.putNewStory(match, next);
    }
  }

  test('is recorded against its feed with the reason, the rest of the feed is alerted, and it is given up after 3 polls', async () => {
    const refusing = new RefusingMatchStore(clock);
    deps = { ...deps, matches: refusing };
    fetcher.serve(FEED, ok(oversizedFormsFeed(20), { etag: '"v1"' }));

    const first = await runCycle(deps);
    const afterFirst = await feeds.get(FEED);
    // Cycles 5 minutes apart, as the dispatcher runs them: the feed is polled at each while it
    // retries the item, then at its quiet spell's next cycle (15 minutes after its last new item).
    for (let cycle = 2; cycle <= 4; cycle++) {
      clock.advance(5 * 60_000);
      await runCycle(deps);
    }
    const afterLast = await feeds.get(FEED);

    expect(first.failed).toEqual([]);
    expect(notifier.published.map((message) => message.json.title)).toEqual([ORDINARY_ITEM.title]);
    expect(first.outcomes[0]?.itemFailures).toEqual([
      {
        itemHash: expect.any(String),
        itemKey: 'forum-spam',
        title: 'Forum post',
        reason: 'Item size has exceeded the maximum allowed size',
        attempts: 1,
        firstFailedAt: START.toISOString(),
        lastFailedAt: START.toISOString(),
        status: 'retrying',
      },
    ]);
    expect(afterFirst).toMatchObject({
      consecutiveFailures: 0,
      itemFailures: first.outcomes[0]?.itemFailures,
    });
    expect(afterFirst?.etag).toBeUndefined();
    expect(fetcher.requests.map((request) => request.etag)).toEqual([
      undefined,
      undefined,
      undefined,
      '"v1"',
    ]);
    expect(refusing.refusals).toBe(3);
    expect(afterLast?.itemFailures).toEqual([
      expect.objectContaining({ itemKey: 'forum-spam', attempts: 3, status: 'failed' }),
    ]);
  });
});

describe('an item of 1.5 MB of unclosed <b> tags', () => {
  // Read in a few seconds, within the 20 s parse budget; quadratic, it took a minute and failed it.
  test('is read within the parse budget: the item and the ordinary story after it are both alerted', {
    timeout: 60_000,
  }, async () => {
    fetcher.serve(FEED, ok(nestedHtmlFeed(1_500_000)));

    const report = await runCycle(deps);

    expect(report.failed).toEqual([]);
    expect(notifier.published.map((message) => [message.json.title, message.json.snippet])).toEqual([
      ['Deep post', 'ceasefire deep inside'],
      [ORDINARY_ITEM.title, ORDINARY_ITEM.description],
    ]);
  });

  test('a feed whose reading outlasts its parse budget is recorded as failed with the reason and backs off', async () => {
    let now = 0;
    const slowClock = () => {
      now += 8_000;
      return now;
    };
    fetcher.serve(FEED, ok(nestedHtmlFeed(3_000)));

    const outcome = await pollFeed((await feeds.get(FEED)) as FeedState, {
      fetcher,
      feeds,
      matches,
      clock,
      watchSet: buildWatchSet(await deps.watches.list()).watchSet,
      parseBudget: () => new ParseBudget(20_000, slowClock),
    });

    const state = await feeds.get(FEED);
    expect(outcome).toMatchObject({
      status: 'failed',
      stored: [],
      error: {
        kind: 'too_slow',
        message: 'reading the feed took longer than its 20 s limit; it is tried again later',
      },
    });
    expect(state).toMatchObject({
      consecutiveFailures: 1,
      lastErrorKind: 'too_slow',
      lastError: 'reading the feed took longer than its 20 s limit; it is tried again later',
      nextDueAt: nextDueAfterFailure(START, DEFAULT_SCHEDULE, 1),
    });
  });
});

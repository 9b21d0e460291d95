import { type SameStoryQueue, storeUnlessSameStory } from '../alerts/same-story.ts';
import {
  boilerplateOf,
  DEFAULT_DEDUPE,
  type DedupePolicy,
  type StoryIdentity,
  storyIdentityOf,
} from '../alerts/story.ts';
import type { ArticleDeps, PageReport } from '../article/article-pages.ts';
import { errorMessage, FeedParseError, FetchError } from '../errors.ts';
import { itemChunkHashes, type ParseBudget, parseFeed } from '../feed/index.ts';
import { truncateText } from '../feed/limits.ts';
import { bytesHash, shortHash } from '../hash.ts';
import { boundedMatch } from '../match-bounds.ts';
import type { FeedItem, FeedState, ItemFailure, MatchResult, StoredMatch, Watch } from '../model.ts';
import type { Clock, FeedStore, Fetcher, MatchStore, RecentItemStore } from '../ports.ts';
import type { Matcher } from '../query/index.ts';
import { recentItemOf } from '../recent/recent-item.ts';
import { readPollArticles } from './poll-articles.ts';
import {
  DEFAULT_SCHEDULE,
  followsChangeRate,
  nextDueAfterFailure,
  nextDueAfterSuccess,
  pollIntervalAfterSuccess,
  type SchedulePolicy,
} from './schedule.ts';

/** The compiled watches with their definitions, for names and delivery settings. */
export interface WatchSet {
  matcher: Matcher;
  watches: ReadonlyMap<string, Watch>;
}

export interface PollDeps {
  fetcher: Fetcher;
  feeds: FeedStore;
  matches: MatchStore;
  clock: Clock;
  watchSet: WatchSet;
  schedule?: SchedulePolicy;
  /** Feed size limit handed to the parser. @default 10 MB */
  maxBytes?: number;
  /** When a new match is the same story as one already stored (see #core/alerts/story.ts). @default DEFAULT_DEDUPE */
  dedupe?: Partial<DedupePolicy>;
  /** Where every new item is kept for a while, matched or not, so queries can be tried on it. */
  recentItems?: RecentItemStore;
  /** The time each feed's parse may take, made when its parse starts. @default a ParseBudget of PARSE_BUDGET_MS */
  parseBudget?: () => ParseBudget;
  /** Fetches the article pages of new items (see #core/article); without it items are matched on feed text alone. */
  articles?: ArticleDeps;
  /**
   * The process's queue of same-story decisions (one PerWatchQueue per process, shared by the
   * polls that run together), so they do not contend for a watch's story register. Without it
   * each decision runs at once: as safe, with more retries when feeds of a batch carry one story.
   */
  sameStoryQueue?: SameStoryQueue;
}

/**
 * `not-modified`: a 304. `unchanged`: a 200 whose body is the same as one already read, or carries
 * only items the last parse read (a rebuilt body), so it was not parsed. `ok`: parsed.
 */
export type PollStatus = 'ok' | 'not-modified' | 'unchanged' | 'failed';

export interface PollOutcome {
  url: string;
  status: PollStatus;
  /** Items in the feed body (0 unless parsed). */
  items: number;
  /** Items not seen before (new or edited), which were matched. */
  newItems: number;
  /** Bytes downloaded. */
  bytes: number;
  /** Matches stored by this poll; each one is alerted once. */
  stored: StoredMatch[];
  /** Items of this poll whose matches could not be stored; also recorded in the feed's state. */
  itemFailures: ItemFailure[];
  error?: { kind: string; message: string };
  warnings: string[];
  /** The article pages of the new items, when any were wanted. */
  pages?: PageReport;
}

/** Enough to remember every item of a very large feed without nearing DynamoDB's 400 KB item limit. */
const MAX_SEEN = 5_000;
/** Polls an item whose matches cannot be stored is tried in, before it is recorded as failed for good. */
export const MAX_ITEM_ATTEMPTS = 3;
/** Item failures a feed's state keeps, newest last: enough to see a pattern, bounded like `seen`. */
const MAX_ITEM_FAILURES = 20;
/** An item failure's reason is a store's one-line message; this bounds the odd long one. */
const MAX_REASON_CHARS = 300;

/**
 * Polls one feed: conditional fetch, parse (unless the body is unchanged or carries only items
 * already read), match only what is new, store each match once, then record the feed's state. Matches are stored before the state, so a crash in
 * between re-matches the same items next time, and the conditional put makes that harmless.
 * Every failure of fetching or parsing the feed (a bug included: one odd feed must not
 * stop the others) is recorded in its state and returned, never thrown. A store failure on
 * one item is recorded against that item in the feed's state and the rest of the feed is
 * still processed: the item is tried again at the next polls (the feed is then fetched and
 * parsed in full), and after MAX_ITEM_ATTEMPTS it is recorded as failed and left. Only a
 * failure to write the feed's own state propagates, so the caller retries the whole poll.
 */
export async function pollFeed(feed: FeedState, deps: PollDeps): Promise<PollOutcome> {
  const schedule = deps.schedule ?? DEFAULT_SCHEDULE;
  const now = deps.clock.now();
  const attempt: FeedState = { ...feed, lastAttemptAt: now.toISOString() };
  const outcome: PollOutcome = {
    url: feed.url,
    status: 'ok',
    items: 0,
    newItems: 0,
    bytes: 0,
    stored: [],
    itemFailures: [],
    warnings: [],
  };

  let fetched: Awaited<ReturnType<Fetcher['fetch']>>;
  try {
    fetched = await deps.fetcher.fetch({ url: feed.url, etag: feed.etag, lastModified: feed.lastModified });
  } catch (error) {
    return recordFailure(attempt, outcome, error, now, schedule, deps.feeds);
  }

  if (fetched.status === 'not-modified') {
    await recordSuccess(
      feed,
      healthy(attempt, now, schedule, fetched.maxAgeSeconds, {
        etag: fetched.etag ?? feed.etag,
        lastModified: fetched.lastModified ?? feed.lastModified,
      }),
      now,
      schedule,
      deps.feeds,
    );
    return { ...outcome, status: 'not-modified' };
  }

  outcome.bytes = fetched.body.byteLength;
  const validators = { etag: fetched.etag, lastModified: fetched.lastModified };
  const bodyHash = bytesHash(fetched.body);
  const itemChunks =
    bodyHash === feed.bodyHash
      ? undefined
      : itemChunkHashes(fetched.body, { contentType: fetched.contentType, maxBytes: deps.maxBytes });
  if (bodyHash === feed.bodyHash || carriesOnlyKnownItems(feed, itemChunks)) {
    await recordSuccess(
      feed,
      healthy(attempt, now, schedule, fetched.maxAgeSeconds, { ...validators, bodyHash }),
      now,
      schedule,
      deps.feeds,
    );
    return { ...outcome, status: 'unchanged' };
  }

  let parsed: Awaited<ReturnType<typeof parseFeed>>;
  try {
    parsed = await parseFeed(fetched.body, {
      contentType: fetched.contentType,
      maxBytes: deps.maxBytes,
      now,
      budget: deps.parseBudget?.(),
    });
  } catch (error) {
    return recordFailure(attempt, outcome, error, now, schedule, deps.feeds);
  }
  outcome.items = parsed.items.length;
  outcome.warnings = parsed.warnings;

  const seen = new Set(feed.seen ?? []);
  const earlierFailures = new Map((feed.itemFailures ?? []).map((failure) => [failure.itemHash, failure]));
  const retrying = new Set<string>();
  const itemHash = (item: FeedItem) => shortHash(item.key, item.title, item.body);
  const currentHashes = parsed.items.map(itemHash);
  const articles = await readPollArticles(
    feed,
    parsed.items,
    (item) => !seen.has(itemHash(item)),
    deps.articles,
  );
  if (articles.report && articles.report.fetched + articles.report.overCap > 0)
    outcome.pages = articles.report;
  const dedupe = { ...DEFAULT_DEDUPE, ...deps.dedupe };
  let boilerplate: ReadonlySet<string> | undefined;
  for (const item of articles.items) {
    outcome.newItems++;
    try {
      const results = deps.watchSet.matcher.match(item, { feedUrl: feed.url });
      if (results.length === 0) continue;
      // Only a feed with a match pays for finding its boilerplate.
      boilerplate ??= boilerplateOf(parsed.items);
      const story = storyIdentityOf(item, feed.url, boilerplate);
      for (const match of results) {
        const candidate = toStoredMatch(
          item,
          story,
          feed.url,
          match.explain(),
          deps.watchSet.watches.get(match.watchId),
          now,
        );
        const decide = () => storeUnlessSameStory(deps.matches, candidate, story.headline, dedupe, now);
        const stored = await (deps.sameStoryQueue
          ? deps.sameStoryQueue.run(candidate.watchId, decide)
          : decide());
        if (stored) outcome.stored.push(candidate);
      }
    } catch (error) {
      const hash = itemHash(item);
      const failure = itemFailure(earlierFailures.get(hash), item, hash, error, now);
      outcome.itemFailures.push(failure);
      if (failure.status === 'retrying') retrying.add(hash);
    }
  }

  // Items given up on stay listed while the feed still carries them; those that succeeded are forgotten.
  const current = new Set(currentHashes);
  const failedForGood = [...earlierFailures.values()].filter(
    (failure) => failure.status === 'failed' && current.has(failure.itemHash) && seen.has(failure.itemHash),
  );
  const itemFailures = [...failedForGood, ...outcome.itemFailures].slice(-MAX_ITEM_FAILURES);

  // Before the state, like the matches: a crash in between records the same items again.
  if (deps.recentItems && articles.items.length > 0)
    await deps.recentItems.record(articles.items.map((item) => recentItemOf(item, feed.url, now)));
  await recordSuccess(
    feed,
    healthy(attempt, now, schedule, fetched.maxAgeSeconds, {
      // An item to retry needs the next poll to fetch and parse the feed in full: no validators,
      // no body hash, no item hashes, or a 304 or an unchanged or rebuilt body would skip it.
      ...(retrying.size === 0
        ? { ...validators, bodyHash }
        : { etag: undefined, lastModified: undefined, bodyHash: undefined }),
      title: parsed.title ?? feed.title,
      // Only what the feed still carries is worth remembering: an item that drops out and
      // comes back is rare, and re-matching it costs nothing but CPU (the put is conditional).
      seen: currentHashes.filter((hash) => !retrying.has(hash)).slice(-MAX_SEEN),
      // One hash per item read, so each stands for an item of `seen`; otherwise none.
      itemChunks:
        retrying.size === 0 && itemChunks?.length === parsed.items.length && itemChunks.length <= MAX_SEEN
          ? itemChunks
          : undefined,
      itemFailures: itemFailures.length > 0 ? itemFailures : undefined,
      ...articles.state,
      ...(outcome.newItems > 0 && { lastNewItemAt: now.toISOString() }),
    }),
    now,
    schedule,
    deps.feeds,
  );
  return outcome;
}

/**
 * Whether a changed body carries only items the last parsed body carried, byte for byte and in
 * the same feed-level context (#core/feed/item-chunks.ts): parsing it would find nothing that is
 * not in `seen`, so it is answered like an unchanged body. Items that fell off the end count as
 * nothing new, as they do after a parse.
 */
function carriesOnlyKnownItems(feed: FeedState, itemChunks: readonly string[] | undefined): boolean {
  if (itemChunks === undefined || !feed.itemChunks?.length) return false;
  // An item to retry is parsed again whatever its bytes (its state keeps no item hashes either).
  if (feed.itemFailures?.some((failure) => failure.status === 'retrying')) return false;
  const known = new Set(feed.itemChunks);
  return itemChunks.every((hash) => known.has(hash));
}

function itemFailure(
  earlier: ItemFailure | undefined,
  item: FeedItem,
  itemHash: string,
  error: unknown,
  now: Date,
): ItemFailure {
  const attempts = (earlier?.attempts ?? 0) + 1;
  return {
    itemHash,
    itemKey: item.key,
    title: item.title,
    reason: truncateText(errorMessage(error), MAX_REASON_CHARS)?.text ?? errorMessage(error),
    attempts,
    firstFailedAt: earlier?.firstFailedAt ?? now.toISOString(),
    lastFailedAt: now.toISOString(),
    status: attempts >= MAX_ITEM_ATTEMPTS ? 'failed' : 'retrying',
  };
}

function toStoredMatch(
  item: FeedItem,
  story: StoryIdentity,
  feedUrl: string,
  match: MatchResult,
  watch: Watch | undefined,
  now: Date,
): StoredMatch {
  const { matched, hits, hitsLeftOut, snippet, highlight } = boundedMatch(match);
  return {
    watchId: match.watchId,
    watchName: watch?.name,
    storyKey: story.storyKey,
    itemKey: item.key,
    feedUrl,
    title: item.title,
    link: item.link,
    published: item.published,
    matched,
    hits,
    hitsLeftOut,
    snippet,
    highlight,
    matchedAt: now.toISOString(),
    alertState: watch?.delivery === 'muted' ? 'SUPPRESSED' : 'PENDING',
    ...(story.fingerprint && { fingerprint: story.fingerprint }),
  };
}

const MINUTE_MS = 60_000;
/**
 * A healthy feed's "last success" is refreshed at least this often, even when nothing else
 * changes. A quiet feed is polled hourly, so an hourly refresh would write at every one of its
 * polls: half of all state writes at news feeds' measured change rates (docs/performance.md).
 * A failure is written at once, so a healthy row that lags says only that nothing changed.
 */
const HEARTBEAT_MS = 6 * 60 * MINUTE_MS;

/**
 * Writes a successful poll's state only when a later poll needs something it changed: new
 * validators, items not seen before, article-page records, item failures, a recovery, a title,
 * a later due time; and at least every 6 hours, so `lastSuccessAt` stays within 6 hours. Neither a new
 * body hash nor items that dropped out of the feed are worth a write: many feeds rebuild their
 * body on every request (a new lastBuildDate, an ad slot), and the item hashes of the last write
 * let the next poll skip such a body without a parse (carriesOnlyKnownItems). A healthy feed polled
 * at the floor interval stays due without a write (its nextDueAt is already past).
 */
async function recordSuccess(
  before: FeedState,
  after: FeedState,
  now: Date,
  schedule: SchedulePolicy,
  feeds: FeedStore,
) {
  if (laterPollNeeds(before, after, now, schedule)) await feeds.put(after);
}

function laterPollNeeds(before: FeedState, after: FeedState, now: Date, schedule: SchedulePolicy): boolean {
  return (
    before.consecutiveFailures !== 0 ||
    before.etag !== after.etag ||
    before.lastModified !== after.lastModified ||
    before.title !== after.title ||
    before.lastNewItemAt !== after.lastNewItemAt ||
    before.pollMinutes !== after.pollMinutes ||
    before.pollReason !== after.pollReason ||
    hasNew(after.seen, before.seen) ||
    hasNew(after.pageKeys, before.pageKeys) ||
    before.pagesUnavailable !== after.pagesUnavailable ||
    before.lastPageError !== after.lastPageError ||
    JSON.stringify(before.itemFailures ?? []) !== JSON.stringify(after.itemFailures ?? []) ||
    before.nextDueAt > now.toISOString() ||
    // Due again at the next cycle either way; a later due time (a fixed interval, a max-age)
    // must be written to be honoured. A quiet feed's polls are spaced by isScheduled instead.
    Date.parse(after.nextDueAt) > now.getTime() + schedule.intervalMinutes * MINUTE_MS ||
    before.lastSuccessAt === undefined ||
    now.getTime() - Date.parse(before.lastSuccessAt) >= HEARTBEAT_MS
  );
}

/** Whether `current` holds a value `stored` lacks (none stored counts as lacking all). */
function hasNew(current: readonly string[] | undefined, stored: readonly string[] | undefined): boolean {
  if (current === undefined || current.length === 0) return false;
  const known = new Set(stored ?? []);
  return current.some((value) => !known.has(value));
}

function healthy(
  attempt: FeedState,
  now: Date,
  schedule: SchedulePolicy,
  maxAgeSeconds: number | undefined,
  changes: Partial<FeedState>,
): FeedState {
  const {
    failingSince: _recovered,
    lastError: _e,
    lastErrorKind: _k,
    pollMinutes: _m,
    pollReason: _r,
    ...rest
  } = attempt;
  const history: FeedState = { ...rest, ...changes };
  // A feed stored before its quiet spells were tracked starts one now.
  history.lastNewItemAt ??= now.toISOString();
  const interval = pollIntervalAfterSuccess(now, history, schedule, maxAgeSeconds);
  return {
    ...history,
    lastSuccessAt: now.toISOString(),
    consecutiveFailures: 0,
    nextDueAt: nextDueAfterSuccess(now, schedule, interval),
    // Only an interval that does not follow from lastNewItemAt is stored (see isScheduled).
    ...(!followsChangeRate(interval) && { pollMinutes: interval.minutes, pollReason: interval.reason }),
  };
}

async function recordFailure(
  attempt: FeedState,
  outcome: PollOutcome,
  error: unknown,
  now: Date,
  schedule: SchedulePolicy,
  feeds: FeedStore,
): Promise<PollOutcome> {
  const kind = error instanceof FetchError || error instanceof FeedParseError ? error.kind : 'unexpected';
  const failures = attempt.consecutiveFailures + 1;
  const retryAfter = error instanceof FetchError ? error.retryAfterSeconds : undefined;
  await feeds.put({
    ...attempt,
    consecutiveFailures: failures,
    failingSince: attempt.failingSince ?? now.toISOString(),
    lastError: errorMessage(error),
    lastErrorKind: kind,
    nextDueAt: nextDueAfterFailure(now, schedule, failures, retryAfter),
  });
  return { ...outcome, status: 'failed', error: { kind, message: errorMessage(error) } };
}

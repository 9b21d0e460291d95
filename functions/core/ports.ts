import type { FeedState, MergedItem, RecentItem, StoredMatch, StoryRecord, Watch } from './model.ts';

/**
 * Ports owned by the core. Adapters (DynamoDB, in-memory, SNS, HTTP) implement them;
 * the core never imports an SDK or does I/O itself.
 */

export interface WatchStore {
  list(): Promise<Watch[]>;
  get(id: string): Promise<Watch | undefined>;
  put(watch: Watch): Promise<void>;
  delete(id: string): Promise<boolean>;
}

export interface FeedStore {
  list(): Promise<FeedState[]>;
  get(url: string): Promise<FeedState | undefined>;
  /** Creates or replaces the whole state item. */
  put(state: FeedState): Promise<void>;
  delete(url: string): Promise<boolean>;
  /** Feeds whose nextDueAt is at or before `now` (ISO 8601). */
  due(now: string): Promise<FeedState[]>;
}

export interface MatchStore {
  /**
   * Claims a match for one deliverer: `queue` (PENDING: alert now, DIGEST: the watch's digest)
   * -> SENDING held by `claim`, or takes over a SENDING claim of that queue whose lease ended
   * before `now`. Atomic: of any number of deliverers trying at once, exactly one gets it. While
   * SENDING, the match stays listed in its queue, so a claim its deliverer died with is found.
   */
  claim(
    watchId: string,
    storyKey: string,
    queue: ClaimQueue,
    claim: Claim,
    now: string,
  ): Promise<ClaimResult>;
  /**
   * Ends the claim `owner` holds: SENT, SUPPRESSED, DIGEST or FAILED, or back to its queue
   * (PENDING or DIGEST) when nothing was sent. False when `owner` no longer holds the claim.
   */
  settle(watchId: string, storyKey: string, owner: string, settlement: Settlement): Promise<boolean>;
  get(watchId: string, storyKey: string): Promise<StoredMatch | undefined>;
  /**
   * Newest first, in the order of newestFirst (match-order.ts): by matchedAt, and matches of one
   * instant by published, watch id, item key and story key; `limit` keeps the first of that order.
   * With `anyTies`, which of the matches of the last instant the limit cuts through are kept may
   * be any: a caller that needs no order among them spares the read that settles it.
   */
  listRecent(query: RecentMatchesQuery): Promise<StoredMatch[]>;
  /**
   * Matches still PENDING, and SENDING ones claimed from PENDING, oldest first: the re-drive
   * after a crash between store and publish.
   */
  listPending(limit?: number): Promise<StoredMatch[]>;
  /** Matches waiting for their watch's digest (DIGEST, and SENDING ones claimed from it), oldest first. */
  listDigest(limit?: number): Promise<StoredMatch[]>;
  /**
   * Records `item` on the stored story as the same story: appended to `alsoIn` once per
   * (feed, item key), and counted in `alsoInMore` once the list is full; never the match's own
   * item; a no-op when the match does not exist. Works in every alert state, so a copy found
   * after the alert was sent is still listed.
   */
  addSource(watchId: string, storyKey: string, item: MergedItem): Promise<void>;
  /** The watch's story register as last written, read consistently; undefined when it has none. */
  getStories(watchId: string): Promise<StoryRegister | undefined>;
  /**
   * Stores `match` as a new story and replaces its watch's register with `next.stories`, in one
   * atomic write, only if the register is still at `next.expectedVersion` (undefined: has none)
   * and no match has the same (watchId, storyKey). 'register-changed' when another decision
   * was stored meanwhile (read and decide again), 'exists' when only the key was taken.
   */
  putNewStory(
    match: StoredMatch,
    next: { expectedVersion?: number; stories: StoryRecord[] },
  ): Promise<NewStoryOutcome>;
  /** Replaces the watch's register with `next.stories`, only if it is still at `next.expectedVersion`. */
  putStories(
    watchId: string,
    next: { expectedVersion?: number; stories: StoryRecord[] },
  ): Promise<'stored' | 'register-changed'>;
}

/** A watch's recent stories, as the same-story decision keeps them, oldest first. */
export interface StoryRegister {
  /** Counts the register's writes: the condition of the next one. */
  version: number;
  stories: StoryRecord[];
}

export type NewStoryOutcome = 'stored' | 'register-changed' | 'exists';

export type ClaimQueue = 'PENDING' | 'DIGEST';

export interface Claim {
  /** Unique to one delivery attempt. */
  owner: string;
  /** ISO 8601; once past, another deliverer may take the claim over. */
  leaseUntil: string;
}

export type ClaimResult =
  /** `takenOver`: the previous holder's lease had run out; it may have published before it died. */
  { claimed: true; match: StoredMatch; takenOver: boolean } | { claimed: false };

export type Settlement =
  | { state: 'PENDING' | 'SENT' | 'SUPPRESSED' | 'DIGEST' }
  | { state: 'FAILED'; failure: string };

export interface RecentMatchesQuery {
  watchId?: string;
  since?: string;
  limit?: number;
  anyTies?: boolean;
}

/**
 * The items polls saw lately, matched or not, so a new query can be tried on them. Each item is
 * forgotten RECENT_ITEM_DAYS after it was seen (DynamoDB TTL in the cloud).
 */
export interface RecentItemStore {
  /**
   * Records items; one recorded again (same feed and key, an edited item) replaces its record
   * when seen later: an item is listed once, as its version seen last. Of two versions of one
   * item recorded at the same instant, one given in the same call is kept as the later.
   */
  record(items: readonly RecentItem[]): Promise<void>;
  /** Items seen at or after `since` (ISO 8601), newest first, at most `limit`. */
  listSince(since: string, limit?: number): Promise<RecentItem[]>;
}

export type RateLimitDecision = 'allowed' | 'first-over-limit' | 'over-limit';

/**
 * Counts immediate alerts per (watch, window) atomically, so concurrent notifiers share one
 * budget. Separate from MatchStore: a counter is not a match and must never be listed as one.
 */
export interface RateLimiter {
  /**
   * Counts one alert of `watchId` in `window` (an opaque key such as the UTC hour): 'allowed'
   * while the count stays within `limit`, 'first-over-limit' for exactly one call once it is
   * exceeded, 'over-limit' after that. The counter may be forgotten after `expiresAt`.
   */
  take(watchId: string, window: string, limit: number, expiresAt: Date): Promise<RateLimitDecision>;
  /** Uncounts one `take` whose message was not published, so the retry is counted afresh. */
  giveBack(watchId: string, window: string): Promise<void>;
}

export interface FetchRequest {
  url: string;
  etag?: string;
  lastModified?: string;
}

export type FetchResult =
  | {
      status: 'ok';
      body: Uint8Array;
      contentType?: string;
      etag?: string;
      lastModified?: string;
      /** Seconds from Cache-Control max-age, when the server sent one. */
      maxAgeSeconds?: number;
    }
  | { status: 'not-modified'; etag?: string; lastModified?: string; maxAgeSeconds?: number };

/** Fetches a feed. Throws FetchError (see errors.ts) for every failure. */
export interface Fetcher {
  fetch(request: FetchRequest): Promise<FetchResult>;
}

/** An article page as the server sent it, after redirects. */
export interface FetchedPage {
  body: Uint8Array;
  contentType?: string;
}

/**
 * Fetches the page an item links to. Throws FetchError (see errors.ts) for every page that
 * cannot be used as an article: a non-2xx answer, a type other than HTML, a timeout, a page
 * over the size cap, a blocked address on any hop.
 */
export interface PageFetcher {
  fetchPage(url: string): Promise<FetchedPage>;
}

/** A message ready to publish: one model, rendered per protocol by the formatter. */
export interface AlertMessage {
  watchId: string;
  subject: string;
  email: string;
  sms: string;
  /** The structured alert, for JSON consumers (SQS/HTTP subscribers, alerts.jsonl). */
  json: Record<string, unknown>;
}

export interface Notifier {
  /**
   * Throws PublishRefusedError when the service answered that it did not publish; any other
   * error leaves it unknown whether the message went out.
   */
  publish(message: AlertMessage): Promise<void>;
  /** Whether the message is within the service's size limit, so a digest can be split to fit. */
  fits(message: AlertMessage): boolean;
}

export interface Clock {
  now(): Date;
}

/** The queue between the dispatcher and the pollers; each message carries several feed URLs. */
export interface FeedQueue {
  /** Messages still waiting from earlier cycles. */
  backlog(): Promise<number>;
  enqueue(batches: string[][]): Promise<void>;
}

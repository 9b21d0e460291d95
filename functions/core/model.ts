/**
 * The domain model shared by every layer. Plain data only: these shapes cross the
 * boundary to DynamoDB, SNS and the CLI's JSON output, so they stay serialisable.
 */

/** One feed entry after normalisation: plain text only, no markup. */
export interface FeedItem {
  /** Stable per-feed identity: guid/id, else canonical link, else a hash of title + date. */
  key: string;
  title: string;
  /** http(s) only; anything else is dropped during normalisation. */
  link?: string;
  /** ISO 8601, when the feed gave a date we could read. */
  published?: string;
  /** Plain text of the richest of content:encoded / content / summary / description. */
  body: string;
  guid?: string;
  /**
   * Plain text of the article on the page at `link`, when full text fetched and extracted it
   * (see #core/article); absent when the page was not fetched or could not be used.
   */
  article?: string;
}

export interface ParsedFeed {
  title?: string;
  items: FeedItem[];
  /** Problems that cost part of the feed but not all of it (one bad entry, one bad date). */
  warnings: string[];
}

export type DeliveryMode = 'immediate' | 'digest' | 'muted';

/** How often a watch's digest goes out: each hour, or once a day at 07:00 in the watch's time zone. */
export type DigestCadence = 'hourly' | 'daily';

/**
 * A daily window in which a watch sends nothing immediately: its matches wait for the digest
 * sent when the window ends. `start` and `end` are 24-hour `HH:MM` wall-clock times in
 * `timeZone` (IANA, e.g. `Europe/London`); a window may cross midnight (22:00 to 07:00).
 */
export interface QuietHours {
  start: string;
  end: string;
  timeZone: string;
}

/** A watch as users write it (watches file, DynamoDB watches table, CLI). */
export interface Watch {
  id: string;
  query: string;
  name?: string;
  /** @default true */
  enabled?: boolean;
  /** Feed URLs the watch is limited to; absent means every feed. */
  feeds?: string[];
  delivery?: DeliveryMode;
  /** Cadence of the watch's digest (digest mode, rate-limit overflow, quiet hours). @default 'hourly' */
  digest?: DigestCadence;
  /** Immediate alerts per hour before further matches roll into the digest. @default 10 */
  maxAlertsPerHour?: number;
  quietHours?: QuietHours;
  /** IANA time zone of the daily digest; a watch with quiet hours uses theirs instead. @default 'UTC' */
  timeZone?: string;
  createdAt?: string;
  updatedAt?: string;
}

/** Where a word was found: the item's title, its feed text, or the article on its page (full text). */
export type Field = 'title' | 'body' | 'article';

/** What the matcher reads of an item. */
export type MatchableItem = Pick<FeedItem, 'title' | 'body' | 'article'>;

/** One query term that matched, and the word in the text that it matched. */
export interface Hit {
  term: string;
  word: string;
  field: Field;
  /** When the word matched through concept expansion, how: "synonym of seizure". */
  via?: string;
}

/** How many more distinct words of one query term matched than a match keeps (see match-bounds.ts). */
export interface HitsLeftOut {
  term: string;
  forms: number;
}

/** The matcher's answer for one (watch, item) pair. */
export interface MatchResult {
  watchId: string;
  /** Distinct query terms that matched, in query order. */
  matched: string[];
  hits: Hit[];
  /** The sentence (or about 200 characters) around the first hit, plain text. */
  snippet: string;
  /** The same snippet with each matched word marked as `**word**` (survives email and SMS). */
  highlight: string;
}

/**
 * PENDING: stored, not yet routed. SENDING: claimed by one deliverer until `leaseUntil` (see
 * docs/operations.md). SENT: alerted (alone or in a digest). SUPPRESSED: muted, never sent.
 * DIGEST: waiting for the watch's next digest (digest mode, rate limit, quiet hours). FAILED:
 * refused for good by the alert service (`failure` says why), never retried.
 */
export type AlertState = 'PENDING' | 'SENDING' | 'SENT' | 'SUPPRESSED' | 'DIGEST' | 'FAILED';

/** A match as stored: one per (watch, story). */
export interface StoredMatch {
  watchId: string;
  watchName?: string;
  storyKey: string;
  itemKey: string;
  feedUrl: string;
  title: string;
  link?: string;
  published?: string;
  matched: string[];
  /** Bounded: a few words per term (see match-bounds.ts); `hitsLeftOut` counts the rest. */
  hits: Hit[];
  hitsLeftOut?: HitsLeftOut[];
  snippet: string;
  highlight: string;
  matchedAt: string;
  alertState: AlertState;
  /** The other items found to be the same story after it was stored, first seen first; bounded. */
  alsoIn?: MergedItem[];
  /** Items merged into the story once `alsoIn` was full: counted, not listed. */
  alsoInMore?: number;
  /** The deliverer holding the SENDING claim, and until when (ISO 8601). */
  claimedBy?: string;
  leaseUntil?: string;
  /** Why the alert service refused the match for good (FAILED only). */
  failure?: string;
  /**
   * Near-duplicate fingerprint of the item's distinctive title and lead (`v2:` and 16 hex
   * digits, see #core/alerts/story.ts), so the same story arriving later under another link
   * or GUID is recognised.
   */
  fingerprint?: string;
}

/**
 * An item a poll saw, kept for a few days (see #core/recent/recent-item.ts) so that a query can
 * be tried on recent news, including items no watch matched: the console's lab and
 * `feedwatch watch test --recent`. The text fields are cut to a bounded size.
 */
export interface RecentItem {
  feedUrl: string;
  /** The feed's own item key (FeedItem.key). */
  key: string;
  title: string;
  link?: string;
  published?: string;
  body: string;
  guid?: string;
  /** ISO 8601: when the poll first saw this version of the item. */
  seenAt: string;
}

/**
 * An item recorded on a stored match as the same story: nothing matched is dropped without a
 * trace. Matches merged by versions that recorded the feed alone carry `feed` only.
 */
export interface MergedItem {
  feed: string;
  itemKey?: string;
  title?: string;
  link?: string;
  published?: string;
  /** When Feedwatch found the item (ISO 8601). */
  seenAt?: string;
}

/**
 * What the same-story decision keeps of one stored story in its watch's register (see
 * #core/alerts/same-story.ts): hashes rather than text, so that hundreds fit in one item.
 */
export interface StoryRecord {
  storyKey: string;
  /** Short hash of the feed URL. */
  feed: string;
  /** Short hash of the feed's own item key (its GUID, else its canonical link). */
  item: string;
  fingerprint?: string;
  /** Short hash of the folded distinctive headline, when it is long enough to identify a story. */
  headline?: string;
  /** The items merged into the story since, as `feed.item` hashes, first merged first; bounded. */
  merged?: string[];
  matchedAt: string;
}

/**
 * When the article page of a new item is fetched: `auto` when the feed's own text for the item
 * is short (a headline and a standfirst), `always`, or `never`.
 */
export type FullTextMode = 'auto' | 'always' | 'never';

/** Fetch and health state of one feed, one item per feed URL. */
export interface FeedState {
  url: string;
  title?: string;
  etag?: string;
  lastModified?: string;
  /** Hash of a body known to carry nothing new (the last one parsed, or one found to hold its items), so an unchanged body costs no parse. */
  bodyHash?: string;
  lastAttemptAt?: string;
  lastSuccessAt?: string;
  /** When the current run of failures began; absent while healthy. */
  failingSince?: string;
  consecutiveFailures: number;
  nextDueAt: string;
  lastError?: string;
  lastErrorKind?: string;
  createdAt?: string;
  /**
   * Added by `feedwatch run` because its config file lists the feed: polled while the config
   * lists it, and removed there, not with `feed rm`, which would see it added again.
   */
  fromConfig?: boolean;
  /**
   * Short hashes of (item key + content) already matched, newest last and bounded, so an
   * unchanged item is never matched twice but an edited one is matched again.
   */
  seen?: string[];
  /**
   * Short hashes of the raw item elements of the last body parsed, with the feed-level context
   * they read in (see #core/feed/item-chunks.ts), bounded like `seen` and kept only when each
   * stands for one item of `seen`: a changed body whose items all hash to one of these carries
   * nothing new (a rebuilt body: a new lastBuildDate, items reordered or dropped), so it is not
   * parsed. Absent (a state written before, a body the scan does not fully understand, an item
   * to retry), every changed body is parsed.
   */
  itemChunks?: string[];
  /** When the article pages of new items are fetched. @default 'auto' */
  fullText?: FullTextMode;
  /**
   * Short hashes of the keys of the items the feed carried at its last parse (while full text
   * is on): an item whose key is here is not new, so its page is never fetched again, even
   * when the item is edited.
   */
  pageKeys?: string[];
  /** Article pages that could not be used (blocked, paywalled, not HTML, too slow), counted since the feed was added. */
  pagesUnavailable?: number;
  /** Why the last unusable article page could not be used, e.g. `HTTP 403 Forbidden`. */
  lastPageError?: string;
  /** Items whose matches could not be stored, newest last and bounded (see ItemFailure). */
  itemFailures?: ItemFailure[];
  /** When a poll last found items not seen before: the feed's quiet spell runs from here. */
  lastNewItemAt?: string;
  /** An interval the user fixed for this feed (`feed set --every`), in minutes; absent follows the feed's change rate. */
  pollEvery?: number;
  /**
   * The interval the last written poll chose, in minutes, and why, when the feed does not follow
   * its change rate (the user's `--every`, the server's max-age): written with the later due time
   * it sets. Absent while the feed follows its change rate: then the interval follows from
   * lastNewItemAt (see #core/pipeline/schedule.ts), and a quiet poll writes nothing.
   */
  pollMinutes?: number;
  pollReason?: IntervalReason;
}

/**
 * Why a feed is polled at its interval: it just brought new items, it has been quiet (half its
 * quiet spell), the user set the interval, or the server's Cache-Control max-age asked for longer.
 */
export type IntervalReason = 'new-items' | 'quiet' | 'set' | 'max-age';

/**
 * One item of a feed whose matches could not be stored (a store error on that item only): the
 * rest of the feed was processed. It is tried again at the next polls while `retrying`; after a
 * few attempts it is `failed` and left, and stays listed while the feed still carries it.
 */
export interface ItemFailure {
  /** The item's short hash, as in FeedState.seen. */
  itemHash: string;
  itemKey: string;
  title: string;
  /** The store's error, one line. */
  reason: string;
  attempts: number;
  firstFailedAt: string;
  lastFailedAt: string;
  status: 'retrying' | 'failed';
}

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

export type Field = 'title' | 'body';

/** One query term that matched, and the word in the text that it matched. */
export interface Hit {
  term: string;
  word: string;
  field: Field;
  /** When the word matched through concept expansion, how: "synonym of seizure". */
  via?: string;
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
 * PENDING: stored, not yet routed. SENT: alerted (alone or in a digest). SUPPRESSED: muted,
 * never sent. DIGEST: waiting for the watch's next digest (digest mode, rate limit, quiet hours).
 */
export type AlertState = 'PENDING' | 'SENT' | 'SUPPRESSED' | 'DIGEST';

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
  hits: Hit[];
  snippet: string;
  highlight: string;
  matchedAt: string;
  alertState: AlertState;
  /** Other feeds/links the same story was seen at after it was first stored. */
  alsoIn?: string[];
  /**
   * Near-duplicate fingerprint of title + lead (16 hex digits, see #core/alerts/story.ts), so
   * the same story arriving later under another link or GUID is recognised.
   */
  fingerprint?: string;
}

/** Fetch and health state of one feed, one item per feed URL. */
export interface FeedState {
  url: string;
  title?: string;
  etag?: string;
  lastModified?: string;
  /** Hash of the last body parsed, so an unchanged body costs no parse. */
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
}

/**
 * How a StoredMatch is laid out as a DynamoDB item, and the listing rules both match
 * stores (DynamoDB and in-memory) share so they cannot drift apart.
 */
import { FeedwatchError } from '#core/errors.ts';
import { shortHash } from '#core/hash.ts';
import type { MergedItem, StoredMatch, StoryRecord } from '#core/model.ts';
import { withoutUndefined } from './items.ts';
import { MATCH_TTL_DAYS, MATCHES } from './schema.ts';

/** A story seen in dozens of feeds must not grow one item towards DynamoDB's 400 KB limit. */
export const ALSO_IN_LIMIT = 25;

/**
 * Merged items remembered (as short hashes, ~12 bytes each) so that one seen again is not
 * listed or counted twice; past it, further items are neither listed nor counted.
 */
export const MERGED_KEYS_LIMIT = 1_000;

/** The identity of a merged item: its feed and the feed's own key for it. */
export function mergedKeyOf(item: MergedItem): string {
  return shortHash(item.feed, item.itemKey ?? item.link ?? '');
}

/**
 * Size of a story register's stories, encoded, well below DynamoDB's 400 KB item limit: 100 to
 * 200 bytes a story, so 500 ordinary stories fit, and a feed with 900-byte story keys shortens
 * the register instead of failing the write.
 */
const STORY_REGISTER_BYTES = 150_000;

const DAY_MS = 86_400_000;

/** DynamoDB's limit on a sort key (storyKey is the table's sort key). */
export const MAX_SORT_KEY_BYTES = 1024;

/** Attributes that exist only for indexes and TTL; never part of the domain object. */
const STORAGE_ONLY = [
  'matchedDay',
  MATCHES.ttlAttribute,
  MATCHES.pendingIndex.partitionKey,
  'mergedKeys',
] as const;

export class InvalidMatchError extends FeedwatchError {
  override name = 'InvalidMatchError';
}

export type MatchItem = StoredMatch & {
  matchedDay: string;
  expiresAt: number;
  pendingShard?: string;
};

export function toMatchItem(match: StoredMatch): MatchItem {
  const matchedAtMs = Date.parse(match.matchedAt);
  // The per-day index and TTL are derived from matchedAt, so a bad one cannot be stored.
  if (Number.isNaN(matchedAtMs)) {
    throw new InvalidMatchError(`matchedAt is not an ISO 8601 time: ${JSON.stringify(match.matchedAt)}`);
  }
  // DynamoDB refuses such a put with a ValidationException; checking here makes the
  // in-memory store refuse it too, with the same message from both.
  const storyKeyBytes = Buffer.byteLength(match.storyKey, 'utf8');
  if (storyKeyBytes > MAX_SORT_KEY_BYTES) {
    throw new InvalidMatchError(
      `storyKey of ${storyKeyBytes} bytes is over DynamoDB's ${MAX_SORT_KEY_BYTES}-byte sort-key limit`,
    );
  }
  return {
    ...withoutUndefined(match),
    matchedDay: match.matchedAt.slice(0, 10),
    expiresAt: Math.floor(matchedAtMs / 1000) + MATCH_TTL_DAYS * 86_400,
    ...(pendingShardOf(match.alertState) && { pendingShard: pendingShardOf(match.alertState) }),
  };
}

/** The sparse index's shard of a state: only states still waiting to be sent are indexed. */
export function pendingShardOf(state: StoredMatch['alertState']): string | undefined {
  if (state === 'PENDING') return MATCHES.pendingShardValue;
  if (state === 'DIGEST') return MATCHES.digestShardValue;
  return undefined;
}

export function fromMatchItem(item: object): StoredMatch {
  const match: Record<string, unknown> = { ...item };
  for (const attribute of STORAGE_ONLY) delete match[attribute];
  // Versions that recorded the merged feed alone stored its URL as a string.
  if (Array.isArray(match.alsoIn)) {
    match.alsoIn = match.alsoIn.map((entry: unknown) =>
      typeof entry === 'string' ? { feed: entry } : entry,
    );
  }
  return match as unknown as StoredMatch;
}

/** The key of a watch's story register item. */
export function storyRegisterKey(watchId: string): Record<string, string> {
  return {
    [MATCHES.partitionKey]: `${MATCHES.storyRegister.partitionPrefix}${watchId}`,
    [MATCHES.sortKey]: MATCHES.storyRegister.sortKeyValue,
  };
}

/**
 * A story record as one string, `matchedAt feed item fingerprint headline merged storyKey`
 * with `-` for a missing field and the merged items joined by commas: a fraction of the size
 * of a map with named fields. The story key comes last because it may hold spaces (a GUID);
 * hashes never do.
 */
function encodeStory(story: StoryRecord): string {
  return [
    story.matchedAt,
    story.feed,
    story.item,
    story.fingerprint ?? '-',
    story.headline ?? '-',
    story.merged?.join(',') || '-',
    story.storyKey,
  ].join(' ');
}

const ENCODED_FIELDS_BEFORE_KEY = 6;

export function decodeStory(encoded: string): StoryRecord {
  const fields = encoded.split(' ');
  const [matchedAt = '', feed = '', item = '', fingerprint = '-', headline = '-', merged = '-'] = fields;
  return {
    storyKey: fields.slice(ENCODED_FIELDS_BEFORE_KEY).join(' '),
    feed,
    item,
    ...(fingerprint !== '-' && { fingerprint }),
    ...(headline !== '-' && { headline }),
    ...(merged !== '-' && { merged: merged.split(',') }),
    matchedAt,
  };
}

/** The stories of a register as stored: the newest that fit STORY_REGISTER_BYTES, oldest first. */
export function encodeStories(stories: readonly StoryRecord[]): string[] {
  const kept: string[] = [];
  let bytes = 0;
  for (const story of [...stories].reverse()) {
    const encoded = encodeStory(story);
    bytes += Buffer.byteLength(encoded, 'utf8') + 4;
    if (bytes > STORY_REGISTER_BYTES) break;
    kept.push(encoded);
  }
  return kept.reverse();
}

/** When a register written at `now` may be removed by TTL: as long as a match is kept. */
export function storyRegisterExpiry(now: Date): number {
  return Math.floor(now.getTime() / 1000) + MATCH_TTL_DAYS * 86_400;
}

/**
 * Where listRecent starts when no `since` is given: older matches are past their TTL, and
 * walking the per-day index further back would only read empty partitions.
 */
export function defaultSince(now: Date): string {
  return utcDay(new Date(now.getTime() - MATCH_TTL_DAYS * DAY_MS)).concat('T00:00:00.000Z');
}

/**
 * Where listRecent starts: `since`, but never before the retention window. Matches older
 * than that are gone (or going) by TTL, and walking the per-day index back to a far `since`
 * (`--since 99999d`) would cost one query per empty day.
 */
export function sinceWithinRetention(since: string | undefined, now: Date): string {
  const oldestKept = defaultSince(now);
  return since === undefined || since < oldestKept ? oldestKept : since;
}

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** UTC days from `from` back to the day of `since`, newest first. */
export function daysBackTo(from: Date, since: string): string[] {
  const sinceDay = since.slice(0, 10);
  const days: string[] = [];
  for (let cursor = from.getTime(); utcDay(new Date(cursor)) >= sinceDay; cursor -= DAY_MS) {
    days.push(utcDay(new Date(cursor)));
  }
  return days;
}

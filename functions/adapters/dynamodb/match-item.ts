/**
 * How a StoredMatch is laid out as a DynamoDB item, and the listing rules both match
 * stores (DynamoDB and in-memory) share so they cannot drift apart.
 */
import { FeedwatchError } from '#core/errors.ts';
import type { StoredMatch } from '#core/model.ts';
import { withoutUndefined } from './items.ts';
import { MATCH_TTL_DAYS, MATCHES } from './schema.ts';

/** A story seen in dozens of feeds must not grow one item towards DynamoDB's 400 KB limit. */
export const ALSO_IN_LIMIT = 25;

const DAY_MS = 86_400_000;

/** DynamoDB's limit on a sort key (storyKey is the table's sort key). */
export const MAX_SORT_KEY_BYTES = 1024;

/** Attributes that exist only for indexes and TTL; never part of the domain object. */
const STORAGE_ONLY = ['matchedDay', MATCHES.ttlAttribute, MATCHES.pendingIndex.partitionKey] as const;

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
  return match as unknown as StoredMatch;
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

/**
 * How RecentItems are laid out as DynamoDB items (a row per feed and time seen), and the order
 * both recent-item stores (DynamoDB and in-memory) list in, so they cannot drift apart.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { shortHash, textHash } from '#core/hash.ts';
import type { RecentItem } from '#core/model.ts';
import { recentItemExpiry } from '#core/recent/recent-item.ts';
import { RECENT_ITEMS } from './schema.ts';

export type RecentItemRow = Record<typeof RECENT_ITEMS.partitionKey | typeof RECENT_ITEMS.sortKey, string> &
  Record<typeof RECENT_ITEMS.ttlAttribute, number> &
  Record<typeof RECENT_ITEMS.contentAttribute, Uint8Array>;

/** One item's own fields, by position: a JSON array names no field, so it stays small. */
type ItemFields = [
  key: string,
  title: string,
  body: string,
  link: string | null,
  published: string | null,
  guid: string | null,
];

/** What a row keeps compressed: the feed once, then the items one poll of it saw. */
type Content = [feedUrl: string, items: ItemFields[]];
/** An item's key and its ItemFields' JSON, made once: it sizes the row and is joined into it. */
type ItemJson = { key: string; json: string };

/**
 * A row written before items were grouped: one item with its feed. Kept readable for the week
 * such rows live (RECENT_ITEM_DAYS).
 */
type SingleItemContent = [feedUrl: string, ...fields: ItemFields];

/**
 * Brotli at quality 5, text mode: on news text it is 6% smaller than deflate for about 0.3 ms an
 * item (its built-in dictionary knows English and URLs); qualities 10-11 save another 10% but
 * take 2-4 ms an item, too much for the poller to spend on every new item.
 */
const QUALITY = 5;

/**
 * The items of one row, as JSON, stay under this: compressed they stay under DynamoDB's 400 KB
 * item limit whatever they hold (Brotli never grows its input by more than a few bytes), and a
 * new feed's first poll, with dozens of long items, is split into a few rows.
 */
const MAX_ROW_JSON_BYTES = 300_000;

/** Separates the parts of the sort key; an ISO 8601 time never holds it. */
const SEPARATOR = '#';

export function recentItemId(item: Pick<RecentItem, 'feedUrl' | 'key'>): string {
  return textHash(JSON.stringify([item.feedUrl, item.key]));
}

/**
 * The rows that keep `items`: one per feed and time seen (one poll's new items), split only
 * past MAX_ROW_JSON_BYTES. DynamoDB bills a write per started KB of an item, so the new items of
 * a poll written together cost a unit where each alone would cost one: a teaser feed's item is
 * about 0.4 KB. A row is named by its items' keys too, so another record of the feed at the same
 * instant with other items adds a row instead of replacing this one.
 */
export function toRecentItemRows(items: readonly RecentItem[]): RecentItemRow[] {
  const groups = new Map<string, RecentItem[]>();
  for (const item of items) {
    const key = JSON.stringify([item.feedUrl, item.seenAt]);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const rows: RecentItemRow[] = [];
  for (const group of groups.values()) {
    const [{ feedUrl, seenAt }] = group as [RecentItem];
    let chunk: ItemJson[] = [];
    let chunkBytes = 0;
    const flush = () => {
      rows.push(rowOf(feedUrl, seenAt, chunk));
      chunk = [];
      chunkBytes = 0;
    };
    for (const item of group) {
      const fields: ItemFields = [
        item.key,
        item.title,
        item.body,
        item.link ?? null,
        item.published ?? null,
        item.guid ?? null,
      ];
      const json = JSON.stringify(fields);
      const bytes = Buffer.byteLength(json);
      if (chunk.length > 0 && chunkBytes + bytes > MAX_ROW_JSON_BYTES) flush();
      chunk.push({ key: item.key, json });
      chunkBytes += bytes;
    }
    flush();
  }
  return rows;
}

/** A row of one feed's items seen at `seenAt`, each given as its ItemFields' JSON: together a Content. */
function rowOf(feedUrl: string, seenAt: string, items: ItemJson[]): RecentItemRow {
  const json = Buffer.from(`[${JSON.stringify(feedUrl)},[${items.map((item) => item.json).join(',')}]]`);
  return {
    [RECENT_ITEMS.partitionKey]: seenAt.slice(0, 10),
    [RECENT_ITEMS.sortKey]: `${seenAt}${SEPARATOR}${shortHash(feedUrl)}${SEPARATOR}${shortHash(...items.map((item) => item.key))}`,
    [RECENT_ITEMS.ttlAttribute]: Math.floor(recentItemExpiry(seenAt).getTime() / 1000),
    [RECENT_ITEMS.contentAttribute]: brotliCompressSync(json, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: json.length,
      },
    }),
  } as RecentItemRow;
}

/** When a row's items were seen, read from its key without decompressing them. */
export function recentRowSeenAt(row: Record<string, unknown>): string {
  const sortKey = row[RECENT_ITEMS.sortKey] as string;
  return sortKey.slice(0, sortKey.indexOf(SEPARATOR));
}

export function fromRecentItemRow(row: Record<string, unknown>): RecentItem[] {
  const compressed = row[RECENT_ITEMS.contentAttribute] as Uint8Array;
  const content = JSON.parse(brotliDecompressSync(compressed).toString('utf8')) as
    | Content
    | SingleItemContent;
  const [feedUrl] = content;
  const items = Array.isArray(content[1]) ? (content as Content)[1] : [content.slice(1) as ItemFields];
  const seenAt = recentRowSeenAt(row);
  return items.map(([key, title, body, link, published, guid]) => ({
    feedUrl,
    key,
    title,
    ...(link !== null && { link }),
    ...(published !== null && { published }),
    body,
    ...(guid !== null && { guid }),
    seenAt,
  }));
}

/** Newest seen first; items seen at one instant by feed, then key, so every store lists alike. */
export function newestSeenFirst(a: RecentItem, b: RecentItem): number {
  return compare(b.seenAt, a.seenAt) || compare(a.feedUrl, b.feedUrl) || compare(a.key, b.key);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

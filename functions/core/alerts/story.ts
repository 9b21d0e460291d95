/**
 * Story identity: when two feed items are the same story for an analyst, even though
 * their links and GUIDs differ (wire copy syndicated by several outlets, an item re-issued
 * under a new GUID, an updated headline).
 *
 * Within one feed, only the feed's own identifiers say so: two items of a feed are the same
 * story when they share a canonical link or a GUID, and never because their text is alike (a
 * live story published as daily updates is one article per update). Across feeds, the story
 * key, the near-duplicate fingerprint and the exact headline say so.
 *
 * The near-duplicate test is a 64-bit SimHash (Charikar) over the words and word pairs of the
 * item's distinctive title and lead, compared by Hamming distance. Distinctive: the sentences
 * and headline parts that the feed repeats across its items (a standfirst, "Read more", "Live
 * updates") are left out first, so shared boilerplate cannot make different stories alike.
 * Written here rather than taken from npm: the only JavaScript package (`simhash-js`, last
 * changed 2017) makes 32-bit hashes of character shingles with its own tokenizer, while
 * stories must be compared on our folded word-form keys so that "seizing" and "seized"
 * agree; the algorithm itself is a dozen lines.
 */
import { createHash } from 'node:crypto';
import { canonicalLink } from '#core/feed/index.ts';
import { shortHash, textHash } from '#core/hash.ts';
import type { FeedItem, StoredMatch, StoryRecord } from '#core/model.ts';
import { foldedWordKey, foldedWords, tokenize } from '#core/text/index.ts';

export interface DedupePolicy {
  /** How far back (by matchedAt) stored stories are compared. @default 7 days */
  windowMs: number;
  /** Largest Hamming distance between fingerprints still taken as the same story. @default 10 */
  maxDistance: number;
  /**
   * Fewest words for an exact headline to mean the same story on its own: short titles
   * ("Morning briefing", "Live updates") recur across different stories. @default 5
   */
  minTitleWords: number;
  /** Newest stories of the watch compared; bounds the register of a very busy watch. @default 500 */
  maxCandidates: number;
}

export const DEFAULT_DEDUPE: DedupePolicy = {
  windowMs: 7 * 86_400_000,
  maxDistance: 10,
  minTitleWords: 5,
  maxCandidates: 500,
};

/** About the first paragraph: what outlets running the same copy still have in common. */
const LEAD_CHARS = 300;

/**
 * How much of a body is searched for boilerplate and for the lead: a standfirst or a
 * "Read more" line sits near the top, and a long body must not cost a scan of all of it.
 */
const BODY_SCAN_CHARS = 2_000;

/**
 * Fewest distinct words (stop words and boilerplate left out) an item's title and lead must
 * have for a fingerprint. Below it, two items that agree on a few words are not taken as
 * the same story by their text; only their keys or an exact headline can merge them.
 */
export const MIN_DISTINCTIVE_WORDS = 8;

/** Fingerprints of this version are compared; others (stored by older versions) are not. */
const FINGERPRINT_VERSION = 'v2:';

/**
 * Words that carry no identity. Removing them keeps a sub-editor's "a"/"the" changes and
 * agency boilerplate from moving the fingerprint.
 */
const STOP_WORDS = new Set(
  (
    'a an and are as at be been by for from has have he her his in is it its of on or our ' +
    'said says she that the their they this to was were will with would reuters afp ap update'
  ).split(' '),
);

/** The lead of a body: its first ~300 characters, cut at a word boundary. */
export function leadOf(body: string): string {
  if (body.length <= LEAD_CHARS) return body;
  const cut = body.slice(0, LEAD_CHARS);
  const lastSpace = cut.lastIndexOf(' ');
  return lastSpace > 0 ? cut.slice(0, lastSpace) : cut;
}

/**
 * Weight of a word or word pair of the lead against one of the title. Outlets rewrite
 * headlines far more than they rewrite wire copy, so the lead carries the identity
 * (tuned on the syndication fixture; see docs/alert-quality.md).
 */
const LEAD_WEIGHT = 3;
const TITLE_WEIGHT = 1;

/**
 * The parts of a text a feed repeats whole: sentences, and the parts of a headline around a
 * colon, a bar, a bullet or a spaced dash ("Live updates: ...", "... | Example News").
 */
function segmentsOf(text: string): string[] {
  return text.split(/(?<=[.!?])\s+|\s*[:|•]\s+|\s+[-–—]\s+|\n+/u).filter((segment) => segment.trim() !== '');
}

function segmentKey(segment: string): string {
  return foldedWords(segment).join(' ');
}

/**
 * Items of one feed that must share a segment for it to be boilerplate. Two is too few: a
 * feed that re-issues a story under a new link carries its lead twice, and that lead is
 * what identifies the story in the other feeds.
 */
export const BOILERPLATE_ITEMS = 3;

/**
 * The segments (folded) that BOILERPLATE_ITEMS or more items of one feed share: the feed's
 * boilerplate. Found among the items the feed carries at the time of the poll.
 */
export function boilerplateOf(items: readonly Pick<FeedItem, 'title' | 'body'>[]): ReadonlySet<string> {
  const itemsWith = new Map<string, number>();
  for (const item of items) {
    const keys = new Set(
      [...segmentsOf(item.title), ...segmentsOf(item.body.slice(0, BODY_SCAN_CHARS))]
        .map(segmentKey)
        .filter((key) => key !== ''),
    );
    for (const key of keys) itemsWith.set(key, (itemsWith.get(key) ?? 0) + 1);
  }
  return new Set([...itemsWith].filter(([, count]) => count >= BOILERPLATE_ITEMS).map(([key]) => key));
}

/** A text without its boilerplate segments. */
function distinctive(text: string, boilerplate: ReadonlySet<string>): string {
  return segmentsOf(text)
    .filter((segment) => !boilerplate.has(segmentKey(segment)))
    .join(' ');
}

/** What identifies an item's story, worked out once per matched item. */
export interface StoryIdentity {
  storyKey: string;
  fingerprint?: string;
  /** The folded distinctive headline. */
  headline: string;
}

/**
 * The identity of an item's story. `boilerplate` is its feed's (boilerplateOf); without it,
 * the whole title and lead are distinctive.
 */
export function storyIdentityOf(
  item: FeedItem,
  feedUrl: string,
  boilerplate: ReadonlySet<string> = new Set(),
): StoryIdentity {
  const title = distinctive(item.title, boilerplate);
  const lead = leadOf(distinctive(item.body.slice(0, BODY_SCAN_CHARS), boilerplate));
  const fingerprint = storyFingerprint({ title, body: lead });
  return {
    storyKey: storyKeyOf(item, feedUrl, fingerprint),
    ...(fingerprint && { fingerprint }),
    headline: foldedTitle(title),
  };
}

/**
 * The near-duplicate fingerprint of a title and lead: `v2:` and 16 hex digits, or undefined
 * when they have fewer than MIN_DISTINCTIVE_WORDS distinct words worth hashing (too little
 * text to tell one story from another).
 */
export function storyFingerprint(item: Pick<FeedItem, 'title' | 'body'>): string | undefined {
  const titleKeys = contentKeys(item.title);
  const leadKeys = contentKeys(leadOf(item.body));
  if (new Set([...titleKeys, ...leadKeys]).size < MIN_DISTINCTIVE_WORDS) return undefined;
  const weights = new Map<string, number>();
  for (const feature of featuresOf(titleKeys)) weights.set(feature, TITLE_WEIGHT);
  for (const feature of featuresOf(leadKeys)) weights.set(feature, LEAD_WEIGHT);
  return FINGERPRINT_VERSION + simhash64(weights).toString(16).padStart(16, '0');
}

/**
 * The word-form keys of a text without stop words. The word's own key, not an acronym's
 * (US): whether a headline says US or us does not make it another story.
 */
function contentKeys(text: string): string[] {
  return tokenize(text)
    .filter((token) => !STOP_WORDS.has(token.surface))
    .map((token) => foldedWordKey(token.surface));
}

/**
 * Word-form keys and pairs of neighbouring keys: words alone survive reordering and small
 * edits, pairs keep enough word order that two stories about the same actors stay apart.
 */
function featuresOf(keys: string[]): string[] {
  const pairs = keys.slice(1).map((key, index) => `${keys[index]} ${key}`);
  return [...keys, ...pairs];
}

/** Charikar's SimHash: each bit is the weighted majority vote of that bit across the features' hashes. */
function simhash64(weightedFeatures: ReadonlyMap<string, number>): bigint {
  const votes = new Array<number>(64).fill(0);
  for (const [feature, weight] of weightedFeatures) {
    const hash = featureHash(feature);
    for (let bit = 0; bit < 64; bit++) {
      votes[bit] = (votes[bit] ?? 0) + ((hash >> BigInt(bit)) & 1n ? weight : -weight);
    }
  }
  let fingerprint = 0n;
  for (let bit = 0; bit < 64; bit++) {
    if ((votes[bit] ?? 0) > 0) fingerprint |= 1n << BigInt(bit);
  }
  return fingerprint;
}

/**
 * Number of differing bits between two fingerprints, or undefined when they cannot be
 * compared: one was made by another version (an older one hashed the whole title and lead,
 * boilerplate included).
 */
export function hammingDistance(a: string, b: string): number | undefined {
  if (!a.startsWith(FINGERPRINT_VERSION) || !b.startsWith(FINGERPRINT_VERSION)) return undefined;
  let difference =
    BigInt(`0x${a.slice(FINGERPRINT_VERSION.length)}`) ^ BigInt(`0x${b.slice(FINGERPRINT_VERSION.length)}`);
  let count = 0;
  while (difference) {
    difference &= difference - 1n;
    count++;
  }
  return count;
}

/** A title reduced to its folded words, so case, accents and punctuation do not count. */
export function foldedTitle(title: string): string {
  return foldedWords(title).join(' ');
}

/**
 * The key of an item's story: the canonical link, else the GUID, else the near-duplicate
 * fingerprint of title + lead (so a link-less, GUID-less item re-sent with another feed key is
 * still one story), else the feed's own item key.
 */
function storyKeyOf(item: FeedItem, feedUrl: string, fingerprint: string | undefined): string {
  return withinKeyLimit(readableStoryKeyOf(item, feedUrl, fingerprint));
}

function readableStoryKeyOf(item: FeedItem, feedUrl: string, fingerprint: string | undefined): string {
  const link = item.link ? canonicalLink(item.link) : undefined;
  if (link) return link;
  if (item.guid) return `guid:${item.guid}`;
  if (fingerprint) return `fingerprint:${fingerprint}`;
  return `item:${feedUrl}#${item.key}`;
}

/**
 * Well below DynamoDB's 1,024-byte sort-key limit. Links run to 2,048 characters and GUIDs
 * have no bound, and a key over the limit fails the put, which would fail the whole poll
 * every cycle.
 */
const MAX_STORY_KEY_BYTES = 900;

/** A key too long to store becomes the hash of the whole key: still one key per story, and stable. */
function withinKeyLimit(storyKey: string): string {
  if (Buffer.byteLength(storyKey, 'utf8') <= MAX_STORY_KEY_BYTES) return storyKey;
  return `hash:${textHash(storyKey)}`;
}

/** What the same-story decision keeps of a match: see StoryRecord. */
export function storyRecordOf(
  match: Pick<StoredMatch, 'storyKey' | 'feedUrl' | 'itemKey' | 'fingerprint' | 'matchedAt'>,
  headline: string,
  policy: Pick<DedupePolicy, 'minTitleWords'> = DEFAULT_DEDUPE,
): StoryRecord {
  const identifying = headline !== '' && headline.split(' ').length >= policy.minTitleWords;
  return {
    storyKey: match.storyKey,
    feed: shortHash(match.feedUrl),
    item: shortHash(match.itemKey),
    ...(match.fingerprint && { fingerprint: match.fingerprint }),
    ...(identifying && { headline: shortHash(headline) }),
    matchedAt: match.matchedAt,
  };
}

/** Items of other feeds remembered per story: enough for every outlet that carries one story. */
const MERGED_RECORDED = 20;

/** The story's record once `candidate` is merged into it. */
export function withMerged(story: StoryRecord, candidate: StoryRecord): StoryRecord {
  const entry = mergedEntry(candidate);
  const merged = story.merged ?? [];
  if (merged.includes(entry) || merged.length >= MERGED_RECORDED) return story;
  return { ...story, merged: [...merged, entry] };
}

function mergedEntry(record: StoryRecord): string {
  return `${record.feed}.${record.item}`;
}

/** Whether the story holds an item of the candidate's feed other than the candidate itself. */
function holdsOtherItemOfFeed(story: StoryRecord, candidate: StoryRecord): boolean {
  if (story.feed === candidate.feed) return true;
  const entry = mergedEntry(candidate);
  return (story.merged ?? []).some((merged) => merged.startsWith(`${candidate.feed}.`) && merged !== entry);
}

/**
 * The stored story (of the same watch, within the window) that is the same story as the
 * candidate, if any: the same story key; else, from the same feed, the same item key (its
 * GUID), or the very item merged into a story before; else a story that holds no other item
 * of the candidate's feed (one feed's different articles never become one story, not even
 * through a copy in another feed) with a fingerprint within `maxDistance` (the closest
 * wins), else with the same distinctive headline of at least `minTitleWords` words.
 */
export function findSameStory(
  candidate: StoryRecord,
  stored: readonly StoryRecord[],
  policy: Pick<DedupePolicy, 'maxDistance'> = DEFAULT_DEDUPE,
): StoryRecord | undefined {
  const sameKey = stored.find(
    (record) =>
      record.storyKey === candidate.storyKey ||
      (record.feed === candidate.feed && record.item === candidate.item) ||
      (record.merged ?? []).includes(mergedEntry(candidate)),
  );
  if (sameKey) return sameKey;

  const otherFeeds = stored.filter((record) => !holdsOtherItemOfFeed(record, candidate));
  let closest: { record: StoryRecord; distance: number } | undefined;
  if (candidate.fingerprint) {
    for (const record of otherFeeds) {
      if (!record.fingerprint) continue;
      const distance = hammingDistance(candidate.fingerprint, record.fingerprint);
      if (
        distance !== undefined &&
        distance <= policy.maxDistance &&
        (!closest || distance < closest.distance)
      ) {
        closest = { record, distance };
      }
    }
  }
  if (closest) return closest.record;

  if (!candidate.headline) return undefined;
  return otherFeeds.find((record) => record.headline === candidate.headline);
}

function featureHash(feature: string): bigint {
  return createHash('sha256').update(feature).digest().readBigUInt64BE(0);
}

/**
 * Story identity: when two feed items are the same story for an analyst, even though
 * their links and GUIDs differ (wire copy syndicated by several outlets, a republished
 * item with a new GUID, an updated headline).
 *
 * The near-duplicate test is a 64-bit SimHash (Charikar) over the words and word pairs of the title
 * and lead, compared by Hamming distance. Written here rather than taken from npm: the
 * only JavaScript package (`simhash-js`, last changed 2017) makes 32-bit hashes of
 * character shingles with its own tokenizer, while stories must be compared on our
 * folded word-form keys so that "seizing" and "seized" agree; the algorithm itself is a
 * dozen lines.
 */
import { createHash } from 'node:crypto';
import type { FeedItem, StoredMatch } from '#core/model.ts';
import type { MatchStore } from '#core/ports.ts';
import { foldedWordKey, foldedWords, tokenize } from '#core/text/index.ts';

export interface DedupePolicy {
  /** How far back (by matchedAt) stored matches are compared. @default 7 days */
  windowMs: number;
  /** Largest Hamming distance between fingerprints still taken as the same story. @default 10 */
  maxDistance: number;
  /**
   * Fewest words for an exact title to mean the same story on its own: short titles
   * ("Morning briefing", "Live updates") recur across different stories. @default 5
   */
  minTitleWords: number;
  /** Newest stored matches of the watch compared; bounds the read for a very busy watch. @default 500 */
  maxCandidates: number;
  /**
   * Matches this process stored that it remembers, across all watches, until DynamoDB's
   * index shows them. Past it, the least recently used idle watches are forgotten, so a
   * warm poller's memory stays bounded however many watches it serves. @default 5,000
   */
  maxRemembered?: number;
}

/** Ten watches' worth of maxCandidates: a few MB at most. */
const DEFAULT_REMEMBERED = 5_000;

export const DEFAULT_DEDUPE: DedupePolicy = {
  windowMs: 7 * 86_400_000,
  maxDistance: 10,
  minTitleWords: 5,
  maxCandidates: 500,
  maxRemembered: DEFAULT_REMEMBERED,
};

/** About the first paragraph: what outlets running the same copy still have in common. */
export const LEAD_CHARS = 300;

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
 * The near-duplicate fingerprint of an item: 16 hex digits, or undefined when the title
 * and lead have no words worth hashing (an all-zero hash would make every such item alike).
 */
export function storyFingerprint(item: Pick<FeedItem, 'title' | 'body'>): string | undefined {
  const weights = new Map<string, number>();
  for (const feature of featuresOf(item.title)) weights.set(feature, TITLE_WEIGHT);
  for (const feature of featuresOf(leadOf(item.body))) weights.set(feature, LEAD_WEIGHT);
  if (weights.size === 0) return undefined;
  return simhash64(weights).toString(16).padStart(16, '0');
}

/**
 * Word-form keys and pairs of neighbouring keys: words alone survive reordering and small
 * edits, pairs keep enough word order that two stories about the same actors stay apart.
 */
function featuresOf(text: string): string[] {
  // The word's own key, not an acronym's (US): whether a headline says US or us does not
  // make it another story.
  const keys = tokenize(text)
    .filter((token) => !STOP_WORDS.has(token.surface))
    .map((token) => foldedWordKey(token.surface));
  const pairs = keys.slice(1).map((key, index) => `${keys[index]} ${key}`);
  return [...keys, ...pairs];
}

/** Charikar's SimHash: each bit is the weighted majority vote of that bit across the features' hashes. */
export function simhash64(weightedFeatures: ReadonlyMap<string, number>): bigint {
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

/** Number of differing bits between two hex fingerprints. */
export function hammingDistance(a: string, b: string): number {
  let difference = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
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

/** What is known of a new match before it is stored. */
export interface StoryCandidate {
  storyKey: string;
  feedUrl: string;
  title: string;
  fingerprint?: string;
}

/** What the comparison needs of a stored match, and so all that is remembered of one. */
export type StoryRecord = StoryCandidate & Pick<StoredMatch, 'matchedAt'>;

/**
 * The stored match (of the same watch, within the window) that is the same story as the
 * candidate, if any: the same story key; else a fingerprint within `maxDistance` (the
 * closest wins); else the same folded title of at least `minTitleWords` words from another
 * feed (another feed only: one outlet reusing a headline is usually a new story).
 */
export function findSameStory<Stored extends StoryCandidate>(
  candidate: StoryCandidate,
  stored: readonly Stored[],
  policy: Pick<DedupePolicy, 'maxDistance' | 'minTitleWords'> = DEFAULT_DEDUPE,
): Stored | undefined {
  const sameKey = stored.find((match) => match.storyKey === candidate.storyKey);
  if (sameKey) return sameKey;

  let closest: { match: Stored; distance: number } | undefined;
  if (candidate.fingerprint) {
    for (const match of stored) {
      if (!match.fingerprint) continue;
      const distance = hammingDistance(candidate.fingerprint, match.fingerprint);
      if (distance <= policy.maxDistance && (!closest || distance < closest.distance)) {
        closest = { match, distance };
      }
    }
  }
  if (closest) return closest.match;

  const title = foldedTitle(candidate.title);
  if (title.split(' ').length < policy.minTitleWords) return undefined;
  return stored.find((match) => match.feedUrl !== candidate.feedUrl && foldedTitle(match.title) === title);
}

/**
 * Stores a new match unless the watch already has the same story (see findSameStory) within
 * the window; then the candidate's feed is added to that story's `alsoIn` instead. True when
 * the candidate was stored, and so will alert.
 *
 * One listRecent query per call: matches are rare compared with items. Within one process
 * the look-up and the put run one at a time per watch, and what this process stored is
 * remembered, so feeds polled together (one Lambda batch, a local run) cannot both store
 * the same story even before DynamoDB's index shows the first. Two processes storing the
 * same story at the same moment can still both alert (documented in docs/alert-quality.md).
 */
export async function storeUnlessSameStory(
  matches: MatchStore,
  candidate: StoredMatch,
  policy: DedupePolicy,
  now: Date,
): Promise<boolean> {
  const memory = memoryOf(matches);
  const watch = memory.use(candidate.watchId);
  const since = new Date(now.getTime() - policy.windowMs).toISOString();
  const run = watch.tail.then(async () => {
    memory.keepSince(watch, since);
    const stored = await matches.listRecent({
      watchId: candidate.watchId,
      since,
      limit: policy.maxCandidates,
      // Any recent story will do for comparing: the poller needs no order among one instant's.
      anyTies: true,
    });
    const same = findSameStory<StoryRecord>(candidate, [...watch.storedHere, ...stored], policy);
    if (same) {
      // Every candidate compared was of this watch: the listing and the memory are per watch.
      await matches.addSource(candidate.watchId, same.storyKey, candidate.feedUrl);
      return false;
    }
    if (await matches.putIfAbsent(candidate)) {
      memory.remember(watch, recordOf(candidate), policy.maxCandidates);
      return true;
    }
    // Stored before the window, or by another process since the look-up: the same key.
    await matches.addSource(candidate.watchId, candidate.storyKey, candidate.feedUrl);
    return false;
  });
  // A failed store call fails this poll only; the next caller for the watch still runs.
  watch.tail = run.catch(() => undefined);
  return run.finally(() => memory.release(watch, since, policy.maxRemembered ?? DEFAULT_REMEMBERED));
}

function recordOf(match: StoredMatch): StoryRecord {
  const { storyKey, feedUrl, title, fingerprint, matchedAt } = match;
  return fingerprint === undefined
    ? { storyKey, feedUrl, title, matchedAt }
    : { storyKey, feedUrl, title, fingerprint, matchedAt };
}

interface WatchDedupeState {
  watchId: string;
  tail: Promise<unknown>;
  /** Calls queued or running for this watch; a busy watch is never forgotten, or its queue would split. */
  inFlight: number;
  storedHere: StoryRecord[];
}

/**
 * What one process remembers of the matches it stored, per watch. Watches are kept in
 * least-recently-used order (a Map iterates in insertion order, and each use re-inserts),
 * so the total can be cut back by forgetting whole watches that have been quiet longest.
 */
class DedupeMemory {
  private readonly byWatch = new Map<string, WatchDedupeState>();
  private total = 0;

  use(watchId: string): WatchDedupeState {
    const state = this.byWatch.get(watchId) ?? {
      watchId,
      tail: Promise.resolve(),
      inFlight: 0,
      storedHere: [],
    };
    this.byWatch.delete(watchId);
    this.byWatch.set(watchId, state);
    state.inFlight++;
    return state;
  }

  keepSince(state: WatchDedupeState, since: string): void {
    this.replace(
      state,
      state.storedHere.filter((record) => record.matchedAt >= since),
    );
  }

  remember(state: WatchDedupeState, record: StoryRecord, perWatch: number): void {
    this.replace(state, [...state.storedHere, record].slice(-perWatch));
  }

  /**
   * Ends one call for the watch. Over the budget, matches older than the window go first,
   * then whole idle watches, least recently used first.
   */
  release(state: WatchDedupeState, since: string, budget: number): void {
    state.inFlight--;
    if (this.total > budget) {
      for (const idle of this.idleWatches()) this.keepSince(idle, since);
    }
    for (const idle of this.idleWatches()) {
      if (this.total <= budget && idle.storedHere.length > 0) continue;
      this.replace(idle, []);
      this.byWatch.delete(idle.watchId);
    }
  }

  private idleWatches(): WatchDedupeState[] {
    return [...this.byWatch.values()].filter((state) => state.inFlight === 0);
  }

  /** Matches remembered across all watches. */
  get size(): number {
    return this.total;
  }

  private replace(state: WatchDedupeState, records: StoryRecord[]): void {
    this.total += records.length - state.storedHere.length;
    state.storedHere = records;
  }
}

/** Per store instance, so tests and processes with separate stores never share state. */
const memories = new WeakMap<MatchStore, DedupeMemory>();

function memoryOf(matches: MatchStore): DedupeMemory {
  let memory = memories.get(matches);
  if (!memory) {
    memory = new DedupeMemory();
    memories.set(matches, memory);
  }
  return memory;
}

/** How many stored matches this process remembers for `matches`, across all watches. */
export function rememberedStoryCount(matches: MatchStore): number {
  return memories.get(matches)?.size ?? 0;
}

function featureHash(feature: string): bigint {
  return createHash('sha256').update(feature).digest().readBigUInt64BE(0);
}

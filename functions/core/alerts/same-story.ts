/**
 * The same-story decision: store a new match, or record it on the stored match of the same
 * story. Made once per (watch, story) whatever runs at the same time: the decision reads
 * the watch's story register consistently and stores the match together with the register's
 * next version in one conditional write, so of two pollers deciding at once on copies of one
 * story, the second finds its register changed, reads it again and merges (see
 * docs/design.md).
 */
import { FeedwatchError } from '#core/errors.ts';
import type { MergedItem, StoredMatch, StoryRecord } from '#core/model.ts';
import type { MatchStore } from '#core/ports.ts';
import { singleLine } from './format.ts';
import { type DedupePolicy, findSameStory, foldedTitle, storyRecordOf, withMerged } from './story.ts';

/**
 * Decisions of one watch tried before the poll gives up (and is retried as a whole). Each
 * failed try means another decision for the watch was stored meanwhile, so this is only
 * reached when dozens of pollers store stories of one watch at the same moment.
 */
const MAX_ATTEMPTS = 25;

export class StoryRegisterBusyError extends FeedwatchError {
  override name = 'StoryRegisterBusyError';
}

/** Decisions of one watch run one at a time (see PerWatchQueue); decisions of different watches run freely. */
export interface SameStoryQueue {
  run<T>(watchId: string, decide: () => Promise<T>): Promise<T>;
}

/**
 * Runs the decisions of each watch one after another within this process, so feeds polled
 * together do not contend for their watches' registers (contention is safe, only slower).
 * One instance per process, injected through the poll's dependencies; it holds a promise per
 * watch with decisions in flight and nothing once they settle.
 */
export class PerWatchQueue implements SameStoryQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(watchId: string, decide: () => Promise<T>): Promise<T> {
    const run = (this.tails.get(watchId) ?? Promise.resolve()).then(decide);
    // A failed decision fails its own poll only; the next one for the watch still runs.
    const tail = run.catch(() => undefined);
    this.tails.set(watchId, tail);
    void tail.then(() => {
      if (this.tails.get(watchId) === tail) this.tails.delete(watchId);
    });
    return run;
  }
}

/**
 * Stores `candidate` unless its watch already has the same story (see findSameStory) within
 * the window; then the candidate is recorded in that story's `alsoIn` instead. True when the
 * candidate was stored, and so will alert. `headline` is the candidate's folded distinctive
 * headline (StoryIdentity.headline).
 */
export async function storeUnlessSameStory(
  matches: MatchStore,
  candidate: StoredMatch,
  headline: string,
  policy: DedupePolicy,
  now: Date,
): Promise<boolean> {
  const since = new Date(now.getTime() - policy.windowMs).toISOString();
  const record = storyRecordOf(candidate, headline, policy);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const register = await matches.getStories(candidate.watchId);
    const stories = (
      register?.stories ?? (await storiesBeforeRegister(matches, candidate.watchId, since, policy))
    ).filter((story) => story.matchedAt >= since);
    const same = findSameStory(record, stories, policy);
    if (same) {
      // The register first: once it holds the item, a retry after a crash merges it again.
      const merged = withMerged(same, record);
      if (merged !== same) {
        const next = stories.map((story) => (story === same ? merged : story));
        const outcome = await matches.putStories(candidate.watchId, {
          expectedVersion: register?.version,
          stories: next,
        });
        if (outcome === 'register-changed') continue;
      }
      await matches.addSource(candidate.watchId, same.storyKey, mergedItemOf(candidate));
      return false;
    }
    const outcome = await matches.putNewStory(candidate, {
      expectedVersion: register?.version,
      stories: [...stories, record].slice(-policy.maxCandidates),
    });
    if (outcome === 'stored') return true;
    if (outcome === 'exists') {
      // Stored before the window: the same key, so the same story.
      await matches.addSource(candidate.watchId, candidate.storyKey, mergedItemOf(candidate));
      return false;
    }
  }
  throw new StoryRegisterBusyError(
    `the stories of watch ${candidate.watchId} changed ${MAX_ATTEMPTS} times while one match was being stored; the poll is retried`,
  );
}

/**
 * A watch with no register yet (stored before registers existed, or quiet past the
 * register's retention) starts from its recent matches as the index lists them. Their
 * fingerprints, when made by an older version, are not comparable and are left out.
 */
async function storiesBeforeRegister(
  matches: MatchStore,
  watchId: string,
  since: string,
  policy: DedupePolicy,
): Promise<StoryRecord[]> {
  const recent = await matches.listRecent({ watchId, since, limit: policy.maxCandidates, anyTies: true });
  return recent.reverse().map((match) => storyRecordOf(match, foldedTitle(match.title), policy));
}

/** Headlines run long in some feeds; 25 merged items must stay a small part of the match. */
const MERGED_TITLE_CHARS = 300;

function mergedItemOf(match: StoredMatch): MergedItem {
  return {
    feed: match.feedUrl,
    itemKey: match.itemKey,
    title: singleLine(match.title, MERGED_TITLE_CHARS),
    ...(match.link && { link: match.link }),
    ...(match.published && { published: match.published }),
    seenAt: match.matchedAt,
  };
}

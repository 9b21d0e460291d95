import { DEFAULT_DEDUPE, foldedTitle, storyRecordOf } from '#core/alerts/story.ts';
import type { StoredMatch } from '#core/model.ts';
import type { MatchStore } from '#core/ports.ts';

/**
 * Stores `match` as a poll stores a new story (MatchStore.putNewStory, with the watch's story
 * register as it reads it): true when stored, false when its (watchId, storyKey) was taken.
 */
export async function storeNewStory(matches: MatchStore, match: StoredMatch): Promise<boolean> {
  const record = storyRecordOf(match, foldedTitle(match.title));
  for (let attempt = 0; attempt < 100; attempt++) {
    const register = await matches.getStories(match.watchId);
    const outcome = await matches.putNewStory(match, {
      expectedVersion: register?.version,
      stories: [...(register?.stories ?? []), record].slice(-DEFAULT_DEDUPE.maxCandidates),
    });
    if (outcome !== 'register-changed') return outcome === 'stored';
  }
  throw new Error(
    `the story register of watch ${match.watchId} kept changing while ${match.storyKey} was stored`,
  );
}

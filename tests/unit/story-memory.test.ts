import { beforeEach, describe, expect, test } from 'vitest';
import { MemoryMatchStore } from '#adapters/memory/index.ts';
import {
  DEFAULT_DEDUPE,
  type DedupePolicy,
  rememberedStoryCount,
  storeUnlessSameStory,
} from '#core/alerts/story.ts';
import type { StoredMatch } from '#core/model.ts';

/**
 * A store whose listing never shows what was stored, as DynamoDB's index can lag the put:
 * only the process's own memory can then tell that a story was already stored.
 */
class LaggingIndexStore extends MemoryMatchStore {
  override async listRecent(): Promise<StoredMatch[]> {
    return [];
  }
}

const START = new Date('2026-11-28T10:00:00.000Z');
const DAY = 86_400_000;
const POLICY: DedupePolicy = { ...DEFAULT_DEDUPE, maxRemembered: 3 };

function aMatch(watchId: string, storyKey: string, feedUrl: string, at = START): StoredMatch {
  return {
    watchId,
    storyKey,
    itemKey: storyKey,
    feedUrl,
    title: `Story ${storyKey} of watch ${watchId} told in many words`,
    matched: ['story'],
    hits: [],
    snippet: '',
    highlight: '',
    matchedAt: at.toISOString(),
    alertState: 'PENDING',
  };
}

/** The same story (same headline) as aMatch(watchId, storyKey), under another key from another feed. */
function syndicatedCopy(watchId: string, storyKey: string, at = START): StoredMatch {
  return { ...aMatch(watchId, storyKey, 'https://other.example/rss', at), storyKey: `${storyKey}-copy` };
}

let store: LaggingIndexStore;

beforeEach(() => {
  store = new LaggingIndexStore();
});

describe('the memory of matches stored by this process', () => {
  test('remembers a stored story, so a copy from another feed does not alert before the index shows it', async () => {
    await storeUnlessSameStory(store, aMatch('w1', 's1', 'https://wire.example/rss'), POLICY, START);

    const copyStored = await storeUnlessSameStory(store, syndicatedCopy('w1', 's1'), POLICY, START);

    expect(copyStored).toBe(false);
    expect(rememberedStoryCount(store)).toBe(1);
  });

  test('stays within its budget by forgetting the least recently used watches', async () => {
    for (const watchId of ['w1', 'w2', 'w3', 'w4', 'w5']) {
      await storeUnlessSameStory(store, aMatch(watchId, 's1', 'https://wire.example/rss'), POLICY, START);
    }

    expect(rememberedStoryCount(store)).toBe(3);
    expect(await storeUnlessSameStory(store, syndicatedCopy('w1', 's1'), POLICY, START)).toBe(true);
    expect(await storeUnlessSameStory(store, syndicatedCopy('w5', 's1'), POLICY, START)).toBe(false);
  });

  test('a watch used again is kept over watches quiet for longer', async () => {
    await storeUnlessSameStory(store, aMatch('w1', 's1', 'https://wire.example/rss'), POLICY, START);
    await storeUnlessSameStory(store, aMatch('w2', 's1', 'https://wire.example/rss'), POLICY, START);
    await storeUnlessSameStory(store, aMatch('w1', 's2', 'https://wire.example/rss'), POLICY, START);

    await storeUnlessSameStory(store, aMatch('w3', 's1', 'https://wire.example/rss'), POLICY, START);

    expect(rememberedStoryCount(store)).toBe(3);
    expect(await storeUnlessSameStory(store, syndicatedCopy('w2', 's1'), POLICY, START)).toBe(true);
  });

  test('forgets matches older than the window', async () => {
    await storeUnlessSameStory(store, aMatch('w1', 's1', 'https://wire.example/rss'), POLICY, START);
    await storeUnlessSameStory(store, aMatch('w1', 's2', 'https://wire.example/rss'), POLICY, START);
    const later = new Date(START.getTime() + 8 * DAY);

    await storeUnlessSameStory(store, aMatch('w1', 's3', 'https://wire.example/rss', later), POLICY, later);

    expect(rememberedStoryCount(store)).toBe(1);
  });

  test('keeps at most maxCandidates matches of one watch', async () => {
    const policy = { ...POLICY, maxCandidates: 2, maxRemembered: 100 };
    for (const storyKey of ['s1', 's2', 's3', 's4']) {
      await storeUnlessSameStory(store, aMatch('w1', storyKey, 'https://wire.example/rss'), policy, START);
    }

    expect(rememberedStoryCount(store)).toBe(2);
  });
});

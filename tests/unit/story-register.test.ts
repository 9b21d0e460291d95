import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { persistInFile } from '#adapters/file/state-file.ts';
import { MemoryMatchStore, memoryStores } from '#adapters/memory/index.ts';
import { PerWatchQueue, StoryRegisterBusyError, storeUnlessSameStory } from '#core/alerts/same-story.ts';
import { DEFAULT_DEDUPE, foldedTitle } from '#core/alerts/story.ts';
import type { StoredMatch, StoryRecord } from '#core/model.ts';
import type { MatchStore, NewStoryOutcome } from '#core/ports.ts';

/**
 * The same-story decision when pollers interleave: each step of two decisions run in the
 * worst order, on a store whose index never shows what was stored (DynamoDB's index can lag
 * the write), so only the story register can tell that a story is already stored.
 */

const NOW = new Date('2026-11-28T10:00:00.000Z');
const WIRE = 'https://wire.example/rss';
const CHRONICLE = 'https://chronicle.example/rss';
const TITLE = 'Mediators in Cairo push Israel and Hamas towards Gaza ceasefire deal';

function copyOf(feedUrl: string, storyKey: string, itemKey: string): StoredMatch {
  return {
    watchId: 'gaza',
    storyKey,
    itemKey,
    feedUrl,
    title: TITLE,
    link: storyKey,
    matched: ['ceasefire'],
    hits: [],
    snippet: '',
    highlight: '',
    matchedAt: NOW.toISOString(),
    alertState: 'PENDING',
    fingerprint: 'v2:0123456789abcdef',
  };
}

const WIRE_COPY = copyOf(WIRE, 'https://wire.example/gaza-talks', 'wire-1');
const CHRONICLE_COPY = copyOf(CHRONICLE, 'https://chronicle.example/gaza-60000', 'chronicle-60000');

/** Holds each decision's steps until the test lets them go, and logs them in the order they ran. */
class SteppedStore extends MemoryMatchStore {
  readonly log: string[] = [];
  private readonly waiting = new Map<string, () => void>();
  private readonly arrived = new Map<string, () => void>();

  /** Resolves once a decision is waiting at `step` (e.g. "read wire-1"). */
  reached(step: string): Promise<void> {
    if (this.waiting.has(step)) return Promise.resolve();
    return new Promise((resolve) => this.arrived.set(step, resolve));
  }

  release(step: string): void {
    const go = this.waiting.get(step);
    if (!go) throw new Error(`no decision waits at ${step}`);
    this.waiting.delete(step);
    go();
  }

  private async hold(step: string): Promise<void> {
    await new Promise<void>((resolve) => {
      this.waiting.set(step, resolve);
      this.arrived.get(step)?.();
    });
  }

  override async listRecent(): Promise<StoredMatch[]> {
    return [];
  }

  override async putNewStory(
    match: StoredMatch,
    next: { expectedVersion?: number; stories: StoryRecord[] },
  ): Promise<NewStoryOutcome> {
    await this.hold(`put ${match.itemKey}`);
    const outcome = await super.putNewStory(match, next);
    this.log.push(`put ${match.itemKey}: ${outcome}`);
    return outcome;
  }
}

function decide(store: MatchStore, copy: StoredMatch): Promise<boolean> {
  return storeUnlessSameStory(store, copy, foldedTitle(copy.title), DEFAULT_DEDUPE, NOW);
}

describe('two pollers deciding on copies of one story', () => {
  test('both read before either writes: the second write finds the register changed and merges', async () => {
    const store = new SteppedStore();
    const wire = decide(store, WIRE_COPY);
    const chronicle = decide(store, CHRONICLE_COPY);
    // Both have read the (empty) register and compared: each is about to store its copy.
    await store.reached('put wire-1');
    await store.reached('put chronicle-60000');

    store.release('put wire-1');
    expect(await wire).toBe(true);
    store.release('put chronicle-60000');

    expect(await chronicle).toBe(false);
    expect(store.log).toEqual(['put wire-1: stored', 'put chronicle-60000: register-changed']);
    const stored = await store.get('gaza', WIRE_COPY.storyKey);
    expect(stored?.alsoIn).toEqual([
      {
        feed: CHRONICLE,
        itemKey: 'chronicle-60000',
        title: TITLE,
        link: CHRONICLE_COPY.link,
        seenAt: NOW.toISOString(),
      },
    ]);
    expect(await store.get('gaza', CHRONICLE_COPY.storyKey)).toBeUndefined();
  });

  test('the later copy first: whichever writes first is the story, the other is recorded on it', async () => {
    const store = new SteppedStore();
    const wire = decide(store, WIRE_COPY);
    const chronicle = decide(store, CHRONICLE_COPY);
    await store.reached('put wire-1');
    await store.reached('put chronicle-60000');

    store.release('put chronicle-60000');
    expect(await chronicle).toBe(true);
    store.release('put wire-1');

    expect(await wire).toBe(false);
    expect(
      (await store.get('gaza', CHRONICLE_COPY.storyKey))?.alsoIn?.map((merged) => merged.itemKey),
    ).toEqual(['wire-1']);
  });

  test('different stories of one watch both store, the second after reading the first', async () => {
    const store = new SteppedStore();
    const other = {
      ...copyOf(CHRONICLE, 'https://chronicle.example/quake', 'chronicle-7'),
      title: 'Quake hits Izmir',
    };
    const unrelated = { ...other, fingerprint: 'v2:fedcba9876543210' };
    const wire = decide(store, WIRE_COPY);
    const chronicle = decide(store, unrelated);
    await store.reached('put wire-1');
    await store.reached('put chronicle-7');

    store.release('put wire-1');
    store.release('put chronicle-7');
    // The retry after the conflict holds again at its write.
    await store.reached('put chronicle-7');
    store.release('put chronicle-7');

    expect([await wire, await chronicle]).toEqual([true, true]);
    expect(store.log).toEqual([
      'put wire-1: stored',
      'put chronicle-7: register-changed',
      'put chronicle-7: stored',
    ]);
    expect((await store.getStories('gaza'))?.stories.map((story) => story.storyKey)).toEqual([
      WIRE_COPY.storyKey,
      unrelated.storyKey,
    ]);
  });
});

describe('the story register', () => {
  test('a watch whose register keeps changing fails the poll with one clear line after 25 tries', async () => {
    class EverChanging extends MemoryMatchStore {
      override async putNewStory(): Promise<NewStoryOutcome> {
        return 'register-changed';
      }
    }

    await expect(decide(new EverChanging(), WIRE_COPY)).rejects.toThrow(
      new StoryRegisterBusyError(
        'the stories of watch gaza changed 25 times while one match was being stored; the poll is retried',
      ),
    );
  });

  test('a watch without a register starts from its recent matches, so an upgrade does not alert stored stories again', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'feedwatch-upgrade-'));
    onTestFinished(() => rm(directory, { recursive: true, force: true }));
    const file = join(directory, 'store.json');
    await persistInFile(file, memoryStores()).matches.putNewStory(
      { ...WIRE_COPY, fingerprint: '0123456789abcdef' },
      { stories: [] },
    );
    // The local store as a version before story registers left it: its matches, no registers.
    const older = JSON.parse(await readFile(file, 'utf8'));
    delete older.stores.matches.registers;
    await writeFile(file, JSON.stringify(older));
    const store = persistInFile(file, memoryStores()).matches;

    expect(await decide(store, { ...CHRONICLE_COPY, fingerprint: undefined })).toBe(false);
    expect((await store.get('gaza', WIRE_COPY.storyKey))?.alsoIn?.map((merged) => merged.feed)).toEqual([
      CHRONICLE,
    ]);
  });

  test('forgets stories older than the window', async () => {
    const store = new MemoryMatchStore();
    const weekAgo = new Date(NOW.getTime() - DEFAULT_DEDUPE.windowMs - 1);
    await storeUnlessSameStory(
      store,
      { ...WIRE_COPY, matchedAt: weekAgo.toISOString() },
      foldedTitle(TITLE),
      DEFAULT_DEDUPE,
      weekAgo,
    );

    expect(await decide(store, CHRONICLE_COPY)).toBe(true);
    expect((await store.getStories('gaza'))?.stories.map((story) => story.storyKey)).toEqual([
      CHRONICLE_COPY.storyKey,
    ]);
  });

  test('keeps the newest maxCandidates stories of a watch', async () => {
    const store = new MemoryMatchStore();
    const policy = { ...DEFAULT_DEDUPE, maxCandidates: 2 };
    for (const n of [1, 2, 3]) {
      const copy = {
        ...copyOf(WIRE, `https://wire.example/${n}`, `wire-${n}`),
        title: `Story ${n}`,
        fingerprint: undefined,
      };
      await storeUnlessSameStory(store, copy, `story ${n}`, policy, NOW);
    }

    expect((await store.getStories('gaza'))?.stories.map((story) => story.storyKey)).toEqual([
      'https://wire.example/2',
      'https://wire.example/3',
    ]);
  });
});

describe('PerWatchQueue', () => {
  test('runs the decisions of one watch one at a time, and of different watches together', async () => {
    const queue = new PerWatchQueue();
    const events: string[] = [];
    let releaseFirst: () => void = () => undefined;
    const first = queue.run('gaza', async () => {
      events.push('gaza 1 start');
      await new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      events.push('gaza 1 end');
    });
    const second = queue.run('gaza', async () => {
      events.push('gaza 2 start');
    });
    const other = queue.run('quake', async () => {
      events.push('quake start');
    });
    await other;
    releaseFirst();
    await Promise.all([first, second]);

    expect(events).toEqual(['gaza 1 start', 'quake start', 'gaza 1 end', 'gaza 2 start']);
  });

  test('a failed decision fails its own caller only', async () => {
    const queue = new PerWatchQueue();
    const failed = queue.run('gaza', async () => {
      throw new Error('DynamoDB unavailable');
    });
    const next = queue.run('gaza', async () => 'stored');

    await expect(failed).rejects.toThrow('DynamoDB unavailable');
    expect(await next).toBe('stored');
  });
});

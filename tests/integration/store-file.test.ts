import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { persistInFile } from '#adapters/file/state-file.ts';
import { memoryStores } from '#adapters/memory/index.ts';
import type { Clock } from '#core/ports.ts';
import { storeNewStory } from '../helpers/store-match.ts';
import {
  aFeed,
  aMatch,
  describeRecentItemContract,
  describeRoutingContract,
  describeStoreContract,
} from './helpers/store-contract.ts';

/**
 * The local store: the memory stores, kept in one file that several processes share
 * (adapters/file/state-file.ts).
 */

async function storeFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'feedwatch-store-file-')), 'store.json');
}

type Stores = ReturnType<typeof memoryStores>;

/**
 * Stores of which every call is made by a fresh copy of the local store, as if each call were
 * a process of its own: whatever a store keeps outside the file is lost between calls.
 */
function freshForEveryCall(file: string, clock: Clock): Stores {
  const handles = memoryStores(clock);
  return Object.fromEntries(
    Object.keys(handles).map((name) => [
      name,
      new Proxy(handles[name as keyof Stores], {
        get(_target, method: string) {
          return (...args: unknown[]) => {
            const store = persistInFile(file, memoryStores(clock))[name as keyof Stores];
            return (store as unknown as Record<string, (...a: unknown[]) => unknown>)[method]?.(...args);
          };
        },
      }),
    ]),
  ) as Stores;
}

describeStoreContract('local file', async (clock) => freshForEveryCall(await storeFile(), clock));

describeRoutingContract('local file', async (clock) => freshForEveryCall(await storeFile(), clock));

describeRecentItemContract('local file', async (clock) => {
  // Not the proxy itself: an async function's result is awaited, and a proxy answers `then`.
  const { recentItems } = freshForEveryCall(await storeFile(), clock);
  return {
    record: (items) => recentItems.record(items),
    listSince: (since, limit) => recentItems.listSince(since, limit),
  };
});

describe('the local store file', () => {
  it('keeps every change when two processes write at once', async () => {
    const file = await storeFile();
    // Each process puts 100 feeds one after the other, so their writes interleave: each must
    // re-read what the other wrote in between, or write over it.
    const writer = `
      import { persistInFile } from '#adapters/file/state-file.ts';
      import { memoryStores } from '#adapters/memory/index.ts';
      const { feeds } = persistInFile(process.argv[1], memoryStores());
      for (let i = 0; i < 100; i++)
        await feeds.put({ url: 'https://' + process.argv[2] + '.example/' + i, consecutiveFailures: 0, nextDueAt: '2099-01-01T00:00:00.000Z' });
    `;
    const run = (name: string) =>
      promisify(execFile)(process.execPath, [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        writer,
        file,
        name,
      ]);

    await Promise.all([run('first'), run('second')]);

    const urls = (await persistInFile(file, memoryStores()).feeds.list()).map((feed) => feed.url);
    expect(urls.filter((url) => url.startsWith('https://first.example/'))).toHaveLength(100);
    expect(urls.filter((url) => url.startsWith('https://second.example/'))).toHaveLength(100);
  }, 30_000);

  it("sees another process's change at its next call, and a read does not rewrite the file", async () => {
    const file = await storeFile();
    const run = persistInFile(file, memoryStores());
    const otherTerminal = persistInFile(file, memoryStores());
    await run.watches.put({ id: 'truce', query: 'truce' });
    expect(await otherTerminal.watches.list()).toEqual([{ id: 'truce', query: 'truce' }]);

    await otherTerminal.watches.put({ id: 'ceasefire', query: 'ceasefire', enabled: false });
    const written = await stat(file);
    const seen = await run.watches.list();

    expect(seen.map((watch) => watch.id)).toEqual(['ceasefire', 'truce']);
    expect((await stat(file)).ino).toBe(written.ino);
  });

  it("keeps another process's change to a store when it writes another store", async () => {
    const file = await storeFile();
    const run = persistInFile(file, memoryStores());
    const otherTerminal = persistInFile(file, memoryStores());
    await storeNewStory(run.matches, aMatch({ storyKey: 'from-run' }));
    await storeNewStory(otherTerminal.matches, aMatch({ storyKey: 'from-other' }));

    await run.watches.put({ id: 'truce', query: 'truce' });

    const fresh = persistInFile(file, memoryStores());
    expect((await fresh.matches.listRecent({})).map((match) => match.storyKey).sort()).toEqual([
      'from-other',
      'from-run',
    ]);
    expect(await fresh.watches.list()).toEqual([{ id: 'truce', query: 'truce' }]);
  });

  it('is written whole, readable, with nothing left aside', async () => {
    const file = await storeFile();
    const { feeds } = persistInFile(file, memoryStores());

    await feeds.put(aFeed());

    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      name: 'feedwatch-local-store',
      version: 1,
      writeId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      stores: {
        watches: { watches: [] },
        feeds: { feeds: [[aFeed().url, aFeed()]] },
        matches: { items: [], registers: [] },
        rateLimiter: { counts: [] },
        recentItems: { items: [] },
      },
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(file, '..'))).toEqual(['store.json']);
  });

  it('keeps a store it does not know (one a newer feedwatch added) when it writes', async () => {
    const file = await storeFile();
    const marks = new Map<string, number>();
    const newer = { ...memoryStores(), bookmarks: { marks, mark: async () => marks.set('a', 1) } };
    await persistInFile(file, newer).bookmarks.mark();

    await persistInFile(file, memoryStores()).watches.put({ id: 'truce', query: 'truce' });

    expect(JSON.parse(await readFile(file, 'utf8')).stores.bookmarks).toEqual({ marks: [['a', 1]] });
  });

  it('takes over a lock left by a process that died holding it', async () => {
    const file = await storeFile();
    await mkdir(`${file}.lock`);
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(`${file}.lock`, longAgo, longAgo);

    await persistInFile(file, memoryStores()).watches.put({ id: 'truce', query: 'truce' });

    expect(await persistInFile(file, memoryStores()).watches.list()).toEqual([
      { id: 'truce', query: 'truce' },
    ]);
  });

  it('refuses a file that is not valid JSON, in one line that says what to do', async () => {
    const file = await storeFile();
    // As a disk that filled up under another program might leave it.
    await writeFile(file, '');

    await expect(persistInFile(file, memoryStores()).watches.list()).rejects.toThrow(
      `the local store ${file} is not valid JSON (Unexpected end of JSON input): restore it from a backup, or move it away to start afresh`,
    );
  });

  it('refuses a file of another format version rather than misread it', async () => {
    const file = await storeFile();
    await writeFile(file, JSON.stringify({ name: 'feedwatch-local-store', version: 2, stores: {} }));

    await expect(persistInFile(file, memoryStores()).feeds.put(aFeed())).rejects.toThrow(
      `${file} is not a version 1 feedwatch local store: use the feedwatch that wrote it, or move it away to start afresh`,
    );
    expect(JSON.parse(await readFile(file, 'utf8')).version).toBe(2);
  });
});

describe('matches in the memory and local stores', () => {
  it("are forgotten once out of the 90-day window listings show, as DynamoDB's TTL forgets them", async () => {
    let now = new Date('2099-03-10T12:00:00.000Z');
    const { matches } = memoryStores({ now: () => now });
    await storeNewStory(matches, aMatch({ storyKey: 'old', matchedAt: '2099-03-10T09:00:00.000Z' }));

    now = new Date('2099-06-08T23:59:59.000Z');
    await storeNewStory(matches, aMatch({ storyKey: 'new', matchedAt: '2099-06-08T23:59:59.000Z' }));
    const kept = await matches.get('w1', 'old');
    now = new Date('2099-06-09T00:00:00.000Z');
    await storeNewStory(matches, aMatch({ storyKey: 'newer', matchedAt: '2099-06-09T00:00:00.000Z' }));

    expect(kept?.storyKey).toBe('old');
    expect(await matches.get('w1', 'old')).toBeUndefined();
    expect((await matches.get('w1', 'new'))?.storyKey).toBe('new');
  });
});

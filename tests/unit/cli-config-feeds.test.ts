import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { MemoryFeedStore } from '#adapters/memory/feed-store.ts';
import { readRunConfig } from '#cli/config.ts';
import { syncConfigFeeds } from '#cli/feed-registry.ts';

const NOW = new Date('2026-12-07T09:00:00.000Z');

async function configFile(config: object): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'feedwatch-config-'));
  const path = join(dir, 'feedwatch.config.json');
  await writeFile(path, JSON.stringify(config));
  return { dir, path };
}

describe("the config's feeds and their full-text settings", () => {
  test('a feed entry may carry its own fullText; the others take the config-wide one', async () => {
    const { dir, path } = await configFile({
      fullText: 'always',
      feeds: [
        'https://news.example.com/rss',
        { url: 'sample.xml', fullText: 'never' },
        { url: 'https://b.example.com/rss' },
      ],
    });
    const config = await readRunConfig(path);
    const feeds = new MemoryFeedStore();

    await syncConfigFeeds(feeds, config, NOW);

    const sample = pathToFileURL(join(dir, 'sample.xml')).href;
    expect(config.feeds).toEqual(['https://news.example.com/rss', sample, 'https://b.example.com/rss']);
    expect((await feeds.list()).map((feed) => [feed.url, feed.fullText, feed.fromConfig]).sort()).toEqual([
      [sample, 'never', true],
      ['https://b.example.com/rss', 'always', true],
      ['https://news.example.com/rss', 'always', true],
    ]);
  });

  test("a feed's own setting follows the config when it changes, and keeps the feed's state", async () => {
    const feeds = new MemoryFeedStore();
    const first = await configFile({ feeds: [{ url: 'https://news.example.com/rss', fullText: 'never' }] });
    await syncConfigFeeds(feeds, await readRunConfig(first.path), NOW);
    const stored = await feeds.get('https://news.example.com/rss');
    await feeds.put({ ...(stored as NonNullable<typeof stored>), pagesUnavailable: 2 });

    const second = await configFile({ feeds: ['https://news.example.com/rss'] });
    await syncConfigFeeds(feeds, await readRunConfig(second.path), NOW);

    expect(await feeds.get('https://news.example.com/rss')).toMatchObject({
      fullText: 'auto',
      pagesUnavailable: 2,
    });
  });

  test('an unknown key or mode in a feed entry is refused in one line naming it', async () => {
    const mode = await configFile({
      feeds: [{ url: 'https://news.example.com/rss', fullText: 'sometimes' }],
    });
    const key = await configFile({ feeds: [{ url: 'https://news.example.com/rss', every: '5m' }] });

    await expect(readRunConfig(mode.path)).rejects.toThrow(`${mode.path}: feeds.0`);
    await expect(readRunConfig(key.path)).rejects.toThrow(`${key.path}: feeds.0`);
  });
});

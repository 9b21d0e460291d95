import { performance } from 'node:perf_hooks';
import { errorMessage } from '#core/errors.ts';
import { parseFeed } from '#core/feed/index.ts';
import { compileWatches, defaultConcepts } from '#core/query/index.ts';
import { EXIT } from './errors.ts';
import { readFeedSource } from './feed-source.ts';
import { feedUrlOf } from './feed-url.ts';
import type { Io } from './io.ts';
import { type MatchView, matchJson, renderMatch } from './render.ts';
import { noteOperatorWords, readWatchFile } from './watch-file.ts';

export interface ScanOptions {
  watches: string;
  feed: string[];
  json: boolean;
  stats: boolean;
  maxBytes: number;
  allowPrivateNetwork: boolean;
}

/** `feedwatch scan`: match feeds against a watches file once, store nothing. */
export async function scan(options: ScanOptions, io: Io): Promise<number> {
  const watches = await readWatchFile(options.watches);
  for (const watch of watches) noteOperatorWords(watch.id, watch.query, io);
  const { matcher } = compileWatches(watches, { concepts: defaultConcepts() });
  const names = new Map(watches.map((w) => [w.id, w.name]));
  const stats = { feeds: 0, failed: 0, items: 0, bytes: 0, parseMs: 0, matchMs: 0, matches: 0 };

  for (const feed of options.feed) {
    stats.feeds++;
    try {
      const source = await readFeedSource(feed, options);
      stats.bytes += source.bytes.byteLength;
      const parseStart = performance.now();
      const parsed = await parseFeed(source.bytes, {
        contentType: source.contentType,
        maxBytes: options.maxBytes,
      });
      stats.parseMs += performance.now() - parseStart;
      stats.items += parsed.items.length;
      for (const warning of parsed.warnings) io.err(`feedwatch: ${feed}: warning: ${warning}`);

      const matchStart = performance.now();
      const feedUrl = feedUrlOf(feed, process.cwd());
      const views: MatchView[] = [];
      for (const item of parsed.items) {
        for (const match of matcher.match(item, { feedUrl })) {
          views.push({
            ...match.explain(),
            watchName: names.get(match.watchId),
            itemKey: item.key,
            title: item.title,
            link: item.link,
            published: item.published,
            feed,
          });
        }
      }
      stats.matchMs += performance.now() - matchStart;
      stats.matches += views.length;
      for (const view of views) io.out(options.json ? matchJson(view) : `${renderMatch(view)}\n`);
    } catch (error) {
      stats.failed++;
      io.err(`feedwatch: ${feed}: ${errorMessage(error)}`);
      io.debug(error);
    }
  }

  if (!options.json && stats.matches === 0 && stats.failed < stats.feeds)
    io.err(`feedwatch: no matches in ${stats.items} items`);
  if (options.stats) {
    io.err(JSON.stringify({ ...stats, parseMs: round(stats.parseMs), matchMs: round(stats.matchMs) }));
  }
  return stats.failed > 0 ? EXIT.partial : EXIT.ok;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

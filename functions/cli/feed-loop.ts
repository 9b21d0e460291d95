import { performance } from 'node:perf_hooks';
import { errorMessage } from '#core/errors.ts';
import { parseFeed } from '#core/feed/index.ts';
import { boundedMatch } from '#core/match-bounds.ts';
import type { FullTextMode } from '#core/model.ts';
import type { Matcher } from '#core/query/index.ts';
import { FeedArticles } from './feed-articles.ts';
import { readFeedSource, type SourceOptions } from './feed-source.ts';
import { feedUrlOf } from './feed-url.ts';
import type { Io } from './io.ts';
import type { MatchView } from './render.ts';

export interface FeedLoopStats {
  feeds: number;
  failed: number;
  items: number;
  bytes: number;
  parseMs: number;
  matchMs: number;
  matches: number;
}

/**
 * The feed loop of `scan` and `watch test`: reads, parses and matches each feed named on the
 * command line, handing each feed's matches to `report`. A feed that cannot be read or parsed is
 * reported in one line and the others go on; parse warnings are reported, never fatal.
 */
export async function matchFeeds(
  feeds: readonly string[],
  matcher: Matcher,
  watchNames: ReadonlyMap<string, string | undefined>,
  options: SourceOptions & { fullText: FullTextMode },
  io: Io,
  report: (views: MatchView[]) => void,
): Promise<FeedLoopStats> {
  const articles = new FeedArticles(options.fullText, options.allowPrivateNetwork);
  const stats: FeedLoopStats = {
    feeds: 0,
    failed: 0,
    items: 0,
    bytes: 0,
    parseMs: 0,
    matchMs: 0,
    matches: 0,
  };
  for (const feed of feeds) {
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
      const items = await articles.read(parsed.items, feed, io);

      const matchStart = performance.now();
      // Watches limited to some feeds see only those, as they do in the pipeline.
      const feedUrl = feedUrlOf(feed, process.cwd());
      const views: MatchView[] = [];
      for (const item of items) {
        for (const match of matcher.match(item, { feedUrl })) {
          views.push({
            ...boundedMatch(match.explain()),
            watchName: watchNames.get(match.watchId),
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
      report(views);
    } catch (error) {
      stats.failed++;
      io.err(`feedwatch: ${feed}: ${errorMessage(error)}`);
      io.debug(error);
    }
  }
  return stats;
}

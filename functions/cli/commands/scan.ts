import type { Command } from 'commander';
import type { FullTextMode } from '#core/model.ts';
import { EXIT } from '../errors.ts';
import type { Io } from '../io.ts';
import { feedArgument, fullTextOption, maxBytesOption } from '../options.ts';
import type { CliContext } from '../program.ts';

export interface ScanOptions {
  watches: string;
  feed: string[];
  json: boolean;
  stats: boolean;
  maxBytes: number;
  allowPrivateNetwork: boolean;
  fullText: FullTextMode;
}

export function registerScan(program: Command, cli: CliContext): void {
  const { io } = cli;
  program
    .command('scan')
    .description('match feeds against a watches file once and print the matches; stores nothing')
    .requiredOption('--watches <file>', 'JSON file: an array of {"id", "query", "name"?} watches')
    .requiredOption('--feed <path-or-url>', 'a feed file or http(s) URL; repeat for several', feedArgument)
    .option('--json', 'one JSON object per line per (watch, item) match')
    .option('--stats', 'print a JSON line of counts and timings to stderr at the end')
    .addOption(maxBytesOption())
    .option('--allow-private-network', 'allow feed URLs on loopback and private networks (intranet feeds)')
    .addOption(
      fullTextOption(
        "match each item's article page too: auto (items whose feed text is under 100 words), always, never",
        'auto',
      ),
    )
    .addHelpText(
      'after',
      `
Examples:
  feedwatch scan --watches examples/watches.json --feed examples/feeds/world-news.xml
  feedwatch scan --watches examples/watches.json --feed https://feeds.bbci.co.uk/news/world/rss.xml --json --stats`,
    )
    .action(async (options) => {
      cli.exitCode = await scan(
        {
          watches: options.watches,
          feed: options.feed,
          json: Boolean(options.json),
          stats: Boolean(options.stats),
          maxBytes: options.maxBytes,
          allowPrivateNetwork: Boolean(options.allowPrivateNetwork),
          fullText: options.fullText,
        },
        io,
      );
    });
}

/** `feedwatch scan`: match feeds against a watches file once, store nothing. */
export async function scan(options: ScanOptions, io: Io): Promise<number> {
  // Loaded here, not with the program: `feedwatch --help` and the store commands need none of it.
  const [
    { noteNotWarnings, noteOperatorWords, readWatchFile },
    { compileWatches, defaultConcepts },
    { matchFeeds },
    { matchJson, renderMatch },
  ] = await Promise.all([
    import('../watch-file.ts'),
    import('#core/query/index.ts'),
    import('../feed-loop.ts'),
    import('../render.ts'),
  ]);
  const watches = await readWatchFile(options.watches);
  for (const watch of watches) {
    noteOperatorWords(watch.id, watch.query, io);
    noteNotWarnings(watch.id, watch.query, io);
  }
  const { matcher } = compileWatches(watches, { concepts: defaultConcepts() });
  const names = new Map(watches.map((w) => [w.id, w.name]));
  const stats = await matchFeeds(options.feed, matcher, names, options, io, (views) => {
    for (const view of views) io.out(options.json ? matchJson(view) : `${renderMatch(view)}\n`);
  });

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

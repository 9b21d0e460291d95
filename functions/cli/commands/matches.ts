import type { Command } from 'commander';
import { Option } from 'commander';
import type { StoredMatch } from '#core/model.ts';
import { EXIT } from '../errors.ts';
import type { Io } from '../io.ts';
import { duration, positiveInt, storeOptions, withStoreOptions } from '../options.ts';
import type { CliContext } from '../program.ts';
import { type MatchView, matchJson, renderMatch } from '../render.ts';
import { type StoreOptions, withStores } from '../stores.ts';

/** `feedwatch matches`: what was stored, newest first, with why it matched. */
export function registerMatches(program: Command, cli: CliContext): void {
  const { io } = cli;
  withStoreOptions(
    program
      .command('matches')
      .description('recent stored matches, newest first, with why they matched')
      .option('--watch <id>', 'only this watch')
      .addOption(
        new Option('--since <duration>', 'how far back').default(86_400_000, '24h').argParser(duration),
      )
      .addOption(new Option('--limit <n>', 'at most this many').default(100).argParser(positiveInt))
      .option('--json', 'one JSON object per line')
      .addHelpText('after', '\nExample:\n  feedwatch matches --watch asset-seizure --since 7d'),
  ).action(async (options) => {
    cli.exitCode = await listMatches(
      { watch: options.watch, since: options.since, limit: options.limit, json: Boolean(options.json) },
      storeOptions(options),
      io,
    );
  });
}

export interface MatchesOptions {
  watch?: string;
  since: number;
  limit: number;
  json: boolean;
}

export async function listMatches(
  options: MatchesOptions,
  storeOptions: StoreOptions,
  io: Io,
): Promise<number> {
  return withStores(storeOptions, async ({ matches }) => {
    const since = new Date(Date.now() - options.since).toISOString();
    const recent = await matches.listRecent({ watchId: options.watch, since, limit: options.limit });
    for (const match of recent)
      io.out(options.json ? matchJson(viewOf(match)) : `${renderMatch(viewOf(match))}\n`);
    if (!options.json)
      io.err(`feedwatch: ${recent.length} ${recent.length === 1 ? 'match' : 'matches'} since ${since}`);
    return EXIT.ok;
  });
}

function viewOf(match: StoredMatch): MatchView {
  return { ...match, feed: match.feedUrl };
}

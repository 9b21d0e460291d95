import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { FULL_TEXT_MODES } from '#core/article/full-text.ts';
import { ConfigError, errorMessage, FeedwatchError } from '#core/errors.ts';
import { DEFAULT_MAX_BYTES } from '#core/feed/limits.ts';
import type { FullTextMode } from '#core/model.ts';
import { CliError, EXIT, StoppedError } from './errors.ts';
import { feedArgumentProblem } from './feed-url.ts';
import { exitWhenStdoutCloses, processIo } from './io.ts';
import type { StoreOptions } from './stores.ts';

function byteSize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)?$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected a size such as 500kb or 10mb');
  const factor = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  return Math.round(Number(match[1]) * factor);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The path of a file: URL as run and feed list print it (file:///...), or a usage error. */
function filePathOf(url: string): string {
  // file://host/x names another machine's file, file:x no directory: neither is read here.
  if (url.startsWith('file:///')) {
    try {
      return fileURLToPath(url);
    } catch {
      // An encoded slash (%2F) names no path either.
    }
  }
  throw new InvalidArgumentError('expected a file URL such as file:///home/me/feed.xml, or a path');
}

/** A --feed of scan or watch test, refused before any feed is read when it can never be read. */
function feedArgument(value: string, previous: string[] = []): string[] {
  const problem = feedArgumentProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return collect(value.startsWith('file:') ? filePathOf(value) : value, previous);
}

function duration(value: string): number {
  const match = /^(\d+)\s*(m|h|d)$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected a duration such as 30m, 24h or 7d');
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? 'h').toLowerCase() as 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

function positiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError('expected a positive whole number');
  return number;
}

function commaList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** `--full-text auto|always|never`: when the article page of an item is fetched and matched. */
function fullTextOption(help: string, defaultMode?: FullTextMode): Option {
  const option = new Option('--full-text <mode>', help).choices([...FULL_TEXT_MODES]);
  return defaultMode ? option.default(defaultMode) : option;
}

const DEFAULT_STATE_DIR = '.feedwatch';

function withStateDir(command: Command): Command {
  return command.option('--state-dir <dir>', 'where the local store keeps its data', DEFAULT_STATE_DIR);
}

function withStack(command: Command, stackHelp: string): Command {
  return command
    .option('--stack <name>', stackHelp)
    .option('--region <region>', 'AWS region of --stack (default: your AWS configuration)');
}

/**
 * The memory store is gone when the command exits, so `watch add --store memory` would report a
 * change it had already lost: only `run` offers it. `--store` stays accepted (unlisted) here so
 * `--store local` still works and `--store memory` is refused with the reason.
 */
function localStoreOnly(value: string): 'local' {
  if (value === 'local') return value;
  throw new InvalidArgumentError(
    value === 'memory'
      ? 'only run can use the memory store, which is lost at exit; leave --store out for the local store, or use --stack'
      : 'the store here is local (the default), or a deployed stack with --stack',
  );
}

/** Options of the commands that read or change stored watches, feeds and matches. */
function withStoreOptions(command: Command): Command {
  return withStack(
    withStateDir(
      command.addOption(new Option('--store <kind>').argParser(localStoreOnly).default('local').hideHelp()),
    ),
    'use a deployed Feedwatch stack (reads its outputs) instead of the local store',
  );
}

function storeOptions(options: Record<string, unknown>): StoreOptions {
  return {
    store: (options.store as StoreOptions['store'] | undefined) ?? 'local',
    stack: options.stack as string | undefined,
    region: options.region as string | undefined,
    stateDir: (options.stateDir as string | undefined) ?? DEFAULT_STATE_DIR,
  };
}

function packageVersion(): string {
  const manifest = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}

const debug = process.argv.includes('--debug');
const io = processIo(debug);

export function buildProgram(): Command {
  const program = new Command('feedwatch')
    .description('Watch news feeds for topics written any way journalists write them, and alert once.')
    .version(packageVersion(), '--version', 'print the version')
    .option('--debug', 'show stack traces on errors')
    .exitOverride()
    .configureOutput({
      // One line, like every other error: commander puts its "Did you mean" on a line of its own.
      outputError: (text, write) =>
        write(
          `feedwatch: ${text
            .trim()
            .replace(/^error: /, '')
            .replace(/\s*\n\s*/g, ' ')} (see --help)\n`,
        ),
    });

  program
    .command('scan')
    .description('match feeds against a watches file once and print the matches; stores nothing')
    .requiredOption('--watches <file>', 'JSON file: an array of {"id", "query", "name"?} watches')
    .requiredOption('--feed <path-or-url>', 'a feed file or http(s) URL; repeat for several', feedArgument)
    .option('--json', 'one JSON object per line per (watch, item) match')
    .option('--stats', 'print a JSON line of counts and timings to stderr at the end')
    .addOption(
      new Option('--max-bytes <size>', 'largest feed accepted')
        .default(DEFAULT_MAX_BYTES, '10mb')
        .argParser(byteSize),
    )
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
      const { scan } = await import('./scan.ts');
      process.exitCode = await scan(
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

  withStateDir(
    program
      .command('run')
      .description(
        'run the whole pipeline on this machine: poll, match, store once, alert once; every few minutes until Ctrl-C',
      )
      .option('--once', 'run one cycle and exit')
      .option('--json', 'print each new alert as one JSON line on stdout')
      .option('--config <file>', 'feeds, default watches and interval', 'feedwatch.config.json')
      .option('--allow-private-network', 'allow feed URLs on loopback and private networks (intranet feeds)')
      .addOption(
        new Option('--store <kind>', 'local: DynamoDB Local; memory: no Java needed, state is lost at exit')
          .choices(['local', 'memory'])
          .default('local'),
      )
      // Unlisted: accepted only to say why a deployed stack has no local run.
      .addOption(new Option('--stack <name>').hideHelp())
      .addHelpText(
        'after',
        `
Examples:
  feedwatch run                   poll every few minutes, alerts in the terminal and .feedwatch/alerts.jsonl
  feedwatch run --once --json     one cycle, new alerts as JSON lines
  feedwatch run --store memory    no Java needed; state is lost at exit`,
      ),
  ).action(async (options) => {
    if (options.stack)
      throw new CliError('run is the local pipeline; a deployed stack runs on its own schedule');
    const { run } = await import('./run.ts');
    process.exitCode = await run(
      {
        config: options.config,
        once: Boolean(options.once),
        json: Boolean(options.json),
        store: options.store,
        stateDir: options.stateDir,
        allowPrivateNetwork: Boolean(options.allowPrivateNetwork),
      },
      io,
    );
  });

  const watch = program.command('watch').description('manage watches: the topics Feedwatch looks for');
  withStoreOptions(
    watch
      .command('add')
      .description('add a watch; an invalid query is refused and nothing is written')
      .requiredOption('--id <id>', 'a short, stable id, e.g. asset-seizure')
      .requiredOption('--query <query>', 'what to look for, e.g. "asset seizure" or "ceasefire OR truce"')
      .option('--name <name>', 'a readable name used in alerts')
      .option('--feeds <urls>', 'limit the watch to these feed URLs (comma-separated)', commaList)
      .addOption(
        new Option('--delivery <mode>', 'how alerts are sent').choices(['immediate', 'digest', 'muted']),
      )
      .addOption(
        new Option(
          '--digest <cadence>',
          'when digests go out (default hourly; daily is 07:00 local)',
        ).choices(['hourly', 'daily']),
      )
      .option(
        '--max-per-hour <n>',
        'immediate alerts per hour before the rest go to the digest (default 10)',
        positiveInt,
      )
      .option(
        '--quiet-hours <HH:MM-HH:MM>',
        'send nothing immediately in this daily window, e.g. 22:00-07:00',
      )
      .option(
        '--time-zone <zone>',
        'IANA time zone of --quiet-hours and daily digests (default: this machine)',
      )
      .option('--disabled', 'add it switched off')
      .option('--replace', 'overwrite a watch with the same id')
      .addHelpText(
        'after',
        '\nExamples:\n  feedwatch watch add --id sanctions --name "Sanctions" --query \'sanction* NEAR/5 (Russia OR Iran)\'' +
          '\n  feedwatch watch add --id ceasefire --query ceasefire --max-per-hour 5 --quiet-hours 22:00-07:00 --time-zone Europe/London',
      ),
  ).action(async (options) => {
    const { watchAdd } = await import('./manage.ts');
    process.exitCode = await watchAdd(
      {
        id: options.id,
        query: options.query,
        name: options.name,
        feeds: options.feeds,
        delivery: options.delivery,
        digest: options.digest,
        maxAlertsPerHour: options.maxPerHour,
        quietHours: options.quietHours,
        timeZone: options.timeZone,
        disabled: options.disabled,
        replace: options.replace,
      },
      storeOptions(options),
      io,
    );
  });
  withStoreOptions(
    watch.command('list').description('list watches').option('--json', 'one JSON object per line'),
  ).action(async (options) => {
    const { watchList } = await import('./manage.ts');
    process.exitCode = await watchList(Boolean(options.json), storeOptions(options), io);
  });
  withStoreOptions(watch.command('rm').description('remove a watch').argument('<id>')).action(
    async (id, options) => {
      const { watchRemove } = await import('./manage.ts');
      process.exitCode = await watchRemove(id, storeOptions(options), io);
    },
  );
  for (const enabled of [true, false]) {
    withStoreOptions(
      watch
        .command(enabled ? 'enable' : 'disable')
        .description(enabled ? 'switch a watch on' : 'switch a watch off (kept, not matched)')
        .argument('<id>'),
    ).action(async (id, options) => {
      const { watchSetEnabled } = await import('./manage.ts');
      process.exitCode = await watchSetEnabled(id, enabled, storeOptions(options), io);
    });
  }
  watch
    .command('test')
    .description('show which items of a feed a query matches, and why; stores nothing')
    .requiredOption('--query <query>', 'the query to try')
    .requiredOption('--feed <path-or-url>', 'a feed file or http(s) URL; repeat for several', feedArgument)
    .option('--json', 'one JSON object per line per match')
    .addOption(
      new Option('--max-bytes <size>', 'largest feed accepted')
        .default(DEFAULT_MAX_BYTES, '10mb')
        .argParser(byteSize),
    )
    .option('--allow-private-network', 'allow feed URLs on loopback and private networks')
    .addOption(fullTextOption("match each item's article page too, as scan does", 'auto'))
    .addHelpText(
      'after',
      '\nExample:\n  feedwatch watch test --query "asset seizure" --feed examples/feeds/world-news.xml',
    )
    .action(async (options) => {
      const { watchTest } = await import('./manage.ts');
      process.exitCode = await watchTest(
        {
          query: options.query,
          feed: options.feed,
          json: Boolean(options.json),
          maxBytes: options.maxBytes,
          allowPrivateNetwork: Boolean(options.allowPrivateNetwork),
          fullText: options.fullText,
        },
        io,
      );
    });

  const feed = program.command('feed').description('manage the feeds Feedwatch polls');
  withStoreOptions(
    feed
      .command('add')
      .description('add a feed (http or https; local files for the local store)')
      .argument('<url>')
      .option('--allow-private-network', 'allow feeds on loopback and private networks (intranet feeds)')
      .addOption(
        fullTextOption(
          "when to fetch and match new items' article pages: auto (feed text under 100 words, the default), always, never",
        ),
      )
      .addHelpText(
        'after',
        '\nExamples:\n  feedwatch feed add https://feeds.bbci.co.uk/news/world/rss.xml\n  feedwatch feed add https://example.com/full-stories.xml --full-text never',
      ),
  ).action(async (url, options) => {
    const { feedAdd } = await import('./manage.ts');
    process.exitCode = await feedAdd(
      url,
      { allowPrivateNetwork: Boolean(options.allowPrivateNetwork), fullText: options.fullText },
      storeOptions(options),
      io,
    );
  });
  withStoreOptions(
    feed
      .command('set')
      .description("change a feed's settings")
      .argument('<url>')
      .addOption(
        fullTextOption(
          "when to fetch and match new items' article pages: auto (feed text under 100 words), always, never",
        ).makeOptionMandatory(),
      )
      .addHelpText(
        'after',
        '\nExample:\n  feedwatch feed set https://example.com/rss.xml --full-text always',
      ),
  ).action(async (url, options) => {
    const { feedSet } = await import('./manage.ts');
    process.exitCode = await feedSet(url, { fullText: options.fullText }, storeOptions(options), io);
  });
  withStoreOptions(
    feed
      .command('list')
      .description('list feeds with their health')
      .option('--json', 'one JSON object per line'),
  ).action(async (options) => {
    const { feedList } = await import('./manage.ts');
    process.exitCode = await feedList(Boolean(options.json), storeOptions(options), io);
  });
  withStoreOptions(feed.command('rm').description('stop polling a feed').argument('<url>')).action(
    async (url, options) => {
      const { feedRemove } = await import('./manage.ts');
      process.exitCode = await feedRemove(url, storeOptions(options), io);
    },
  );

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
    const { listMatches } = await import('./manage.ts');
    process.exitCode = await listMatches(
      { watch: options.watch, since: options.since, limit: options.limit, json: Boolean(options.json) },
      storeOptions(options),
      io,
    );
  });

  // No local store here: subscriptions exist only on a deployed stack's topic.
  withStack(
    program
      .command('subscribe')
      .description("subscribe an email address or phone number to a deployed stack's alerts")
      .option('--email <address>', 'email address (AWS sends a confirmation link)')
      .option('--sms <number>', 'phone number in E.164 form, e.g. +15555550100')
      .option('--watch <id>', 'only alerts of this watch; repeat for several', collect)
      .addHelpText(
        'after',
        '\nExample:\n  feedwatch subscribe --stack Feedwatch --email me@example.com --watch asset-seizure',
      ),
    'the deployed Feedwatch stack to subscribe to (required)',
  ).action(async (options) => {
    const { subscribeCommand } = await import('./manage.ts');
    process.exitCode = await subscribeCommand(
      { email: options.email, sms: options.sms, watch: options.watch },
      storeOptions(options),
      io,
    );
  });

  return program;
}

async function main(): Promise<void> {
  exitWhenStdoutCloses();
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (error) {
    process.exitCode = report(error);
    // A stopped command left its work unfinished, not ended: exit before any of it goes on (a
    // store call retried against a run's server, a line printed after "stopped").
    if (error instanceof StoppedError) process.exit();
  }
}

function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its one line (or the help text).
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  // Asked for, not a failure: no stack trace, even with --debug.
  if (error instanceof StoppedError) {
    io.err(`feedwatch: ${error.message}`);
    return EXIT.interrupted;
  }
  io.debug(error);
  if (error instanceof CliError) {
    io.err(`feedwatch: ${error.message}`);
    return error.exitCode;
  }
  if (error instanceof ConfigError) {
    io.err(`feedwatch: ${error.message}`);
    return EXIT.usage;
  }
  const hint = debug ? '' : ' (run again with --debug for details)';
  io.err(
    `feedwatch: ${error instanceof FeedwatchError ? '' : 'unexpected error: '}${errorMessage(error)}${hint}`,
  );
  return EXIT.partial;
}

await main();

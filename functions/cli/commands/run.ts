import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { systemClock } from '#adapters/system-clock.ts';
import type { ConsoleDeps } from '#console/deps.ts';
import type { ConsoleServer } from '#console/server.ts';
import { errorMessage } from '#core/errors.ts';
import type { CycleDeps, CycleReport } from '#core/pipeline/run-cycle.ts';
import type { WatchStore } from '#core/ports.ts';
import type { RunConfig } from '../config.ts';
import { CliError, EXIT } from '../errors.ts';
import { syncConfigFeeds } from '../feed-registry.ts';
import type { Io } from '../io.ts';
import { withStateDir } from '../options.ts';
import type { CliContext } from '../program.ts';
import { itemFailureLine } from '../render.ts';
import { listenForStop } from '../stop-signals.ts';
import { LOCAL_STORE_FILE, openStores, type StoreKind, type Stores } from '../stores.ts';

export interface RunOptions {
  config: string;
  once: boolean;
  json: boolean;
  store: StoreKind;
  stateDir: string;
  allowPrivateNetwork: boolean;
  /** Serve the console while the run keeps running (not with `once`). */
  console: boolean;
  /** The console's port on 127.0.0.1; 0 picks a free one. */
  port: number;
}

export function registerRun(program: Command, cli: CliContext): void {
  const { io } = cli;
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
        new Option('--port <n>', 'port of the web console on 127.0.0.1').default(8787).argParser(portNumber),
      )
      .option('--no-console', 'do not serve the web console')
      .addOption(
        new Option('--store <kind>', 'local: kept in --state-dir; memory: state is lost at exit')
          .choices(['local', 'memory'])
          .default('local'),
      )
      // Unlisted: accepted only to say why a deployed stack has no local run.
      .addOption(new Option('--stack <name>').hideHelp())
      .addHelpText(
        'after',
        `
Examples:
  feedwatch run                   poll every few minutes, alerts in the terminal and .feedwatch/alerts.jsonl;
                                  the console at http://127.0.0.1:8787/ (not with --once)
  feedwatch run --once --json     one cycle, new alerts as JSON lines
  feedwatch run --store memory    try Feedwatch out: nothing is kept after exit`,
      ),
  ).action(async (options) => {
    if (options.stack)
      throw new CliError('run is the local pipeline; a deployed stack runs on its own schedule');
    cli.exitCode = await run(
      {
        config: options.config,
        once: Boolean(options.once),
        json: Boolean(options.json),
        store: options.store,
        stateDir: options.stateDir,
        allowPrivateNetwork: Boolean(options.allowPrivateNetwork),
        console: options.console !== false,
        port: options.port,
      },
      io,
    );
  });
}

function portNumber(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number > 65_535)
    throw new InvalidArgumentError('expected a port number from 1 to 65535 (0 picks a free one)');
  return number;
}

/** `feedwatch run`: the whole pipeline on this machine, one cycle every few minutes until Ctrl-C. */
export async function run(options: RunOptions, io: Io): Promise<number> {
  const { readRunConfig } = await import('../config.ts');
  const config = await readRunConfig(options.config);
  // Listened for from the start: a signal nobody handles kills this process at once, in the
  // middle of a cycle. A second signal does not wait for the cycle.
  const stop = listenForStop();
  try {
    const stores = await openStores({
      store: options.store,
      stateDir: options.stateDir,
      exclusive: !options.once,
    });
    try {
      return await runCycles(options, config, stores, stop.signal, io);
    } finally {
      await stores.close();
    }
  } finally {
    stop.release();
  }
}

async function runCycles(
  options: RunOptions,
  config: RunConfig,
  stores: Stores,
  stop: AbortSignal,
  io: Io,
): Promise<number> {
  io.err(`feedwatch: using the ${stores.describe}`);
  const olderState = join(options.stateDir, 'dynamodb');
  if (options.store === 'local' && existsSync(olderState)) {
    io.err(
      `feedwatch: ${olderState} holds the state of an older feedwatch (DynamoDB Local), which this one does not read: its watches, feeds and matches start afresh in ${join(options.stateDir, LOCAL_STORE_FILE)}; remove ${olderState} once you no longer need it`,
    );
  }
  const seeded = await seedWatches(stores.watches, config);
  if (seeded > 0)
    io.err(`feedwatch: added ${plural(seeded, 'default watch', 'default watches')} from ${options.config}`);
  const dropped = await syncConfigFeeds(stores.feeds, config, new Date());
  if (dropped > 0)
    io.err(`feedwatch: stopped polling ${plural(dropped, 'feed', 'feeds')} no longer in ${options.config}`);

  // Loaded here, not with the program: the other commands need none of the pipeline.
  const [
    { checkFeedUrl, HttpFetcher, HttpPageFetcher },
    { FileFetcher, SchemeFetcher },
    { runCycle },
    { DEFAULT_SCHEDULE },
    { TerminalNotifier },
    { PageThrottle },
    { describePages },
  ] = await Promise.all([
    import('#adapters/http/index.ts'),
    import('#adapters/file-fetcher.ts'),
    import('#core/pipeline/run-cycle.ts'),
    import('#core/pipeline/schedule.ts'),
    import('../terminal-notifier.ts'),
    import('#core/article/page-throttle.ts'),
    import('#core/article/article-pages.ts'),
  ]);
  const allowPrivateNetwork = options.allowPrivateNetwork || config.allowPrivateNetwork;
  const http = new HttpFetcher({ allowPrivateNetwork });
  const clock = systemClock;
  const deps: CycleDeps = {
    ...stores,
    fetcher: new SchemeFetcher({ http, https: http, file: new FileFetcher() }),
    // One throttle for the whole run, so a host's Retry-After outlasts the cycle that heard it.
    articles: { pages: new HttpPageFetcher({ allowPrivateNetwork }), throttle: new PageThrottle(clock) },
    notifier: new TerminalNotifier(io, join(options.stateDir, 'alerts.jsonl'), options.json),
    clock,
    schedule: { ...DEFAULT_SCHEDULE, intervalMinutes: config.intervalMinutes },
    matchesLostAtExit: stores.lostAtExit === true,
  };

  const consoleServer =
    options.console && !options.once
      ? await serveConsole(
          {
            ...stores,
            clock: deps.clock,
            checkFeedUrl: async (url) => {
              await checkFeedUrl(url, { allowPrivateNetwork });
            },
            timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
            reportError: (error) => {
              io.err(`feedwatch: console: ${errorMessage(error)}`);
              io.debug(error);
            },
          },
          options.port,
          io,
        )
      : undefined;
  if (consoleServer) io.err(`feedwatch: console at ${consoleServer.url}`);
  try {
    return await cycles(options, config, deps, runCycle, describePages, stop, io);
  } finally {
    await consoleServer?.close();
  }
}

/**
 * The console, or undefined when its port cannot be had: the pipeline is what must not stop, so
 * the run goes on without it and says how to get it.
 */
async function serveConsole(deps: ConsoleDeps, port: number, io: Io): Promise<ConsoleServer | undefined> {
  const { startConsole } = await import('#console/server.ts');
  try {
    return await startConsole(deps, port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    io.err(
      `feedwatch: console not served: 127.0.0.1:${port} ${code === 'EADDRINUSE' ? 'is in use' : 'is not allowed'}; choose another port with --port <n> (or leave it out with --no-console)`,
    );
    return undefined;
  }
}

async function cycles(
  options: RunOptions,
  config: RunConfig,
  deps: CycleDeps,
  runCycle: typeof import('#core/pipeline/run-cycle.ts')['runCycle'],
  describePages: typeof import('#core/article/article-pages.ts')['describePages'],
  stop: AbortSignal,
  io: Io,
): Promise<number> {
  let exitCode: number = EXIT.ok;
  for (let cycle = 1; ; cycle++) {
    // Stopped while starting: nothing ran (130). Stopped between cycles: the run did its work (0);
    // either way the run says it stopped, as it does after a cycle it let finish.
    if (stop.aborted) {
      if (cycle === 1) return stopped(io);
      io.err(STOPPED);
      return EXIT.ok;
    }
    const started = Date.now();
    const progress = progressLine();
    try {
      const report = await runCycle(deps, progress).finally(progress.done);
      for (const failure of report.failed)
        io.err(`feedwatch: ${displayUrl(failure.url)}: ${failure.message}`);
      for (const outcome of report.outcomes) {
        for (const failure of outcome.itemFailures)
          io.err(`feedwatch: ${displayUrl(outcome.url)}: ${itemFailureLine(failure)}`);
        const pages = outcome.pages && describePages(outcome.pages);
        if (pages) io.err(`feedwatch: ${displayUrl(outcome.url)}: ${pages}`);
      }
      for (const invalid of report.invalidWatches) {
        io.err(`feedwatch: watch "${invalid.watch.id}" skipped: invalid query: ${invalid.message}`);
      }
      for (const failure of report.deliveryErrors) {
        io.err(
          `feedwatch: alert for watch "${failure.watchId}" not delivered (retried next cycle): ${failure.message}`,
        );
      }
      for (const refused of report.refused) {
        io.err(
          `feedwatch: alert for watch "${refused.watchId}" refused for good, marked FAILED (see feedwatch matches): ${refused.message}`,
        );
      }
      io.err(cycleLine(cycle, report, Date.now() - started));
    } catch (error) {
      // The store itself failed (not one feed): say so in one line and try again next cycle.
      io.err(`feedwatch: cycle ${cycle} failed: ${errorMessage(error)}`);
      io.debug(error);
      exitCode = EXIT.partial;
    }
    if (options.once) return exitCode;
    // Stopped during the cycle, which was let finish: say so now, not after the next one.
    if (stop.aborted) {
      io.err(STOPPED);
      return EXIT.ok;
    }
    io.err(`feedwatch: next cycle in ${config.intervalMinutes} min (Ctrl-C to stop)`);
    await sleep(config.intervalMinutes * 60_000, undefined, { signal: stop }).catch(() => {});
  }
}

const STOPPED = 'feedwatch: stopped';

function stopped(io: Io): number {
  io.err(STOPPED);
  return EXIT.interrupted;
}

function cycleLine(cycle: number, report: CycleReport, elapsedMs: number): string {
  // Digest figures only when there are any: most cycles of most users have none.
  const digest = [
    report.routedToDigest > 0 ? `, ${report.routedToDigest} held for a digest` : '',
    report.digests > 0 ? `, ${plural(report.digests, 'digest', 'digests')} sent` : '',
  ].join('');
  return (
    `cycle ${cycle}: ${plural(report.polled, 'feed', 'feeds')} polled, ${report.notModified} not modified, ` +
    `${report.failed.length} failed, ${plural(report.newItems, 'new item', 'new items')}, ` +
    `${plural(report.alerts, 'alert', 'alerts')}${digest} ` +
    `(${(elapsedMs / 1000).toFixed(1)} s)`
  );
}

/** Default watches are loaded once, into an empty table: after that the table is the user's. */
async function seedWatches(watches: WatchStore, config: RunConfig): Promise<number> {
  if ((await watches.list()).length > 0) return 0;
  const now = new Date().toISOString();
  for (const watch of config.watches) {
    await watches.put({ enabled: true, ...watch, createdAt: now, updatedAt: now });
  }
  return config.watches.length;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function displayUrl(url: string): string {
  return url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
}

/** A progress indicator on a terminal; nothing when stderr is a pipe or a file. */
function progressLine() {
  const tty = process.stderr.isTTY === true;
  let total = 0;
  let done = 0;
  const draw = () => process.stderr.write(`\rpolling feeds ${done}/${total}…`);
  return {
    start: (dueFeeds: number) => {
      total = dueFeeds;
      if (tty && total > 0) draw();
    },
    polled: () => {
      done++;
      if (tty) draw();
    },
    done: () => {
      if (tty && total > 0) process.stderr.write('\r\u001b[K');
    },
  };
}

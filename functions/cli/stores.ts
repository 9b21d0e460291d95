import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeedStore, MatchStore, RateLimiter, RecentItemStore, WatchStore } from '#core/ports.ts';
import { CliError } from './errors.ts';
import { listenForStop, untilStopped } from './stop-signals.ts';

export type StoreKind = 'local' | 'memory';

export interface StoreOptions {
  store: StoreKind;
  /** A deployed stack's name: use its tables (and topic) instead of a local store. */
  stack?: string;
  region?: string;
  /** Where the local store keeps its data. */
  stateDir: string;
  /**
   * A `run` that keeps running refuses a state directory another such run holds: both would poll
   * the same feeds, and each would print a share of the alerts.
   */
  exclusive?: boolean;
}

export interface Stores {
  watches: WatchStore;
  feeds: FeedStore;
  matches: MatchStore;
  /** Alert counters, kept where the matches are so a restarted run keeps its hourly budget. */
  rateLimiter: RateLimiter;
  /**
   * The items polls saw in the last days, for trying queries on. Absent only for a stack deployed
   * before it had the table.
   */
  recentItems?: RecentItemStore;
  /** Set when the stores belong to a deployed stack. */
  alertTopicArn?: string;
  region?: string;
  describe: string;
  /** True for the memory store: nothing it holds outlives this process. */
  lostAtExit?: boolean;
  close(): Promise<void>;
}

/** The local store's file in the state directory. */
export const LOCAL_STORE_FILE = 'store.json';

export async function openStores(options: StoreOptions): Promise<Stores> {
  if (options.stack) return openStackStores(options.stack, options.region);
  if (options.store === 'memory') {
    const { memoryStores } = await import('#adapters/memory/index.ts');
    return {
      ...memoryStores(),
      describe: 'in-memory store (state is lost at exit)',
      lostAtExit: true,
      close: async () => {},
    };
  }
  return openLocalStores(options);
}

/**
 * The memory stores kept in one file of the state directory (see adapters/file/state-file.ts):
 * no server and no port, and every feedwatch process on the directory (a `run`, and the
 * commands of another terminal) sees the others' changes at its next store call.
 */
async function openLocalStores(options: StoreOptions): Promise<Stores> {
  await mkdir(options.stateDir, { recursive: true });
  const releaseRun = options.exclusive
    ? await claimRun(join(options.stateDir, RUN_CLAIM_FILE), options.stateDir)
    : undefined;
  const { memoryStores } = await import('#adapters/memory/index.ts');
  const { persistInFile } = await import('#adapters/file/state-file.ts');
  return {
    ...persistInFile(join(options.stateDir, LOCAL_STORE_FILE), memoryStores()),
    describe: `local store in ${options.stateDir}`,
    close: async () => {
      await releaseRun?.();
    },
  };
}

/** Names the pid of the `run` holding the state directory. */
const RUN_CLAIM_FILE = 'run.json';

/** The pid recorded in `file`, if that process is still alive. */
async function runOwner(file: string): Promise<number | undefined> {
  let pid: unknown;
  try {
    ({ pid } = JSON.parse(await readFile(file, 'utf8')) as { pid?: unknown });
  } catch {
    return undefined;
  }
  return typeof pid === 'number' && isAlive(pid) ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: gone. EPERM: another user's process, so not a run of ours (a pid reused after a reboot).
    return false;
  }
}

/**
 * Records this `run` as the state directory's holder; returns the release. The record is written
 * whole under a name of its own, then linked into place, which fails if another holder's is
 * there: a reader never sees half a record, and two runs cannot both claim. A record left by a
 * process that died is replaced (two runs replacing the same dead record at the same instant
 * could still both proceed).
 */
async function claimRun(file: string, stateDir: string): Promise<() => Promise<void>> {
  const claim = `${file}.${process.pid}`;
  await writeFile(claim, JSON.stringify({ pid: process.pid }));
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await link(claim, file);
        return () => rm(file, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = await runOwner(file);
      if (owner !== undefined) {
        throw new CliError(
          `another feedwatch run (pid ${owner}) is using ${stateDir}: stop it first, or give this one its own --state-dir`,
        );
      }
      await rm(file, { force: true });
    }
    throw new CliError(
      `another feedwatch run keeps claiming ${stateDir}: stop it, or give this one its own --state-dir`,
    );
  } finally {
    await rm(claim, { force: true });
  }
}

async function dynamoStores(
  doc: import('@aws-sdk/lib-dynamodb').DynamoDBDocumentClient,
  names: { watches: string; feeds: string; matches: string; recentItems?: string },
) {
  const { DynamoDbFeedStore } = await import('#adapters/dynamodb/feed-store.ts');
  const { DynamoDbMatchStore } = await import('#adapters/dynamodb/match-store.ts');
  const { DynamoDbWatchStore } = await import('#adapters/dynamodb/watch-store.ts');
  const { DynamoDbRateLimiter } = await import('#adapters/dynamodb/rate-limiter.ts');
  const { DynamoDbRecentItemStore } = await import('#adapters/dynamodb/recent-item-store.ts');
  return {
    watches: new DynamoDbWatchStore(doc, names.watches),
    feeds: new DynamoDbFeedStore(doc, names.feeds),
    matches: new DynamoDbMatchStore(doc, names.matches),
    rateLimiter: new DynamoDbRateLimiter(doc, names.matches),
    ...(names.recentItems !== undefined && {
      recentItems: new DynamoDbRecentItemStore(doc, names.recentItems),
    }),
  };
}

async function openStackStores(stackName: string, region?: string): Promise<Stores> {
  const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const { createCloudFormationClient, createDocumentClient, createDynamoDbClient } = await import(
    '#adapters/aws-clients.ts'
  );
  const { StackOutput } = await import('../../lib/outputs.ts');
  const cloudFormation = createCloudFormationClient({ region });
  let outputs: Record<string, string>;
  try {
    const response = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    outputs = Object.fromEntries(
      (response.Stacks?.[0]?.Outputs ?? []).map((output) => [
        output.OutputKey ?? '',
        output.OutputValue ?? '',
      ]),
    );
  } catch (error) {
    throw new CliError(
      `cannot read stack "${stackName}": ${(error as Error).message} (check --stack, --region and your AWS credentials)`,
      1,
    );
  } finally {
    cloudFormation.destroy();
  }
  const output = (key: string) => {
    const value = outputs[key];
    if (!value) throw new CliError(`stack "${stackName}" has no output ${key}; is it a Feedwatch stack?`, 1);
    return value;
  };
  const client = createDynamoDbClient({ region });
  return {
    ...(await dynamoStores(createDocumentClient(client), {
      watches: output(StackOutput.watchesTableName),
      feeds: output(StackOutput.feedsTableName),
      matches: output(StackOutput.matchesTableName),
      recentItems: outputs[StackOutput.recentItemsTableName],
    })),
    alertTopicArn: output(StackOutput.alertTopicArn),
    region,
    describe: `stack ${stackName}`,
    close: async () => client.destroy(),
  };
}

/**
 * Every store command's stores, closed when `work` is done. A stop signal while the work runs
 * ends the command at once with a StoppedError, whatever store call it is waiting for (a lock
 * on the local store, a stack's table): the edge only has to say so, and exit before the call
 * goes on. A change to the local store that the exit cuts short is never renamed into place.
 */
export async function withStores<T>(options: StoreOptions, work: (stores: Stores) => Promise<T>): Promise<T> {
  const stop = listenForStop();
  try {
    const stores = await untilStopped(openStores(options), stop.signal);
    try {
      return await untilStopped(work(stores), stop.signal);
    } finally {
      await stores.close();
    }
  } finally {
    stop.release();
  }
}

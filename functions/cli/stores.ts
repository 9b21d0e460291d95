import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeedStore, MatchStore, RateLimiter, WatchStore } from '#core/ports.ts';
import { CliError, StoppedError } from './errors.ts';
import { listenForStop, untilStopped } from './stop-signals.ts';

export type StoreKind = 'local' | 'memory';

export interface StoreOptions {
  store: StoreKind;
  /** A deployed stack's name: use its tables (and topic) instead of a local store. */
  stack?: string;
  region?: string;
  /** Where the local store keeps its data. */
  stateDir: string;
  /** `run` publishes its DynamoDB Local endpoint so other commands reuse the running instance. */
  publishEndpoint?: boolean;
  /**
   * A `run` that keeps running refuses a state directory another `run` holds: it would use
   * that run's DynamoDB Local, and lose it when that run exits.
   */
  exclusive?: boolean;
  /**
   * The command's stop signal (Ctrl-C, SIGTERM, SIGHUP): it aborts starting DynamoDB Local, and
   * keeps the terminal's Ctrl-C from reaching the server the command starts, which the command
   * stops itself (`run` once its cycle's writes are done).
   */
  signal?: AbortSignal;
}

export interface Stores {
  watches: WatchStore;
  feeds: FeedStore;
  matches: MatchStore;
  /** Alert counters, kept where the matches are so a restarted run keeps its hourly budget. */
  rateLimiter: RateLimiter;
  /** Set when the stores belong to a deployed stack. */
  alertTopicArn?: string;
  region?: string;
  describe: string;
  /** True for the memory store: nothing it holds outlives this process. */
  lostAtExit?: boolean;
  close(): Promise<void>;
}

export const LOCAL_TABLES = {
  watches: 'feedwatch-watches',
  feeds: 'feedwatch-feeds',
  matches: 'feedwatch-matches',
};

export async function openStores(options: StoreOptions): Promise<Stores> {
  if (options.stack) return openStackStores(options.stack, options.region);
  if (options.store === 'memory') return openMemoryStores();
  return openLocalStores(options);
}

async function openMemoryStores(): Promise<Stores> {
  const { MemoryFeedStore, MemoryMatchStore, MemoryRateLimiter, MemoryWatchStore } = await import(
    '#adapters/memory/index.ts'
  );
  return {
    watches: new MemoryWatchStore(),
    feeds: new MemoryFeedStore(),
    matches: new MemoryMatchStore(),
    rateLimiter: new MemoryRateLimiter(),
    describe: 'in-memory store (state is lost at exit)',
    lostAtExit: true,
    close: async () => {},
  };
}

async function openLocalStores(options: StoreOptions): Promise<Stores> {
  const { createDocumentClient, createDynamoDbClient, localServiceOptions } = await import(
    '#adapters/aws-clients.ts'
  );
  const { ensureTables } = await import('#adapters/dynamodb/ensure-tables.ts');
  const endpointFile = join(options.stateDir, 'dynamodb-endpoint.json');

  const owner = await storeOwner(endpointFile);
  if (owner && (options.exclusive || owner.endpoint === undefined)) throw storeBusy(owner, options.stateDir);
  let endpoint = owner?.endpoint;
  let stop = async () => {};
  if (!endpoint) {
    // Whoever starts a DynamoDB Local claims the directory first: two servers on one data
    // directory would each write it as their own.
    await claimStore(endpointFile, options.stateDir);
    const { startDynamoDbLocal } = await import('#adapters/dynamodb/local-server.ts');
    const server = await startDynamoDbLocal({
      dataDir: join(options.stateDir, 'dynamodb'),
      signal: options.signal,
      detached: options.signal !== undefined,
    }).catch(async (error: unknown) => {
      await rm(endpointFile, { force: true });
      throw error;
    });
    endpoint = server.endpoint;
    if (options.publishEndpoint)
      await replaceFile(endpointFile, JSON.stringify({ endpoint, pid: process.pid }));
    stop = async () => {
      // The claim goes only once the server is down, or another could start on the same data.
      await server.stop();
      await rm(endpointFile, { force: true });
    };
  }
  const client = createDynamoDbClient(localServiceOptions(endpoint));
  try {
    await ensureTables(client, LOCAL_TABLES);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    ...(await dynamoStores(createDocumentClient(client), LOCAL_TABLES)),
    describe: `local DynamoDB store in ${options.stateDir}`,
    close: async () => {
      client.destroy();
      await stop();
    },
  };
}

/** The `feedwatch run` holding a state directory: its pid, and its endpoint once its DynamoDB Local is up. */
interface StoreOwner {
  pid: number;
  endpoint?: string;
}

/** The owner recorded in `file`, if that process is still alive. */
async function storeOwner(file: string): Promise<StoreOwner | undefined> {
  let owner: StoreOwner;
  try {
    owner = JSON.parse(await readFile(file, 'utf8')) as StoreOwner;
  } catch {
    return undefined;
  }
  return isAlive(owner.pid) ? owner : undefined;
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
 * Records this process as the state directory's owner before it starts a DynamoDB Local.
 * The record is written whole under a name of its own, then linked into place, which fails if
 * another owner's is there: a reader never sees half a record, and two processes cannot both
 * claim. A record left by a process that died is replaced (two processes replacing the same
 * dead record at the same instant could still both proceed).
 */
async function claimStore(file: string, stateDir: string): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const claim = `${file}.${process.pid}`;
  await writeFile(claim, JSON.stringify({ pid: process.pid }));
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await link(claim, file);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = await storeOwner(file);
      if (owner) throw storeBusy(owner, stateDir);
      await rm(file, { force: true });
    }
    throw new CliError(
      `another feedwatch process keeps claiming ${stateDir}: stop it, or give this one its own --state-dir`,
    );
  } finally {
    await rm(claim, { force: true });
  }
}

/** Replaces `file` whole (written aside, then renamed): a reader sees the old record or the new. */
async function replaceFile(file: string, text: string): Promise<void> {
  const aside = `${file}.${process.pid}`;
  await writeFile(aside, text);
  await rename(aside, file);
}

function storeBusy(owner: StoreOwner, stateDir: string): CliError {
  if (owner.endpoint === undefined) {
    return new CliError(
      `another feedwatch process (pid ${owner.pid}) is starting DynamoDB Local in ${stateDir}: wait for it, or give this one its own --state-dir`,
    );
  }
  return new CliError(
    `another feedwatch run (pid ${owner.pid}) is using ${stateDir}: stop it first, or give this one its own --state-dir`,
  );
}

async function dynamoStores(
  doc: import('@aws-sdk/lib-dynamodb').DynamoDBDocumentClient,
  names: { watches: string; feeds: string; matches: string },
) {
  const { DynamoDbFeedStore } = await import('#adapters/dynamodb/feed-store.ts');
  const { DynamoDbMatchStore } = await import('#adapters/dynamodb/match-store.ts');
  const { DynamoDbWatchStore } = await import('#adapters/dynamodb/watch-store.ts');
  const { DynamoDbRateLimiter } = await import('#adapters/dynamodb/rate-limiter.ts');
  return {
    watches: new DynamoDbWatchStore(doc, names.watches),
    feeds: new DynamoDbFeedStore(doc, names.feeds),
    matches: new DynamoDbMatchStore(doc, names.matches),
    rateLimiter: new DynamoDbRateLimiter(doc, names.matches),
  };
}

async function openStackStores(stackName: string, region?: string): Promise<Stores> {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const { awsClientConfig, createDocumentClient, createDynamoDbClient } = await import(
    '#adapters/aws-clients.ts'
  );
  const { StackOutput } = await import('../../lib/outputs.ts');
  const cloudFormation = new CloudFormationClient(awsClientConfig({ region }));
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
    })),
    alertTopicArn: output(StackOutput.alertTopicArn),
    region,
    describe: `stack ${stackName}`,
    close: async () => client.destroy(),
  };
}

/**
 * Every store command's stores, closed when `work` is done. A stop signal, while DynamoDB Local
 * starts or while the work runs, ends the command at once with a StoppedError, once the server this
 * command started is down and its claim on the state directory gone: the edge only has to say so.
 */
export async function withStores<T>(options: StoreOptions, work: (stores: Stores) => Promise<T>): Promise<T> {
  const stop = listenForStop();
  try {
    const stores = await openStores({ ...options, signal: stop.signal }).catch((error: unknown) => {
      // A start cut short fails as whatever it was doing; the stop is what happened.
      throw stop.signal.aborted ? new StoppedError() : error;
    });
    try {
      return await untilStopped(work(stores), stop.signal);
    } finally {
      await stores.close();
    }
  } finally {
    stop.release();
  }
}

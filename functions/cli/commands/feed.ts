import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { errorMessage, FetchError } from '#core/errors.ts';
import type { FeedState } from '#core/model.ts';
import { CliError, EXIT } from '../errors.ts';
import { addMissingFeeds } from '../feed-registry.ts';
import { feedUrlOf } from '../feed-url.ts';
import type { Io } from '../io.ts';
import { storeOptions, withStoreOptions } from '../options.ts';
import type { CliContext } from '../program.ts';
import { table } from '../render.ts';
import { type StoreOptions, withStores } from '../stores.ts';

/** `feedwatch feed ...`: the feeds Feedwatch polls. */
export function registerFeed(program: Command, cli: CliContext): void {
  const { io } = cli;
  const feed = program.command('feed').description('manage the feeds Feedwatch polls');
  withStoreOptions(
    feed
      .command('add')
      .description('add a feed (http or https; local files for the local store)')
      .argument('<url>')
      .option('--allow-private-network', 'allow feeds on loopback and private networks (intranet feeds)')
      .addHelpText('after', '\nExample:\n  feedwatch feed add https://feeds.bbci.co.uk/news/world/rss.xml'),
  ).action(async (url, options) => {
    cli.exitCode = await feedAdd(url, Boolean(options.allowPrivateNetwork), storeOptions(options), io);
  });
  withStoreOptions(
    feed
      .command('list')
      .description('list feeds with their health')
      .option('--json', 'one JSON object per line'),
  ).action(async (options) => {
    cli.exitCode = await feedList(Boolean(options.json), storeOptions(options), io);
  });
  withStoreOptions(feed.command('rm').description('stop polling a feed').argument('<url>')).action(
    async (url, options) => {
      cli.exitCode = await feedRemove(url, storeOptions(options), io);
    },
  );
}

export async function feedAdd(
  feed: string,
  allowPrivateNetwork: boolean,
  storeOptions: StoreOptions,
  io: Io,
): Promise<number> {
  const url = feedUrlOf(feed, process.cwd());
  if (url.startsWith('file:')) {
    if (storeOptions.stack)
      throw new CliError('a deployed stack can only poll http(s) feeds, not local files');
    await assertFeedFile(feed, url);
  } else {
    await checkFeedToAdd(feed, url, allowPrivateNetwork, io);
  }
  return withStores(storeOptions, async ({ feeds }) => {
    const added = await addMissingFeeds(feeds, [url], new Date());
    io.out(added ? `added feed ${url}` : `feed ${url} is already watched`);
    return EXIT.ok;
  });
}

/** A feed given as a path must be a file that exists: a typo, or a URL without its scheme, is not. */
async function assertFeedFile(feed: string, url: string): Promise<void> {
  const path = fileURLToPath(url);
  const found = await stat(path).catch(() => undefined);
  if (found?.isFile()) return;
  const looksLikeHost = /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/|$)/i.test(feed);
  throw new CliError(
    looksLikeHost
      ? `cannot add ${feed}: no such file; for a web feed give its URL, e.g. https://${feed}`
      : `cannot add ${feed}: ${found ? 'not a file' : 'no such file'} (a feed is an http(s) URL or a local file)`,
  );
}

/**
 * Refuses what can never be polled (another scheme, a blocked address). A host that does not
 * resolve now is added with a warning: polling retries it with back-off, as for a config feed.
 */
async function checkFeedToAdd(
  feed: string,
  url: string,
  allowPrivateNetwork: boolean,
  io: Io,
): Promise<void> {
  const { checkFeedUrl } = await import('#adapters/http/index.ts');
  const refused = (error: unknown) =>
    new CliError(`cannot add ${withoutCredentials(feed)}: ${errorMessage(error)}`);
  // Checked as polling checks it by default, so the host is looked up once; only a feed refused
  // for a private address is checked again, with the permission the user gave.
  try {
    await checkFeedUrl(url);
    return;
  } catch (error) {
    if (error instanceof FetchError && error.kind === 'dns') {
      io.err(
        `feedwatch: warning: ${error.message} now; added anyway, and polled with back-off until it resolves`,
      );
      return;
    }
    if (!(allowPrivateNetwork && error instanceof FetchError && error.kind === 'blocked_address')) {
      throw refused(error);
    }
  }
  await checkFeedUrl(url, { allowPrivateNetwork }).catch((error: unknown) => {
    throw refused(error);
  });
  io.err(
    'feedwatch: note: this feed is on a private network: poll it with feedwatch run --allow-private-network, or "allowPrivateNetwork": true in the config',
  );
}

export async function feedList(json: boolean, storeOptions: StoreOptions, io: Io): Promise<number> {
  return withStores(storeOptions, async ({ feeds }) => {
    const all = (await feeds.list()).sort((a, b) => a.url.localeCompare(b.url));
    if (json) {
      for (const feed of all) io.out(JSON.stringify({ ...feed, seen: undefined }));
      return EXIT.ok;
    }
    if (all.length === 0) {
      io.err('no feeds yet: add one with feedwatch feed add <url>');
      return EXIT.ok;
    }
    io.out(
      table(
        ['FEED', 'HEALTH', 'LAST SUCCESS', 'FAILURES', 'NEXT DUE', 'LAST ERROR'],
        all.map((f) => [
          f.url,
          health(f),
          f.lastSuccessAt ?? 'never',
          String(f.consecutiveFailures),
          f.nextDueAt,
          f.lastError ?? '',
        ]),
      ),
    );
    // Saving every unchanged poll would cost a write per feed per cycle (see docs): a healthy
    // feed's row can lag, and without this line it reads like a stalled poller.
    io.err(
      'feedwatch: a healthy feed is saved when it changes and hourly: its times can be up to an hour behind',
    );
    return EXIT.ok;
  });
}

function health(feed: FeedState): string {
  if (feed.consecutiveFailures === 0) return feed.lastSuccessAt ? 'ok' : 'new';
  return `failing (${feed.lastErrorKind ?? 'error'})`;
}

export async function feedRemove(feed: string, storeOptions: StoreOptions, io: Io): Promise<number> {
  const url = feedUrlOf(feed, process.cwd());
  return withStores(storeOptions, async ({ feeds }) => {
    if ((await feeds.get(url))?.fromConfig) {
      throw new CliError(
        `feed ${url} is listed in the config file (feedwatch.config.json by default): remove it there, and the next feedwatch run stops polling it`,
      );
    }
    if (!(await feeds.delete(url)))
      throw new CliError(`no feed ${url} (see feedwatch feed list)`, EXIT.partial);
    io.out(`removed feed ${url}`);
    return EXIT.ok;
  });
}

/** Never echo a password back to the terminal (or a shared log), even the user's own. */
function withoutCredentials(feed: string): string {
  try {
    const url = new URL(feed);
    if (!url.username && !url.password) return feed;
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    return feed;
  }
}

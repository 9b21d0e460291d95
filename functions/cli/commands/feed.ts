import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';
import { fullTextOf } from '#core/article/full-text.ts';
import { errorMessage, FetchError } from '#core/errors.ts';
import type { FeedState, FullTextMode } from '#core/model.ts';
import { DEFAULT_SCHEDULE, nextPoll } from '#core/pipeline/schedule.ts';
import { CliError, EXIT } from '../errors.ts';
import { addMissingFeeds } from '../feed-registry.ts';
import { feedUrlOf } from '../feed-url.ts';
import type { Io } from '../io.ts';
import { fullTextOption, pollEvery, storeOptions, withStoreOptions } from '../options.ts';
import type { CliContext } from '../program.ts';
import { itemFailureLine, table } from '../render.ts';
import { type StoreOptions, withStores } from '../stores.ts';

const FULL_TEXT_HELP =
  "when to fetch and match new items' article pages: auto (feed text under 100 words, the default), always, never";
const EVERY_HELP =
  'poll at this fixed interval, e.g. 5m (the freshness target: always) or 1h; auto (the default) polls a quiet feed less often, up to hourly';

function everyOption(): Option {
  return new Option('--every <interval>', EVERY_HELP).argParser(pollEvery);
}

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
      .addOption(fullTextOption(FULL_TEXT_HELP))
      .addOption(everyOption())
      .addHelpText(
        'after',
        '\nExamples:\n  feedwatch feed add https://feeds.bbci.co.uk/news/world/rss.xml\n  feedwatch feed add https://example.com/whole-stories.xml --full-text never\n  feedwatch feed add https://example.com/alerts.xml --every 5m',
      ),
  ).action(async (url, options) => {
    cli.exitCode = await feedAdd(
      url,
      {
        allowPrivateNetwork: Boolean(options.allowPrivateNetwork),
        fullText: options.fullText,
        pollEvery: options.every,
      },
      storeOptions(options),
      io,
    );
  });
  withStoreOptions(
    feed
      .command('set')
      .description("change a feed's settings")
      .argument('<url>')
      .addOption(fullTextOption(FULL_TEXT_HELP))
      .addOption(everyOption())
      .addHelpText(
        'after',
        '\nExamples:\n  feedwatch feed set https://example.com/rss.xml --full-text always\n  feedwatch feed set https://example.com/rss.xml --every 5m\n  feedwatch feed set https://example.com/rss.xml --every auto',
      ),
  ).action(async (url, options) => {
    cli.exitCode = await feedSet(
      url,
      { fullText: options.fullText, pollEvery: options.every },
      storeOptions(options),
      io,
    );
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

export interface FeedSettings {
  /** When new items' article pages are fetched; absent leaves a new feed on the default (auto). */
  fullText?: FullTextMode;
  /** A fixed polling interval in minutes, or `auto` to follow the feed's change rate; absent leaves it. */
  pollEvery?: number | 'auto';
}

export async function feedAdd(
  feed: string,
  { allowPrivateNetwork, fullText, pollEvery }: FeedSettings & { allowPrivateNetwork: boolean },
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
    const fixed = pollEvery === 'auto' ? undefined : pollEvery;
    const added = await addMissingFeeds(feeds, [url], new Date(), false, { fullText, pollEvery: fixed });
    if (added) {
      const notes = [fullText && `full text: ${fullText}`, fixed && `polled ${everyText(fixed)}`].filter(
        Boolean,
      );
      io.out(`added feed ${url}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`);
      return EXIT.ok;
    }
    io.out(`feed ${url} is already watched`);
    if (fullText && fullText !== fullTextOf((await feeds.get(url)) ?? {}))
      io.err(
        `feedwatch: its full text is unchanged; change it with feedwatch feed set ${url} --full-text ${fullText}`,
      );
    return EXIT.ok;
  });
}

/** Changes the settings of a feed already polled; its state (health, items seen) is kept. */
export async function feedSet(
  feed: string,
  settings: FeedSettings,
  storeOptions: StoreOptions,
  io: Io,
): Promise<number> {
  if (settings.fullText === undefined && settings.pollEvery === undefined)
    throw new CliError('nothing to set: give --full-text <mode>, --every <interval>, or both');
  const url = feedUrlOf(feed, process.cwd());
  return withStores(storeOptions, async ({ feeds }) => {
    const state = await feeds.get(url);
    if (!state) throw new CliError(`no feed ${url} (see feedwatch feed list)`, EXIT.partial);
    if (state.fromConfig) {
      throw new CliError(
        `feed ${url} is listed in the config file (feedwatch.config.json by default): set "fullText" there, and the next feedwatch run applies it`,
      );
    }
    const updated: FeedState = { ...state, ...(settings.fullText && { fullText: settings.fullText }) };
    if (settings.pollEvery !== undefined) {
      updated.pollEvery = settings.pollEvery === 'auto' ? undefined : settings.pollEvery;
      // The interval the last poll chose under the old setting; the next poll chooses again.
      updated.pollMinutes = undefined;
      updated.pollReason = undefined;
      // Polled at the next cycle, which applies the new interval at once.
      updated.nextDueAt = new Date().toISOString();
    }
    await feeds.put(updated);
    io.out(
      `feed ${url}: full text ${fullTextOf(updated)}, polled ${updated.pollEvery ? everyText(updated.pollEvery) : 'as often as it changes (auto)'}`,
    );
    return EXIT.ok;
  });
}

function everyText(minutes: number): string {
  return `every ${minutesText(minutes)}`;
}

/** 5m, 1h, 1h30m. */
function minutesText(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = Math.round(minutes % 60);
  if (hours === 0) return `${rest}m`;
  return rest === 0 ? `${hours}h` : `${hours}h${rest}m`;
}

/**
 * When the feed is next polled, and how often and why: `every 20m (new items last found
 * 2026-11-28T10:05:00.000Z)`, `every 5m (set with --every)`, `every 2h (the server's max-age)`. As
 * the dispatcher decides it (see nextPoll), at the deployed stack's freshness target (5 minutes;
 * `feedwatch run` with another intervalMinutes steps by that).
 */
function pollColumns(feed: FeedState, now: Date): [nextDue: string, polled: string] {
  const next = nextPoll(feed, now, DEFAULT_SCHEDULE);
  if (feed.consecutiveFailures > 0) return [next.at, 'backing off (see NEXT DUE)'];
  if (next.minutes === undefined) return [next.at, 'not polled yet'];
  const every = everyText(next.minutes);
  const why = {
    set: 'set with --every',
    'max-age': "the server's max-age",
    retrying: 'retrying an item not stored',
    'new-items': `new items last found ${feed.lastNewItemAt}`,
    quiet: `new items last found ${feed.lastNewItemAt}`,
  }[next.reason ?? 'set'];
  return [next.at, `${every} (${why})`];
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
    const now = new Date();
    if (json) {
      for (const feed of all)
        io.out(
          JSON.stringify({
            ...feed,
            fullText: fullTextOf(feed),
            nextPollAt: nextPoll(feed, now, DEFAULT_SCHEDULE).at,
            seen: undefined,
            itemChunks: undefined,
            pageKeys: undefined,
          }),
        );
      return EXIT.ok;
    }
    if (all.length === 0) {
      io.err('no feeds yet: add one with feedwatch feed add <url>');
      return EXIT.ok;
    }
    io.out(
      table(
        [
          'FEED',
          'HEALTH',
          'LAST SUCCESS',
          'FAILURES',
          'NEXT DUE',
          'POLLED',
          'FULL TEXT',
          'PAGES UNAVAILABLE',
          'LAST ERROR',
        ],
        all.map((f) => [
          f.url,
          health(f),
          f.lastSuccessAt ?? 'never',
          String(f.consecutiveFailures),
          ...pollColumns(f, now),
          fullTextOf(f),
          pagesUnavailable(f),
          f.lastError ?? '',
        ]),
      ),
    );
    for (const feed of all) {
      for (const failure of feed.itemFailures ?? []) io.out(`${feed.url}: ${itemFailureLine(failure)}`);
    }
    // Saving every unchanged poll would cost a write per feed per cycle (see docs): a healthy
    // feed's row can lag, and without this line it reads like a stalled poller.
    io.err(
      'feedwatch: a healthy feed is saved when it changes and every 6 hours: its times can be up to 6 hours behind',
    );
    return EXIT.ok;
  });
}

/** How many article pages could not be used, and why the last one could not, e.g. `3 (HTTP 403 Forbidden)`. */
function pagesUnavailable(feed: FeedState): string {
  if (!feed.pagesUnavailable) return '0';
  return `${feed.pagesUnavailable}${feed.lastPageError ? ` (${feed.lastPageError})` : ''}`;
}

function health(feed: FeedState): string {
  const items = feed.itemFailures?.length ?? 0;
  if (feed.consecutiveFailures === 0 && items > 0)
    return `ok, ${items} ${items === 1 ? 'item' : 'items'} not stored`;
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

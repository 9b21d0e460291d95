import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_MAX_ALERTS_PER_HOUR,
  deliverySettingsProblem,
  digestCadenceOf,
  maxAlertsPerHourOf,
  timeZoneOf,
} from '#core/alerts/delivery-policy.ts';
import { isE164, isEmailAddress } from '#core/contact.ts';
import { errorMessage, FetchError } from '#core/errors.ts';
import { parseFeed } from '#core/feed/index.ts';
import type { FeedState, QuietHours, StoredMatch, Watch } from '#core/model.ts';
import { compileWatches, defaultConcepts } from '#core/query/index.ts';
import { CliError, EXIT, StoppedError } from './errors.ts';
import { readFeedSource } from './feed-source.ts';
import { feedUrlOf } from './feed-url.ts';
import type { Io } from './io.ts';
import { type MatchView, matchJson, renderMatch } from './render.ts';
import { addMissingFeeds } from './run.ts';
import { listenForStop, untilStopped } from './stop-signals.ts';
import { openStores, type StoreOptions, type Stores } from './stores.ts';
import { assertValidQuery, noteOperatorWords } from './watch-file.ts';

/**
 * Every store command's stores, closed when `work` is done. A stop signal, while DynamoDB Local
 * starts or while the work runs, ends the command at once with a StoppedError, once the server this
 * command started is down and its claim on the state directory gone: the edge only has to say so.
 */
async function withStores<T>(options: StoreOptions, work: (stores: Stores) => Promise<T>): Promise<T> {
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

export interface WatchAddOptions {
  id: string;
  query: string;
  name?: string;
  feeds?: string[];
  delivery?: Watch['delivery'];
  digest?: Watch['digest'];
  maxAlertsPerHour?: number;
  /** `HH:MM-HH:MM`, in `timeZone` (default: this machine's zone). */
  quietHours?: string;
  timeZone?: string;
  disabled?: boolean;
  replace?: boolean;
}

export async function watchAdd(
  options: WatchAddOptions,
  storeOptions: StoreOptions,
  io: Io,
): Promise<number> {
  // Validate before touching the store: an invalid id, query or delivery setting writes nothing.
  const id = options.id.trim();
  if (id === '') throw new CliError('--id must not be empty: give a short, stable id such as asset-seizure');
  assertValidQuery(id, options.query);
  noteOperatorWords(id, options.query, io);
  // The user's zone, unless told otherwise: "daily at 07:00" and quiet hours mean their clock.
  const timeZone = options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const quietHours = quietHoursOption(options.quietHours, timeZone);
  const problem = deliverySettingsProblem({
    id,
    query: options.query,
    maxAlertsPerHour: options.maxAlertsPerHour,
    quietHours,
    timeZone,
  });
  if (problem) throw new CliError(`watch "${id}": ${problem}`);
  const feedUrls = options.feeds?.map((feed) => feedUrlOf(feed, process.cwd()));
  return withStores(storeOptions, async ({ watches, feeds }) => {
    const existing = await watches.get(id);
    if (existing && !options.replace) {
      throw new CliError(`watch "${id}" already exists; use --replace to overwrite it`);
    }
    for (const url of feedUrls ?? []) {
      if (!(await feeds.get(url))) {
        io.err(`feedwatch: warning: ${url} is not a polled feed yet (add it with feedwatch feed add)`);
      }
    }
    const now = new Date().toISOString();
    await watches.put({
      id,
      query: options.query,
      name: options.name,
      feeds: feedUrls,
      delivery: options.delivery,
      digest: options.digest,
      maxAlertsPerHour: options.maxAlertsPerHour,
      quietHours,
      timeZone,
      enabled: !options.disabled,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    });
    io.out(`${existing ? 'replaced' : 'added'} watch ${id}: ${options.query}`);
    return EXIT.ok;
  });
}

function quietHoursOption(window: string | undefined, timeZone: string): QuietHours | undefined {
  if (window === undefined) return undefined;
  const [start, end, ...rest] = window.split('-');
  if (start === undefined || end === undefined || rest.length > 0)
    throw new CliError(`--quiet-hours "${window}" is not a window such as 22:00-07:00`);
  return { start, end, timeZone };
}

export async function watchList(json: boolean, storeOptions: StoreOptions, io: Io): Promise<number> {
  return withStores(storeOptions, async ({ watches }) => {
    const all = (await watches.list()).sort((a, b) => a.id.localeCompare(b.id));
    if (json) {
      for (const watch of all) io.out(JSON.stringify(watch));
      return EXIT.ok;
    }
    if (all.length === 0) {
      io.err('no watches yet: add one with feedwatch watch add --id <id> --query "<query>"');
      return EXIT.ok;
    }
    const delivery = all.map(deliverySettings);
    // No column at all while every watch alerts with the defaults, as most do.
    const column = delivery.some(Boolean);
    io.out(
      table(
        ['ID', 'ENABLED', 'NAME', ...(column ? ['DELIVERY'] : []), 'QUERY'],
        all.map((w, index) => [
          w.id,
          w.enabled === false ? 'no' : 'yes',
          w.name ?? '',
          ...(column ? [delivery[index] ?? ''] : []),
          w.query,
        ]),
      ),
    );
    return EXIT.ok;
  });
}

/**
 * A watch's delivery settings that differ from the defaults, named as the `watch add` options
 * that set them. The time zone is shown only where it acts, in quiet hours and a daily digest,
 * and as the one they use.
 */
function deliverySettings(watch: Watch): string {
  const settings: string[] = [];
  if (watch.delivery && watch.delivery !== 'immediate') settings.push(`delivery=${watch.delivery}`);
  const daily = digestCadenceOf(watch) === 'daily';
  if (daily) settings.push('digest=daily');
  const limit = maxAlertsPerHourOf(watch);
  if (limit !== DEFAULT_MAX_ALERTS_PER_HOUR) settings.push(`max-per-hour=${limit}`);
  if (watch.quietHours) settings.push(`quiet-hours=${watch.quietHours.start}-${watch.quietHours.end}`);
  if (daily || watch.quietHours) settings.push(`time-zone=${timeZoneOf(watch)}`);
  return settings.join(' ');
}

export async function watchRemove(id: string, storeOptions: StoreOptions, io: Io): Promise<number> {
  return withStores(storeOptions, async ({ watches }) => {
    if (!(await watches.delete(id)))
      throw new CliError(`no watch "${id}" (see feedwatch watch list)`, EXIT.partial);
    io.out(`removed watch ${id}`);
    return EXIT.ok;
  });
}

export async function watchSetEnabled(
  id: string,
  enabled: boolean,
  storeOptions: StoreOptions,
  io: Io,
): Promise<number> {
  return withStores(storeOptions, async ({ watches }) => {
    const watch = await watches.get(id);
    if (!watch) throw new CliError(`no watch "${id}" (see feedwatch watch list)`, EXIT.partial);
    await watches.put({ ...watch, enabled, updatedAt: new Date().toISOString() });
    io.out(`${enabled ? 'enabled' : 'disabled'} watch ${id}`);
    return EXIT.ok;
  });
}

export interface WatchTestOptions {
  query: string;
  feed: string[];
  json: boolean;
  maxBytes: number;
  allowPrivateNetwork: boolean;
}

/** Which items a query would match, and why, without storing anything. */
export async function watchTest(options: WatchTestOptions, io: Io): Promise<number> {
  assertValidQuery(undefined, options.query);
  noteOperatorWords(undefined, options.query, io);
  const { matcher } = compileWatches([{ id: 'test', query: options.query }], {
    concepts: defaultConcepts(),
  });
  let failed = 0;
  let matches = 0;
  let items = 0;
  for (const feed of options.feed) {
    try {
      const source = await readFeedSource(feed, options);
      const parsed = await parseFeed(source.bytes, {
        contentType: source.contentType,
        maxBytes: options.maxBytes,
      });
      items += parsed.items.length;
      for (const item of parsed.items) {
        for (const match of matcher.match(item)) {
          matches++;
          const view: MatchView = {
            ...match.explain(),
            itemKey: item.key,
            title: item.title,
            link: item.link,
            published: item.published,
            feed,
          };
          io.out(options.json ? matchJson(view) : `${renderMatch(view)}\n`);
        }
      }
    } catch (error) {
      failed++;
      io.err(`feedwatch: ${feed}: ${(error as Error).message}`);
      io.debug(error);
    }
  }
  io.err(`feedwatch: ${matches} of ${items} items match: ${options.query}`);
  return failed > 0 ? EXIT.partial : EXIT.ok;
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

export interface SubscribeOptions {
  email?: string;
  sms?: string;
  watch?: string[];
}

export async function subscribeCommand(
  options: SubscribeOptions,
  storeOptions: StoreOptions,
  io: Io,
): Promise<number> {
  if (!storeOptions.stack) {
    throw new CliError(
      'subscribe needs a deployed stack (--stack <name>); the local run prints alerts to the terminal',
    );
  }
  if (Boolean(options.email) === Boolean(options.sms))
    throw new CliError('give exactly one of --email <address> or --sms <number>');
  if (options.email && !isEmailAddress(options.email)) {
    throw new CliError(`"${options.email}" is not an email address`);
  }
  if (options.sms && !isE164(options.sms)) {
    throw new CliError(`"${options.sms}" is not an E.164 phone number such as +15555550100`);
  }
  return withStores(storeOptions, async (stores) => {
    const { createSnsClient } = await import('#adapters/aws-clients.ts');
    const { subscribe } = await import('#adapters/sns/subscriptions.ts');
    const sns = createSnsClient({ region: stores.region });
    try {
      const protocol = options.email ? 'email' : 'sms';
      const endpoint = options.email ?? options.sms ?? '';
      await subscribe(sns, stores.alertTopicArn ?? '', { protocol, endpoint, watchIds: options.watch });
      const scope = options.watch?.length ? ` for watches ${options.watch.join(', ')}` : ' for all watches';
      io.out(
        `subscribed ${endpoint}${scope}${protocol === 'email' ? ': confirm the email AWS sends you' : ''}`,
      );
      return EXIT.ok;
    } finally {
      sns.destroy();
    }
  });
}

/** A plain aligned table; the last column is never padded, so long queries and errors don't push lines wider. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
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

import type { Command } from 'commander';
import { Option } from 'commander';
import {
  DEFAULT_MAX_ALERTS_PER_HOUR,
  deliverySettingsProblem,
  digestCadenceOf,
  maxAlertsPerHourOf,
  timeZoneOf,
} from '#core/alerts/delivery-policy.ts';
import type { FullTextMode, QuietHours, Watch } from '#core/model.ts';
import { CliError, EXIT } from '../errors.ts';
import { feedUrlOf } from '../feed-url.ts';
import type { Io } from '../io.ts';
import {
  commaList,
  feedArgument,
  fullTextOption,
  maxBytesOption,
  positiveInt,
  storeOptions,
  withStoreOptions,
} from '../options.ts';
import type { CliContext } from '../program.ts';
import { type MatchView, matchJson, nearMissJson, renderMatch, renderNearMiss, table } from '../render.ts';
import type { StoreOptions } from '../stores.ts';
import { withStores } from '../stores.ts';

/** `feedwatch watch ...`: the topics Feedwatch looks for. */
export function registerWatch(program: Command, cli: CliContext): void {
  const { io } = cli;
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
    cli.exitCode = await watchAdd(
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
    cli.exitCode = await watchList(Boolean(options.json), storeOptions(options), io);
  });
  withStoreOptions(watch.command('rm').description('remove a watch').argument('<id>')).action(
    async (id, options) => {
      cli.exitCode = await watchRemove(id, storeOptions(options), io);
    },
  );
  for (const enabled of [true, false]) {
    withStoreOptions(
      watch
        .command(enabled ? 'enable' : 'disable')
        .description(enabled ? 'switch a watch on' : 'switch a watch off (kept, not matched)')
        .argument('<id>'),
    ).action(async (id, options) => {
      cli.exitCode = await watchSetEnabled(id, enabled, storeOptions(options), io);
    });
  }
  withStoreOptions(
    watch
      .command('test')
      .description(
        'show which items of a feed, or of the items seen lately, a query matches, and why; stores nothing',
      )
      .requiredOption('--query <query>', 'the query to try')
      .option('--feed <path-or-url>', 'a feed file or http(s) URL; repeat for several', feedArgument)
      .option('--recent', 'try it on the items the run has seen in the last 7 days, matched or not'),
  )
    .option('--json', 'one JSON object per line per match')
    .addOption(maxBytesOption())
    .option('--allow-private-network', 'allow feed URLs on loopback and private networks')
    .addOption(fullTextOption("match each item's article page too, as scan does", 'auto'))
    .addHelpText(
      'after',
      '\nExamples:\n  feedwatch watch test --query "asset seizure" --feed examples/feeds/world-news.xml' +
        '\n  feedwatch watch test --query "asset seizure" --recent',
    )
    .action(async (options) => {
      if (Boolean(options.feed) === Boolean(options.recent))
        throw new CliError(
          'give --feed <path-or-url> to test a feed, or --recent for the items seen lately (not both)',
        );
      cli.exitCode = options.recent
        ? await watchTestRecent(
            { query: options.query, json: Boolean(options.json) },
            storeOptions(options),
            io,
          )
        : await watchTest(
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
  const { assertValidQuery, noteNotWarnings, noteOperatorWords } = await import('../watch-file.ts');
  assertValidQuery(id, options.query);
  noteOperatorWords(id, options.query, io);
  noteNotWarnings(id, options.query, io);
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
  fullText: FullTextMode;
}

/** Watch ids of the near-miss variants in `watch test`: no user watch is compiled with them. */
const NEAR_MISS = 'near-miss:';

/** Which items a query would match, and why, and which it nearly matched, without storing anything. */
export async function watchTest(options: WatchTestOptions, io: Io): Promise<number> {
  const [
    { assertValidQuery, noteNotWarnings, noteOperatorWords },
    { compileWatches, defaultConcepts, nearMissVariants },
    { matchFeeds },
  ] = await Promise.all([
    import('../watch-file.ts'),
    import('#core/query/index.ts'),
    import('../feed-loop.ts'),
  ]);
  assertValidQuery(undefined, options.query);
  noteOperatorWords(undefined, options.query, io);
  noteNotWarnings(undefined, options.query, io);
  // The query, and each variant without one of its required parts: an item only a variant
  // matches is a near miss, named by the part it lacks.
  const variants = nearMissVariants(options.query);
  const { matcher } = compileWatches(
    [
      { id: 'test', query: options.query },
      ...variants.map((variant, index) => ({ id: `${NEAR_MISS}${index}`, query: variant.query })),
    ],
    { concepts: defaultConcepts() },
  );
  let matches = 0;
  const stats = await matchFeeds(options.feed, matcher, new Map(), options, io, (views) => {
    const matched = new Set(views.filter((view) => view.watchId === 'test').map((view) => view.itemKey));
    const nearMisses = new Map<string, { view: MatchView; missing: string[] }>();
    for (const view of views) {
      if (view.watchId === 'test') {
        matches++;
        io.out(options.json ? matchJson(view) : `${renderMatch(view)}\n`);
      } else if (!matched.has(view.itemKey)) {
        const missing = variants[Number(view.watchId.slice(NEAR_MISS.length))]?.missing ?? '';
        const near = nearMisses.get(view.itemKey) ?? { view, missing: [] };
        near.missing.push(missing);
        nearMisses.set(view.itemKey, near);
      }
    }
    for (const { view, missing } of nearMisses.values()) {
      const shown = { ...view, watchId: 'test' };
      io.out(options.json ? nearMissJson(shown, missing) : `${renderNearMiss(shown, missing)}\n`);
    }
  });
  io.err(`feedwatch: ${matches} of ${stats.items} items match: ${options.query}`);
  return stats.failed > 0 ? EXIT.partial : EXIT.ok;
}

/** Which of the items seen in the last days a query matches, and why, without storing anything. */
export async function watchTestRecent(
  options: { query: string; json: boolean },
  storeOptions: StoreOptions,
  io: Io,
): Promise<number> {
  const [
    { assertValidQuery, noteNotWarnings, noteOperatorWords },
    { previewQuery },
    { RECENT_ITEM_DAYS, recentWindowStart },
  ] = await Promise.all([
    import('../watch-file.ts'),
    import('#core/recent/preview.ts'),
    import('#core/recent/recent-item.ts'),
  ]);
  assertValidQuery(undefined, options.query);
  noteOperatorWords(undefined, options.query, io);
  noteNotWarnings(undefined, options.query, io);
  return withStores(storeOptions, async ({ recentItems }) => {
    if (!recentItems)
      throw new CliError('this stack keeps no recent items: deploy the current version of Feedwatch first');
    const items = await recentItems.listSince(recentWindowStart(new Date()));
    const preview = previewQuery({ query: options.query }, items);
    for (const { item, result } of preview.matches) {
      const view: MatchView = {
        ...result,
        itemKey: item.key,
        title: item.title,
        link: item.link,
        published: item.published,
        feed: item.feedUrl,
      };
      io.out(options.json ? matchJson(view) : `${renderMatch(view)}\n`);
    }
    const alerts = preview.alerts === 1 ? '1 alert' : `${preview.alerts} alerts`;
    io.err(
      `feedwatch: ${preview.matches.length} of ${items.length} items seen in the last ${RECENT_ITEM_DAYS} days match (${alerts}, one per story): ${options.query}`,
    );
    if (items.length === 0)
      io.err('feedwatch: no items seen yet: feedwatch run keeps each new item for 7 days');
    return EXIT.ok;
  });
}

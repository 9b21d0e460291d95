import { toRecentItemRows } from '#adapters/dynamodb/recent-item-row.ts';
import { MATCH_TTL_DAYS } from '#adapters/dynamodb/schema.ts';
import { DEFAULT_DEDUPE } from '#core/alerts/story.ts';
import { parseFeed } from '#core/feed/index.ts';
import { RECENT_ITEM_DAYS, recentItemOf } from '#core/recent/recent-item.ts';
import { POLLER_BATCH_SIZE } from '../../lib/pipeline.ts';
import { DEFAULT_FEEDS_PER_MESSAGE } from '../../lib/stack-config.ts';
import { itemSize } from './dynamodb-usage.ts';
import { E2E, type E2eReport } from './e2e-bench.ts';
import { invocationSeconds, waitSeconds } from './overlap-bench.ts';
import type { PagesReport } from './pages-bench.ts';
import type { ParseReport } from './parse-bench.ts';
import { FEED_NOW, type FeedKind, parseFeedText } from './parse-feeds.ts';
import { type ScheduleSimulation, simulateSchedule } from './schedule-simulation.ts';

/** us-east-1 on-demand list prices as of 2025-06 (DynamoDB after its Nov 2024 on-demand price cut). */
export const PRICES = {
  lambdaArmGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  dynamoPerMillionWru: 0.625,
  dynamoPerMillionRru: 0.125,
  sqsPerMillionRequests: 0.4,
  snsEmailPer100k: 2,
  logsPerGbIngested: 0.5,
  customMetricPerMonth: 0.3,
  dynamoStoragePerGbMonth: 0.25,
  dynamoPitrPerGbMonth: 0.2,
} as const;

/** Every assumption shared by both change-rate scenarios, printed with the figures. */
export const ASSUMPTIONS = {
  /** 30 days of 5-minute cycles: the freshness target. */
  cycleMinutes: 5,
  hoursPerMonth: 720,
  alertsPerDay: 50,
  pollerMemoryGb: 0.5,
  dispatcherMemoryGb: 0.25,
  /** Scanning the feeds table: every healthy feed stays due (about 6 MB at 10,000 feeds). Assumed. */
  dispatcherSecondsPerRun: 2,
  /**
   * Lambda gives one vCPU at 1,769 MB and a share in proportion below it: 512 MB runs CPU-bound
   * work 3.46x slower than the bench machine's one core (Graviton's speed per core against this
   * machine's is not measured).
   */
  lambdaCpuSlowdown: 1769 / 512,
  /** A feed's response (headers and body, or a 304) from a CDN-served publisher; assumed, not measured here. */
  feedResponseSeconds: 0.3,
  /** A DynamoDB request from Lambda in the same region (single-digit ms; transactions more). Assumed. */
  dynamodbRequestSeconds: 0.01,
  /** Real publishers answer in 100 ms to several seconds; a batch waits for its slowest feed. */
  slowestFeedSeconds: 2,
  /** SQS event source mapping: pollers long-poll even when idle (about 5 pollers, 20 s polls). */
  idleSqsRequestsPerMonth: 5 * 3 * 60 * 720,
  /**
   * Reading one page on the bench machine (x lambdaCpuSlowdown on Lambda), assumed when the bench
   * runs without its pages section, which measures it.
   */
  pageReadSeconds: 0.1,
  /** A publisher's page answers in about this long; an invocation fetches DEFAULT_PAGE_CONCURRENCY at once. */
  pageWaitSeconds: 0.5,
  /** Lambda's START, END and REPORT lines, the handler's summary and the flushed EMF metrics. */
  logKbPerInvocation: 2,
  /**
   * A healthy poll logs nothing; a failed feed, an item not stored or skipped article pages log
   * one line of about 0.4 KB. Assumed: one poll in 20 logs one.
   */
  logKbPerFeedPoll: 0.4 / 20,
  /** 7, and ArticlePageFetched and ArticlePageUnavailable for full text. */
  customMetrics: 9,
  /**
   * GSIs each match is written to besides its table, all projecting every attribute (byWatchTime,
   * byDay, pending). Feeds have none (the dispatcher scans them), nor have recent items (listed by
   * the table's own key); a story register and an alert counter carry no index key.
   */
  matchGsis: 3,
  /** The deliverers: the notifier once per stored story (pessimistic: one stream batch each), the sweeper every 15 minutes, the digest hourly. */
  sweeperRunsPerMonth: 4 * 720,
  digestRunsPerMonth: 720,
  /** Assumed, not measured: a deliverer's run (a few DynamoDB calls and one SNS publish) at 256 MB. */
  deliverySecondsPerRun: 1,
  deliveryMemoryGb: 0.25,
} as const;

/**
 * How often feeds change, with where each figure comes from (docs/performance.md#change-rates).
 * Publications are a Poisson process: a feed of `eventsPerHour` has a new item in a share
 * 1 - e^(-eventsPerHour / 12) of 5-minute slots, the share the sources give.
 */
export interface ChangeRates {
  name: string;
  /** The assumptions these rates belong to, and so the target they are held to (COST_TARGETS_USD). */
  assumptions: 'pessimistic' | 'measured';
  /** Share of 5-minute slots in which the feed publishes. */
  slotShare: number;
  source: string;
  /** New items per publishing slot. */
  itemsPerEvent: number;
  /** Of the quiet polls, the share answered 304 (no body). */
  notModifiedShare: number;
  /** Of the quiet polls answered 200, the share whose body was rebuilt (so its items are checked, not parsed). */
  rebuiltBodyShare: number;
  /** Of the new items, the share whose article page is fetched for full text (`auto`: teasers). */
  pageShare: number;
  /** What the feeds carry, so how fast they parse: full articles (html) or teasers (plain). */
  feedKind: FeedKind;
  /** Which of the bench pages' reading times a page costs (Measured.pageRead). */
  pageRead: 'meanSeconds' | 'p90Seconds';
}

/** The targets for 10,000 feeds at a 5-minute freshness target, full text on. */
export const COST_TARGETS_USD = { pessimistic: 75, measured: 25 } as const;

const PESSIMISTIC_CHANGES = {
  assumptions: 'pessimistic',
  // The busiest of the news snapshots (Guardian international, 1 Apr 2025): 64 items in 24 h, in
  // 46 of 288 five-minute slots; every feed assumed that busy, none answering 304, every quiet
  // body rebuilt.
  slotShare: 46 / 288,
  source: 'busiest snapshot (Guardian international): 46 of 288 five-minute slots',
  itemsPerEvent: 64 / 46,
  notModifiedShare: 0,
  rebuiltBodyShare: 1,
  // Every page as heavy as the bench's 90th-percentile page.
  pageRead: 'p90Seconds',
} as const;

/**
 * Under full text `auto`, the default, a page is read for an item whose feed text is a teaser
 * (under AUTO_MAX_FEED_WORDS words), never for a full article: a feed either parses slowly (full
 * content) or sends its items' pages to be read (teasers), and the pessimistic month is the
 * dearer of the two, every feed taken as that kind.
 */
export const PESSIMISTIC_RATES: readonly ChangeRates[] = [
  { ...PESSIMISTIC_CHANGES, name: 'pessimistic, teasers', feedKind: 'plain', pageShare: 1 },
  { ...PESSIMISTIC_CHANGES, name: 'pessimistic, full content', feedKind: 'html', pageShare: 0 },
];

export const MEASURED_RATES: ChangeRates = {
  name: 'measured',
  assumptions: 'measured',
  // Superfeedr: "barely 5%" of its scheduled fetches find a new entry, over its whole feed set.
  slotShare: 0.05,
  source: 'Superfeedr, scheduled fetches with a new entry',
  // Median over the five active snapshots (BBC 1.31, BBC World 1.05, Guardian 1.39, NYT 1.03, TOI 1.19).
  itemsPerEvent: 1.19,
  // The e2e setup (30% of its feeds send an ETag): assumed, not measured on real feeds.
  notModifiedShare: 0.3,
  // Not measured: half of the rest, between none and all.
  rebuiltBodyShare: 0.5,
  // Full text auto: items whose feed text is under 100 words (a headline and a standfirst); assumed.
  pageShare: 0.7,
  // The seven news snapshots are all teaser feeds: a headline and a sentence or two an item.
  feedKind: 'plain',
  // A month of pages adds up to their mean, not their median.
  pageRead: 'meanSeconds',
};

export function eventsPerHour(rates: ChangeRates): number {
  return -Math.log(1 - rates.slotShare) * (60 / ASSUMPTIONS.cycleMinutes);
}

const FEEDS_PER_INVOCATION = DEFAULT_FEEDS_PER_MESSAGE * POLLER_BATCH_SIZE;

export interface CostLine {
  service: string;
  arithmetic: string;
  usd: number;
}

export interface CostScenario {
  feeds: number;
  rates: ChangeRates;
  /** The month of one feed under the schedule, as simulated with pollFeed. */
  month: ScheduleSimulation;
  lines: CostLine[];
  totalUsd: number;
  /** The same month with every feed polled at every cycle (`--every 5m`), for comparison. */
  everyCycleUsd: number;
  measured: Measured;
}

export interface Measured {
  itemsPerFeed: number;
  /** Matches stored (new stories) per parsed item: each is later updated PENDING -> SENT. */
  matchesPerNewItem: number;
  /**
   * Transactions sent per story stored: one cancelled because another poller changed the watch's
   * register meanwhile is tried again, and is billed too.
   */
  storyAttemptsPerStory: number;
  /** Updates of stored matches per parsed item (near-duplicate sources noted on a match). */
  matchUpdatesPerNewItem: number;
  /**
   * Register puts per parsed item outside a new story's transaction (a near-duplicate merged into
   * a story), those refused because the register changed meanwhile included: they are billed too.
   */
  registerPutsPerNewItem: number;
  /** Queries and gets on the matches table per parsed item (the story-identity lookups). */
  matchReadsPerNewItem: number;
  feedItemKb: number;
  matchItemKb: number;
  /**
   * A watch's story register, rewritten in the transaction that stores a new story: its size
   * without records, and per record (it holds the watch's stories of the last 7 days, up to 500).
   */
  registerEmptyKb: number;
  registerRecordKb: number;
  /**
   * A poll's new items are kept as one recent-items row: its size with 1, 2, ... RECENT_ROW_ITEMS
   * items, by feed kind (the parse bench's feeds' items, as the store writes them).
   */
  recentRows: Record<FeedKind, RecentRowSizes>;
  /** CPU seconds of a local poller invocation (FEEDS_PER_INVOCATION feeds) whose feeds answer 304 or an unchanged body. */
  quietInvocationCpuSeconds: number;
  /** DynamoDB requests of that quiet invocation (its state reads). */
  quietInvocationRequests: number;
  /**
   * Items parsed per CPU second, warm, by feed kind (the parse bench's feeds; without the parse
   * section, the first e2e cycle's parse and matching together for both: a lower bound).
   */
  parsedItemsPerSecond: Record<FeedKind, number>;
  /**
   * Items per CPU second, warm, by feed kind, that the check of a rebuilt body gets through
   * (itemChunkHashes, in place of a parse: the parse bench; without it, the e2e run's rebuilt
   * cycle over its quiet one).
   */
  checkedItemsPerSecond: Record<FeedKind, number>;
  /**
   * CPU seconds and DynamoDB requests per new item beyond parsing it: matching, story identity,
   * the match and recent-item writes (the first e2e cycle, where every item is new, less the
   * quiet cycle and the parse).
   */
  newItemCpuSeconds: number;
  newItemRequests: number;
  /** Reading one article page on the bench machine, from the pages bench (or ASSUMPTIONS.pageReadSeconds). */
  pageRead: { meanSeconds: number; p90Seconds: number; source: string };
}

/** Rows of up to this many items are measured; a larger poll's row is extrapolated from them. */
const RECENT_ROW_ITEMS = 8;

/** A recent-items row's stored size and write units, by the number of items it holds (index 1 on). */
export interface RecentRowSizes {
  bytes: number[];
  /** The mean of each row's own units (1 per started KB), not the units of the mean size. */
  writeUnits: number[];
}

/**
 * Recent-items rows holding 1 to RECENT_ROW_ITEMS items of each feed kind, as the DynamoDB store
 * writes a poll's new items (toRecentItemRows), averaged over the feed's items.
 */
export async function recentRowSizes(): Promise<Record<FeedKind, RecentRowSizes>> {
  const sizes = async (kind: FeedKind): Promise<RecentRowSizes> => {
    const { items } = await parseFeed(new TextEncoder().encode(parseFeedText(kind)), { now: FEED_NOW });
    const recent = items.map((item) => recentItemOf(item, `https://news.example.org/${kind}.xml`, FEED_NOW));
    const measured: RecentRowSizes = { bytes: [], writeUnits: [] };
    for (let count = 1; count <= RECENT_ROW_ITEMS; count++) {
      const rows: number[] = [];
      for (let start = 0; start + count <= recent.length; start += count)
        rows.push(...toRecentItemRows(recent.slice(start, start + count)).map(itemSize));
      const mean = (of: (size: number) => number) =>
        rows.reduce((sum, size) => sum + of(size), 0) / rows.length;
      measured.bytes[count] = mean((size) => size);
      measured.writeUnits[count] = mean((size) => Math.ceil(size / 1024));
    }
    return measured;
  };
  return { html: await sizes('html'), plain: await sizes('plain') };
}

/** A measured figure for a row of `items` items (a mean over polls, so fractional), between and past the measured ones. */
function interpolated(measured: readonly number[], items: number): number {
  const below = Math.max(1, Math.min(RECENT_ROW_ITEMS - 1, Math.floor(items)));
  const low = measured[below] ?? 0;
  const high = measured[below + 1] ?? low;
  return low + (items - below) * (high - low);
}

export function measuredFromE2e(
  report: E2eReport,
  recentRows: Record<FeedKind, RecentRowSizes>,
  parse?: ParseReport,
  pages?: PagesReport,
): Measured {
  const [first, second, rebuilt] = report.cycles;
  if (!first || !second || !rebuilt) throw new Error('the cost model needs the three e2e cycles');
  const usage = (key: string) =>
    first.dynamodb[key] ?? { requests: 0, itemBytes: 0, items: 0, writeUnits: 0 };
  const feedPuts = usage('Put bench-feeds');
  const matchKb = first.matchItemBytes / Math.max(1, first.matchesStored) / 1024;
  const itemsPerInvocation = FEEDS_PER_INVOCATION * report.setup.itemsPerFeed;
  const firstCpu = first.invocationCpuMedianMs / 1000;
  const quietCpu = second.invocationCpuMedianMs / 1000;
  const e2eRate = itemsPerInvocation / Math.max(1e-3, firstCpu - quietCpu);
  const parsedItemsPerSecond = parse?.itemsPerSecond ?? { html: e2eRate, plain: e2eRate };
  // In the rebuilt cycle, the feeds without an ETag are checked; the others answer 304.
  const checkedRate =
    (itemsPerInvocation * (1 - report.setup.conditionalShare)) /
    Math.max(1e-3, rebuilt.invocationCpuMedianMs / 1000 - quietCpu);
  const checkedItemsPerSecond = parse?.checkedItemsPerSecond ?? { html: checkedRate, plain: checkedRate };
  const onMatches = (verbs: string[]) =>
    verbs.reduce((sum, verb) => sum + usage(`${verb} bench-matches`).requests, 0);
  return {
    itemsPerFeed: report.setup.itemsPerFeed,
    matchesPerNewItem: first.matchesStored / first.itemsParsed,
    storyAttemptsPerStory: usage('TransactWrite bench-matches').requests / Math.max(1, first.matchesStored),
    matchUpdatesPerNewItem: onMatches(['Update']) / first.itemsParsed,
    registerPutsPerNewItem: onMatches(['Put']) / first.itemsParsed,
    matchReadsPerNewItem: onMatches(['Query', 'Get']) / first.itemsParsed,
    feedItemKb: feedPuts.itemBytes / Math.max(1, feedPuts.requests) / 1024,
    matchItemKb: matchKb,
    registerEmptyKb: report.registers.emptyBytes / Math.max(1, report.registers.count) / 1024,
    registerRecordKb:
      (report.registers.bytes - report.registers.emptyBytes) / Math.max(1, report.registers.records) / 1024,
    recentRows,
    quietInvocationCpuSeconds: quietCpu,
    quietInvocationRequests: second.dynamodbRequestsPerInvocation,
    parsedItemsPerSecond,
    checkedItemsPerSecond,
    // The e2e feeds' 150-word items parse at about the plain rate.
    newItemCpuSeconds:
      Math.max(0, firstCpu - quietCpu - itemsPerInvocation / parsedItemsPerSecond.plain) / itemsPerInvocation,
    newItemRequests:
      Math.max(0, first.dynamodbRequestsPerInvocation - second.dynamodbRequestsPerInvocation) /
      itemsPerInvocation,
    pageRead: pages
      ? {
          meanSeconds: pages.all.meanMs / 1000,
          p90Seconds: pages.all.p90Ms / 1000,
          source: `the pages bench's ${pages.all.pages} news pages`,
        }
      : {
          meanSeconds: ASSUMPTIONS.pageReadSeconds,
          p90Seconds: ASSUMPTIONS.pageReadSeconds,
          source: 'assumed (the bench ran without its pages section)',
        },
  };
}

const n = (value: number): string =>
  value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);

/** Monthly cost of `feeds` feeds that each behave like the simulated `month`. */
export function costScenario(
  feeds: number,
  m: Measured,
  rates: ChangeRates,
  month: ScheduleSimulation,
): Omit<CostScenario, 'everyCycleUsd' | 'measured'> {
  const a = ASSUMPTIONS;
  const p = PRICES;
  const cycles = (a.hoursPerMonth * 60) / a.cycleMinutes;
  const polls = feeds * month.polls;
  const fresh = month.newContentPolls / month.polls;
  const quiet = 1 - fresh;
  const rebuilt = quiet * (1 - rates.notModifiedShare) * rates.rebuiltBodyShare;
  const newItems = feeds * month.events * rates.itemsPerEvent;
  const pages = newItems * rates.pageShare;
  const stories = newItems * m.matchesPerNewItem;

  const duePerCycle = polls / cycles;
  const invocationsPerCycle = Math.ceil(duePerCycle / FEEDS_PER_INVOCATION);
  const feedsPerInvocation = duePerCycle / invocationsPerCycle;
  const share = feedsPerInvocation / FEEDS_PER_INVOCATION;
  // A poll that found something checks its body's items, parses the whole feed and handles its
  // new items (about itemsPerEvent of them); a rebuilt body's items are checked, not parsed; the
  // rest cost what a quiet invocation costs.
  const newItemsPerFreshPoll = newItems / (feeds * month.newContentPolls);
  const parseSeconds = m.itemsPerFeed / m.parsedItemsPerSecond[rates.feedKind];
  const checkSeconds = m.itemsPerFeed / m.checkedItemsPerSecond[rates.feedKind];
  const cpuSeconds =
    share * m.quietInvocationCpuSeconds +
    feedsPerInvocation *
      ((fresh + rebuilt) * checkSeconds +
        fresh * parseSeconds +
        fresh * newItemsPerFreshPoll * m.newItemCpuSeconds);
  const requests =
    share * m.quietInvocationRequests + feedsPerInvocation * fresh * newItemsPerFreshPoll * m.newItemRequests;
  // Inbound transfer is free and the functions run outside a VPC (no NAT): a page costs its time.
  const pageReadSeconds = m.pageRead[rates.pageRead];
  const pagesPerInvocation = pages / (invocationsPerCycle * cycles);
  const pageCpuSeconds = pageReadSeconds * a.lambdaCpuSlowdown;
  // The waiting overlaps the CPU work (the overlap bench measures both regimes), so an invocation
  // is billed the longer of the two, the CPU work starting after the first response.
  const waiting = waitSeconds(
    { feeds: feedsPerInvocation, pages: pagesPerInvocation, dynamodbRequests: requests },
    {
      feedSeconds: a.feedResponseSeconds,
      pageSeconds: a.pageWaitSeconds,
      slowestFeedSeconds: a.slowestFeedSeconds,
      dynamodbRequestSeconds: a.dynamodbRequestSeconds,
    },
  );
  const invocationCpuSeconds = cpuSeconds * a.lambdaCpuSlowdown + pagesPerInvocation * pageCpuSeconds;
  const billedSeconds = invocationSeconds(invocationCpuSeconds, waiting, a.feedResponseSeconds);
  // The pages' reading is priced on its own line, the rest of the invocation on the polling line.
  const pageGbS = pages * pageCpuSeconds * a.pollerMemoryGb;
  const pollerSeconds = billedSeconds - pagesPerInvocation * pageCpuSeconds;
  const pollerGbS = invocationsPerCycle * cycles * pollerSeconds * a.pollerMemoryGb;
  const dispatcherGbS = cycles * a.dispatcherSecondsPerRun * a.dispatcherMemoryGb;
  const pollingRequests = cycles * (invocationsPerCycle + 1);

  const statePuts = feeds * month.statePuts;
  const wruStatePut = Math.ceil(m.feedItemKb);
  const wruMatch = Math.ceil(m.matchItemKb) * (1 + a.matchGsis);
  // A watch's register holds its stories of the dedupe window (7 days), up to 500: as many as the
  // e2e run's 300 watches store in a window at this month's rate.
  const registerStories = Math.min(
    DEFAULT_DEDUPE.maxCandidates,
    (stories * (DEFAULT_DEDUPE.windowMs / 86_400_000)) / 30 / E2E.watches,
  );
  const registerKb = m.registerEmptyKb + registerStories * m.registerRecordKb;
  const wruRegister = Math.ceil(registerKb);
  // A new story is one transaction (2x the units) putting the match and its watch's register.
  const wruStory = 2 * (wruMatch + wruRegister);
  const registerPuts = newItems * m.registerPutsPerNewItem;
  // Each near-duplicate source noted on a match, and the deliverer's claim (PENDING -> SENDING)
  // and settlement (SENT, DIGEST...) of every story, update the match; an alert takes a slot of
  // its watch's hourly counter (one small item).
  const matchUpdates = 2 * stories + newItems * m.matchUpdatesPerNewItem;
  const counterUpdates = stories;
  // A row per poll that found new items, as many as its events brought (itemsPerEvent each).
  const rows = m.recentRows[rates.feedKind];
  const rowSizes = month.findingPollsByEvents.flatMap((polls, events) => {
    const items = events * rates.itemsPerEvent;
    return polls
      ? [{ polls, kb: interpolated(rows.bytes, items) / 1024, wru: interpolated(rows.writeUnits, items) }]
      : [];
  });
  const recentRows = feeds * month.newContentPolls;
  const recentWru = feeds * rowSizes.reduce((sum, { polls, wru }) => sum + polls * wru, 0);
  const recentKb = feeds * rowSizes.reduce((sum, { polls, kb }) => sum + polls * kb, 0);
  const stateWru = statePuts * wruStatePut;
  const storyAttempts = stories * m.storyAttemptsPerStory;
  const storyWru =
    storyAttempts * wruStory + registerPuts * wruRegister + matchUpdates * wruMatch + counterUpdates;
  // The poller reads each state by BatchGetItem, eventually consistent (0.5 RRU per 4 KB); the
  // dispatcher scans every state each cycle (0.5 RRU per 4 KB scanned): an index by due time
  // would read nearly all of them too, as quiet feeds stay due and are spaced by isScheduled.
  // Story identity reads the register (strongly consistent, 1 RRU per 4 KB) and queries the
  // watch's matches; a deliverer reads the watch (1 RRU).
  const rruPerPoll = Math.ceil(m.feedItemKb / 4) * 0.5;
  const dispatchRru = feeds * cycles * (m.feedItemKb / 4) * 0.5;
  const rruPerMatchRead = Math.ceil(registerKb / 4);
  const rru =
    polls * rruPerPoll + dispatchRru + newItems * m.matchReadsPerNewItem * rruPerMatchRead + stories;

  const deliveryRuns = stories + a.sweeperRunsPerMonth + a.digestRunsPerMonth;
  const deliveryGbS = deliveryRuns * a.deliverySecondsPerRun * a.deliveryMemoryGb;
  // Held: recent items for RECENT_ITEM_DAYS, matches for MATCH_TTL_DAYS, one state per feed and
  // one register per watch; each index holds another copy (PITR is billed on the tables alone).
  const tableGb =
    (recentKb * RECENT_ITEM_DAYS) / 30 +
    ((stories * MATCH_TTL_DAYS) / 30) * m.matchItemKb +
    feeds * m.feedItemKb +
    E2E.watches * registerKb;
  const indexGb = ((stories * MATCH_TTL_DAYS) / 30) * m.matchItemKb * a.matchGsis;
  const storedGb = (tableGb + indexGb) / 1024 / 1024;
  const pitrGb = tableGb / 1024 / 1024;

  const messagesPerCycle = Math.ceil(duePerCycle / DEFAULT_FEEDS_PER_MESSAGE);
  // SendMessageBatch per 10 messages, then one receive and one delete batch per poller batch.
  const sqsRequests =
    cycles * (Math.ceil(messagesPerCycle / 10) + 2 * invocationsPerCycle) + a.idleSqsRequestsPerMonth;
  const alerts = a.alertsPerDay * 30;
  const lambdaRequests = pollingRequests + deliveryRuns;
  const logGb = (lambdaRequests * a.logKbPerInvocation + polls * a.logKbPerFeedPoll) / 1024 / 1024;

  const lines: CostLine[] = [
    {
      service: 'Lambda compute, polling',
      arithmetic: `${n(invocationsPerCycle)} poller runs x ${n(cycles)} cycles x ${pollerSeconds.toFixed(2)} s (the longer of ${a.feedResponseSeconds} s for the first response + ${invocationCpuSeconds.toFixed(2)} s of CPU, ${cpuSeconds.toFixed(2)} s x ${a.lambdaCpuSlowdown.toFixed(2)} plus ${(pagesPerInvocation * pageCpuSeconds).toFixed(2)} s reading ${pagesPerInvocation.toFixed(1)} pages, and ${waiting.toFixed(2)} s waiting, less the pages' reading) x ${a.pollerMemoryGb} GB + dispatcher ${n(dispatcherGbS)} GB-s = ${n(pollerGbS + dispatcherGbS)} GB-s x $${p.lambdaArmGbSecond}`,
      usd: (pollerGbS + dispatcherGbS) * p.lambdaArmGbSecond,
    },
    {
      service: 'Article pages (full text)',
      arithmetic: `${n(pages)} pages x ${pageReadSeconds.toFixed(3)} s reading x ${a.lambdaCpuSlowdown.toFixed(2)} = ${pageCpuSeconds.toFixed(3)} s (their waiting is on the polling line) x ${a.pollerMemoryGb} GB = ${n(pageGbS)} GB-s x $${p.lambdaArmGbSecond} (their records ride on the feed-state put of the poll that found the items)`,
      usd: pageGbS * p.lambdaArmGbSecond,
    },
    {
      service: 'Lambda compute, delivery',
      arithmetic: `${n(deliveryRuns)} runs (notifier per story, sweeper, digest) x ${a.deliverySecondsPerRun} s x ${a.deliveryMemoryGb} GB = ${n(deliveryGbS)} GB-s x $${p.lambdaArmGbSecond}`,
      usd: deliveryGbS * p.lambdaArmGbSecond,
    },
    {
      service: 'Lambda requests',
      arithmetic: `${n(lambdaRequests)} x $${p.lambdaPerMillionRequests}/M`,
      usd: (lambdaRequests / 1e6) * p.lambdaPerMillionRequests,
    },
    {
      service: 'DynamoDB writes: feed states',
      arithmetic: `${n(statePuts)} state puts x ${wruStatePut} WRU (the table alone: no index) = ${n(stateWru)} WRU x $${p.dynamoPerMillionWru}/M`,
      usd: (stateWru / 1e6) * p.dynamoPerMillionWru,
    },
    {
      service: 'DynamoDB writes: stories and delivery',
      arithmetic: `${n(storyAttempts)} story transactions (${n(stories)} stored) x ${wruStory} (match and its watch's ${registerKb.toFixed(1)} KB register, ${registerStories.toFixed(1)} stories, transactional) + ${n(registerPuts)} register merges x ${wruRegister} + ${n(matchUpdates)} match updates (sources, claim, settle) x ${wruMatch} + ${n(counterUpdates)} alert counters x 1 = ${n(storyWru)} WRU x $${p.dynamoPerMillionWru}/M`,
      usd: (storyWru / 1e6) * p.dynamoPerMillionWru,
    },
    {
      service: 'DynamoDB writes: recent items',
      arithmetic: `${n(newItems)} new items in ${n(recentRows)} rows, one per poll that found any (${(recentKb / recentRows).toFixed(2)} KB and ${(recentWru / recentRows).toFixed(2)} WRU on average, 1 WRU per started KB of each: the ${rates.feedKind === 'html' ? 'full-content' : 'teaser'} feed's items as stored; the table alone, no index) = ${n(recentWru)} WRU x $${p.dynamoPerMillionWru}/M`,
      usd: (recentWru / 1e6) * p.dynamoPerMillionWru,
    },
    {
      service: 'DynamoDB reads',
      arithmetic: `${n(polls)} polls x ${rruPerPoll} RRU + dispatcher's scans ${n(dispatchRru)} RRU + ${n(newItems)} new items x ${m.matchReadsPerNewItem.toFixed(3)} story reads x ${rruPerMatchRead} RRU + ${n(stories)} watch reads = ${n(rru)} RRU x $${p.dynamoPerMillionRru}/M`,
      usd: (rru / 1e6) * p.dynamoPerMillionRru,
    },
    {
      service: 'DynamoDB storage and backups',
      arithmetic: `${storedGb.toFixed(2)} GB held (recent items ${RECENT_ITEM_DAYS} days, matches ${MATCH_TTL_DAYS} days with their indexes) x $${p.dynamoStoragePerGbMonth} + point-in-time recovery ${pitrGb.toFixed(2)} GB x $${p.dynamoPitrPerGbMonth} (no free tier counted)`,
      usd: storedGb * p.dynamoStoragePerGbMonth + pitrGb * p.dynamoPitrPerGbMonth,
    },
    {
      service: 'SQS',
      arithmetic: `${n(sqsRequests)} requests (incl. ${n(a.idleSqsRequestsPerMonth)} idle long polls) x $${p.sqsPerMillionRequests}/M`,
      usd: (sqsRequests / 1e6) * p.sqsPerMillionRequests,
    },
    {
      service: 'EventBridge',
      arithmetic: `${n(cycles + a.sweeperRunsPerMonth + a.digestRunsPerMonth)} scheduled-rule invocations: free (Scheduler would be under its 14M free tier)`,
      usd: 0,
    },
    {
      service: 'SNS email',
      arithmetic: `${n(alerts)} alerts x $${p.snsEmailPer100k}/100k (SMS: per-country, not included)`,
      usd: (alerts / 1e5) * p.snsEmailPer100k,
    },
    {
      service: 'CloudWatch logs',
      arithmetic: `${logGb.toFixed(2)} GB (${a.logKbPerInvocation} KB/run + ${a.logKbPerFeedPoll} KB/poll: a line for one poll in 20, EMF included) x $${p.logsPerGbIngested}/GB`,
      usd: logGb * p.logsPerGbIngested,
    },
    {
      service: 'CloudWatch metrics',
      arithmetic: `${a.customMetrics} custom metrics x $${p.customMetricPerMonth}`,
      usd: a.customMetrics * p.customMetricPerMonth,
    },
  ];
  return { feeds, rates, month, lines, totalUsd: lines.reduce((sum, line) => sum + line.usd, 0) };
}

/** The month a set of assumptions is held to its target by: the dearest of its scenarios. */
export function costVerdicts(
  scenarios: readonly CostScenario[],
): { assumptions: 'pessimistic' | 'measured'; usd: number; targetUsd: number; pass: boolean }[] {
  return (['pessimistic', 'measured'] as const).map((assumptions) => {
    const usd = Math.max(
      ...scenarios.filter((s) => s.rates.assumptions === assumptions).map((s) => s.totalUsd),
    );
    const targetUsd = COST_TARGETS_USD[assumptions];
    return { assumptions, usd, targetUsd, pass: usd < targetUsd };
  });
}

/** 10,000 feeds under each change rate: each feed's month simulated under the poller's schedule, and at every cycle. */
export async function costModel(m: Measured, feeds = 10_000): Promise<CostScenario[]> {
  const scenarios: CostScenario[] = [];
  // The two pessimistic months share their change rates: each rate's months are simulated once.
  const simulated = new Map<number, Promise<[ScheduleSimulation, ScheduleSimulation]>>();
  const monthsAt = (rate: number) => {
    let months = simulated.get(rate);
    if (!months) {
      months = Promise.all([
        simulateSchedule(rate),
        simulateSchedule(rate, { pollEvery: ASSUMPTIONS.cycleMinutes }),
      ]);
      simulated.set(rate, months);
    }
    return months;
  };
  for (const rates of [...PESSIMISTIC_RATES, MEASURED_RATES]) {
    const [month, everyCycle] = await monthsAt(eventsPerHour(rates));
    scenarios.push({
      ...costScenario(feeds, m, rates, month),
      everyCycleUsd: costScenario(feeds, m, rates, everyCycle).totalUsd,
      measured: m,
    });
  }
  return scenarios;
}

import { POLLER_BATCH_SIZE } from '../../lib/pipeline.ts';
import { DEFAULT_FEEDS_PER_MESSAGE } from '../../lib/stack-config.ts';
import type { E2eReport } from './e2e-bench.ts';
import type { ParseReport } from './parse-bench.ts';
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
} as const;

/** Every assumption shared by both change-rate scenarios, printed with the figures. */
export const ASSUMPTIONS = {
  /** 30 days of 5-minute cycles: the freshness target. */
  cycleMinutes: 5,
  hoursPerMonth: 720,
  alertsPerDay: 50,
  pollerMemoryGb: 0.5,
  dispatcherMemoryGb: 0.25,
  /** Paging through the due index: every healthy feed stays due (about 6 MB at 10,000 feeds). */
  dispatcherSecondsPerRun: 2,
  /** Lambda at 512 MB gets about a third of a vCPU; the bench machine gives a core. */
  lambdaCpuSlowdown: 3,
  /** Real publishers answer in 100 ms to several seconds; a batch waits for its slowest feed. */
  slowestFeedSeconds: 2,
  /** SQS event source mapping: pollers long-poll even when idle (about 5 pollers, 20 s polls). */
  idleSqsRequestsPerMonth: 5 * 3 * 60 * 720,
  /**
   * Reading one page (linkedom parse, chrome removal, Readability) on the bench machine, x
   * lambdaCpuSlowdown on Lambda: 0.1-0.15 s for an 85 KB page with 300 navigation links, measured
   * on a shared 2-core machine.
   */
  pageReadSeconds: 0.1,
  /** A publisher's page answers in about this long; an invocation reads 8 pages at once. */
  pageWaitSeconds: 0.5,
  pagesAtOnce: 8,
  logKbPerInvocation: 2,
  logKbPerFeedPoll: 0.2,
  /** 7, and ArticlePageFetched and ArticlePageUnavailable for full text. */
  customMetrics: 9,
  /** GSIs each item is written to besides its table (feeds: byDue; matches: byWatchTime, byDay, pending). */
  feedGsis: 1,
  matchGsis: 3,
} as const;

/**
 * How often feeds change, with where each figure comes from (docs/performance.md#change-rates).
 * Publications are a Poisson process: a feed of `eventsPerHour` has a new item in a share
 * 1 - e^(-eventsPerHour / 12) of 5-minute slots, the share the sources give.
 */
export interface ChangeRates {
  name: string;
  /** Share of 5-minute slots in which the feed publishes. */
  slotShare: number;
  source: string;
  /** New items per publishing slot. */
  itemsPerEvent: number;
  /** Of the quiet polls, the share answered 304 (no body). */
  notModifiedShare: number;
  /** Of the quiet polls answered 200, the share whose body was rebuilt (so parsed again). */
  rebuiltBodyShare: number;
  /** Of the new items, the share whose article page is fetched for full text (`auto`: teasers). */
  pageShare: number;
}

export const PESSIMISTIC_RATES: ChangeRates = {
  name: 'pessimistic',
  // The busiest of the news snapshots (Guardian international, 1 Apr 2025): 64 items in 24 h, in
  // 46 of 288 five-minute slots; every feed assumed that busy, none answering 304, every quiet
  // body rebuilt, every new item's page read.
  slotShare: 46 / 288,
  source: 'busiest snapshot (Guardian international): 46 of 288 five-minute slots',
  itemsPerEvent: 64 / 46,
  notModifiedShare: 0,
  rebuiltBodyShare: 1,
  pageShare: 1,
};

export const MEASURED_RATES: ChangeRates = {
  name: 'measured',
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
  /** Updates of stored matches per parsed item (near-duplicate sources noted on a match). */
  matchUpdatesPerNewItem: number;
  /** Queries and gets on the matches table per parsed item (the story-identity lookups). */
  matchReadsPerNewItem: number;
  feedItemKb: number;
  matchItemKb: number;
  /** A watch's story register, rewritten in the transaction that stores a new story. */
  registerItemKb: number;
  recentItemKb: number;
  /** Local poller invocation (100 feeds): all parsed, and all 304/unchanged. */
  parsedInvocationSeconds: number;
  unchangedInvocationSeconds: number;
  /**
   * Local invocation (100 feeds) whose bodies were rebuilt with nothing new: the quiet figure plus
   * parsing every item at the parse bench's rate (without it, the parsed figure: an upper bound).
   */
  rebuiltInvocationSeconds: number;
}

export function measuredFromE2e(report: E2eReport, parse?: ParseReport): Measured {
  const [first, second] = report.cycles;
  if (!first || !second) throw new Error('the cost model needs both e2e cycles');
  const usage = (key: string) => first.dynamodb[key] ?? { requests: 0, itemBytes: 0, items: 0 };
  const feedPuts = usage('Put bench-feeds');
  const stories = usage('TransactWrite bench-matches');
  const recent = usage('BatchWrite bench-recent-items');
  const matchKb = first.matchItemBytes / Math.max(1, first.matchesStored) / 1024;
  const onMatches = (verbs: string[]) =>
    verbs.reduce((sum, verb) => sum + usage(`${verb} bench-matches`).requests, 0);
  return {
    itemsPerFeed: report.setup.itemsPerFeed,
    matchesPerNewItem: first.matchesStored / first.itemsParsed,
    matchUpdatesPerNewItem: onMatches(['Update']) / first.itemsParsed,
    matchReadsPerNewItem: onMatches(['Query', 'Get']) / first.itemsParsed,
    feedItemKb: feedPuts.itemBytes / Math.max(1, feedPuts.requests) / 1024,
    matchItemKb: matchKb,
    registerItemKb:
      Math.max(0, stories.itemBytes / 1024 - matchKb * stories.requests) / Math.max(1, stories.requests),
    recentItemKb: recent.itemBytes / Math.max(1, recent.items) / 1024,
    parsedInvocationSeconds: first.invocationMedianMs / 1000,
    unchangedInvocationSeconds: second.invocationMedianMs / 1000,
    rebuiltInvocationSeconds: parse
      ? second.invocationMedianMs / 1000 +
        (FEEDS_PER_INVOCATION * report.setup.itemsPerFeed) / parse.itemsPerSecond
      : first.invocationMedianMs / 1000,
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
  const share = duePerCycle / invocationsPerCycle / FEEDS_PER_INVOCATION;
  const localSeconds =
    share *
    (fresh * m.parsedInvocationSeconds +
      rebuilt * m.rebuiltInvocationSeconds +
      (quiet - rebuilt) * m.unchangedInvocationSeconds);
  const pollerSeconds = localSeconds * a.lambdaCpuSlowdown + a.slowestFeedSeconds;
  const pollerGbS = invocationsPerCycle * cycles * pollerSeconds * a.pollerMemoryGb;
  const dispatcherGbS = cycles * a.dispatcherSecondsPerRun * a.dispatcherMemoryGb;
  // Inbound transfer is free and the functions run outside a VPC (no NAT): a page costs its time.
  const pageSeconds = a.pageReadSeconds * a.lambdaCpuSlowdown + a.pageWaitSeconds / a.pagesAtOnce;
  const pageGbS = pages * pageSeconds * a.pollerMemoryGb;
  const lambdaRequests = cycles * (invocationsPerCycle + 1);

  const statePuts = feeds * month.statePuts;
  // A put that changes nextDueAt (all of them) costs two index writes: delete and insert.
  const wruStatePut = Math.ceil(m.feedItemKb) * (1 + 2 * a.feedGsis);
  const wruMatch = Math.ceil(m.matchItemKb) * (1 + a.matchGsis);
  // A new story is one transaction (2x the units) putting the match and its watch's register;
  // the notifier's PENDING -> SENT and each near-duplicate source note update the match.
  const wruStory = 2 * (wruMatch + Math.ceil(m.registerItemKb));
  const matchUpdates = stories + newItems * m.matchUpdatesPerNewItem;
  const wruRecent = Math.ceil(m.recentItemKb);
  const wru = statePuts * wruStatePut + stories * wruStory + matchUpdates * wruMatch + newItems * wruRecent;
  // The poller reads each state by BatchGetItem, eventually consistent (0.5 RRU per 4 KB); the
  // dispatcher's due query reads every state that stays due, each cycle: nearly all of them, as
  // quiet feeds are spaced by isScheduled, not by their due time (0.5 RRU per 4 KB of the query).
  const rruPerPoll = Math.ceil(m.feedItemKb / 4) * 0.5;
  const dispatchRru = feeds * cycles * (m.feedItemKb / 4) * 0.5;
  const rru = polls * rruPerPoll + dispatchRru + newItems * m.matchReadsPerNewItem * 0.5;

  const messagesPerCycle = Math.ceil(duePerCycle / DEFAULT_FEEDS_PER_MESSAGE);
  // SendMessageBatch per 10 messages, then one receive and one delete batch per poller batch.
  const sqsRequests =
    cycles * (Math.ceil(messagesPerCycle / 10) + 2 * invocationsPerCycle) + a.idleSqsRequestsPerMonth;
  const alerts = a.alertsPerDay * 30;
  const logGb = (lambdaRequests * a.logKbPerInvocation + polls * a.logKbPerFeedPoll) / 1024 / 1024;

  const lines: CostLine[] = [
    {
      service: 'Lambda compute',
      arithmetic: `${n(invocationsPerCycle)} poller runs x ${n(cycles)} cycles x ${pollerSeconds.toFixed(2)} s x ${a.pollerMemoryGb} GB + dispatcher ${n(dispatcherGbS)} GB-s = ${n(pollerGbS + dispatcherGbS)} GB-s x $${p.lambdaArmGbSecond}`,
      usd: (pollerGbS + dispatcherGbS) * p.lambdaArmGbSecond,
    },
    {
      service: 'Article pages (full text)',
      arithmetic: `${n(pages)} pages x ${pageSeconds.toFixed(3)} s x ${a.pollerMemoryGb} GB = ${n(pageGbS)} GB-s x $${p.lambdaArmGbSecond} (their records ride on the feed-state put of the poll that found the items)`,
      usd: pageGbS * p.lambdaArmGbSecond,
    },
    {
      service: 'Lambda requests',
      arithmetic: `${n(lambdaRequests)} x $${p.lambdaPerMillionRequests}/M`,
      usd: (lambdaRequests / 1e6) * p.lambdaPerMillionRequests,
    },
    {
      service: 'DynamoDB writes',
      arithmetic: `${n(statePuts)} state puts x ${wruStatePut} + ${n(stories)} stories x ${wruStory} + ${n(matchUpdates)} match updates x ${wruMatch} + ${n(newItems)} recent items x ${wruRecent} = ${n(wru)} WRU x $${p.dynamoPerMillionWru}/M`,
      usd: (wru / 1e6) * p.dynamoPerMillionWru,
    },
    {
      service: 'DynamoDB reads',
      arithmetic: `${n(polls)} polls x ${rruPerPoll} RRU + due index ${n(dispatchRru)} RRU + ${n(newItems)} new items x ${(m.matchReadsPerNewItem * 0.5).toFixed(3)} RRU = ${n(rru)} RRU x $${p.dynamoPerMillionRru}/M`,
      usd: (rru / 1e6) * p.dynamoPerMillionRru,
    },
    {
      service: 'SQS',
      arithmetic: `${n(sqsRequests)} requests (incl. ${n(a.idleSqsRequestsPerMonth)} idle long polls) x $${p.sqsPerMillionRequests}/M`,
      usd: (sqsRequests / 1e6) * p.sqsPerMillionRequests,
    },
    {
      service: 'EventBridge',
      arithmetic: `${n(cycles + 2_880)} scheduled-rule invocations: free (Scheduler would be under its 14M free tier)`,
      usd: 0,
    },
    {
      service: 'SNS email',
      arithmetic: `${n(alerts)} alerts x $${p.snsEmailPer100k}/100k (SMS: per-country, not included)`,
      usd: (alerts / 1e5) * p.snsEmailPer100k,
    },
    {
      service: 'CloudWatch logs',
      arithmetic: `${logGb.toFixed(2)} GB (${a.logKbPerInvocation} KB/run + ${a.logKbPerFeedPoll} KB/poll, EMF included) x $${p.logsPerGbIngested}/GB`,
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

/** 10,000 feeds under both change rates: each feed's month simulated under the poller's schedule, and at every cycle. */
export async function costModel(m: Measured, feeds = 10_000): Promise<CostScenario[]> {
  const scenarios: CostScenario[] = [];
  for (const rates of [PESSIMISTIC_RATES, MEASURED_RATES]) {
    const month = await simulateSchedule(eventsPerHour(rates));
    const everyCycle = await simulateSchedule(eventsPerHour(rates), { pollEvery: ASSUMPTIONS.cycleMinutes });
    scenarios.push({
      ...costScenario(feeds, m, rates, month),
      everyCycleUsd: costScenario(feeds, m, rates, everyCycle).totalUsd,
      measured: m,
    });
  }
  return scenarios;
}

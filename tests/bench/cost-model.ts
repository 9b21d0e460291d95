import { POLLER_BATCH_SIZE } from '../../lib/pipeline.ts';
import { DEFAULT_FEEDS_PER_MESSAGE } from '../../lib/stack-config.ts';
import type { E2eReport } from './e2e-bench.ts';
import type { ParseReport } from './parse-bench.ts';

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
  pollsPerHour: 12,
  hoursPerMonth: 720,
  /** Of the polls that bring nothing new, the share answered 304 (the e2e feeds: 30% send an ETag). */
  notModifiedShare: 0.3,
  /**
   * A 304, an unchanged body or a rebuilt body with the same items writes the feed state only for
   * the hourly heartbeat (poll-feed.ts: recordQuietSuccess), so one such poll in this many writes.
   */
  quietPollsPerStateWrite: 12,
  alertsPerDay: 50,
  pollerMemoryGb: 0.5,
  dispatcherMemoryGb: 0.25,
  dispatcherSecondsPerRun: 0.5,
  /** Lambda at 512 MB gets about a third of a vCPU; the bench machine gives a core. */
  lambdaCpuSlowdown: 3,
  /** Real publishers answer in 100 ms to several seconds; a batch waits for its slowest feed. */
  slowestFeedSeconds: 2,
  /** SQS event source mapping: pollers long-poll even when idle (about 5 pollers, 20 s polls). */
  idleSqsRequestsPerMonth: 5 * 3 * 60 * 720,
  /**
   * Full text (fullText: auto): of the new items, the share whose feed text is under 100 words (a
   * headline and a standfirst), whose article page is fetched once and read.
   */
  teaserShare: 0.7,
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
 * A "new-content poll" finds at least one item not seen before.
 */
export interface ChangeRates {
  name: string;
  /** Share of 5-minute polls that find at least one new item. */
  newContentShare: number;
  source: string;
  /** New items found by a new-content poll. */
  newItemsPerNewContentPoll: number;
  /** Of the quiet polls answered 200, the share whose body was rebuilt (so parsed again). */
  rebuiltBodyShare: number;
}

export const PESSIMISTIC_RATES: ChangeRates = {
  name: 'pessimistic',
  // The busiest of five news front-page snapshots (Guardian international, 1 Apr 2025): 64
  // items in 24 h, falling in 46 of 288 five-minute slots; every feed assumed that busy.
  newContentShare: 0.16,
  source: 'busiest snapshot (Guardian international): 46 of 288 five-minute slots',
  newItemsPerNewContentPoll: 1.4,
  rebuiltBodyShare: 1,
};

export const MEASURED_RATES: ChangeRates = {
  name: 'measured',
  // Superfeedr: "barely 5%" of its scheduled fetches find a new entry, over its whole feed set.
  newContentShare: 0.05,
  source: 'Superfeedr, scheduled fetches with a new entry',
  // Median over the five snapshots (BBC 1.31, BBC World 1.05, Guardian 1.39, NYT 1.03, TOI 1.19).
  newItemsPerNewContentPoll: 1.2,
  rebuiltBodyShare: 0.5,
};

const FEEDS_PER_INVOCATION = DEFAULT_FEEDS_PER_MESSAGE * POLLER_BATCH_SIZE;

export interface CostLine {
  service: string;
  arithmetic: string;
  usd: number;
}

export interface CostScenario {
  feeds: number;
  rates: ChangeRates;
  lines: CostLine[];
  totalUsd: number;
}

export interface Measured {
  itemsPerFeed: number;
  /** Matches stored (new stories) per parsed item: each is later updated PENDING -> SENT. */
  matchesPerNewItem: number;
  /** Every write to the matches table per parsed item: inserts plus near-duplicate source updates. */
  matchWritesPerNewItem: number;
  /** Queries and gets on the matches table per parsed item (the story-identity lookups). */
  matchReadsPerNewItem: number;
  feedItemKb: number;
  matchItemKb: number;
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
  const put = (table: string) => first.dynamodb[`Put ${table}`] ?? { requests: 0, itemBytes: 0 };
  const feedPuts = put('bench-feeds');
  const matchPuts = put('bench-matches');
  const onMatches = (verbs: string[]) =>
    verbs.reduce((sum, verb) => sum + (first.dynamodb[`${verb} bench-matches`]?.requests ?? 0), 0);
  return {
    itemsPerFeed: report.setup.itemsPerFeed,
    matchesPerNewItem: first.matchesStored / first.itemsParsed,
    matchWritesPerNewItem: onMatches(['Put', 'Update']) / first.itemsParsed,
    matchReadsPerNewItem: onMatches(['Query', 'Get']) / first.itemsParsed,
    feedItemKb: feedPuts.itemBytes / Math.max(1, feedPuts.requests) / 1024,
    matchItemKb: matchPuts.itemBytes / Math.max(1, matchPuts.requests) / 1024,
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

export function costScenario(feeds: number, m: Measured, rates: ChangeRates): CostScenario {
  const a = ASSUMPTIONS;
  const p = PRICES;
  const cycles = a.pollsPerHour * a.hoursPerMonth;
  const polls = feeds * cycles;
  const fresh = rates.newContentShare;
  const quiet = 1 - fresh;
  const rebuilt = quiet * (1 - a.notModifiedShare) * rates.rebuiltBodyShare;
  const newItemsPerPoll = fresh * rates.newItemsPerNewContentPoll;
  const pagesPerPoll = newItemsPerPoll * a.teaserShare;
  const matchesPerPoll = newItemsPerPoll * m.matchesPerNewItem;
  const wruFeedPut = Math.ceil(m.feedItemKb) * (1 + a.feedGsis);
  // Each write to a match (insert, source update, the notifier's PENDING -> SENT) reaches the table and its GSIs.
  const wruPerMatchWrite = Math.ceil(m.matchItemKb) * (1 + a.matchGsis);
  const matchWritesPerPoll = newItemsPerPoll * m.matchWritesPerNewItem + matchesPerPoll;
  const feedPutsPerPoll = fresh + quiet / a.quietPollsPerStateWrite;
  const wruPerPoll = wruFeedPut * feedPutsPerPoll + matchWritesPerPoll * wruPerMatchWrite;
  const feedsPerInvocation = FEEDS_PER_INVOCATION;
  const invocationsPerCycle = Math.ceil(feeds / feedsPerInvocation);
  const share = Math.min(1, feeds / feedsPerInvocation);
  const localSeconds =
    share *
    (fresh * m.parsedInvocationSeconds +
      rebuilt * m.rebuiltInvocationSeconds +
      (quiet - rebuilt) * m.unchangedInvocationSeconds);
  const pollerSeconds = localSeconds * a.lambdaCpuSlowdown + a.slowestFeedSeconds;
  const pollerGbS = invocationsPerCycle * cycles * pollerSeconds * a.pollerMemoryGb;
  const dispatcherGbS = cycles * a.dispatcherSecondsPerRun * a.dispatcherMemoryGb;
  const lambdaRequests = cycles * (invocationsPerCycle + 1);
  // The poller reads each state by BatchGetItem, eventually consistent (0.5 RRU per 4 KB); the
  // dispatcher reads the due index the same way once per cycle.
  const stateRru = Math.ceil(m.feedItemKb / 4) * 0.5;
  const rruPerPoll = stateRru + (m.feedItemKb / 4) * 0.5 + newItemsPerPoll * m.matchReadsPerNewItem * 0.5;
  // Inbound transfer is free and the functions run outside a VPC (no NAT): a page costs its time.
  const pageSeconds = a.pageReadSeconds * a.lambdaCpuSlowdown + a.pageWaitSeconds / a.pagesAtOnce;
  const pageGbS = polls * pagesPerPoll * pageSeconds * a.pollerMemoryGb;
  const messagesPerCycle = Math.ceil(feeds / DEFAULT_FEEDS_PER_MESSAGE);
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
      arithmetic: `${n(polls * pagesPerPoll)} pages (${pagesPerPoll.toFixed(3)} a poll) x ${pageSeconds.toFixed(3)} s x ${a.pollerMemoryGb} GB = ${n(pageGbS)} GB-s x $${p.lambdaArmGbSecond}`,
      usd: pageGbS * p.lambdaArmGbSecond,
    },
    {
      service: 'Lambda requests',
      arithmetic: `${n(lambdaRequests)} x $${p.lambdaPerMillionRequests}/M`,
      usd: (lambdaRequests / 1e6) * p.lambdaPerMillionRequests,
    },
    {
      service: 'DynamoDB writes',
      arithmetic: `${n(polls)} polls x ${wruPerPoll.toFixed(3)} WRU (feed put ${wruFeedPut} x ${feedPutsPerPoll.toFixed(3)} + ${matchWritesPerPoll.toFixed(4)} match writes x ${wruPerMatchWrite}) x $${p.dynamoPerMillionWru}/M`,
      usd: ((polls * wruPerPoll) / 1e6) * p.dynamoPerMillionWru,
    },
    {
      service: 'DynamoDB reads',
      arithmetic: `${n(polls)} polls x ${rruPerPoll.toFixed(3)} RRU x $${p.dynamoPerMillionRru}/M`,
      usd: ((polls * rruPerPoll) / 1e6) * p.dynamoPerMillionRru,
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
  return { feeds, rates, lines, totalUsd: lines.reduce((sum, line) => sum + line.usd, 0) };
}

export function costModel(m: Measured): CostScenario[] {
  return [PESSIMISTIC_RATES, MEASURED_RATES].flatMap((rates) =>
    [1_000, 10_000].map((feeds) => costScenario(feeds, m, rates)),
  );
}

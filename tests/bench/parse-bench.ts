import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Parser from 'rss-parser';
import { itemChunkHashes, parseFeed } from '#core/feed/index.ts';
import {
  FUNCTION_CHUNKS,
  FUNCTION_NODE_OPTIONS,
  type FunctionChunk,
  NODE_WRAPPER,
  PROJECT_ROOT,
} from '../../lib/feedwatch-function.ts';
import { buildFunction } from '../helpers/function-bundle.ts';
import { FEED_NOW, type FeedKind, PARSE_FEEDS, parseFeedText } from './parse-feeds.ts';
import { median } from './stats.ts';

const run = promisify(execFile);

/** Feedwatch's feed reading within this factor of rss-parser's own, warm and cold. */
export const PARSE_TARGET_RATIO = 1.3;
const WARM = { warmups: 8, rounds: 21 } as const;
setFlagsFromString('--expose-gc');
/** A full collection before each timing, so that neither side pays for the other's garbage. */
const collectGarbage = runInNewContext('gc') as () => void;
/** Reads per timing, so that each is about 0.1 s of CPU and a collection of the other's garbage weighs little. */
const READS_PER_ROUND: Record<FeedKind, number> = { html: 2, plain: 6 };
const COLD_RUNS = 15;
const OUT_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'feedwatch-bench', 'parse');
/** Where a cold row's feed is written for the fresh processes to read. */
const feedFile = (kind: FeedKind) => join(OUT_DIR, `${kind}.xml`);

export interface Spread {
  min: number;
  median: number;
  max: number;
}

/**
 * warm: in this process. cold: a fresh node started as Lambda starts the functions (NODE_WRAPPER,
 * FUNCTION_NODE_OPTIONS). cold, node's defaults: the same without the wrapper's V8 flags, shown
 * beside the target rows and not one of them.
 */
export type ParseMode = 'warm' | 'cold' | "cold, node's defaults";

export interface ParseRow {
  feed: FeedKind;
  mode: ParseMode;
  feedwatchMs: number;
  rssParserMs: number;
  /** Feedwatch / rss-parser, measured in pairs. */
  ratio: Spread;
}

/** The check a rebuilt body gets instead of a parse (itemChunkHashes), warm, against parseFeed's warm time. */
export interface ChunkCheckRow {
  feed: FeedKind;
  ms: number;
  itemsPerSecond: number;
  /** The warm parse's time over this one. */
  timesFaster: number;
}

export interface ParseReport {
  feeds: { kind: FeedKind; items: number; kilobytes: number }[];
  rows: ParseRow[];
  /** Items parseFeed reads a CPU second, warm, on each feed: full articles (html) and teasers (plain). */
  itemsPerSecond: Record<FeedKind, number>;
  chunkChecks: ChunkCheckRow[];
  /** Items itemChunkHashes checks a CPU second, warm, on each feed: what a rebuilt body costs instead of a parse. */
  checkedItemsPerSecond: Record<FeedKind, number>;
  targets: { name: string; measured: string; pass: boolean }[];
}

/** CPU time (user and system, all of the process's threads): unlike the clock, not lengthened by other processes' turns on the CPU. */
const cpuMs = ({ user, system }: NodeJS.CpuUsage): number => (user + system) / 1000;

const spread = (values: readonly number[]): Spread => ({
  min: Math.min(...values),
  median: median(values),
  max: Math.max(...values),
});

/**
 * Warm: the CPU time of parseFeed on the feed's bytes (decoding, hostile-markup scan, repairs, rss-parser, HTML
 * to text, normalising, dates, keys) against rss-parser's parseString on the decoded text, each
 * round one of each, taking turns at going first; the ratio is taken within each round.
 */
async function warmRow(kind: FeedKind, text: string): Promise<ParseRow> {
  const bytes = Buffer.from(text);
  const feedwatch = async () => (await parseFeed(bytes, { now: FEED_NOW })).items.length;
  const rssParser = async () => (await new Parser().parseString(text)).items.length;
  const timed = async (read: () => Promise<number>) => {
    collectGarbage();
    const start = process.cpuUsage();
    for (let i = 0; i < READS_PER_ROUND[kind]; i++) {
      const items = await read();
      if (items !== PARSE_FEEDS[kind].items) throw new Error(`read ${items} of the ${kind} feed's items`);
    }
    return cpuMs(process.cpuUsage(start)) / READS_PER_ROUND[kind];
  };
  for (let i = 0; i < WARM.warmups; i++) {
    await timed(feedwatch);
    await timed(rssParser);
  }
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < WARM.rounds; i++) {
    if (i % 2 === 0) {
      ours.push(await timed(feedwatch));
      theirs.push(await timed(rssParser));
    } else {
      theirs.push(await timed(rssParser));
      ours.push(await timed(feedwatch));
    }
  }
  return {
    feed: kind,
    mode: 'warm',
    feedwatchMs: median(ours),
    rssParserMs: median(theirs),
    ratio: spread(ours.map((ms, i) => ms / (theirs[i] as number))),
  };
}

/** Checks per timing, so that each is about as long as a parse round. */
const CHECKS_PER_ROUND = 20;

/**
 * The CPU time of itemChunkHashes on the feed's bytes (the scan and one hash per item), warm:
 * what a poll spends on a rebuilt body whose items were all read before, in place of parseFeed.
 */
function chunkCheckRow(kind: FeedKind, text: string, parseMs: number): ChunkCheckRow {
  const bytes = Buffer.from(text);
  const timed = () => {
    collectGarbage();
    const start = process.cpuUsage();
    for (let i = 0; i < CHECKS_PER_ROUND; i++) {
      const items = itemChunkHashes(bytes)?.length;
      if (items !== PARSE_FEEDS[kind].items) throw new Error(`checked ${items} of the ${kind} feed's items`);
    }
    return cpuMs(process.cpuUsage(start)) / CHECKS_PER_ROUND;
  };
  for (let i = 0; i < WARM.warmups; i++) timed();
  const ms = median(Array.from({ length: WARM.rounds }, timed));
  return {
    feed: kind,
    ms,
    itemsPerSecond: (PARSE_FEEDS[kind].items * 1000) / ms,
    timesFaster: parseMs / ms,
  };
}

/**
 * The two programs a cold row runs, each bundled as the functions are deployed: Feedwatch's with
 * the poller's readers in files of their own, imported on first use, as the poller ships them.
 */
async function bundleColdPrograms(): Promise<{ feedwatch: string; rssParser: string }> {
  const bundle = async (entry: string, chunks: readonly FunctionChunk[]) => {
    const built = await buildFunction(`tests/bench/${entry}.ts`, join(OUT_DIR, entry), 'bundled', chunks);
    return built.file;
  };
  return {
    feedwatch: await bundle('parse-cold-feedwatch', FUNCTION_CHUNKS['functions/handlers/poller.ts'] ?? []),
    rssParser: await bundle('parse-cold-rss-parser', []),
  };
}

/**
 * A fresh node's CPU time from its start to the end of its first parse, as the program reports it;
 * started through the functions' NODE_WRAPPER unless `nodeDefaults`.
 */
async function coldMs(program: string, file: string, items: number, nodeDefaults: boolean): Promise<number> {
  const args = [program, file, FEED_NOW.toISOString()];
  // Node's defaults are its V8 flags: the deployed NODE_OPTIONS (source maps) apply to every row.
  const options = { env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: FUNCTION_NODE_OPTIONS } };
  const { stdout } = await (nodeDefaults
    ? run(process.execPath, args, options)
    : run(join(dirname(program), NODE_WRAPPER.file), [process.execPath, ...args], options));
  const result = JSON.parse(stdout) as { ms: number; items: number };
  if (result.items !== items) throw new Error(`${program} read ${result.items} of ${items} items`);
  return result.ms;
}

/**
 * Cold: a fresh process that loads the bundle and reads one feed file, Feedwatch against
 * rss-parser in turns, so that a burst of other work on the machine slows both alike.
 */
async function coldRow(
  kind: FeedKind,
  file: string,
  programs: { feedwatch: string; rssParser: string },
  nodeDefaults = false,
): Promise<ParseRow> {
  const items = PARSE_FEEDS[kind].items;
  // One unmeasured run of each warms the OS file cache.
  await coldMs(programs.feedwatch, file, items, nodeDefaults);
  await coldMs(programs.rssParser, file, items, nodeDefaults);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    ours.push(await coldMs(programs.feedwatch, file, items, nodeDefaults));
    theirs.push(await coldMs(programs.rssParser, file, items, nodeDefaults));
  }
  return {
    feed: kind,
    mode: nodeDefaults ? "cold, node's defaults" : 'cold',
    feedwatchMs: median(ours),
    rssParserMs: median(theirs),
    ratio: spread(ours.map((ms, i) => ms / (theirs[i] as number))),
  };
}

export async function runParseBench(log: (line: string) => void): Promise<ParseReport> {
  const kinds: FeedKind[] = ['html', 'plain'];
  const texts = new Map(kinds.map((kind) => [kind, parseFeedText(kind)]));
  const feeds = kinds.map((kind) => ({
    kind,
    items: PARSE_FEEDS[kind].items,
    kilobytes: Buffer.byteLength(texts.get(kind) ?? '') / 1024,
  }));
  const rows: ParseRow[] = [];
  for (const kind of kinds) {
    log(`parsing: ${kind} feed warm, ${WARM.rounds} rounds against rss-parser`);
    rows.push(await warmRow(kind, texts.get(kind) ?? ''));
  }
  const chunkChecks = kinds.map((kind) => {
    log(`parsing: ${kind} feed, the check of a rebuilt body's items`);
    const parseMs = rows.find((row) => row.feed === kind && row.mode === 'warm')?.feedwatchMs ?? Number.NaN;
    return chunkCheckRow(kind, texts.get(kind) ?? '', parseMs);
  });
  log('parsing: bundling the cold-start programs');
  const programs = await bundleColdPrograms();
  for (const kind of kinds) {
    log(`parsing: ${kind} feed cold, ${COLD_RUNS} fresh processes each against rss-parser`);
    const file = feedFile(kind);
    await writeFile(file, texts.get(kind) ?? '');
    rows.push(await coldRow(kind, file, programs));
  }
  log("parsing: HTML-heavy feed cold with node's default flags, for comparison");
  const defaults = await coldRow('html', feedFile('html'), programs, true);
  const warmRate = (kind: FeedKind) => {
    const warm = rows.find((row) => row.feed === kind && row.mode === 'warm');
    return warm ? (PARSE_FEEDS[kind].items * 1000) / warm.feedwatchMs : Number.NaN;
  };
  return {
    feeds,
    itemsPerSecond: { html: warmRate('html'), plain: warmRate('plain') },
    chunkChecks,
    checkedItemsPerSecond: {
      html: chunkChecks.find((row) => row.feed === 'html')?.itemsPerSecond ?? Number.NaN,
      plain: chunkChecks.find((row) => row.feed === 'plain')?.itemsPerSecond ?? Number.NaN,
    },
    targets: rows.map((row) => ({
      name: `${row.feed} feed, ${row.mode}: within ${PARSE_TARGET_RATIO}x of rss-parser`,
      measured: `${row.ratio.median.toFixed(2)}x`,
      pass: row.ratio.median <= PARSE_TARGET_RATIO,
    })),
    rows: [...rows, defaults],
  };
}

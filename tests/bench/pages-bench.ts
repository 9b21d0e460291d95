import { extractArticle } from '#core/article/extract.ts';
import { wordCount } from '#core/article/full-text.ts';
import { BENCH_PAGES, benchPage } from './page-corpus.ts';
import { median, percentile } from './stats.ts';

/** Unmeasured reads of every page first (JIT, the libraries' first load), then measured rounds. */
const WARMUP_ROUNDS = 3;
const ROUNDS = 9;

export interface PageRow {
  name: string;
  heldOut: boolean;
  kilobytes: number;
  /** Words of the article read from the page. */
  words: number;
  /** CPU time of one read, median of the rounds, and the fastest and slowest round. */
  medianMs: number;
  minMs: number;
  maxMs: number;
}

/** Over a set of pages, each counted by its median read. */
export interface PageSummary {
  pages: number;
  medianMs: number;
  /** What a page costs on average: the figure a month of pages adds up to. */
  meanMs: number;
  /** Nearest rank: the page at or under which 90% of the pages read. */
  p90Ms: number;
}

export interface PagesReport {
  rounds: number;
  rows: PageRow[];
  all: PageSummary;
  tuning: PageSummary;
  heldOut: PageSummary;
}

/** CPU time (user and system, all threads, the collector's included): not lengthened by other processes' turns on the CPU. */
const cpuMs = ({ user, system }: NodeJS.CpuUsage): number => (user + system) / 1000;

function summarise(rows: readonly PageRow[]): PageSummary {
  const medians = rows.map((row) => row.medianMs);
  return {
    pages: rows.length,
    medianMs: median(medians),
    meanMs: medians.reduce((sum, ms) => sum + ms, 0) / medians.length,
    p90Ms: percentile(medians, 0.9),
  };
}

/**
 * Each page read as the poller reads a fetched page (`extractArticle` on its bytes: decoding,
 * linkedom, chrome removal, Readability, text), warm. The pages take turns within each round, so
 * a slow phase of the shared machine slows them all alike.
 */
export async function runPagesBench(log: (line: string) => void): Promise<PagesReport> {
  const pages = BENCH_PAGES.map((entry) => ({ ...entry, page: benchPage(entry.name) }));
  const samples = new Map<string, number[]>(pages.map((entry) => [entry.name, []]));
  const words = new Map<string, number>();
  log(`pages: ${pages.length} news pages, ${WARMUP_ROUNDS} unmeasured and ${ROUNDS} measured rounds`);
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    for (const { name, page } of pages) {
      const start = process.cpuUsage();
      const text = await extractArticle(page);
      const ms = cpuMs(process.cpuUsage(start));
      if (round >= WARMUP_ROUNDS) samples.get(name)?.push(ms);
      words.set(name, wordCount(text));
    }
  }
  const rows = pages.map(({ name, heldOut, page }): PageRow => {
    const ms = samples.get(name) ?? [];
    return {
      name,
      heldOut,
      kilobytes: page.body.byteLength / 1024,
      words: words.get(name) ?? 0,
      medianMs: median(ms),
      minMs: Math.min(...ms),
      maxMs: Math.max(...ms),
    };
  });
  return {
    rounds: ROUNDS,
    rows,
    all: summarise(rows),
    tuning: summarise(rows.filter((row) => !row.heldOut)),
    heldOut: summarise(rows.filter((row) => row.heldOut)),
  };
}

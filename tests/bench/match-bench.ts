import type { Watch } from '#core/model.ts';
import { compileWatches, type Matcher } from '#core/query/index.ts';
import { buildVocabulary, type CorpusItem, generateCorpus, generateWatches, utf8Bytes } from './corpus.ts';
import { MB, perSecond, timeRuns } from './stats.ts';

export const MATCH_CORPUS = { items: 2_000, wordsPerItem: 250, seed: 20_240_601 } as const;
export const WATCH_COUNTS = [1_000, 10_000, 100_000] as const;
/** The naive baseline is slow by design: a subset keeps it to seconds; figures are per item. */
const NAIVE_ITEMS = 200;

export interface MatchRow {
  watches: number;
  compileMs: number;
  matchMs: number;
  itemsPerSecond: number;
  mbPerSecond: number;
  /** matchMs / floorMs: how far above a bare tokenising pass the matcher runs. */
  floorRatio: number;
  matchesPerItem: number;
}

export interface MatchReport {
  corpus: { items: number; wordsPerItem: number; megabytes: number; vocabulary: number };
  floor: { ms: number; itemsPerSecond: number; mbPerSecond: number };
  rows: MatchRow[];
  naive: { watches: number; itemsPerSecond: number; mbPerSecond: number };
  targets: { name: string; measured: string; pass: boolean }[];
}

/** The least any matcher must do: lower-case the text and find its words. */
function tokenisingFloor(items: readonly CorpusItem[]): number {
  let words = 0;
  for (const item of items) {
    for (const text of [item.title, item.body]) {
      for (const _ of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) words++;
    }
  }
  return words;
}

function matchAll(matcher: Matcher, items: readonly CorpusItem[]): number {
  let matches = 0;
  for (const item of items) matches += matcher.match(item).length;
  return matches;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wordPattern = (word: string): RegExp => new RegExp(`\\b${escapeRegExp(word)}\\b`, 'i');

/**
 * What one would write without an index: a RegExp (or a few) per watch, every one run
 * over every item. It does less than the matcher (no word forms, no compounds, NEAR read
 * as AND), so it flatters the baseline.
 */
export function naivePredicate(query: string): (text: string) => boolean {
  const phrase = /^"(\S+) (\S+)"$/.exec(query);
  if (phrase) {
    const pattern = new RegExp(
      `\\b${escapeRegExp(phrase[1] ?? '')}\\s+${escapeRegExp(phrase[2] ?? '')}\\b`,
      'i',
    );
    return (text) => pattern.test(text);
  }
  const near = /^(\S+) NEAR\/\d+ (\S+)$/.exec(query);
  const terms = near ? [near[1] ?? '', near[2] ?? ''] : query.split(' ');
  const patterns = terms.map(wordPattern);
  return (text) => patterns.every((pattern) => pattern.test(text));
}

function naiveMatchAll(watches: readonly Watch[], items: readonly CorpusItem[]): number {
  const predicates = watches.map((watch) => naivePredicate(watch.query));
  let matches = 0;
  for (const item of items) {
    const text = `${item.title}\n${item.body}`;
    for (const predicate of predicates) if (predicate(text)) matches++;
  }
  return matches;
}

export async function runMatchBench(log: (line: string) => void): Promise<MatchReport> {
  const vocabulary = buildVocabulary(MATCH_CORPUS.seed);
  const items = generateCorpus(MATCH_CORPUS.items, MATCH_CORPUS.wordsPerItem, vocabulary, MATCH_CORPUS.seed);
  const bytes = utf8Bytes(items);
  const megabytes = bytes / MB;

  log('matching: tokenising floor');
  const floor = await timeRuns(() => tokenisingFloor(items), { warmups: 2, runs: 7 });

  const rows: MatchRow[] = [];
  for (const count of WATCH_COUNTS) {
    const watches = generateWatches(count, vocabulary, MATCH_CORPUS.seed + count);
    log(`matching: compile ${count} watches`);
    let matcher: Matcher | undefined;
    const large = count >= 100_000;
    const compile = await timeRuns(
      () => {
        matcher = compileWatches(watches).matcher;
      },
      { warmups: large ? 0 : 1, runs: large ? 3 : 5 },
    );
    const compiled = matcher as Matcher;
    log(`matching: match ${MATCH_CORPUS.items} items against ${count} watches`);
    // A tenth of the corpus is enough to warm the JIT and the stemmer memo, and keeps the
    // 100k-watch case within the bench's time budget.
    matchAll(compiled, items.slice(0, items.length / 10));
    let matches = 0;
    const match = await timeRuns(
      () => {
        matches = matchAll(compiled, items);
      },
      { warmups: 0, runs: large ? 3 : 5 },
    );
    rows.push({
      watches: count,
      compileMs: compile.medianMs,
      matchMs: match.medianMs,
      itemsPerSecond: perSecond(items.length, match.medianMs),
      mbPerSecond: perSecond(megabytes, match.medianMs),
      floorRatio: match.medianMs / floor.medianMs,
      matchesPerItem: matches / items.length,
    });
  }

  log(`matching: naive RegExp baseline, ${WATCH_COUNTS[0]} watches over ${NAIVE_ITEMS} items`);
  const naiveWatches = generateWatches(WATCH_COUNTS[0], vocabulary, MATCH_CORPUS.seed + WATCH_COUNTS[0]);
  const naiveItems = items.slice(0, NAIVE_ITEMS);
  const naive = await timeRuns(() => naiveMatchAll(naiveWatches, naiveItems), { warmups: 1, runs: 3 });

  const row = (count: number): MatchRow => rows.find((r) => r.watches === count) as MatchRow;
  const at1k = row(1_000);
  const at10k = row(10_000);
  const at100k = row(100_000);
  return {
    corpus: {
      items: items.length,
      wordsPerItem: MATCH_CORPUS.wordsPerItem,
      megabytes,
      vocabulary: vocabulary.contentWords.length,
    },
    floor: {
      ms: floor.medianMs,
      itemsPerSecond: perSecond(items.length, floor.medianMs),
      mbPerSecond: perSecond(megabytes, floor.medianMs),
    },
    rows,
    naive: {
      watches: WATCH_COUNTS[0],
      itemsPerSecond: perSecond(naiveItems.length, naive.medianMs),
      mbPerSecond: perSecond(utf8Bytes(naiveItems) / MB, naive.medianMs),
    },
    targets: [
      {
        name: 'match at 10k watches within 2x of the tokenising floor',
        measured: `${at10k.floorRatio.toFixed(2)}x`,
        pass: at10k.floorRatio <= 2,
      },
      {
        name: 'match at 100k watches at most 1.5x the time at 1k',
        measured: `${(at100k.matchMs / at1k.matchMs).toFixed(2)}x`,
        pass: at100k.matchMs <= 1.5 * at1k.matchMs,
      },
      {
        name: 'compile 100k watches under 2 s',
        measured: `${(at100k.compileMs / 1000).toFixed(2)} s`,
        pass: at100k.compileMs < 2_000,
      },
    ],
  };
}

import { performance } from 'node:perf_hooks';

export interface Timing {
  /** Median of the measured runs, in milliseconds. */
  medianMs: number;
  samplesMs: number[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Runs `task` `warmups` times unmeasured (so the JIT, the stemmer memo and the allocator
 * reach their steady state, as in a warm Lambda), then `runs` times measured.
 */
export async function timeRuns(
  task: () => unknown,
  { warmups, runs }: { warmups: number; runs: number },
): Promise<Timing> {
  for (let i = 0; i < warmups; i++) await task();
  const samplesMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await task();
    samplesMs.push(performance.now() - start);
  }
  return { medianMs: median(samplesMs), samplesMs };
}

export const MB = 1024 * 1024;

export function perSecond(count: number, ms: number): number {
  return (count * 1000) / ms;
}

/** Nearest rank: the smallest value with at least `share` of the values at or under it. */
export function percentile(values: readonly number[], share: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)] as number;
}

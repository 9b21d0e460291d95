import type { QuerySyntaxError } from '../errors.ts';
import { shortHash } from '../hash.ts';
import type { Watch } from '../model.ts';
import type { Clock, WatchStore } from '../ports.ts';
import { compileWatches, defaultConcepts } from '../query/index.ts';
import type { WatchSet } from './poll-feed.ts';

export interface LoadedWatchSet {
  watchSet: WatchSet;
  invalid: { watch: Watch; error: QuerySyntaxError }[];
}

export function buildWatchSet(watches: readonly Watch[]): LoadedWatchSet {
  const { matcher, invalid } = compileWatches(watches, { concepts: defaultConcepts() });
  return { watchSet: { matcher, watches: new Map(watches.map((w) => [w.id, w])) }, invalid };
}

/**
 * Keeps the compiled matcher of a warm Lambda (or a long local run) and recompiles only
 * when the watches changed. The table is re-read at most once per `refreshMs`; compiling
 * is skipped when the content fingerprint is unchanged.
 */
export class WatchSetCache {
  private loaded?: LoadedWatchSet;
  private fingerprint?: string;
  private loadedAt = 0;
  private refreshing?: Promise<LoadedWatchSet & { rebuilt: boolean }>;

  constructor(
    private readonly store: WatchStore,
    private readonly clock: Clock,
    private readonly refreshMs = 60_000,
  ) {}

  async get(): Promise<LoadedWatchSet & { rebuilt: boolean }> {
    const now = this.clock.now().getTime();
    if (this.loaded && now - this.loadedAt < this.refreshMs) return { ...this.loaded, rebuilt: false };
    // Parallel callers (a batch's records) share one read and one compile.
    this.refreshing ??= this.refresh(now).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refresh(now: number): Promise<LoadedWatchSet & { rebuilt: boolean }> {
    const watches = await this.store.list();
    this.loadedAt = now;
    // Every field counts (names, routing, feeds), whatever order the store returns them in.
    const fingerprint = shortHash(
      ...watches.map((w) => JSON.stringify(Object.entries(w).sort(([a], [b]) => a.localeCompare(b)))).sort(),
    );
    if (this.loaded && fingerprint === this.fingerprint) return { ...this.loaded, rebuilt: false };
    this.loaded = buildWatchSet(watches);
    this.fingerprint = fingerprint;
    return { ...this.loaded, rebuilt: true };
  }
}

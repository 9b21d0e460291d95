import type { RateLimitDecision, RateLimiter } from '#core/ports.ts';

/** In-process RateLimiter with the DynamoDB one's semantics (one notice per window, give-back). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly counts = new Map<string, { count: number; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async take(watchId: string, window: string, limit: number, expiresAt: Date): Promise<RateLimitDecision> {
    this.forgetExpired();
    const key = JSON.stringify([watchId, window]);
    const counter = this.counts.get(key) ?? { count: 0, expiresAt: expiresAt.getTime() };
    if (counter.count > limit) return 'over-limit';
    counter.count++;
    this.counts.set(key, counter);
    return counter.count > limit ? 'first-over-limit' : 'allowed';
  }

  async giveBack(watchId: string, window: string): Promise<void> {
    const counter = this.counts.get(JSON.stringify([watchId, window]));
    if (counter && counter.count > 0) counter.count--;
  }

  /** A long local run must not keep every hour's counters forever. */
  private forgetExpired(): void {
    const now = this.now();
    for (const [key, counter] of this.counts) if (counter.expiresAt <= now) this.counts.delete(key);
  }
}

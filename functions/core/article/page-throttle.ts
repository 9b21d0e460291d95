import { ArticleError, FetchError } from '../errors.ts';
import { FetchThrottle, hostOf } from '../pipeline/poll-batch.ts';
import type { Clock } from '../ports.ts';

/**
 * Article pages fetched at once, over every feed. Reading a page is CPU work done one at a time,
 * so this many only overlap the publishers' answers, which a poller is billed for: the page
 * fetcher lets only 4 bodies grow past 1 MB at a time (LargeBodySlots), so 64 pages hold at
 * most 64 MB below that and 8 MB above it, and the per-host limit keeps any one publisher at 2.
 */
export const DEFAULT_PAGE_CONCURRENCY = 64;

export interface PageLimits {
  /** Article pages fetched at once, over every feed. @default DEFAULT_PAGE_CONCURRENCY */
  concurrency?: number;
  /** Pages of one host fetched at once. @default 2 */
  perHost?: number;
}

/** How long a host that let a page time out is left alone: about one polling cycle. */
export const HOST_PAUSE_AFTER_TIMEOUT_SECONDS = 5 * 60;
/** A 429 without a readable Retry-After. */
export const HOST_PAUSE_AFTER_429_SECONDS = 60;

/**
 * The page-fetch slots of one process or invocation, apart from the feeds' (a feed's poll holds
 * its feed slot while it waits for page slots, so sharing one pool could deadlock), and the
 * hosts that asked us to wait: a 429 (for its Retry-After) or a timeout (a host that stalls on
 * one page stalls on the next) pauses every page of that host, which is then skipped without a
 * request.
 */
export class PageThrottle {
  private readonly slots: FetchThrottle;
  private readonly pausedUntil = new Map<string, { until: number; reason: string }>();

  constructor(
    private readonly clock: Clock,
    limits: PageLimits = {},
  ) {
    this.slots = new FetchThrottle({
      concurrency: limits.concurrency ?? DEFAULT_PAGE_CONCURRENCY,
      perHost: limits.perHost ?? 2,
    });
  }

  /**
   * Runs `fetch` in a slot of the page's host. A paused host's page fails at once with
   * FetchError('rate_limited'), and a page whose slot comes after `notAfter` (epoch ms) with
   * ArticleError, without a request.
   */
  run<T>(url: string, fetch: () => Promise<T>, notAfter?: number): Promise<T> {
    return this.slots.run(url, async () => {
      const host = hostOf(url);
      const now = this.clock.now().getTime();
      if (notAfter !== undefined && now > notAfter)
        throw new ArticleError('not fetched: the poll ran out of time');
      const pause = this.pausedUntil.get(host);
      if (pause && pause.until > now) {
        throw new FetchError('rate_limited', `not fetched: ${pause.reason}`);
      }
      try {
        return await fetch();
      } catch (error) {
        this.noteFailure(host, error);
        throw error;
      }
    });
  }

  private noteFailure(host: string, error: unknown): void {
    if (!(error instanceof FetchError)) return;
    let pause: { seconds: number; reason: string };
    if (error.kind === 'rate_limited')
      pause = {
        seconds: error.retryAfterSeconds ?? HOST_PAUSE_AFTER_429_SECONDS,
        reason: `${host} asked to wait (${error.message})`,
      };
    else if (error.kind === 'timeout')
      pause = { seconds: HOST_PAUSE_AFTER_TIMEOUT_SECONDS, reason: `${host} timed out on another page` };
    else return;
    const until = this.clock.now().getTime() + pause.seconds * 1000;
    const current = this.pausedUntil.get(host);
    if (!current || current.until < until) this.pausedUntil.set(host, { until, reason: pause.reason });
  }
}

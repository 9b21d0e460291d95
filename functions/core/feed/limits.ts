import { FeedParseError } from '#core/errors.ts';

/** Limits that keep one hostile or broken feed from costing the whole run. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
/** Real feeds nest fewer than 15 levels; xml2js recurses per level and overflows the stack long before 10 MB. */
export const MAX_DEPTH = 64;
export const MAX_TITLE_CHARS = 1_000;
export const MAX_BODY_CHARS = 100_000;
/** Longer than any browser accepts; such a link is junk, not a story address. */
export const MAX_LINK_CHARS = 2_048;
/** sax's own buffer size; real attributes (URLs, types) are a few hundred characters. */
export const MAX_ATTRIBUTE_CHARS = 64 * 1024;
/** Keys go into DynamoDB sort keys (1 KB max); longer ones are replaced by a hash. */
export const MAX_KEY_CHARS = 512;

/**
 * Longest the reading of one feed may take. Reading is linear in the feed's size (10 MB reads
 * in a few seconds), so only a pathological feed comes near this; over it, the feed is failed
 * and backs off like any other failure, rather than holding a poller invocation (120 s) that
 * polls other feeds too.
 */
export const PARSE_BUDGET_MS = 20_000;

/** The time one parse may still take; checked between its stages and between items. */
export class ParseBudget {
  private readonly startedAt: number;

  constructor(
    private readonly limitMs: number = PARSE_BUDGET_MS,
    /** Milliseconds on a monotonic clock. */
    private readonly elapsed: () => number = () => performance.now(),
  ) {
    this.startedAt = elapsed();
  }

  /** Throws FeedParseError('too_slow') once the budget is spent. */
  check(): void {
    if (this.elapsed() - this.startedAt <= this.limitMs) return;
    throw new FeedParseError(
      'too_slow',
      `reading the feed took longer than its ${formatCount(this.limitMs / 1000)} s limit; it is tried again later`,
    );
  }
}

const MEGABYTE = 1024 * 1024;

export function formatMegabytes(bytes: number): string {
  if (bytes < MEGABYTE) return `${Math.round(bytes / 1024)} KB`;
  const megabytes = bytes / MEGABYTE;
  return Number.isInteger(megabytes) ? `${megabytes} MB` : `${megabytes.toFixed(1)} MB`;
}

/** Counts in messages read the same on every host, whatever its locale. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

export function assertSize(byteLength: number, maxBytes: number): void {
  if (byteLength > maxBytes) {
    throw new FeedParseError(
      'too_large',
      `feed is ${formatMegabytes(byteLength)}, larger than the ${formatMegabytes(maxBytes)} limit`,
    );
  }
}

export interface Truncated {
  text: string;
  originalLength: number;
}

/**
 * Cuts at the last word break before the limit (when one is reasonably close) and marks the cut
 * with an ellipsis, never splitting a surrogate pair. Returns undefined when no cut was needed.
 */
export function truncateText(text: string, maxChars: number): Truncated | undefined {
  if (text.length <= maxChars) return undefined;
  let end = maxChars - 1;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  const lastSpace = text.lastIndexOf(' ', end);
  if (lastSpace > end * 0.9) end = lastSpace;
  return { text: `${text.slice(0, end).trimEnd()}…`, originalLength: text.length };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Named errors, narrowed from `unknown` at the edges (CLI line, log entry, metric).
 * Every message is one line a user can act on.
 */

export class FeedwatchError extends Error {
  override name = 'FeedwatchError';
}

/** A query the user typed is not valid. `position` is 1-based, in characters. */
export class QuerySyntaxError extends FeedwatchError {
  override name = 'QuerySyntaxError';
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {
    super(`at position ${position}: ${reason}`);
  }
}

export type FeedErrorKind = 'too_large' | 'not_a_feed' | 'malformed' | 'too_deep' | 'too_slow' | 'encoding';

/** A feed body that could not be turned into items. */
export class FeedParseError extends FeedwatchError {
  override name = 'FeedParseError';
  constructor(
    readonly kind: FeedErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export type FetchErrorKind =
  | 'invalid_url'
  | 'blocked_address'
  | 'dns'
  | 'timeout'
  | 'too_large'
  | 'too_many_redirects'
  | 'insecure_redirect'
  | 'http_status'
  | 'rate_limited'
  | 'network'
  | 'not_html';

export class FetchError extends FeedwatchError {
  override name = 'FetchError';
  constructor(
    readonly kind: FetchErrorKind,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** An article page that was fetched but holds no article worth matching (a consent wall, a page too large to read). */
export class ArticleError extends FeedwatchError {
  override name = 'ArticleError';
}

/**
 * The alert service answered that it did not publish the message: nothing went out. A
 * `permanent` refusal (message too long, invalid parameter) fails the same way on every retry.
 */
export class PublishRefusedError extends FeedwatchError {
  override name = 'PublishRefusedError';
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** Configuration that cannot work (missing env var, bad config file); fail fast at start-up. */
export class ConfigError extends FeedwatchError {
  override name = 'ConfigError';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}

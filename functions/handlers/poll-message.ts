import { FeedwatchError } from '#core/errors.ts';

/** The body the dispatcher enqueues for the pollers. */
export interface PollMessage {
  feeds: string[];
}

/** A queue message that is not a PollMessage; SQS retries it, then moves it to the DLQ. */
export class MalformedPollMessageError extends FeedwatchError {
  override name = 'MalformedPollMessageError';
}

/**
 * Hand-written rather than a schema library: this two-field check is the poller's only
 * validation, and zod was a quarter of the poller's bundle and of its cold start.
 */
export function parsePollMessage(body: string): PollMessage {
  const message = parseJson(body);
  if (!isPollMessage(message)) {
    // JSON.stringify keeps a multi-line body on the one log line, quoted.
    throw new MalformedPollMessageError(
      `queue message is not {"feeds": [URL, ...]} with at least one non-empty URL: ${JSON.stringify(body.slice(0, 80))}`,
    );
  }
  return message;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function isPollMessage(value: unknown): value is PollMessage {
  if (typeof value !== 'object' || value === null || !('feeds' in value)) return false;
  const { feeds } = value;
  return (
    Array.isArray(feeds) &&
    feeds.length > 0 &&
    feeds.every((url: unknown) => typeof url === 'string' && url.length > 0)
  );
}

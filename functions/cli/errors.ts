import { FeedwatchError } from '#core/errors.ts';

/** Exit codes: 1 when some input (a feed) failed but the command ran; 2 for usage, configuration and query errors. */
export const EXIT = { ok: 0, partial: 1, usage: 2 } as const;

/** An error the CLI reports as one line and exits with `exitCode`. */
export class CliError extends FeedwatchError {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

import { FeedwatchError } from '#core/errors.ts';

/**
 * Exit codes: 1 when some input (a feed) failed but the command ran; 2 for usage, configuration
 * and query errors; 130 (128 + SIGINT, as shells report it) when Ctrl-C (or SIGTERM, SIGHUP)
 * stopped `run` before its first cycle, or stopped a command that uses the store.
 */
export const EXIT = { ok: 0, partial: 1, usage: 2, interrupted: 130 } as const;

/** What is wrong with a file a user named, in their words rather than as an errno code. */
export function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return `cannot be read (${code ?? String(error)})`;
}

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

/**
 * A command stopped by SIGINT, SIGTERM or SIGHUP. Not a failure: the CLI says only that it
 * stopped, with no stack trace even with --debug, and exits with EXIT.interrupted.
 */
export class StoppedError extends FeedwatchError {
  override name = 'StoppedError';
  constructor() {
    super('stopped');
  }
}

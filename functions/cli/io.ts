import { EXIT } from './errors.ts';

/** Where a command writes: stdout for results, stderr for diagnostics; stack traces only with --debug. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  debug(error: unknown): void;
}

export function processIo(debug: boolean): Io {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    debug: (error) => {
      if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    },
  };
}

/**
 * A reader that stops early (`feedwatch scan ... | head`) has all it wants: exit quietly with 0, as
 * Unix tools do, instead of Node's unhandled-'error' stack trace. Any other failure to write results
 * is reported as one line; exiting at once stops the command writing into a broken stream (a
 * change to the local store cut short by the exit is never renamed into place).
 */
export function exitWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    process.stderr.write(`feedwatch: cannot write to stdout: ${error.message}\n`);
    process.exit(EXIT.partial);
  });
}

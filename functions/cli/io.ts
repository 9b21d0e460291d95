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

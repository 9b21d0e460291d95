import { CommanderError } from 'commander';
import { ConfigError, errorMessage, FeedwatchError } from '#core/errors.ts';
import { CliError, EXIT, StoppedError } from './errors.ts';
import { exitWhenStdoutCloses, processIo } from './io.ts';
import { buildProgram } from './program.ts';

const debug = process.argv.includes('--debug');
const io = processIo(debug);

async function main(): Promise<void> {
  exitWhenStdoutCloses();
  const cli = { io, exitCode: EXIT.ok as number };
  try {
    await buildProgram(cli).parseAsync(process.argv);
    process.exitCode = cli.exitCode;
  } catch (error) {
    process.exitCode = report(error);
    // A stopped command left its work unfinished, not ended: exit before any of it goes on (a
    // store call retried against a run's server, a line printed after "stopped").
    if (error instanceof StoppedError) process.exit();
  }
}

function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its one line (or the help text).
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  // Asked for, not a failure: no stack trace, even with --debug.
  if (error instanceof StoppedError) {
    io.err(`feedwatch: ${error.message}`);
    return EXIT.interrupted;
  }
  io.debug(error);
  if (error instanceof CliError) {
    io.err(`feedwatch: ${error.message}`);
    return error.exitCode;
  }
  if (error instanceof ConfigError) {
    io.err(`feedwatch: ${error.message}`);
    return EXIT.usage;
  }
  const hint = debug ? '' : ' (run again with --debug for details)';
  io.err(
    `feedwatch: ${error instanceof FeedwatchError ? '' : 'unexpected error: '}${errorMessage(error)}${hint}`,
  );
  return EXIT.partial;
}

await main();

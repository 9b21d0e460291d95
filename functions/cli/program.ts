import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerFeed } from './commands/feed.ts';
import { registerMatches } from './commands/matches.ts';
import { registerRun } from './commands/run.ts';
import { registerScan } from './commands/scan.ts';
import { registerSubscribe } from './commands/subscribe.ts';
import { registerWatch } from './commands/watch.ts';
import type { Io } from './io.ts';

function packageVersion(): string {
  const manifest = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}

/** What a command needs of the process it runs in: where to write, and where to leave its exit code. */
export interface CliContext {
  io: Io;
  exitCode: number;
}

/**
 * The whole command line, with every command writing through `cli.io` and leaving its exit code
 * in `cli.exitCode`: no process state is changed here, so a test can build a program, parse
 * arguments with it and read what it wrote.
 */
export function buildProgram(cli: CliContext): Command {
  const { io } = cli;
  const program = new Command('feedwatch')
    .description('Watch news feeds for topics written any way journalists write them, and alert once.')
    .version(packageVersion(), '--version', 'print the version')
    .option('--debug', 'show stack traces on errors')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(text.replace(/\n$/, '')),
      // One line, like every other error: commander puts its "Did you mean" on a line of its own.
      outputError: (text, write) =>
        write(
          `feedwatch: ${text
            .trim()
            .replace(/^error: /, '')
            .replace(/\s*\n\s*/g, ' ')} (see --help)\n`,
        ),
    });

  registerScan(program, cli);
  registerRun(program, cli);
  registerWatch(program, cli);
  registerFeed(program, cli);
  registerMatches(program, cli);
  registerSubscribe(program, cli);
  return program;
}

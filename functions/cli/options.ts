/** Option parsers and option sets shared by several command groups. */
import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { FULL_TEXT_MODES } from '#core/article/full-text.ts';
import { DEFAULT_MAX_BYTES } from '#core/feed/limits.ts';
import type { FullTextMode } from '#core/model.ts';
import { feedArgumentProblem } from './feed-url.ts';
import type { StoreOptions } from './stores.ts';

export function byteSize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb)?$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected a size such as 500kb or 10mb');
  const factor = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
  return Math.round(Number(match[1]) * factor);
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The path of a file: URL as run and feed list print it (file:///...), or a usage error. */
function filePathOf(url: string): string {
  // file://host/x names another machine's file, file:x no directory: neither is read here.
  if (url.startsWith('file:///')) {
    try {
      return fileURLToPath(url);
    } catch {
      // An encoded slash (%2F) names no path either.
    }
  }
  throw new InvalidArgumentError('expected a file URL such as file:///home/me/feed.xml, or a path');
}

/** A --feed of scan or watch test, refused before any feed is read when it can never be read. */
export function feedArgument(value: string, previous: string[] = []): string[] {
  const problem = feedArgumentProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return collect(value.startsWith('file:') ? filePathOf(value) : value, previous);
}

export function duration(value: string): number {
  const match = /^(\d+)\s*(m|h|d)$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected a duration such as 30m, 24h or 7d');
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? 'h').toLowerCase() as 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

export function positiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError('expected a positive whole number');
  return number;
}

export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

export const DEFAULT_STATE_DIR = '.feedwatch';

export function withStateDir(command: Command): Command {
  return command.option('--state-dir <dir>', 'where the local store keeps its data', DEFAULT_STATE_DIR);
}

export function withStack(command: Command, stackHelp: string): Command {
  return command
    .option('--stack <name>', stackHelp)
    .option('--region <region>', 'AWS region of --stack (default: your AWS configuration)');
}

/** `--full-text auto|always|never`: when the article page of an item is fetched and matched. */
export function fullTextOption(help: string, defaultMode?: FullTextMode): Option {
  const option = new Option('--full-text <mode>', help).choices([...FULL_TEXT_MODES]);
  return defaultMode ? option.default(defaultMode) : option;
}

/** The largest feed `scan` and `watch test` accept. */
export function maxBytesOption(): Option {
  return new Option('--max-bytes <size>', 'largest feed accepted')
    .default(DEFAULT_MAX_BYTES, '10mb')
    .argParser(byteSize);
}

/**
 * The memory store is gone when the command exits, so `watch add --store memory` would report a
 * change it had already lost: only `run` offers it. `--store` stays accepted (unlisted) here so
 * `--store local` still works and `--store memory` is refused with the reason.
 */
function localStoreOnly(value: string): 'local' {
  if (value === 'local') return value;
  throw new InvalidArgumentError(
    value === 'memory'
      ? 'only run can use the memory store, which is lost at exit; leave --store out for the local store, or use --stack'
      : 'the store here is local (the default), or a deployed stack with --stack',
  );
}

/** Options of the commands that read or change stored watches, feeds and matches. */
export function withStoreOptions(command: Command): Command {
  return withStack(
    withStateDir(
      command.addOption(new Option('--store <kind>').argParser(localStoreOnly).default('local').hideHelp()),
    ),
    'use a deployed Feedwatch stack (reads its outputs) instead of the local store',
  );
}

export function storeOptions(options: Record<string, unknown>): StoreOptions {
  return {
    store: (options.store as StoreOptions['store'] | undefined) ?? 'local',
    stack: options.stack as string | undefined,
    region: options.region as string | undefined,
    stateDir: (options.stateDir as string | undefined) ?? DEFAULT_STATE_DIR,
  };
}

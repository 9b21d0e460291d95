import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_FULL_TEXT, FULL_TEXT_MODES } from '#core/article/full-text.ts';
import type { FullTextMode, Watch } from '#core/model.ts';
import { CliError, fileProblem } from './errors.ts';
import { feedUrlOf } from './feed-url.ts';
import { assertValidWatches, watchSchema, withFeedUrls } from './watch-file.ts';

/** The local run's configuration file (feedwatch.config.json); documented in the README. */
const configSchema = z.strictObject({
  $comment: z.string().optional(),
  intervalMinutes: z.number().min(1).max(1440).default(5),
  feeds: z
    .array(
      z.union([
        z.string().min(1),
        z.strictObject({
          url: z.string().min(1),
          fullText: z.enum(FULL_TEXT_MODES as [FullTextMode, ...FullTextMode[]]).optional(),
        }),
      ]),
    )
    .default([]),
  watches: z.array(watchSchema).default([]),
  allowPrivateNetwork: z.boolean().default(false),
  fullText: z.enum(FULL_TEXT_MODES as [FullTextMode, ...FullTextMode[]]).default(DEFAULT_FULL_TEXT),
});

export interface RunConfig {
  intervalMinutes: number;
  /** Absolute http(s) or file: URLs. */
  feeds: string[];
  watches: Watch[];
  allowPrivateNetwork: boolean;
  /** When the config's feeds fetch their new items' article pages. */
  fullText: FullTextMode;
  /** Each feed's own setting where the config gives one (`{ "url": ..., "fullText": "never" }`). */
  feedFullText: ReadonlyMap<string, FullTextMode>;
}

export async function readRunConfig(path: string): Promise<RunConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `config file ${path} not found (pass --config <file>)`
        : `config file ${path}: ${fileProblem(error)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`${path}: ${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}`);
  }
  assertValidWatches(path, parsed.data.watches);
  const base = dirname(resolve(path));
  const feeds = parsed.data.feeds.map((feed) => feedUrlOf(typeof feed === 'string' ? feed : feed.url, base));
  const feedFullText = new Map<string, FullTextMode>();
  parsed.data.feeds.forEach((feed, index) => {
    if (typeof feed !== 'string' && feed.fullText) feedFullText.set(feeds[index] as string, feed.fullText);
  });
  feeds.forEach((url, index) => {
    if (!/^(https?|file):/i.test(url)) {
      throw new CliError(
        `${path}: feeds.${index}: unsupported URL scheme "${url.slice(0, url.indexOf(':') + 1)}" (only http, https, or a file path)`,
      );
    }
  });
  return { ...parsed.data, feeds, feedFullText, watches: withFeedUrls(parsed.data.watches, path) };
}

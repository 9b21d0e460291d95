import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { deliverySettingsProblem } from '#core/alerts/delivery-policy.ts';
import { QuerySyntaxError } from '#core/errors.ts';
import type { Watch } from '#core/model.ts';
import {
  defaultConcepts,
  notWarnings,
  operatorWords,
  operatorWordsNote,
  parseQuery,
  validateQuery,
} from '#core/query/index.ts';
import { CliError, fileProblem } from './errors.ts';
import { feedUrlOf } from './feed-url.ts';
import type { Io } from './io.ts';

export const watchSchema = z.strictObject({
  id: z.string().trim().min(1, 'id must not be empty'),
  query: z.string(),
  name: z.string().optional(),
  enabled: z.boolean().optional(),
  feeds: z.array(z.string()).optional(),
  delivery: z.enum(['immediate', 'digest', 'muted']).optional(),
  digest: z.enum(['hourly', 'daily']).optional(),
  maxAlertsPerHour: z.number().int().min(1).optional(),
  quietHours: z.strictObject({ start: z.string(), end: z.string(), timeZone: z.string() }).optional(),
  timeZone: z.string().optional(),
});

const watchListSchema = z.array(watchSchema);
const wrappedSchema = z.strictObject({ watches: watchListSchema });

/** Reads and validates a watches file; every problem is one line naming the watch. */
export async function readWatchFile(path: string): Promise<Watch[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read watches file ${path}: ${fileProblem(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  // Either a bare array of watches or `{ "watches": [...] }`; choosing the schema first keeps
  // the error about the watch that is wrong instead of "matches neither shape".
  const parsed = Array.isArray(json) ? watchListSchema.safeParse(json) : wrappedSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'top level';
    throw new CliError(
      `${path}: ${where}: ${issue?.message ?? 'invalid'} (expected an array of {"id", "query"} watches)`,
    );
  }
  const listed = Array.isArray(parsed.data) ? parsed.data : parsed.data.watches;
  assertValidWatches(path, listed);
  return withFeedUrls(listed, path);
}

/**
 * The watches with their feeds in the one form feed addresses are compared in (see feedUrlOf);
 * a path is relative to `file`, the file the watches are written in.
 */
export function withFeedUrls(watches: readonly Watch[], file: string): Watch[] {
  const base = dirname(resolve(file));
  return watches.map((watch) =>
    watch.feeds ? { ...watch, feeds: watch.feeds.map((feed) => feedUrlOf(feed, base)) } : watch,
  );
}

/** What every watch list a user writes (watches file, config file) must satisfy beyond its shape. */
export function assertValidWatches(path: string, watches: readonly Watch[]): void {
  const seen = new Set<string>();
  for (const watch of watches) {
    if (seen.has(watch.id)) throw new CliError(`${path}: watch "${watch.id}" appears twice`);
    seen.add(watch.id);
    assertValidQuery(watch.id, watch.query, path);
    const problem = deliverySettingsProblem(watch);
    if (problem) throw new CliError(`${path}: watch "${watch.id}": ${problem}`);
  }
}

/**
 * `watchId` names the watch in the message; without it the query stands alone (`watch test`).
 * `file` names the file the watch is in.
 */
export function assertValidQuery(watchId: string | undefined, query: string, file?: string): void {
  try {
    validateQuery(query);
  } catch (error) {
    if (error instanceof QuerySyntaxError) {
      const owner = `${file === undefined ? '' : `${file}: `}${watchId === undefined ? '' : `watch "${watchId}": `}`;
      // As written: a query's own quotes escaped (\"unclosed) are not what the user typed.
      const shown = query.includes('"') ? `'${query}'` : `"${query}"`;
      throw new CliError(`${owner}invalid query ${shown}: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Writes one note line when a valid query writes an operator in lower case between terms
 * (`ceasefire or truce`): operators are uppercase only, so it searches for the word, an AND that
 * matches almost nothing, which is seldom what was meant. Each such word is named once; `watchId`
 * names the watch, as in assertValidQuery. Nothing when there is nothing to say.
 */
export function noteOperatorWords(watchId: string | undefined, query: string, io: Io): void {
  const note = operatorWordsNote(operatorWords(query));
  if (note === undefined) return;
  const owner = watchId === undefined ? '' : `watch "${watchId}": `;
  io.err(`feedwatch: note: ${owner}${note}`);
}

/** Says when a NOT of the query excludes more than the user likely meant (see notWarnings). */
export function noteNotWarnings(watchId: string | undefined, query: string, io: Io): void {
  let warnings: string[];
  try {
    warnings = notWarnings(parseQuery(query), defaultConcepts());
  } catch (error) {
    // An invalid query gets its own message from validation.
    if (error instanceof QuerySyntaxError) return;
    throw error;
  }
  const owner = watchId === undefined ? '' : `watch "${watchId}": `;
  for (const warning of warnings) io.err(`feedwatch: note: ${owner}${warning}`);
}

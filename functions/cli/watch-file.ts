import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { QuerySyntaxError } from '#core/errors.ts';
import type { Watch } from '#core/model.ts';
import { validateQuery } from '#core/query/index.ts';
import { CliError } from './errors.ts';

export const watchSchema = z.strictObject({
  id: z.string().trim().min(1, 'id must not be empty'),
  query: z.string(),
  name: z.string().optional(),
  enabled: z.boolean().optional(),
  feeds: z.array(z.string()).optional(),
  delivery: z.enum(['immediate', 'digest', 'muted']).optional(),
});

/** Either a bare array of watches or `{ "watches": [...] }`. */
const watchFileSchema = z.union([z.array(watchSchema), z.strictObject({ watches: z.array(watchSchema) })]);

/** Reads and validates a watches file; every problem is one line naming the watch. */
export async function readWatchFile(path: string): Promise<Watch[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read watches file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = watchFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'top level';
    throw new CliError(
      `${path}: ${where}: ${issue?.message ?? 'invalid'} (expected an array of {"id", "query"} watches)`,
    );
  }
  const watches = Array.isArray(parsed.data) ? parsed.data : parsed.data.watches;
  const seen = new Set<string>();
  for (const watch of watches) {
    if (seen.has(watch.id)) throw new CliError(`${path}: watch "${watch.id}" appears twice`);
    seen.add(watch.id);
    assertValidQuery(watch.id, watch.query);
  }
  return watches;
}

export function assertValidQuery(watchId: string, query: string): void {
  try {
    validateQuery(query);
  } catch (error) {
    if (error instanceof QuerySyntaxError) {
      throw new CliError(`watch "${watchId}": invalid query ${JSON.stringify(query)}: ${error.message}`);
    }
    throw error;
  }
}

import {
  type DynamoDBDocumentClient,
  paginateQuery,
  paginateScan,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';

/** Every item of a query, following LastEvaluatedKey, or just the first `limit` items. */
export async function queryAll(
  doc: DynamoDBDocumentClient,
  input: QueryCommandInput,
  limit?: number,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const pages = paginateQuery({ client: doc, ...(limit === undefined ? {} : { pageSize: limit }) }, input);
  for await (const page of pages) {
    items.push(...(page.Items ?? []));
    if (limit !== undefined && items.length >= limit) return items.slice(0, limit);
  }
  return items;
}

/** Every item of a table, following LastEvaluatedKey (a scan pages at 1 MB). */
export async function scanAll(
  doc: DynamoDBDocumentClient,
  input: ScanCommandInput,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client: doc }, input)) items.push(...(page.Items ?? []));
  return items;
}

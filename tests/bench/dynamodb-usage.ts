import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * DynamoDB item size as billed: the sum of its attribute names and values. Strings count their
 * UTF-8 bytes, binary values their bytes, numbers about 1 byte per 2 digits + 1, booleans and
 * nulls 1 byte; a nested list or map 3 bytes plus 1 per element (and a map's names). Close enough
 * to turn measured items into write request units.
 */
export function itemSize(item: object): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) size += Buffer.byteLength(name) + valueSize(value);
  }
  return size;
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/\D/g, '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value))
    return 3 + value.reduce((sum: number, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === 'object' && value !== undefined) {
    const fields = Object.values(value).filter((field) => field !== undefined).length;
    return 3 + fields + itemSize(value);
  }
  return 0;
}

/** Write request units of a put of `item`: one per started KB. */
export function writeUnits(item: object): number {
  return Math.max(1, Math.ceil(itemSize(item) / 1024));
}

export interface CommandUsage {
  requests: number;
  /** Requests rejected by their ConditionExpression (still billed). */
  conditionFailed: number;
  /** Sum of the sizes of the items put (by Put, BatchWrite and TransactWrite). */
  itemBytes: number;
  /** Items put. */
  items: number;
  /** Write units of the items put, each billed by the started KB. */
  writeUnits: number;
}

/** Counts every request the stores send through the document client, per command and table. */
export class DynamoDbUsage {
  readonly byCommand = new Map<string, CommandUsage>();

  attach(doc: DynamoDBDocumentClient): void {
    const send = doc.send.bind(doc) as (command: unknown) => Promise<unknown>;
    (doc as { send: (command: unknown) => Promise<unknown> }).send = async (command: unknown) => {
      const { constructor: commandClass, input } = command as {
        constructor: { name: string };
        input: Record<string, unknown>;
      };
      // BatchWriteItem lists requests per table; BatchGetItem names keys (an object, not a list).
      const batch = (input.RequestItems ?? {}) as Record<string, unknown>;
      const transaction = (input.TransactItems ?? []) as { Put?: { TableName: string; Item: unknown } }[];
      // Batch commands name their tables inside RequestItems, transactions inside each action.
      const table = input.TableName ?? Object.keys(batch)[0] ?? transaction[0]?.Put?.TableName;
      const usage = this.usageOf(`${commandClass.name.replace(/Command$/, '')} ${String(table)}`);
      usage.requests++;
      const written = [
        ...(input.Item ? [input.Item] : []),
        ...Object.values(batch).flatMap((requests) =>
          Array.isArray(requests)
            ? requests.map((request: { PutRequest?: { Item: unknown } }) => request.PutRequest?.Item)
            : [],
        ),
        ...transaction.map((action) => action.Put?.Item),
      ].filter((item): item is object => typeof item === 'object' && item !== null);
      for (const item of written) {
        usage.itemBytes += itemSize(item);
        usage.writeUnits += writeUnits(item);
      }
      usage.items += written.length;
      try {
        return await send(command);
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) usage.conditionFailed++;
        throw error;
      }
    };
  }

  reset(): void {
    this.byCommand.clear();
  }

  snapshot(): Record<string, CommandUsage> {
    return Object.fromEntries([...this.byCommand.entries()].map(([key, usage]) => [key, { ...usage }]));
  }

  private usageOf(key: string): CommandUsage {
    let usage = this.byCommand.get(key);
    if (!usage) {
      usage = { requests: 0, conditionFailed: 0, itemBytes: 0, items: 0, writeUnits: 0 };
      this.byCommand.set(key, usage);
    }
    return usage;
  }
}

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * DynamoDB item size as billed: attribute names plus values (strings in UTF-8 bytes, numbers
 * about 1 byte per 2 digits + 1, booleans and nulls 1 byte, lists and maps 3 bytes plus 1 per
 * element). Close enough to turn measured items into write request units.
 */
export function itemSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/\D/g, '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element) => sum + 1 + itemSize(element), 0);
  if (typeof value === 'object' && value !== undefined) {
    let size = 3;
    for (const [name, field] of Object.entries(value)) {
      if (field !== undefined) size += 1 + Buffer.byteLength(name) + itemSize(field);
    }
    return size;
  }
  return 0;
}

export interface CommandUsage {
  requests: number;
  /** Requests rejected by their ConditionExpression (still billed). */
  conditionFailed: number;
  /** Sum of the sizes of the items put (by Put, BatchWrite and TransactWrite). */
  itemBytes: number;
  /** Items put. */
  items: number;
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
      ].filter((item) => item !== undefined);
      for (const item of written) usage.itemBytes += itemSize(item);
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
      usage = { requests: 0, conditionFailed: 0, itemBytes: 0, items: 0 };
      this.byCommand.set(key, usage);
    }
    return usage;
  }
}

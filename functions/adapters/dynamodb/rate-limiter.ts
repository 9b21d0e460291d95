import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateLimitDecision, RateLimiter } from '#core/ports.ts';
import { ignoringFailedCondition } from './match-store.ts';
import { MATCHES } from './schema.ts';

/**
 * Alert counters in the matches table (see MATCHES.rateCounter): one item per (watch, window),
 * counted with a conditional ADD so that concurrent notifiers never hand out more than the
 * limit, and exactly one of them learns it was the first beyond it.
 */
export class DynamoDbRateLimiter implements RateLimiter {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(watchId: string, window: string, limit: number, expiresAt: Date): Promise<RateLimitDecision> {
    let count: unknown;
    const counted = await ignoringFailedCondition(async () => {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(watchId, window),
          UpdateExpression: 'ADD #count :one SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
          // One past the limit is still counted: that call is the one that sends the notice.
          ConditionExpression: 'attribute_not_exists(#count) OR #count <= :limit',
          ExpressionAttributeNames: {
            '#count': MATCHES.rateCounter.countAttribute,
            '#expiresAt': MATCHES.ttlAttribute,
          },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':expiresAt': Math.floor(expiresAt.getTime() / 1000),
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      count = result.Attributes?.[MATCHES.rateCounter.countAttribute];
    });
    if (!counted) return 'over-limit';
    return typeof count === 'number' && count > limit ? 'first-over-limit' : 'allowed';
  }

  async giveBack(watchId: string, window: string): Promise<void> {
    await ignoringFailedCondition(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(watchId, window),
          UpdateExpression: 'ADD #count :minusOne',
          ConditionExpression: '#count > :zero',
          ExpressionAttributeNames: { '#count': MATCHES.rateCounter.countAttribute },
          ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
        }),
      ),
    );
  }

  private key(watchId: string, window: string) {
    return {
      [MATCHES.partitionKey]: `${MATCHES.rateCounter.partitionPrefix}${watchId}`,
      [MATCHES.sortKey]: window,
    };
  }
}

import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  TableEncryptionV2,
  type TablePropsV2,
  TableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

export interface FeedwatchTableProps extends Pick<TablePropsV2, 'timeToLiveAttribute' | 'dynamoStream'> {
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly indexes?: readonly { name: string; partitionKey: string; sortKey: string }[];
}

/**
 * A table holding user data: on-demand, AWS-managed encryption, point-in-time recovery, and
 * RETAIN so the data outlives a redeploy or a deleted stack. It knows its index names, so a
 * grant can name each index instead of `index/*`.
 */
export class FeedwatchTable extends TableV2 {
  readonly indexNames: readonly string[];

  constructor(scope: Construct, id: string, props: FeedwatchTableProps) {
    super(scope, id, {
      partitionKey: { name: props.partitionKey, type: AttributeType.STRING },
      ...(props.sortKey && { sortKey: { name: props.sortKey, type: AttributeType.STRING } }),
      globalSecondaryIndexes: props.indexes?.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      })),
      timeToLiveAttribute: props.timeToLiveAttribute,
      dynamoStream: props.dynamoStream,
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.indexNames = props.indexes?.map((index) => index.name) ?? [];
  }

  indexArns(): string[] {
    return this.indexNames.map((name) => `${this.tableArn}/index/${name}`);
  }
}

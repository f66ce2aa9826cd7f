// The one DynamoDB table: reset tokens, sessions and sign-in challenges (keys in
// lambdas/adapters/dynamodb-store.ts).
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { tableKeys } from '../../lambdas/adapters/dynamodb-store';

export class Data extends Construct {
  readonly table: Table;
  /**
   * Seals second-factor secrets (authenticator keys). A key of our own, not the table's AWS
   * managed one: only the functions that seal or open a secret are granted it, and each use
   * shows in CloudTrail with the user in its encryption context.
   */
  readonly factorKey: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: tableKeys.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableKeys.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      // TTL only tidies up (it can lag by days); every read checks expiresAt itself.
      timeToLiveAttribute: tableKeys.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The AWS managed key: encrypted with a KMS key whose use shows in CloudTrail, at no key fee
      // and with no key policy for the functions to need.
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: tableKeys.userIndex.name,
      partitionKey: { name: tableKeys.userIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableKeys.userIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    this.factorKey = new Key(this, 'FactorKey', {
      description: 'Support Access: seals second-factor secrets (authenticator keys) at rest',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

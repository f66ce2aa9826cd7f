// Rotates the origin secret on a schedule (and on demand: aws secretsmanager rotate-secret) with
// lib/functions/origin-secret-rotation.ts, which also points CloudFront's API origin at the new value.
import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret, RotationSchedule } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_SECRET_ROTATION_DAYS } from '../origin-verify';
import { PortalFunction, PROJECT_ROOT } from './lambda-function';

export interface OriginSecretRotationProps {
  readonly secret: ISecret;
  readonly distribution: IDistribution;
  readonly logRetention: RetentionDays;
}

export class OriginSecretRotation extends Construct {
  readonly function: PortalFunction;
  readonly schedule: RotationSchedule;

  constructor(scope: Construct, id: string, props: OriginSecretRotationProps) {
    super(scope, id);
    this.function = new PortalFunction(this, 'Function', {
      entry: join(PROJECT_ROOT, 'lib', 'functions', 'origin-secret-rotation.ts'),
      description: 'Support Access: rotates the origin secret and updates CloudFront',
      logRetention: props.logRetention,
      // UpdateDistribution returns at once; CloudFront spreads the change in the background.
      timeout: Duration.seconds(20),
      memorySize: 256,
      environment: { DISTRIBUTION_ID: props.distribution.distributionId },
    });
    // The rotation schedule grants the secret's own actions (describe, get, put, stage) and GetRandomPassword.
    this.schedule = props.secret.addRotationSchedule('Rotation', {
      rotationLambda: this.function,
      automaticallyAfter: Duration.days(ORIGIN_SECRET_ROTATION_DAYS),
    });
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['cloudfront:GetDistributionConfig', 'cloudfront:UpdateDistribution'],
        resources: [
          Stack.of(this).formatArn({
            service: 'cloudfront',
            region: '',
            resource: 'distribution',
            resourceName: props.distribution.distributionId,
          }),
        ],
      }),
    );
  }
}

// What CloudFront needs from us-east-1, deployed before the main stack and handed to it through
// cross-region references: the web ACL, the certificate of the custom domain, and (when the main
// region cannot receive them) the bucket for CloudFront's standard logs.
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate, CertificateValidation, type ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { HostedZone } from 'aws-cdk-lib/aws-route53';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { AppConfig } from './app-config';
import { Firewall } from './constructs/firewall';
import { ACCESS_LOG_DAYS, logRemovalPolicy, logRetention } from './stage-policies';

/** CloudFront's own region: its certificates and web ACLs, and its metrics, live only here. */
export const EDGE_REGION = 'us-east-1';

/**
 * CloudFront standard logging (the S3 kind) delivers only to buckets in the regions AWS enabled by
 * default; it cannot write to a bucket in an opt-in region (af-south-1, ap-east-1, eu-south-1,
 * me-south-1, and every region opened since 2019). In those, the logs go to a bucket in us-east-1.
 */
export const CLOUDFRONT_LOG_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
];

export function cloudFrontCanLogTo(region: string): boolean {
  return CLOUDFRONT_LOG_REGIONS.includes(region);
}

/** True when the deployment needs anything in us-east-1 before the main stack. */
export function needsEdgeStack(config: AppConfig): boolean {
  return (
    config.waf ||
    (config.domainName !== undefined && config.certificateArn === undefined) ||
    !cloudFrontCanLogTo(config.region)
  );
}

export interface EdgeStackProps extends StackProps {
  readonly config: AppConfig;
}

export class EdgeStack extends Stack {
  readonly firewall: Firewall | undefined;
  readonly certificate: ICertificate | undefined;
  readonly cloudFrontLogBucket: Bucket | undefined;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    const { config } = props;
    if (this.region !== EDGE_REGION) throw new Error(`The edge stack must be in ${EDGE_REGION}, not ${this.region}`);

    if (config.waf) {
      this.firewall = new Firewall(this, 'Firewall', {
        // Web ACL names are per account and region: the home region keeps two deployments apart.
        name: `${config.stackName}-${config.region}`,
        apiRateLimit: config.wafApiRateLimit,
        botControl: config.botControl,
        logRetention: logRetention(config),
        logRemovalPolicy: logRemovalPolicy(config),
      });
    }

    if (config.domainName !== undefined && config.certificateArn === undefined) {
      const zone =
        config.hostedZoneId !== undefined && config.hostedZoneName !== undefined
          ? HostedZone.fromHostedZoneAttributes(this, 'Zone', {
              hostedZoneId: config.hostedZoneId,
              zoneName: config.hostedZoneName,
            })
          : undefined;
      // With the zone, CloudFormation adds the validation record itself; without it, the deploy
      // waits until the CNAME ACM asks for (shown in the ACM console and the stack events) is in DNS.
      this.certificate = new Certificate(this, 'Certificate', {
        domainName: config.domainName,
        validation: CertificateValidation.fromDns(zone),
      });
    }

    if (!cloudFrontCanLogTo(config.region)) {
      this.cloudFrontLogBucket = new Bucket(this, 'CloudFrontLogs', {
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        encryption: BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        // CloudFront standard logging writes with an ACL.
        objectOwnership: ObjectOwnership.OBJECT_WRITER,
        lifecycleRules: [{ expiration: Duration.days(ACCESS_LOG_DAYS) }],
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }
  }
}

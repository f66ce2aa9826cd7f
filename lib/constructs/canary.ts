// An optional CloudWatch Synthetics canary (canary=true): every 15 minutes it loads the login page
// and asks for a reset for a login that has no account, through CloudFront like a person would,
// and alarms when either step fails. It sends no email (the login has no account).
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Canary, Code, Runtime, Schedule, Test } from 'aws-cdk-lib/aws-synthetics';
import { Construct } from 'constructs';
import { apiRoutes, pages } from '../../lambdas/definitions/routes';

/** A login that must never be given to a person: the canary's reset requests use it. */
export const CANARY_LOGIN = 'synthetics-canary';
export const CANARY_EVERY = Duration.minutes(15);

export interface WalkCanaryProps {
  readonly siteUrl: string;
  readonly alarmPrefix: string;
  readonly topic: ITopic;
  readonly accessLogBucket: IBucket;
}

/** The canary's script (Synthetics Node.js runtime): two HTTP steps, each failing the run on a wrong answer. */
export function canaryScript(): string {
  return `const synthetics = require('Synthetics');
const site = new URL(process.env.SITE_URL);
const base = { hostname: site.hostname, port: 443, protocol: 'https:' };
const expectStatus = (status, mustContain) => (res) =>
  new Promise((resolve, reject) => {
    let body = '';
    res.on('data', (chunk) => { body += chunk; });
    res.on('end', () => {
      if (res.statusCode !== status) return reject(new Error('expected ' + status + ', got ' + res.statusCode));
      if (mustContain && !body.includes(mustContain)) return reject(new Error('the page lacks ' + mustContain));
      resolve();
    });
  });
exports.handler = async () => {
  await synthetics.executeHttpStep('login page', { ...base, method: 'GET', path: ${JSON.stringify(pages.login.path)} },
    expectStatus(200, 'type="password"'));
  await synthetics.executeHttpStep('request a reset',
    { ...base, method: 'POST', path: ${JSON.stringify(apiRoutes.requestReset.path)},
      headers: { 'content-type': 'application/json', origin: site.origin, 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ login: process.env.CANARY_LOGIN }) },
    expectStatus(202));
};
`;
}

export class WalkCanary extends Construct {
  readonly canary: Canary;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: WalkCanaryProps) {
    super(scope, id);
    const artifacts = new Bucket(this, 'Artifacts', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: props.accessLogBucket,
      serverAccessLogsPrefix: 's3-canary/',
      lifecycleRules: [{ expiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.canary = new Canary(this, 'Canary', {
      runtime: Runtime.SYNTHETICS_NODEJS_PUPPETEER_12_0,
      test: Test.custom({ code: Code.fromInline(canaryScript()), handler: 'index.handler' }),
      schedule: Schedule.rate(CANARY_EVERY),
      environmentVariables: { SITE_URL: props.siteUrl, CANARY_LOGIN },
      artifactsBucketLocation: { bucket: artifacts },
      successRetentionPeriod: Duration.days(7),
      failureRetentionPeriod: Duration.days(30),
    });
    this.alarm = new Alarm(this, 'Failing', {
      alarmName: `${props.alarmPrefix}-CanaryFailing`,
      alarmDescription:
        'The canary could not load the login page or request a reset through CloudFront twice in a row. Open its last run in the CloudWatch Synthetics console.',
      metric: this.canary.metricSuccessPercent({ period: CANARY_EVERY, statistic: 'Average' }),
      threshold: 100,
      evaluationPeriods: 2,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
    });
    const action = new SnsAction(props.topic);
    this.alarm.addAlarmAction(action);
    this.alarm.addOkAction(action);
  }
}

// The deployment's main stack, in the stage's region: one construct per concern (lib/constructs/),
// wired together here. What CloudFront needs from us-east-1 comes from the edge stack
// (lib/edge-stack.ts); nothing is looked up in an account at synth.
import { join } from 'node:path';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate, type ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { apiRoutes, queueConsumers } from '../lambdas/definitions/routes';
import type { AppConfig } from './app-config';
import { Alarms } from './constructs/alarms';
import { Api, pascalCase, routeKey } from './constructs/api';
import { WalkCanary } from './constructs/canary';
import { OperationsDashboard } from './constructs/dashboard';
import { Data } from './constructs/data';
import { DomainRecords } from './constructs/domain-records';
import { HANDLERS_DIR, PortalFunction } from './constructs/lambda-function';
import { Mail } from './constructs/mail';
import { OriginSecretRotation } from './constructs/origin-secret-rotation';
import { ResetQueue, WORKER_TIMEOUT } from './constructs/queue';
import { Site } from './constructs/site';
import { Users } from './constructs/users';
import { type AccessTargets, applyAccess } from './function-access';
import { functionMemoryMb } from './function-sizing';
import { acknowledgeFindings } from './nag-acknowledgements';
import { ORIGIN_SECRET_LENGTH } from './origin-verify';
import { ACCESS_LOG_DAYS, applyStagePolicy, LOG_RETENTION } from './stage-policies';

export { ACCESS_LOG_DAYS, LOG_RETENTION };

/** What the edge stack (us-east-1) hands to the main stack. */
export interface EdgeParts {
  readonly certificate?: ICertificate | undefined;
  /** The web ACL the edge stack made, with its name (for the dashboard). */
  readonly webAcl?: { readonly arn: string; readonly name: string } | undefined;
  readonly cloudFrontLogBucket?: IBucket | undefined;
}

export interface SupportAccessStackProps extends StackProps {
  readonly config: AppConfig;
  readonly edge?: EdgeParts;
}

export class SupportAccessStack extends Stack {
  readonly data: Data;
  readonly users: Users;
  readonly mail: Mail;
  readonly resetQueue: ResetQueue;
  readonly api: Api;
  readonly site: Site;
  readonly worker: PortalFunction;
  readonly alarms: Alarms;
  readonly originSecret: Secret;
  readonly originSecretRotation: OriginSecretRotation;
  readonly dashboard: OperationsDashboard;
  readonly domainRecords: DomainRecords | undefined;
  readonly canary: WalkCanary | undefined;
  readonly providerKeys: Secret;

  constructor(scope: Construct, id: string, props: SupportAccessStackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    const { config, edge = {} } = props;

    this.data = new Data(this, 'Data');
    this.users = new Users(this, 'Users', { temporaryPasswordMinutes: config.temporaryPasswordMinutes });
    this.mail = new Mail(this, 'Mail', { config });
    this.resetQueue = new ResetQueue(this, 'ResetQueue');

    // CloudFront sends it to the API with every request; the API's authorizer admits nothing else.
    // It rotates every 30 days (OriginSecretRotation, below). A new generation is a new secret, for
    // when the rotation itself is broken: both sides pick it up in the same deploy (README).
    const generation = config.originSecretGeneration;
    this.originSecret = new Secret(this, `OriginVerifySecret${generation > 1 ? generation : ''}`, {
      description: 'Support Access: header value CloudFront adds to API requests (origin verification)',
      generateSecretString: { passwordLength: ORIGIN_SECRET_LENGTH, excludePunctuation: true, includeSpace: false },
    });
    const originSecret = this.originSecret;
    this.api = new Api(this, 'Api', {
      rateLimit: config.apiRateLimit,
      burstLimit: config.apiBurstLimit,
      logRetention: LOG_RETENTION,
      originSecret,
    });
    const certificate = config.certificateArn
      ? Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn)
      : edge.certificate;
    if (config.domainName !== undefined && certificate === undefined) {
      throw new Error(`domainName ${config.domainName} has no certificate: pass certificateArn or the edge stack's`);
    }
    const webAclArn = config.webAclArn ?? edge.webAcl?.arn;
    this.site = new Site(this, 'Site', {
      config,
      certificate,
      webAclArn,
      cloudFrontLogBucket: edge.cloudFrontLogBucket,
      globalNamePrefix: `${config.stackName}-${this.region}`,
      httpApi: this.api.httpApi,
      originSecret,
      accessLogDays: ACCESS_LOG_DAYS,
    });
    this.originSecretRotation = new OriginSecretRotation(this, 'OriginSecretRotation', {
      secret: originSecret,
      distribution: this.site.distribution,
      logRetention: LOG_RETENTION,
    });
    this.domainRecords =
      config.domainName !== undefined && config.hostedZoneId !== undefined && config.hostedZoneName !== undefined
        ? new DomainRecords(this, 'DomainRecords', {
            domainName: config.domainName,
            hostedZoneId: config.hostedZoneId,
            hostedZoneName: config.hostedZoneName,
            distribution: this.site.distribution,
          })
        : undefined;

    // The OpenID Provider's signing and cookie keys. Created empty of keys: `npm run ops -- keys
    // init` writes the first key set, `keys rotate` the next ones (README: Connect your support tool).
    this.providerKeys = new Secret(this, 'OidcProviderKeys', {
      description: 'Support Access: OpenID Provider keys (npm run ops -- keys init | rotate)',
    });

    const targets: AccessTargets = {
      site: {
        siteUrl: this.site.siteUrl,
        portalName: config.portalName,
        primaryColour: config.primaryColour,
        resetTokenMinutes: config.resetTokenMinutes,
        temporaryPasswordMinutes: config.temporaryPasswordMinutes,
        sessionMinutes: config.sessionMinutes,
        sessionIdleMinutes: config.sessionIdleMinutes,
        rateLimits: config.rateLimits,
        requireSecondFactor: config.requireSecondFactor,
      },
      table: this.data.table,
      userPool: {
        userPoolId: this.users.userPool.userPoolId,
        userPoolArn: this.users.userPool.userPoolArn,
        clientId: this.users.client.userPoolClientId,
      },
      resetQueue: this.resetQueue.queue,
      factorKey: { keyArn: this.data.factorKey.keyArn },
      providerKeys: { secretArn: this.providerKeys.secretArn },
      ops: { email: config.opsEmail, commandArgs: `--stack ${this.stackName} --region ${this.region}` },
      mail: {
        senderEmail: this.mail.senderEmail,
        identityNames: this.mail.identityNames,
        templatePrefix: this.mail.templatePrefix,
        templateNames: this.mail.templateNames,
        configurationSetName: this.mail.configurationSet.configurationSetName,
      },
    };
    this.api.addRoutes(targets);

    const workerName = queueConsumers.resetRequests.handler;
    this.worker = new PortalFunction(this, pascalCase(workerName), {
      entry: join(HANDLERS_DIR, `${workerName}.ts`),
      description: 'Support Access: sends reset-link emails from the reset queue',
      logRetention: LOG_RETENTION,
      timeout: WORKER_TIMEOUT,
      memorySize: functionMemoryMb(workerName),
    });
    applyAccess(this.worker, workerName, targets);
    this.resetQueue.addWorker(this.worker);

    const functions = new Map([
      ...this.api.functions,
      [workerName, this.worker],
      ['origin-verify', this.api.authorizerFunction],
      ['origin-secret-rotation', this.originSecretRotation.function],
    ]);
    const routeFunctions = new Map(
      Object.values(apiRoutes).flatMap((route) => {
        const fn = this.api.functions.get(route.handler);
        return fn ? [[routeKey(route), fn] as const] : [];
      }),
    );
    this.alarms = new Alarms(this, 'Alarms', {
      prefix: config.stackName,
      opsEmail: config.opsEmail,
      httpApi: this.api.httpApi,
      functions,
      resetQueue: this.resetQueue.queue,
      deadLetterQueue: this.resetQueue.deadLetterQueue,
      accessLogs: this.api.accessLogs,
      routeFunctions,
      mail: this.mail,
    });
    this.canary = config.canary
      ? new WalkCanary(this, 'Canary', {
          siteUrl: this.site.siteUrl,
          alarmPrefix: config.stackName,
          topic: this.alarms.topic,
          accessLogBucket: this.site.logBucket,
        })
      : undefined;
    this.dashboard = new OperationsDashboard(this, 'Dashboard', {
      // Dashboard names are per account, not per region.
      name: `${config.stackName}-${this.region}`,
      stackName: this.stackName,
      distributionId: this.site.distribution.distributionId,
      webAclName: edge.webAcl?.name,
      httpApi: this.api.httpApi,
      routeFunctions,
      functions,
      resetQueue: this.resetQueue.queue,
      deadLetterQueue: this.resetQueue.deadLetterQueue,
      mail: this.mail,
      alarms: [...this.alarms.alarms, ...(this.canary ? [this.canary.alarm] : [])],
    });

    new CfnOutput(this, 'LoginUrl', { description: 'The sign-in page', value: `${this.site.siteUrl}/` });
    new CfnOutput(this, 'DistributionDomainName', {
      description: 'Point the custom domain here (CNAME, or a Route 53 alias)',
      value: this.site.distribution.distributionDomainName,
    });
    new CfnOutput(this, 'DistributionId', { value: this.site.distribution.distributionId });
    new CfnOutput(this, 'UserPoolId', {
      description: 'Create users here (README: seeding users)',
      value: this.users.userPool.userPoolId,
    });
    new CfnOutput(this, 'ResetDeadLetterQueueUrl', { value: this.resetQueue.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboard.dashboardName });
    new CfnOutput(this, 'OriginSecretArn', {
      description:
        'Rotate now: aws secretsmanager rotate-secret --secret-id <this> (README: rotating the origin secret)',
      value: originSecret.secretArn,
    });
    // What the ops CLI reads (npm run ops -- … --stack <name> --region <region>; README: credential requests).
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'SenderEmail', { value: this.mail.senderEmail });
    new CfnOutput(this, 'EmailTemplatePrefix', { value: this.mail.templatePrefix });
    new CfnOutput(this, 'EmailConfigurationSet', { value: this.mail.configurationSet.configurationSetName });
    new CfnOutput(this, 'PortalName', { value: config.portalName });
    new CfnOutput(this, 'PrimaryColour', { value: config.primaryColour });
    new CfnOutput(this, 'OidcKeysSecret', { value: this.providerKeys.secretArn });
    new CfnOutput(this, 'TemporaryPasswordMinutes', { value: String(config.temporaryPasswordMinutes) });

    acknowledgeFindings({
      stack: this,
      config,
      users: this.users,
      site: this.site,
      webAclArn,
      providerKeys: this.providerKeys,
    });
    applyStagePolicy(this, config);
  }
}

// The whole deployment in one stack: one construct per concern (lib/constructs/), wired together
// here. Environment-agnostic: nothing is looked up in an account at synth.
import { join } from 'node:path';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { queueConsumers } from '../lambdas/definitions/routes';
import type { AppConfig } from './app-config';
import { Alarms } from './constructs/alarms';
import { Api, pascalCase } from './constructs/api';
import { Data } from './constructs/data';
import { HANDLERS_DIR, PortalFunction } from './constructs/lambda-function';
import { Mail } from './constructs/mail';
import { ResetQueue, WORKER_TIMEOUT } from './constructs/queue';
import { Site } from './constructs/site';
import { Users } from './constructs/users';
import { type AccessTargets, applyAccess } from './function-access';
import { acknowledgeFindings } from './nag-acknowledgements';

/** Function and API logs: long enough to investigate a complaint about a reset weeks later. */
export const LOG_RETENTION = RetentionDays.THREE_MONTHS;
export const ACCESS_LOG_DAYS = 90;

export interface SupportAccessStackProps extends StackProps {
  readonly config: AppConfig;
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
  readonly providerKeys: Secret;

  constructor(scope: Construct, id: string, props: SupportAccessStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.data = new Data(this, 'Data');
    this.users = new Users(this, 'Users');
    this.mail = new Mail(this, 'Mail', { config });
    this.resetQueue = new ResetQueue(this, 'ResetQueue');

    // CloudFront sends it to the API with every request; the API's authorizer admits nothing else.
    // A new generation is a new secret: both sides pick it up in the same deploy (README: rotating).
    const generation = config.originSecretGeneration;
    const originSecret = new Secret(this, `OriginVerifySecret${generation > 1 ? generation : ''}`, {
      description: 'Support Access: header value CloudFront adds to API requests (origin verification)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
    this.api = new Api(this, 'Api', {
      rateLimit: config.apiRateLimit,
      burstLimit: config.apiBurstLimit,
      logRetention: LOG_RETENTION,
      originSecret,
    });
    this.site = new Site(this, 'Site', {
      config,
      httpApi: this.api.httpApi,
      originSecret,
      accessLogDays: ACCESS_LOG_DAYS,
    });

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
        rateLimits: config.rateLimits,
      },
      table: this.data.table,
      userPool: {
        userPoolId: this.users.userPool.userPoolId,
        userPoolArn: this.users.userPool.userPoolArn,
        clientId: this.users.client.userPoolClientId,
      },
      resetQueue: this.resetQueue.queue,
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
    });
    applyAccess(this.worker, workerName, targets);
    this.resetQueue.addWorker(this.worker);

    this.alarms = new Alarms(this, 'Alarms', {
      prefix: config.stackName,
      opsEmail: config.opsEmail,
      httpApi: this.api.httpApi,
      functions: new Map([
        ...this.api.functions,
        [workerName, this.worker],
        ['origin-verify', this.api.authorizerFunction],
      ]),
      resetQueue: this.resetQueue.queue,
      deadLetterQueue: this.resetQueue.deadLetterQueue,
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
      originSecret,
      providerKeys: this.providerKeys,
    });
  }
}

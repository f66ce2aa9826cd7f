// The production parts, read from the synthesized templates: a prod stage with its own domain
// (Route 53 zone), the stack's WAF with Bot Control and a custom MAIL FROM, built once; the default
// dev stage; and a region CloudFront cannot deliver logs to.
import { EventEmitter } from 'node:events';
import { runInNewContext } from 'node:vm';
import { Template } from 'aws-cdk-lib/assertions';
import { apiRoutes, providerFunction } from '../../lambdas/definitions/routes';
import { routeKey } from '../../lib/constructs/api';
import { CANARY_LOGIN, canaryScript } from '../../lib/constructs/canary';
import { BOT_CONTROL_RULE_GROUP, MANAGED_RULE_GROUPS, RATE_LIMITED_STATUS } from '../../lib/constructs/firewall';
import { SES_EVENTS } from '../../lib/constructs/mail';
import type { Deployment } from '../../lib/deployment';
import { build, logicalId, render } from './fixture';

const PROD = {
  stage: 'prod',
  account: '111122223333',
  region: 'eu-west-1',
  senderEmail: 'no-reply@acme-support.io',
  opsEmail: 'ops@acme-support.io',
  domainName: 'support.acme-support.io',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  hostedZoneName: 'acme-support.io',
  mailFromDomain: 'mail.acme-support.io',
  botControl: 'true',
  wafApiRateLimit: '200',
};

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON, read loosely
type Json = any;
type Resources = Record<
  string,
  { Type: string; Properties: Record<string, unknown>; DependsOn?: string[]; DeletionPolicy?: string }
>;

let prod: Deployment;
let edge: Template;
let main: Template;
let edgeAlarms: Template;
let mainResources: Resources;

beforeAll(() => {
  const built = build(PROD);
  prod = built.deployment;
  if (!prod.edge) throw new Error('prod with the WAF and a domain must have an edge stack');
  edge = Template.fromStack(prod.edge);
  main = built.template;
  edgeAlarms = Template.fromStack(prod.edgeAlarms);
  mainResources = main.toJSON().Resources;
});

function only(template: Template, type: string): { Properties: Record<string, Json> } {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0] as { Properties: Record<string, Json> };
}

const distributionConfig = () => only(main, 'AWS::CloudFront::Distribution').Properties.DistributionConfig;

/** A value the main stack reads from another stack's output (CloudFormation's cross-region Fn::GetStackOutput). */
const fromStack = (stackName: string, region: string) => ({
  'Fn::GetStackOutput': expect.objectContaining({ StackName: stackName, Region: region }),
});

describe('prod: stacks and stage policy', () => {
  test('three stacks: the edge parts and the CloudFront alarms in us-east-1, the rest in the stage region', () => {
    expect([prod.edge?.stackName, prod.edge?.region]).toEqual(['SupportAccess-eu-west-1-edge', 'us-east-1']);
    expect([prod.main.stackName, prod.main.region, prod.main.account]).toEqual([
      'SupportAccess',
      'eu-west-1',
      '111122223333',
    ]);
    expect([prod.edgeAlarms.stackName, prod.edgeAlarms.region]).toEqual([
      'SupportAccess-eu-west-1-edge-alarms',
      'us-east-1',
    ]);
    expect(prod.main.dependencies).toContain(prod.edge);
    expect(prod.edgeAlarms.dependencies).toContain(prod.main);
  });

  test('every stack has termination protection and keeps its log groups', () => {
    for (const stack of [prod.edge, prod.main, prod.edgeAlarms]) expect(stack?.terminationProtection).toBe(true);
    for (const template of [main, edge]) {
      const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
      expect(logGroups.length).toBeGreaterThan(0);
      for (const group of logGroups) expect(group.DeletionPolicy).toBe('Retain');
    }
  });
});

describe('prod: the firewall', () => {
  test('a CLOUDFRONT web ACL: per-IP rate limit on /api/*, then the managed groups and Bot Control', () => {
    const acl = only(edge, 'AWS::WAFv2::WebACL').Properties;
    expect(acl.Scope).toBe('CLOUDFRONT');
    expect(acl.DefaultAction).toEqual({ Allow: {} });
    const [rate, ...managed] = acl.Rules as Record<string, Json>[];
    expect(rate?.Statement.RateBasedStatement).toEqual({
      Limit: 200,
      AggregateKeyType: 'IP',
      EvaluationWindowSec: 300,
      ScopeDownStatement: {
        ByteMatchStatement: {
          FieldToMatch: { UriPath: {} },
          PositionalConstraint: 'STARTS_WITH',
          SearchString: '/api/',
          TextTransformations: [{ Priority: 0, Type: 'NONE' }],
        },
      },
    });
    expect(rate?.Action).toEqual({ Block: { CustomResponse: { ResponseCode: RATE_LIMITED_STATUS } } });
    expect(managed.map((rule) => rule.Statement.ManagedRuleGroupStatement.Name)).toEqual([
      ...MANAGED_RULE_GROUPS,
      BOT_CONTROL_RULE_GROUP,
    ]);
    for (const rule of managed) expect(rule.OverrideAction).toEqual({ None: {} });
    expect(managed.map((rule) => rule.Priority)).toEqual([1, 2, 3, 4]);
  });

  test('its logs go to an aws-waf-logs- group without the session cookie', () => {
    const logging = only(edge, 'AWS::WAFv2::LoggingConfiguration').Properties;
    expect(logging.RedactedFields).toEqual([{ SingleHeader: { Name: 'cookie' } }]);
    expect(render(logging.LogDestinationConfigs)).toBe(
      'arn:aws:logs:us-east-1:111122223333:log-group:aws-waf-logs-SupportAccess-eu-west-1',
    );
    edge.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-SupportAccess-eu-west-1' });
  });

  test('CloudFront is behind it, read across regions from the edge stack', () => {
    expect(distributionConfig().WebACLId).toEqual(fromStack('SupportAccess-eu-west-1-edge', 'us-east-1'));
  });

  test('each API route has its own throttle, half the stage limit, so one route cannot use it all', () => {
    const stage = only(main, 'AWS::ApiGatewayV2::Stage');
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 });
    const settings = stage.Properties.RouteSettings as Record<
      string,
      { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }
    >;
    expect(Object.keys(settings).sort()).toEqual(
      [...Object.values(apiRoutes).map(routeKey), ...providerFunction.paths.map((path) => `ANY ${path}`)].sort(),
    );
    for (const setting of Object.values(settings)) {
      expect(setting).toEqual({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 });
    }
    // API Gateway refuses settings for routes that do not exist yet.
    const routes = Object.keys(main.findResources('AWS::ApiGatewayV2::Route'));
    const stageId = Object.keys(main.findResources('AWS::ApiGatewayV2::Stage'))[0] ?? '';
    expect(mainResources[stageId]?.DependsOn).toEqual(expect.arrayContaining(routes));
  });
});

describe('prod: the domain', () => {
  test('an ACM certificate in us-east-1, validated through the hosted zone', () => {
    expect(only(edge, 'AWS::CertificateManager::Certificate').Properties).toMatchObject({
      DomainName: 'support.acme-support.io',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'support.acme-support.io', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
    });
  });

  test('CloudFront answers for the domain with that certificate and TLS 1.2 at least', () => {
    const config = distributionConfig();
    expect(config.Aliases).toEqual(['support.acme-support.io']);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: fromStack('SupportAccess-eu-west-1-edge', 'us-east-1'),
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
  });

  test('IPv4 and IPv6 alias records point the domain at the distribution', () => {
    const records = Object.values(main.findResources('AWS::Route53::RecordSet'));
    expect(records.map((r) => r.Properties.Type).sort()).toEqual(['A', 'AAAA']);
    for (const record of records) {
      expect(record.Properties).toMatchObject({
        Name: 'support.acme-support.io.',
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      });
      expect(render(record.Properties.AliasTarget.DNSName)).toBe(
        `\${${logicalId(prod.main.site.distribution)}.DomainName}`,
      );
    }
  });

  test('email links and cookies follow the domain: every function gets SITE_URL on it', () => {
    const functions = Object.values(main.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.Environment?.Variables?.SITE_URL,
    );
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions)
      expect(fn.Properties.Environment.Variables.SITE_URL).toBe('https://support.acme-support.io');
  });

  test('names CloudFront keeps per account carry the region, so a second region cannot collide', () => {
    const names = [
      ...Object.values(main.findResources('AWS::CloudFront::ResponseHeadersPolicy')).map(
        (p) => p.Properties.ResponseHeadersPolicyConfig.Name,
      ),
      ...Object.values(main.findResources('AWS::CloudFront::OriginRequestPolicy')).map(
        (p) => p.Properties.OriginRequestPolicyConfig.Name,
      ),
      ...Object.values(main.findResources('AWS::CloudFront::Function')).map((p) => p.Properties.Name),
      only(main, 'AWS::CloudWatch::Dashboard').Properties.DashboardName,
    ];
    expect(names).toHaveLength(5);
    for (const name of names) expect(name).toMatch(/^SupportAccess-eu-west-1(-|$)/);
  });
});

describe('prod: mail', () => {
  test('every SES event of the configuration set becomes a CloudWatch metric', () => {
    const destination = only(main, 'AWS::SES::ConfigurationSetEventDestination').Properties.EventDestination;
    expect(destination.MatchingEventTypes.sort()).toEqual(Object.values(SES_EVENTS).sort());
    expect(destination.CloudWatchDestination.DimensionConfigurations).toEqual([
      { DimensionName: 'ses:configuration-set', DimensionValueSource: 'messageTag', DefaultDimensionValue: 'none' },
    ]);
  });

  test('a custom MAIL FROM on the domain identity, with the DNS records it needs as outputs', () => {
    main.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'acme-support.io',
      MailFromAttributes: { MailFromDomain: 'mail.acme-support.io', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
    });
    const outputs = main.toJSON().Outputs;
    expect(outputs.MailFromMxRecord.Value).toBe('mail.acme-support.io MX 10 feedback-smtp.eu-west-1.amazonses.com');
    expect(outputs.MailFromSpfRecord.Value).toBe('mail.acme-support.io TXT "v=spf1 include:amazonses.com ~all"');
    expect(Object.keys(outputs).filter((key) => key.startsWith('DkimRecord'))).toHaveLength(3);
  });
});

describe('prod: alarms and dashboard', () => {
  const alarmNamed = (template: Template, name: string) => {
    const found = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find(
      (a) => a.Properties.AlarmName === name,
    );
    if (!found) throw new Error(`no alarm ${name}`);
    return found.Properties as Record<string, Json>;
  };

  test('403 answers are counted from the access logs and alarm as a share of all requests', () => {
    const filter = only(main, 'AWS::Logs::MetricFilter').Properties;
    expect(filter.FilterPattern).toBe('{ $.status = "403" }');
    expect(render(filter.LogGroupName)).toBe(`\${${logicalId(prod.main.api.accessLogs)}}`);
    expect(filter.MetricTransformations).toEqual([
      { MetricNamespace: 'SupportAccess/SupportAccess', MetricName: 'Api403', MetricValue: '1', DefaultValue: 0 },
    ]);
    const alarm = alarmNamed(main, 'SupportAccess-Api403Rate');
    const expression = alarm.Metrics.find((m: { Expression?: string }) => m.Expression);
    expect(expression.Expression).toBe('IF(requests >= 5, 100 * forbidden / requests, 0)');
    expect(alarm.Metrics.map((m: { Id: string }) => m.Id).sort()).toEqual(
      [expression.Id, 'forbidden', 'requests'].sort(),
    );
    expect(
      alarmNamed(main, 'SupportAccess-Api4xxRate').Metrics.find((m: { Expression?: string }) => m.Expression)
        .Expression,
    ).toBe('IF(requests >= 20, 100 * clientErrors / requests, 0)');
  });

  test('each route alarms on the p99 duration of its handler, three periods in a row', () => {
    for (const route of Object.values(apiRoutes)) {
      const name = `SupportAccess-p99-${routeKey(route).replace(/[^A-Za-z0-9]+/g, '-')}`;
      const alarm = alarmNamed(main, name);
      expect(alarm).toMatchObject({ MetricName: 'Duration', ExtendedStatistic: 'p99', EvaluationPeriods: 3 });
      const fn = prod.main.api.functions.get(route.handler);
      if (!fn) throw new Error(`no function for ${route.handler}`);
      expect(render(alarm.Dimensions[0].Value)).toBe(`\${${logicalId(fn)}}`);
    }
  });

  test("SES rendering failures, rejects, complaints and delays alarm on the set's own metrics", () => {
    for (const event of ['RenderingFailure', 'Reject', 'Complaint', 'DeliveryDelay']) {
      const alarm = alarmNamed(main, `SupportAccess-Ses${event}`);
      expect(alarm).toMatchObject({ Namespace: 'AWS/SES', MetricName: event, Statistic: 'Sum' });
      expect(alarm.Dimensions[0].Name).toBe('ses:configuration-set');
      expect(render(alarm.Dimensions[0].Value)).toBe(`\${${logicalId(prod.main.mail.configurationSet)}}`);
    }
  });

  test('CloudFront 5xx alarms in us-east-1 (where its metrics are), on its own topic to the ops address', () => {
    const alarm = alarmNamed(edgeAlarms, 'SupportAccess-eu-west-1-CloudFront5xxRate');
    expect(alarm).toMatchObject({ Namespace: 'AWS/CloudFront', MetricName: '5xxErrorRate', Threshold: 5 });
    expect(alarm.Dimensions).toEqual([
      { Name: 'DistributionId', Value: fromStack('SupportAccess', 'eu-west-1') },
      { Name: 'Region', Value: 'Global' },
    ]);
    edgeAlarms.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@acme-support.io' });
    expect(alarm.AlarmActions).toHaveLength(1);
  });

  test('one dashboard shows the edge (from us-east-1), the API, the routes, the functions and the emails', () => {
    const body = JSON.stringify(only(main, 'AWS::CloudWatch::Dashboard').Properties.DashboardBody);
    for (const expected of [
      'AWS/CloudFront',
      'AWS/WAFV2',
      'us-east-1',
      'p99',
      'Api403',
      'RenderingFailure',
      'alarms',
    ]) {
      expect(body).toContain(expected);
    }
  });
});

describe('the default dev stage', () => {
  test('needs nothing in us-east-1 but the CloudFront alarm, protects nothing from deletion, logs locally', () => {
    const { deployment, template } = build();
    expect(deployment.edge).toBeUndefined();
    expect(deployment.main.terminationProtection).toBe(false);
    for (const [id, group] of Object.entries(template.findResources('AWS::Logs::LogGroup'))) {
      // CDK's own BucketDeployment handler keeps its log group whatever the stage.
      if (!id.startsWith('CustomCDKBucketDeployment')) expect(group.DeletionPolicy).toBe('Delete');
    }
    const config = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]?.Properties
      .DistributionConfig;
    expect(render(config.Logging.Bucket)).toBe(`\${${logicalId(deployment.main.site.logBucket)}.RegionalDomainName}`);
    expect(config.WebACLId).toBeUndefined();
  });
});

describe('a region CloudFront cannot deliver standard logs to', () => {
  test('sends CloudFront logs to a bucket the edge stack keeps in us-east-1', () => {
    const { deployment, template } = build({ region: 'af-south-1' });
    if (!deployment.edge?.cloudFrontLogBucket) throw new Error('no CloudFront log bucket in us-east-1');
    const edgeBucket = Template.fromStack(deployment.edge);
    edgeBucket.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
    });
    const config = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]?.Properties
      .DistributionConfig;
    expect(config.Logging.Bucket).toEqual(fromStack('SupportAccess-af-south-1-edge', 'us-east-1'));
  });
});

describe('the optional canary', () => {
  test('walks the login page and a reset request through CloudFront every 15 minutes, alarming on failure', () => {
    const { stack, template } = build({ canary: 'true' });
    const canary = only(template, 'AWS::Synthetics::Canary').Properties;
    expect(canary.Schedule.Expression).toBe('rate(15 minutes)');
    expect(render(canary.RunConfig.EnvironmentVariables.SITE_URL)).toBe(
      `https://\${${logicalId(stack.site.distribution)}.DomainName}`,
    );
    expect(canary.RunConfig.EnvironmentVariables.CANARY_LOGIN).toBe(CANARY_LOGIN);
    const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find(
      (a) => a.Properties.AlarmName === 'SupportAccess-CanaryFailing',
    )?.Properties;
    expect(alarm).toMatchObject({
      MetricName: 'SuccessPercent',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 100,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: logicalId(stack.alarms.topic) }],
    });
  });

  test('its script asks for the page and a reset the way the browser does, and fails on a wrong answer', async () => {
    const steps: { name: string; options: Record<string, unknown> }[] = [];
    let status = { 'login page': 200, 'request a reset': 202 } as Record<string, number>;
    const synthetics = {
      executeHttpStep: async (
        name: string,
        options: Record<string, unknown>,
        check: (res: EventEmitter & { statusCode: number }) => Promise<void>,
      ) => {
        steps.push({ name, options });
        const res = Object.assign(new EventEmitter(), { statusCode: status[name] ?? 500 });
        const done = check(res);
        res.emit('data', '<form><input type="password"></form>');
        res.emit('end');
        await done;
      },
    };
    const module = { exports: {} as { handler?: () => Promise<void> } };
    runInNewContext(canaryScript(), {
      require: (name: string) => (name === 'Synthetics' ? synthetics : undefined),
      module,
      exports: module.exports,
      process: { env: { SITE_URL: 'https://support.acme-support.io', CANARY_LOGIN } },
      URL,
    });
    await module.exports.handler?.();
    expect(steps.map((s) => [s.name, s.options.method, s.options.path])).toEqual([
      ['login page', 'GET', '/'],
      ['request a reset', 'POST', '/api/password-reset'],
    ]);
    expect(steps[1]?.options).toMatchObject({
      hostname: 'support.acme-support.io',
      headers: { origin: 'https://support.acme-support.io', 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ login: CANARY_LOGIN }),
    });
    status = { 'login page': 200, 'request a reset': 403 };
    await expect(module.exports.handler?.()).rejects.toThrow('expected 202, got 403');
  });
});

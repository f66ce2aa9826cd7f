// The AWS WAF web ACL in front of CloudFront (scope CLOUDFRONT, so it lives in us-east-1): a
// per-IP rate limit on the API, AWS managed rule groups, optional Bot Control, and logs without cookies.
import { ArnFormat, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { API_PREFIX } from '../../lambdas/definitions/routes';

export interface FirewallProps {
  /** Names the web ACL, its metrics and its log group (unique per deployment: stack name and home region). */
  readonly name: string;
  /** Requests to /api/* one client IP may make in 5 minutes before it is blocked for a while. */
  readonly apiRateLimit: number;
  readonly botControl: boolean;
  readonly logRetention: RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/** The AWS managed rule groups every deployment gets, in evaluation order after the rate limit. */
export const MANAGED_RULE_GROUPS = [
  // OWASP-style protections: bad user agents, oversized bodies, XSS and SQLi patterns, LFI, ...
  'AWSManagedRulesCommonRuleSet',
  // Request patterns known to exploit vulnerabilities (Log4j, Java deserialization, ...).
  'AWSManagedRulesKnownBadInputsRuleSet',
  // Addresses Amazon threat intelligence lists as bots and attackers.
  'AWSManagedRulesAmazonIpReputationList',
] as const;

export const BOT_CONTROL_RULE_GROUP = 'AWSManagedRulesBotControlRuleSet';

/** The answer a rate-limited client gets: the same status the API's own limits send. */
export const RATE_LIMITED_STATUS = 429;

export class Firewall extends Construct {
  readonly name: string;
  readonly webAcl: CfnWebACL;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: FirewallProps) {
    super(scope, id);
    this.name = props.name;
    const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${props.name}-${metricName}`,
      sampledRequestsEnabled: true,
    });

    const managed = [...MANAGED_RULE_GROUPS, ...(props.botControl ? [BOT_CONTROL_RULE_GROUP] : [])];
    const rules: CfnWebACL.RuleProperty[] = [
      {
        // One client hammering the API (password-reset or sign-in floods) is cut off at the edge,
        // before it can use up the API stage's shared limit that every other person needs.
        name: 'ApiRatePerIp',
        priority: 0,
        action: { block: { customResponse: { responseCode: RATE_LIMITED_STATUS } } },
        statement: {
          rateBasedStatement: {
            limit: props.apiRateLimit,
            aggregateKeyType: 'IP',
            evaluationWindowSec: 300,
            scopeDownStatement: {
              byteMatchStatement: {
                fieldToMatch: { uriPath: {} },
                positionalConstraint: 'STARTS_WITH',
                searchString: `${API_PREFIX}/`,
                textTransformations: [{ priority: 0, type: 'NONE' }],
              },
            },
          },
        },
        visibilityConfig: visibility('ApiRatePerIp'),
      },
      ...managed.map(
        (name, index): CfnWebACL.RuleProperty => ({
          name,
          priority: index + 1,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name,
              ...(name === BOT_CONTROL_RULE_GROUP
                ? { managedRuleGroupConfigs: [{ awsManagedRulesBotControlRuleSet: { inspectionLevel: 'COMMON' } }] }
                : {}),
            },
          },
          visibilityConfig: visibility(name),
        }),
      ),
    ];

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: props.name,
      description: 'Support Access: in front of the CloudFront distribution',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('WebAcl'),
      rules,
    });

    // WAF delivers only to log groups whose name starts with aws-waf-logs-.
    const logGroupName = `aws-waf-logs-${props.name}`;
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName,
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    const logging = new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // The ARN without the ":*" CloudFormation's LogGroup.Arn carries: WAF refuses that form.
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // The session cookie is a bearer credential: it must never reach a log.
      redactedFields: [{ singleHeader: { Name: 'cookie' } }],
    });
    logging.node.addDependency(this.logGroup);
  }
}

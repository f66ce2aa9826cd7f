// The cdk-nag findings this stack accepts, each on the narrowest construct, only while it applies,
// and with its reason. Everything else cdk-nag reports fails `cdk synth`.
import { DefaultStackSynthesizer, type Stack, Validations } from 'aws-cdk-lib';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { passwordPolicy } from '../lambdas/definitions/password-policy';
import type { AppConfig } from './app-config';
import type { Site } from './constructs/site';
import type { Users } from './constructs/users';

export interface AcknowledgedParts {
  readonly stack: Stack;
  readonly config: AppConfig;
  readonly users: Users;
  readonly site: Site;
  /** The web ACL in front of the distribution, if any (imported or the edge stack's). */
  readonly webAclArn: string | undefined;
  readonly providerKeys: IConstruct;
}

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${id}`, reason });
}

/**
 * The CloudFormation resource a finding is about, so the acknowledgement (and the metadata
 * written into the template) covers that resource only, not everything under the same construct.
 */
function resource(scope: IConstruct, path = 'Resource'): IConstruct {
  let found: IConstruct | undefined = scope;
  for (const id of path.split('/')) found = found?.node.tryFindChild(id);
  if (!found) throw new Error(`${scope.node.path} has no ${path}: the acknowledgement would not apply`);
  return found;
}

export function acknowledgeFindings(parts: AcknowledgedParts): void {
  const { stack, config, users, site, webAclArn, providerKeys } = parts;

  // COG1 wants upper case, digits and symbols required; the policy chooses length instead.
  const composition = [
    passwordPolicy.requireLowercase && 'a lower-case letter',
    passwordPolicy.requireUppercase && 'an upper-case letter',
    passwordPolicy.requireDigits && 'a digit',
    passwordPolicy.requireSymbols && 'a symbol',
  ].filter(Boolean);
  if (!(passwordPolicy.requireUppercase && passwordPolicy.requireDigits && passwordPolicy.requireSymbols)) {
    acknowledge(
      resource(users.userPool),
      'COG1',
      `lambdas/definitions/password-policy.ts asks for at least ${passwordPolicy.minLength} characters${composition.length > 0 ? ` with ${composition.join(', ')}` : ''}: length over composition rules, as NIST SP 800-63B and ASVS 5.0 6.2.5 advise; the API also refuses common and contextual passwords.`,
    );
  }
  acknowledge(
    resource(users.userPool),
    'COG2',
    'Sign-in is username and password only by design (the API answers only the NEW_PASSWORD_REQUIRED challenge); MFA needs its own UI and issue.',
  );
  acknowledge(
    resource(users.userPool),
    'COG8',
    'The Plus plan (threat protection) bills every monthly active user. The pool is reached only through the API: its one app client allows only ADMIN_USER_PASSWORD_AUTH (IAM-signed AdminInitiateAuth) with a client secret the signing-in functions read at run time, and lets users write no attributes; in front of it the API keeps PreventUserExistenceErrors, stage throttling and its own failure-counting sign-in limits with backoff (lambdas/domain/sign-in-limits.ts). Revisit if sign-in abuse shows up in the logs.',
  );

  acknowledge(
    resource(providerKeys),
    'SMG4',
    'The OpenID Provider key set is rotated by `npm run ops -- keys rotate`, which publishes a new key one rotation before it signs and keeps the old one until its tokens expire; a Secrets Manager rotation function would replace the key at once and break tokens in flight (README: Connect your support tool).',
  );

  const distribution = resource(site.distribution);
  if (!config.domainName) {
    acknowledge(
      distribution,
      'CFR4',
      'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose policy cdk-nag cannot pin; set domainName (and hostedZoneId/hostedZoneName or certificateArn) to get TLSv1.2_2021.',
    );
  }
  acknowledge(
    distribution,
    'CFR1',
    'The support portal serves customers in any country; no geographic restriction is wanted.',
  );
  if (!webAclArn) {
    acknowledge(
      distribution,
      'CFR2',
      `The ${config.stage} stage runs without a web ACL (waf=false; prod has one by default, about $8 a month). The API is throttled per route and admits only CloudFront traffic without it.`,
    );
  }

  // Secrets Manager's GetRandomPassword has no resource to scope to (the rotation function's new values).
  const rotation = stack.node.tryFindChild('OriginSecretRotation');
  if (rotation) {
    acknowledge(
      resource(rotation, 'FunctionRole/DefaultPolicy/Resource'),
      'IAM5[Resource::*]',
      'secretsmanager:GetRandomPassword, which draws the new origin secret, supports no resource-level permission; every other action is scoped to the one secret and the one distribution.',
    );
  }

  // The optional canary's role, as aws-cdk-lib's Canary writes it.
  const canary = stack.node.tryFindChild('Canary');
  if (canary) {
    const role = resource(canary, 'Canary/ServiceRole/Resource');
    const artifacts = stack.resolve((resource(canary, 'Artifacts/Resource') as CfnBucket).logicalId) as string;
    const findings: Record<string, string> = {
      'Resource::*':
        'the Synthetics runtime lists buckets (s3:ListAllMyBuckets), puts its metrics (cloudwatch:PutMetricData, limited by CDK to the CloudWatchSynthetics namespace) and traces; none of these has a resource to scope to',
      [`Resource::<${artifacts}.Arn>/*`]: 'the canary writes its run artifacts into its own bucket only',
      [`Resource::arn:${literal(stack, stack.partition, 'Partition')}:logs:${literal(stack, stack.region, 'Region')}:${literal(stack, stack.account, 'AccountId')}:log-group:/aws/lambda/cwsyn-*`]:
        'Synthetics names the canary function (and so its log group) cwsyn-<name>-<id> at creation; the prefix is as narrow as CloudWatch Synthetics allows',
    };
    for (const [finding, why] of Object.entries(findings)) {
      acknowledge(role, `IAM5[${finding}]`, `CloudWatch Synthetics canary role made by aws-cdk-lib: ${why}.`);
    }
  }

  // CDK's own BucketDeployment handler (one per stack), which copies the built site into the bucket.
  const deployHandler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (deployHandler) {
    const cdkOwned = 'CDK BucketDeployment handler, created and maintained by aws-cdk-lib';
    acknowledge(resource(deployHandler), 'L1', `${cdkOwned}: aws-cdk-lib pins its Python runtime.`);
    acknowledge(
      resource(deployHandler, 'ServiceRole/Resource'),
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      `${cdkOwned}: it only writes its own logs with it.`,
    );
    const siteBucketId = stack.resolve((site.bucket.node.defaultChild as CfnBucket).logicalId) as string;
    const wildcards: Record<string, string> = {
      'Action::s3:GetBucket*': 'reads the CDK asset bucket and the site bucket',
      'Action::s3:GetObject*': 'reads the site build from the CDK asset bucket',
      'Action::s3:List*': 'lists both buckets to sync them',
      'Action::s3:Abort*': 'aborts its own failed multipart uploads to the site bucket',
      'Action::s3:DeleteObject*': 'prunes pages removed from the build',
      [`Resource::${assetBucketArn(stack)}/*`]: 'the staged site build in the CDK asset bucket',
      [`Resource::<${siteBucketId}.Arn>/*`]: 'the objects of this stack’s site bucket only',
      'Resource::*': 'CloudFront invalidation after a deploy (cloudfront:CreateInvalidation and GetInvalidation)',
    };
    for (const [finding, what] of Object.entries(wildcards)) {
      acknowledge(
        resource(deployHandler, 'ServiceRole/DefaultPolicy/Resource'),
        `IAM5[${finding}]`,
        `${cdkOwned}: ${what}.`,
      );
    }
  }
}

/**
 * The CDK asset bucket as cdk-nag names it in a finding: built from the stack's synthesizer, so a
 * custom bootstrap qualifier (-c @aws-cdk/core:bootstrapQualifier=...) is followed, not hnb659fds.
 */
export function assetBucketArn(stack: Stack): string {
  const synthesizer = stack.synthesizer;
  const qualifier =
    synthesizer instanceof DefaultStackSynthesizer
      ? (synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER)
      : DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const bucket = `cdk-${qualifier}-assets-${literal(stack, stack.account, 'AccountId')}-${literal(stack, stack.region, 'Region')}`;
  return `arn:${literal(stack, stack.partition, 'Partition')}:s3:::${bucket}`;
}

/** A pseudo parameter as cdk-nag writes it in a finding: the literal when the stack has an environment, else <AWS::Name>. */
function literal(stack: Stack, value: string, pseudo: string): string {
  const resolved = stack.resolve(value) as unknown;
  return typeof resolved === 'string' ? resolved : `<AWS::${pseudo}>`;
}

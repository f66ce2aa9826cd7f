// The cdk-nag findings this stack accepts, each on the narrowest construct, only while it applies,
// and with its reason. Everything else cdk-nag reports fails `cdk synth`.
import { type Stack, Validations } from 'aws-cdk-lib';
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
  readonly originSecret: IConstruct;
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
  const { stack, config, users, site, originSecret, providerKeys } = parts;

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
    'The Plus plan (threat protection) bills every monthly active user; the pool is reached only through the API, which keeps PreventUserExistenceErrors, stage throttling and the app-level rate limits. Revisit if sign-in abuse shows up in the logs.',
  );

  acknowledge(
    resource(originSecret),
    'SMG4',
    'An origin-verification value shared by CloudFront and the API authorizer, not a credential to data. Both must switch together, which a Secrets Manager rotation function cannot do; it is rotated by deploying with a new originSecretGeneration (README).',
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
      'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose policy cdk-nag cannot pin; set domainName and certificateArn to get TLSv1.2_2021.',
    );
  }
  acknowledge(
    distribution,
    'CFR1',
    'The support portal serves customers in any country; no geographic restriction is wanted.',
  );
  if (!config.webAclArn) {
    acknowledge(
      distribution,
      'CFR2',
      'A WAF web ACL for CloudFront lives in us-east-1 and costs from about $6 a month; attach one with webAclArn. The API is throttled and admits only CloudFront traffic without it.',
    );
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
      'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*':
        'the staged site build in the CDK asset bucket',
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

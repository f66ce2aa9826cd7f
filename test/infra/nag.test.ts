// cdk-nag's AWS Solutions rules and CloudFormation validation over the whole app, as
// `npm run synth` runs them: any finding that is not acknowledged (with its reason) fails synthesis.
import { CfnResource, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { SupportAccessStack } from '../../lib/support-access-stack';
import { buildApp, buildDeployment, buildStack } from './fixture';

function synthWithNag(context: Record<string, unknown>, change?: (stack: SupportAccessStack) => void) {
  const app = buildApp(context);
  const stack = buildStack(app);
  change?.(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  return app.synth().getStackByName(stack.stackName).template as {
    Resources: Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } } }>;
  };
}

/** Every acknowledgement in the template, as "<rule> on <logical id prefix>", with its reason. */
function acknowledgements(template: ReturnType<typeof synthWithNag>) {
  return Object.entries(template.Resources).flatMap(([id, resource]) =>
    (resource.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((rule) => ({
      on: `${rule.id} on ${id.replace(/[0-9A-F]{8}$/, '').replace(/8693BB64968944B69AAFB0CC9EB8756C\w*/, '')}`,
      reason: rule.reason,
    })),
  );
}

test('the default deployment passes, with exactly the accepted findings, each with its reason', () => {
  const acknowledged = acknowledgements(synthWithNag({}));
  expect(acknowledged.map((a) => a.on).sort()).toEqual(
    [
      'AwsSolutions-COG1 on UsersUserPool',
      'AwsSolutions-COG2 on UsersUserPool',
      'AwsSolutions-COG8 on UsersUserPool',
      // GetRandomPassword (the rotation's new value) has no resource to scope to.
      'AwsSolutions-IAM5[Resource::*] on OriginSecretRotationFunctionRoleDefaultPolicy',
      'AwsSolutions-SMG4 on OidcProviderKeys',
      'AwsSolutions-CFR1 on SiteDistribution',
      'AwsSolutions-CFR2 on SiteDistribution',
      'AwsSolutions-CFR4 on SiteDistribution',
      // CDK's own BucketDeployment handler (its function, role and policy).
      'AwsSolutions-L1 on CustomCDKBucketDeployment',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole] on CustomCDKBucketDeployment',
      ...[
        'Action::s3:Abort*',
        'Action::s3:DeleteObject*',
        'Action::s3:GetBucket*',
        'Action::s3:GetObject*',
        'Action::s3:List*',
        'Resource::*',
        'Resource::<SiteBucket978D4AEB.Arn>/*',
        'Resource::arn:aws:s3:::cdk-hnb659fds-assets-000000000000-eu-west-1/*',
      ].map((finding) => `AwsSolutions-IAM5[${finding}] on CustomCDKBucketDeployment`),
    ].sort(),
  );
  for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(40);
});

test('with a custom domain and a web ACL, TLS and WAF are fixed rather than acknowledged', () => {
  const acknowledged = acknowledgements(
    synthWithNag({
      domainName: 'support.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/support/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
    }),
  ).map((a) => a.on);
  expect(acknowledged).not.toContain('AwsSolutions-CFR4 on SiteDistribution');
  expect(acknowledged).not.toContain('AwsSolutions-CFR2 on SiteDistribution');
});

test('a new insecure resource fails synthesis (the gate is live)', () => {
  expect(() => synthWithNag({}, (stack) => new Bucket(stack, 'Careless'))).toThrow(/AwsSolutions-S1/);
});

test('a property CloudFormation would refuse fails synthesis too (validation runs as errors)', () => {
  const invalid = (stack: SupportAccessStack) =>
    new CfnResource(stack, 'Invalid', { type: 'AWS::SQS::Queue', properties: { VisibilityTimeout: 'soon' } });
  expect(() => synthWithNag({}, invalid)).toThrow(/VisibilityTimeout.*CloudFormation Validate/);
});

/** A prod stage with real-looking values, its own domain (Route 53 zone), the stack's WAF and Bot Control. */
const PROD = {
  stage: 'prod',
  account: '111122223333',
  region: 'eu-west-1',
  senderEmail: 'no-reply@acme-support.io',
  opsEmail: 'ops@acme-support.io',
  domainName: 'support.acme-support.io',
  hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  hostedZoneName: 'acme-support.io',
  botControl: 'true',
};

test('prod with a domain and the WAF passes in every stack, with no acknowledgement at the edge', () => {
  const app = buildApp(PROD);
  const deployment = buildDeployment(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  const assembly = app.synth();
  const stacks = [deployment.edge, deployment.main, deployment.edgeAlarms].map((stack) => {
    if (!stack) throw new Error('prod with a domain and the WAF needs the edge stack');
    return assembly.getStackByName(stack.stackName).template as Parameters<typeof acknowledgements>[0];
  });
  const [edge, main, edgeAlarms] = stacks.map((template) => acknowledgements(template).map((a) => a.on));
  expect(edge).toEqual([]);
  expect(edgeAlarms).toEqual([]);
  expect(main).not.toContain('AwsSolutions-CFR4 on SiteDistribution');
  expect(main).not.toContain('AwsSolutions-CFR2 on SiteDistribution');
});

test('a custom bootstrap qualifier is read from the synthesizer, not assumed', () => {
  const acknowledged = acknowledgements(synthWithNag({ '@aws-cdk/core:bootstrapQualifier': 'acme1234' })).map(
    (a) => a.on,
  );
  expect(acknowledged).toContain(
    'AwsSolutions-IAM5[Resource::arn:aws:s3:::cdk-acme1234-assets-000000000000-eu-west-1/*] on CustomCDKBucketDeployment',
  );
  expect(acknowledged.join('\n')).not.toMatch(/hnb659fds/);
});

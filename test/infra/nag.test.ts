// cdk-nag's AWS Solutions rules over the whole app, as `npm run synth` runs them: any finding
// that is not acknowledged (with its reason) fails synthesis.
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp, buildStack } from './fixture';

function synthWithNag(context: Record<string, unknown>): void {
  const app = buildApp(context);
  buildStack(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
}

test('the default deployment has no unacknowledged finding', () => {
  expect(() => synthWithNag({})).not.toThrow();
});

test('with a custom domain the TLS finding is fixed, not acknowledged', () => {
  // CFR4 is acknowledged only without a domain; with one, the distribution must pass on its own.
  expect(() =>
    synthWithNag({
      domainName: 'support.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
    }),
  ).not.toThrow();
});

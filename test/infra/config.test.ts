// Configuration: defaults that synth with nothing set, context over environment, and every bad
// value stopped at synth with a message naming the setting and the value.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { type AppConfig, loadConfig } from '../../lib/app-config';
import { Mail } from '../../lib/constructs/mail';
import { build, logicalId, render } from './fixture';

/** A dev stage with an account and region, placeholders allowed (as npm run synth allows them). */
const DEV = { account: '111122223333', region: 'eu-west-1', allowPlaceholders: 'true' };
const load = (context: Record<string, unknown> = {}, env: Record<string, string> = {}): AppConfig =>
  loadConfig({ context: (key) => ({ ...DEV, ...context })[key], env });

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
const WEB_ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/support/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';

describe('loadConfig', () => {
  test('has a default for everything, so a bare `cdk synth` works', () => {
    expect(load()).toMatchObject({
      stackName: 'SupportAccess',
      senderEmail: 'no-reply@example.com',
      senderIdentity: 'domain',
      opsEmail: 'ops@example.com',
      portalName: 'IMS SUPPORT',
      domainName: undefined,
      certificateArn: undefined,
      resetTokenMinutes: 30,
      apiRateLimit: 20,
      apiBurstLimit: 40,
    });
  });

  test('context wins over the environment, which wins over the default', () => {
    const env = { SENDER_EMAIL: 'env@corp.example', RESET_TOKEN_MINUTES: '20', OPS_EMAIL: 'noc@corp.example' };
    const config = load({ senderEmail: 'ctx@corp.example', resetTokenMinutes: '15' }, env);
    expect(config).toMatchObject({
      senderEmail: 'ctx@corp.example',
      resetTokenMinutes: 15,
      opsEmail: 'noc@corp.example',
    });
  });

  test.each([
    [{ senderEmail: 'not-an-address' }, /"senderEmail".*SENDER_EMAIL.*must be an email address.*got "not-an-address"/],
    [{ opsEmail: 'ops@' }, /"opsEmail".*got "ops@"/],
    [
      { resetTokenMinutes: '2' },
      /"resetTokenMinutes".*RESET_TOKEN_MINUTES must be a whole number from 5 to 1440, got "2"/,
    ],
    [{ resetTokenMinutes: 'thirty' }, /"resetTokenMinutes".*got "thirty"/],
    [{ sessionMinutes: '100000' }, /"sessionMinutes".*got "100000"/],
    [{ portalName: 'Support <b>' }, /"portalName".*PORTAL_NAME must be at most 60 characters.*got "Support <b>"/],
    [{ primaryColour: 'blue' }, /"primaryColour".*got "blue"/],
    [{ stackName: '1-stack' }, /"stackName".*must start with a letter.*got "1-stack"/],
    [{ senderIdentity: 'dns' }, /"senderIdentity".*must be one of domain, email, existing, got "dns"/],
    [{ certificateArn: CERTIFICATE }, /"domainName".*is required with certificateArn/],
    [
      { domainName: 'support.example.com', certificateArn: CERTIFICATE.replace('us-east-1', 'eu-west-1') },
      /"certificateArn".*us-east-1.*got "arn:aws:acm:eu-west-1/,
    ],
    [
      { domainName: 'https://support.example.com', certificateArn: CERTIFICATE },
      /"domainName".*host name.*got "https:/,
    ],
    [{ webAclArn: WEB_ACL.replace('global', 'regional') }, /"webAclArn".*CLOUDFRONT.*got "arn:aws:wafv2/],
    [
      { rateLimits: '{"signInPerAccount":{"limit":0,"windowSeconds":900}}' },
      /"rateLimits".*RATE_LIMITS is invalid at signInPerAccount.limit/,
    ],
    [{ rateLimits: 'ten per minute' }, /"rateLimits".*RATE_LIMITS must be JSON/],
    [{ originSecretGeneration: '0' }, /"originSecretGeneration".*got "0"/],
    [{ apiRateLimit: '0' }, /"apiRateLimit".*from 1 to 10000, got "0"/],
    [{ apiBurstLimit: '1.5' }, /"apiBurstLimit".*got "1.5"/],
  ])('rejects %j', (context, message) => {
    expect(() => load(context)).toThrow(message);
  });

  test('rate-limit overrides pass through to the functions as the JSON they read', () => {
    const override = { perIp: { 'session-create': { limit: 5, windowSeconds: 60 } } };
    expect(load({ rateLimits: override }).rateLimits).toBe(JSON.stringify(override));
    expect(load({}, { RATE_LIMITS: JSON.stringify(override) }).rateLimits).toBe(JSON.stringify(override));
    expect(load().rateLimits).toBeUndefined();
  });

  test('a bad value in the environment is named by its variable too', () => {
    expect(() => load({}, { SENDER_EMAIL: 'nobody' })).toThrow(/environment variable SENDER_EMAIL.*got "nobody"/);
  });
});

test('`cdk synth` with a bad setting stops with that message and nothing else', () => {
  const { CDK_OUTDIR: _, ...env } = process.env;
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'bin', 'app.ts')], {
    env: { ...env, CDK_CONTEXT_JSON: JSON.stringify({ ...DEV, opsEmail: 'pager' }) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.status).toBe(1);
  expect(result.stderr.trim()).toBe(
    'Invalid setting "opsEmail" (context -c opsEmail=..., cdk.json "stages.dev.opsEmail" or environment variable OPS_EMAIL): must be an email address such as ops@example.com, got "pager"',
  );
});

describe('a deployment with its own domain, a WAF web ACL and an email-address identity', () => {
  let built: ReturnType<typeof build>;
  beforeAll(() => {
    built = build({
      domainName: 'support.example.com',
      certificateArn: CERTIFICATE,
      webAclArn: WEB_ACL,
      senderIdentity: 'email',
      senderEmail: 'support@mail.example.com',
      originSecretGeneration: '2',
    });
  });

  test('a new origin-secret generation is a new secret, used by CloudFront and the authorizer alike', () => {
    // The origin secret; the provider's key secret is another matter (not generated per generation).
    const secrets = Object.keys(built.template.findResources('AWS::SecretsManager::Secret')).filter(
      (id) => !id.startsWith('OidcProviderKeys'),
    );
    expect(secrets).toHaveLength(1);
    expect(secrets[0]).toMatch(/^OriginVerifySecret2/);
    const reference = `{{resolve:secretsmanager:\${${secrets[0]}}:SecretString:::}}`;
    // CloudFront gets the value at deploy (the rotation function updates it later); the authorizer reads it itself.
    const config = Object.values(built.template.findResources('AWS::CloudFront::Distribution'))[0]?.Properties
      .DistributionConfig;
    const headers = config.Origins.flatMap((o: { OriginCustomHeaders?: { HeaderValue: unknown }[] }) =>
      (o.OriginCustomHeaders ?? []).map((h) => render(h.HeaderValue)),
    );
    expect(headers).toEqual([reference]);
    const authorizer = built.template.toJSON().Resources[logicalId(built.stack.api.authorizerFunction)];
    expect(render(authorizer.Properties.Environment.Variables.ORIGIN_VERIFY_SECRET_ARN)).toBe(`\${${secrets[0]}}`);
  });

  test('CloudFront serves the domain with its certificate, TLS 1.2 at least, behind the web ACL', () => {
    const config = Object.values(built.template.findResources('AWS::CloudFront::Distribution'))[0]?.Properties
      .DistributionConfig;
    expect(config.Aliases).toEqual(['support.example.com']);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: CERTIFICATE,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(config.WebACLId).toBe(WEB_ACL);
  });

  test('links in emails use the domain, not the distribution name', () => {
    const fn = built.template.toJSON().Resources[logicalId(built.stack.worker)];
    expect(render(fn.Properties.Environment.Variables.SITE_URL)).toBe('https://support.example.com');
  });

  test('the sender address is the SES identity and the only From address allowed', () => {
    built.template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'support@mail.example.com' });
    built.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'ses:SendEmail',
            Condition: { StringEquals: { 'ses:FromAddress': 'support@mail.example.com' } },
          }),
        ]),
      },
    });
  });
});

test('senderIdentity "existing" creates no identity (it is already verified in the account)', () => {
  const stack = new Stack(new App(), 'MailOnly');
  new Mail(stack, 'Mail', {
    config: { senderEmail: 'no-reply@example.com', senderIdentity: 'existing', stackName: 'MailOnly' },
  });
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::SES::EmailIdentity', 0);
  template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
});

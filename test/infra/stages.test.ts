// Stages and the settings issue 13 added: what each stage refuses, and which combinations of
// domain, firewall, mail and names are stopped at synth with a message naming the setting.
import { type AppConfig, loadConfig, longestTemplateName, SES_TEMPLATE_NAME_MAX } from '../../lib/app-config';

const DEV = { account: '111122223333', region: 'eu-west-1' };
const REAL = { senderEmail: 'no-reply@acme-support.io', opsEmail: 'ops@acme-support.io' };

const load = (context: Record<string, unknown>, env: Record<string, string> = {}): AppConfig =>
  loadConfig({ context: (key) => context[key], env });

describe('stages', () => {
  test('prod refuses every placeholder, even when placeholders are allowed', () => {
    const prod = { stage: 'prod', ...DEV, ...REAL, allowPlaceholders: 'true' };
    expect(() => load({ ...prod, senderEmail: 'no-reply@example.com' })).toThrow(
      /"senderEmail".*is a placeholder, and the prod stage refuses placeholders.*got "no-reply@example.com"/,
    );
    expect(() => load({ ...prod, opsEmail: 'ops@example.com' })).toThrow(/"opsEmail".*prod stage refuses/);
    expect(() => load({ ...prod, account: '000000000000' })).toThrow(/"account".*prod stage refuses/);
    expect(() => load({ ...prod, domainName: 'support.example.org' })).toThrow(/"domainName".*prod stage refuses/);
    expect(load(prod).stage).toBe('prod');
  });

  test('dev refuses placeholders unless they are allowed explicitly, and says how', () => {
    expect(() => load(DEV)).toThrow(
      /"senderEmail".*is a placeholder \(also opsEmail\): set the real value, or allow placeholders explicitly for an offline synth \(-c allowPlaceholders=true/,
    );
    const config = load({ ...DEV, allowPlaceholders: 'true' });
    expect(config).toMatchObject({ stage: 'dev', placeholdersAllowed: true, senderEmail: 'no-reply@example.com' });
    expect(load({ ...DEV, ...REAL }).placeholdersAllowed).toBe(false);
  });

  test('each stage names its account and region; prod protects and retains, dev does not', () => {
    const stages = {
      dev: { account: '111122223333', region: 'eu-west-1' },
      prod: { account: '444455556666', region: 'eu-central-1', waf: 'true' },
    };
    const dev = load({ stages, ...REAL });
    const prod = load({ stages, stage: 'prod', ...REAL });
    expect([dev.account, dev.region, prod.account, prod.region]).toEqual([
      '111122223333',
      'eu-west-1',
      '444455556666',
      'eu-central-1',
    ]);
    expect(dev.stagePolicy).toEqual({ terminationProtection: false, retainLogs: false, wafByDefault: false });
    expect(prod.stagePolicy).toEqual({ terminationProtection: true, retainLogs: true, wafByDefault: true });
    // A setting given directly wins over the stage's.
    expect(load({ stages, stage: 'prod', region: 'us-west-2', ...REAL }).region).toBe('us-west-2');
  });

  test('the stage and its account and region are checked', () => {
    expect(() => load({ ...DEV, ...REAL, stage: 'staging' })).toThrow(
      /"stage".*must be one of dev, prod, got "staging"/,
    );
    expect(() => load({ ...REAL })).toThrow(/"account".*stages.dev.account.*DEPLOY_ACCOUNT.*a value is required/);
    expect(() => load({ ...DEV, ...REAL, account: '12345' })).toThrow(/"account".*12-digit/);
    expect(() => load({ ...DEV, ...REAL, region: 'Ireland' })).toThrow(/"region".*such as eu-west-1, got "Ireland"/);
    expect(() => load({ stages: { dev: { ...DEV, sender: 'x@acme.io' } }, ...REAL })).toThrow(
      /Unknown setting "sender" in context "stages.dev"/,
    );
  });

  test('the WAF is on by default in prod only; a setting elsewhere; never with an imported web ACL', () => {
    expect(load({ ...DEV, ...REAL }).waf).toBe(false);
    expect(load({ ...DEV, ...REAL, stage: 'prod' }).waf).toBe(true);
    expect(load({ ...DEV, ...REAL, waf: 'true' }).waf).toBe(true);
    expect(load({ ...DEV, ...REAL, stage: 'prod', waf: 'false' }).waf).toBe(false);
    const webAclArn = 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/ours/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
    expect(load({ ...DEV, ...REAL, stage: 'prod', webAclArn })).toMatchObject({ waf: false, webAclArn });
    expect(() => load({ ...DEV, ...REAL, waf: 'true', webAclArn })).toThrow(/"waf".*must be false when webAclArn/);
    expect(() => load({ ...DEV, ...REAL, botControl: 'true' })).toThrow(/"botControl".*needs the stack's own web ACL/);
    expect(() => load({ ...DEV, ...REAL, waf: 'yes' })).toThrow(/"waf".*must be true or false, got "yes"/);
    expect(() => load({ ...DEV, ...REAL, wafApiRateLimit: '5' })).toThrow(/"wafApiRateLimit".*from 10/);
  });
});

describe('domain, mail and names', () => {
  const base = { ...DEV, ...REAL };

  test('a domain alone is enough (the edge stack makes its certificate); a hosted zone must contain it', () => {
    expect(load({ ...base, domainName: 'support.acme-support.io' })).toMatchObject({
      domainName: 'support.acme-support.io',
      certificateArn: undefined,
    });
    const zone = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'acme-support.io' };
    expect(load({ ...base, domainName: 'support.acme-support.io', ...zone }).hostedZoneName).toBe('acme-support.io');
    expect(() => load({ ...base, ...zone })).toThrow(/"domainName".*is required with hostedZoneId and hostedZoneName/);
    expect(() => load({ ...base, domainName: 'support.other.io', ...zone })).toThrow(
      /"hostedZoneName".*must be support.other.io or a parent domain of it, got "acme-support.io"/,
    );
    expect(() => load({ ...base, domainName: 'support.acme-support.io', hostedZoneId: zone.hostedZoneId })).toThrow(
      /"hostedZoneName".*is required with the other hosted zone setting/,
    );
    expect(() => load({ ...base, domainName: 'support.acme-support.io', ...zone, hostedZoneId: 'zone-1' })).toThrow(
      /"hostedZoneId".*Route 53 hosted zone id/,
    );
  });

  test('a custom MAIL FROM must sit under the sender domain, on a domain identity', () => {
    expect(load({ ...base, mailFromDomain: 'mail.acme-support.io' }).mailFromDomain).toBe('mail.acme-support.io');
    expect(() => load({ ...base, mailFromDomain: 'mail.elsewhere.io' })).toThrow(
      /"mailFromDomain".*must be a subdomain of the sender's domain acme-support.io/,
    );
    expect(() => load({ ...base, mailFromDomain: 'mail.acme-support.io', senderIdentity: 'existing' })).toThrow(
      /"mailFromDomain".*needs senderIdentity=domain/,
    );
  });

  test('a stack name that would make an SES template name too long is refused at synth', () => {
    // The longest template name is "<stack>-credential-request-ops-xx".
    const suffix = longestTemplateName('').length;
    const longest = 'S'.repeat(SES_TEMPLATE_NAME_MAX - suffix);
    expect(longestTemplateName(longest)).toHaveLength(SES_TEMPLATE_NAME_MAX);
    expect(load({ ...base, stackName: longest }).stackName).toBe(longest);
    expect(() => load({ ...base, stackName: `${longest}X` })).toThrow(
      new RegExp(
        `"stackName".*makes the SES template name "${longest}X-[a-z-]+" 65 characters long, SES allows 64; use at most ${longest.length} characters`,
      ),
    );
  });
});

// The deployment's settings, read once at synth from CDK context (`-c key=value` or cdk.json) with
// an environment variable as fallback, and validated so a bad value stops `cdk synth` with a message
// naming it instead of failing a user after deploy. Values the Lambda functions also read are
// checked by the same functions they use (lambdas/config.ts), so synth accepts exactly what they do.
import { ConfigError, lifetimeConfig, mailConfig, rateLimitConfig, siteConfig } from '../lambdas/config';
import { lifetimeDefaults } from '../lambdas/definitions/lifetimes';
import { portalDefaults } from '../lambdas/definitions/portal';

export class AppConfigError extends Error {
  override readonly name = 'AppConfigError';
}

/** How the stack treats the SES identity the emails are sent from. */
export type SenderIdentityMode = 'domain' | 'email' | 'existing';

export interface AppConfig {
  /** CloudFormation stack name; also prefixes the SES template names, so two deployments can share a region. */
  readonly stackName: string;
  readonly senderEmail: string;
  /**
   * domain: the stack creates a domain identity for the sender's domain with Easy DKIM (add the DKIM
   * records it outputs to DNS); email: it creates an address identity (SES mails a confirmation link);
   * existing: the identity is already verified in this account and region, the stack only sends from it.
   */
  readonly senderIdentity: SenderIdentityMode;
  /** Receives the alarm notifications (the SNS subscription must be confirmed once). */
  readonly opsEmail: string;
  readonly portalName: string;
  readonly primaryColour: string;
  /** Custom domain for the site, with an ACM certificate for it in us-east-1 (CloudFront's region). */
  readonly domainName: string | undefined;
  readonly certificateArn: string | undefined;
  /** An AWS WAF web ACL (scope CLOUDFRONT, in us-east-1) to attach to the distribution. */
  readonly webAclArn: string | undefined;
  readonly resetTokenMinutes: number;
  readonly temporaryPasswordMinutes: number;
  readonly sessionMinutes: number;
  /** A session unused this long ends; each use moves the deadline forward. */
  readonly sessionIdleMinutes: number;
  /**
   * Overrides of the application's rate limits (lambdas/definitions/rate-limits.ts) as JSON, e.g.
   * {"signInPerAccount":{"limit":5,"windowSeconds":900}}; passed to the functions as RATE_LIMITS.
   */
  readonly rateLimits: string | undefined;
  /**
   * Bump to rotate the secret CloudFront shows the API (a new secret replaces the old one and both
   * sides switch in the same deploy).
   */
  readonly originSecretGeneration: number;
  /** API Gateway stage throttling: steady requests per second and burst, for the whole API. */
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
}

/** Every setting: its context key, the environment variable read when the context has none, and its default. */
export const configKeys = {
  stackName: { env: 'STACK_NAME', fallback: 'SupportAccess' },
  senderEmail: { env: 'SENDER_EMAIL', fallback: 'no-reply@example.com' },
  senderIdentity: { env: 'SENDER_IDENTITY', fallback: 'domain' },
  opsEmail: { env: 'OPS_EMAIL', fallback: 'ops@example.com' },
  portalName: { env: 'PORTAL_NAME', fallback: portalDefaults.name },
  primaryColour: { env: 'PRIMARY_COLOUR', fallback: portalDefaults.primaryColour },
  domainName: { env: 'DOMAIN_NAME', fallback: undefined },
  certificateArn: { env: 'CERTIFICATE_ARN', fallback: undefined },
  webAclArn: { env: 'WEB_ACL_ARN', fallback: undefined },
  resetTokenMinutes: { env: 'RESET_TOKEN_MINUTES', fallback: String(lifetimeDefaults.resetTokenMinutes) },
  temporaryPasswordMinutes: {
    env: 'TEMPORARY_PASSWORD_MINUTES',
    fallback: String(lifetimeDefaults.temporaryPasswordMinutes),
  },
  sessionMinutes: { env: 'SESSION_MINUTES', fallback: String(lifetimeDefaults.sessionMinutes) },
  sessionIdleMinutes: { env: 'SESSION_IDLE_MINUTES', fallback: String(lifetimeDefaults.sessionIdleMinutes) },
  rateLimits: { env: 'RATE_LIMITS', fallback: undefined },
  originSecretGeneration: { env: 'ORIGIN_SECRET_GENERATION', fallback: '1' },
  apiRateLimit: { env: 'API_RATE_LIMIT', fallback: '20' },
  apiBurstLimit: { env: 'API_BURST_LIMIT', fallback: '40' },
} as const satisfies Record<keyof AppConfig, { env: string; fallback: string | undefined }>;

export type ConfigKey = keyof typeof configKeys;

export interface ConfigSource {
  /** CDK context lookup, e.g. `(key) => app.node.tryGetContext(key)`. */
  readonly context: (key: string) => unknown;
  readonly env: Record<string, string | undefined>;
}

const EMAIL = /^[^@\s"<>]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,49}$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;
const WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[0-9a-f-]{36}$/;

export function loadConfig(source: ConfigSource): AppConfig {
  const raw = (key: ConfigKey): string | undefined => {
    const fromContext = source.context(key);
    // cdk.json may hold an object (rateLimits); -c and the environment always give strings.
    if (fromContext !== null && typeof fromContext === 'object') return JSON.stringify(fromContext);
    if (fromContext !== undefined && fromContext !== null && String(fromContext).trim() !== '') {
      return String(fromContext).trim();
    }
    return source.env[configKeys[key].env]?.trim() || configKeys[key].fallback;
  };
  const where = (key: ConfigKey) => `"${key}" (context -c ${key}=... or environment variable ${configKeys[key].env})`;
  const fail = (key: ConfigKey, rule: string, value: string | undefined): never => {
    throw new AppConfigError(`Invalid setting ${where(key)}: ${rule}, got "${value ?? ''}"`);
  };
  const required = (key: ConfigKey): string => raw(key) ?? fail(key, 'a value is required', undefined);
  const matching = (key: ConfigKey, pattern: RegExp, rule: string): string => {
    const value = required(key);
    return pattern.test(value) ? value : fail(key, rule, value);
  };
  const optional = (key: ConfigKey, pattern: RegExp, rule: string): string | undefined => {
    const value = raw(key);
    return value === undefined || pattern.test(value) ? value : fail(key, rule, value);
  };
  const integer = (key: ConfigKey, min: number, max: number): number => {
    const value = required(key);
    const number = Number(value);
    return Number.isInteger(number) && number >= min && number <= max
      ? number
      : fail(key, `must be a whole number from ${min} to ${max}`, value);
  };
  const oneOf = <T extends string>(key: ConfigKey, allowed: readonly T[]): T => {
    const value = required(key);
    return (allowed as readonly string[]).includes(value)
      ? (value as T)
      : fail(key, `must be one of ${allowed.join(', ')}`, value);
  };
  // The Lambda functions validate these again at start; checking with their own code here means a
  // value synth accepts can never stop a function later.
  const asTheFunctionsDo = <T>(key: ConfigKey, value: string, check: () => T): T => {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const detail = error.message.includes(`"${value}"`) ? error.message : `${error.message}, got "${value}"`;
      throw new AppConfigError(`Invalid setting ${where(key)}: ${detail}`);
    }
  };

  const stackName = matching(
    'stackName',
    STACK_NAME,
    'must start with a letter and use at most 50 letters, digits and hyphens',
  );
  const senderEmail = matching('senderEmail', EMAIL, 'must be an email address such as no-reply@example.com');
  asTheFunctionsDo('senderEmail', senderEmail, () =>
    mailConfig({ SENDER_EMAIL: senderEmail, EMAIL_TEMPLATE_PREFIX: stackName }),
  );
  const senderIdentity = oneOf('senderIdentity', ['domain', 'email', 'existing'] as const);
  const opsEmail = matching('opsEmail', EMAIL, 'must be an email address such as ops@example.com');
  const site = { SITE_URL: 'https://example.com' };
  const portalName = required('portalName');
  asTheFunctionsDo('portalName', portalName, () => siteConfig({ ...site, PORTAL_NAME: portalName }));
  const primaryColour = required('primaryColour');
  asTheFunctionsDo('primaryColour', primaryColour, () => siteConfig({ ...site, PRIMARY_COLOUR: primaryColour }));
  const domainName = optional('domainName', DOMAIN, 'must be a lower-case host name such as support.example.com');
  const certificateArn = optional(
    'certificateArn',
    CERTIFICATE_ARN,
    'must be the ARN of an ACM certificate in us-east-1 (CloudFront only uses certificates from that region)',
  );
  if (domainName !== undefined && certificateArn === undefined) {
    fail('certificateArn', `is required with domainName (${domainName})`, undefined);
  }
  if (certificateArn !== undefined && domainName === undefined) {
    fail('domainName', 'is required with certificateArn', undefined);
  }
  const webAclArn = optional(
    'webAclArn',
    WEB_ACL_ARN,
    'must be the ARN of a WAFv2 web ACL with scope CLOUDFRONT (it lives in us-east-1)',
  );
  const resetTokenRaw = required('resetTokenMinutes');
  const { resetTokenMinutes } = asTheFunctionsDo('resetTokenMinutes', resetTokenRaw, () =>
    lifetimeConfig({ RESET_TOKEN_MINUTES: resetTokenRaw }),
  );
  const temporaryRaw = required('temporaryPasswordMinutes');
  const { temporaryPasswordMinutes } = asTheFunctionsDo('temporaryPasswordMinutes', temporaryRaw, () =>
    lifetimeConfig({ TEMPORARY_PASSWORD_MINUTES: temporaryRaw }),
  );
  const sessionRaw = required('sessionMinutes');
  const { sessionMinutes } = asTheFunctionsDo('sessionMinutes', sessionRaw, () =>
    lifetimeConfig({ SESSION_MINUTES: sessionRaw }),
  );
  const idleRaw = required('sessionIdleMinutes');
  const { sessionIdleMinutes } = asTheFunctionsDo('sessionIdleMinutes', idleRaw, () =>
    lifetimeConfig({ SESSION_IDLE_MINUTES: idleRaw }),
  );
  const rateLimits = raw('rateLimits');
  if (rateLimits !== undefined) {
    asTheFunctionsDo('rateLimits', rateLimits, () => rateLimitConfig({ RATE_LIMITS: rateLimits }));
  }
  // 10,000 requests/s is API Gateway's default account quota; more is a typo, not a plan.
  const originSecretGeneration = integer('originSecretGeneration', 1, 9_999);
  const apiRateLimit = integer('apiRateLimit', 1, 10_000);
  const apiBurstLimit = integer('apiBurstLimit', 1, 5_000);

  return {
    stackName,
    senderEmail,
    senderIdentity,
    opsEmail,
    portalName,
    primaryColour,
    domainName,
    certificateArn,
    webAclArn,
    resetTokenMinutes,
    temporaryPasswordMinutes,
    sessionMinutes,
    sessionIdleMinutes,
    rateLimits,
    originSecretGeneration,
    apiRateLimit,
    apiBurstLimit,
  };
}

/** The part after the @: the domain identity SES can send the sender address through. */
export function senderDomain(config: Pick<AppConfig, 'senderEmail'>): string {
  return config.senderEmail.slice(config.senderEmail.lastIndexOf('@') + 1).toLowerCase();
}

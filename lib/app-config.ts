// The deployment's settings, read once at synth from CDK context (`-c key=value` or cdk.json) with
// an environment variable as fallback, and validated so a bad value stops `cdk synth` with a message
// naming it instead of failing a user after deploy. Values the Lambda functions also read are
// checked by the same functions they use (lambdas/config.ts), so synth accepts exactly what they do.
import {
  ConfigError,
  lifetimeConfig,
  mailConfig,
  rateLimitConfig,
  requireSecondFactorEnv,
  siteConfig,
} from '../lambdas/config';
import { type EmailTemplateId, emailTemplates, sesTemplateName } from '../lambdas/definitions/email-templates';
import { languages } from '../lambdas/definitions/languages';
import { lifetimeDefaults } from '../lambdas/definitions/lifetimes';
import { portalDefaults } from '../lambdas/definitions/portal';

export class AppConfigError extends Error {
  override readonly name = 'AppConfigError';
}

/** How the stack treats the SES identity the emails are sent from. */
export type SenderIdentityMode = 'domain' | 'email' | 'existing';

/** The deployment stages: each names its account and region (cdk.json context "stages"). */
export const STAGES = ['dev', 'prod'] as const;
export type StageName = (typeof STAGES)[number];

/** What a stage changes besides its settings: production keeps what an accident would destroy. */
export interface StagePolicy {
  readonly terminationProtection: boolean;
  /** Log groups (functions, API access, WAF) outlive the stack, and are kept longer. */
  readonly retainLogs: boolean;
  /** The default of the waf setting. */
  readonly wafByDefault: boolean;
}

export const STAGE_POLICIES: Record<StageName, StagePolicy> = {
  dev: { terminationProtection: false, retainLogs: false, wafByDefault: false },
  prod: { terminationProtection: true, retainLogs: true, wafByDefault: true },
};

export interface AppConfig {
  readonly stage: StageName;
  readonly stagePolicy: StagePolicy;
  /** The account and region the stage deploys to; the edge parts (certificate, WAF) go to us-east-1. */
  readonly account: string;
  readonly region: string;
  /** Placeholder values (example.com addresses, the 000000000000 account) were allowed for an offline synth. */
  readonly placeholdersAllowed: boolean;
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
  /**
   * Custom domain for the site. Its ACM certificate (us-east-1, CloudFront's region) is either
   * imported (certificateArn) or created by the edge stack, validated through the hosted zone.
   */
  readonly domainName: string | undefined;
  readonly certificateArn: string | undefined;
  /** A Route 53 public hosted zone for domainName: the stack adds the alias records and validates the certificate. */
  readonly hostedZoneId: string | undefined;
  readonly hostedZoneName: string | undefined;
  /** An existing AWS WAF web ACL (scope CLOUDFRONT, in us-east-1) to attach instead of the stack's own. */
  readonly webAclArn: string | undefined;
  /** The stack's own web ACL (lib/constructs/firewall.ts) in front of CloudFront. */
  readonly waf: boolean;
  /** Requests per client IP to /api/* in 5 minutes before the web ACL blocks that IP. */
  readonly wafApiRateLimit: number;
  /** AWS WAF Bot Control (common level): about $10 a month plus $1 per million requests. */
  readonly botControl: boolean;
  /** A custom MAIL FROM domain under the sender's domain (SPF alignment for DMARC), e.g. mail.example.com. */
  readonly mailFromDomain: string | undefined;
  /** A CloudWatch Synthetics canary that walks the login page and POST /api/password-reset. */
  readonly canary: boolean;
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
  /** Everyone must have a second factor; a person without one sets it up at the next sign-in. */
  readonly requireSecondFactor: boolean;
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
  stage: { env: 'STAGE', fallback: 'dev' },
  account: { env: 'DEPLOY_ACCOUNT', fallback: undefined },
  region: { env: 'DEPLOY_REGION', fallback: undefined },
  allowPlaceholders: { env: 'ALLOW_PLACEHOLDERS', fallback: 'false' },
  stackName: { env: 'STACK_NAME', fallback: 'SupportAccess' },
  senderEmail: { env: 'SENDER_EMAIL', fallback: 'no-reply@example.com' },
  senderIdentity: { env: 'SENDER_IDENTITY', fallback: 'domain' },
  opsEmail: { env: 'OPS_EMAIL', fallback: 'ops@example.com' },
  portalName: { env: 'PORTAL_NAME', fallback: portalDefaults.name },
  primaryColour: { env: 'PRIMARY_COLOUR', fallback: portalDefaults.primaryColour },
  domainName: { env: 'DOMAIN_NAME', fallback: undefined },
  certificateArn: { env: 'CERTIFICATE_ARN', fallback: undefined },
  hostedZoneId: { env: 'HOSTED_ZONE_ID', fallback: undefined },
  hostedZoneName: { env: 'HOSTED_ZONE_NAME', fallback: undefined },
  webAclArn: { env: 'WEB_ACL_ARN', fallback: undefined },
  waf: { env: 'WAF', fallback: undefined },
  wafApiRateLimit: { env: 'WAF_API_RATE_LIMIT', fallback: '300' },
  botControl: { env: 'BOT_CONTROL', fallback: 'false' },
  mailFromDomain: { env: 'MAIL_FROM_DOMAIN', fallback: undefined },
  canary: { env: 'CANARY', fallback: 'false' },
  resetTokenMinutes: { env: 'RESET_TOKEN_MINUTES', fallback: String(lifetimeDefaults.resetTokenMinutes) },
  temporaryPasswordMinutes: {
    env: 'TEMPORARY_PASSWORD_MINUTES',
    fallback: String(lifetimeDefaults.temporaryPasswordMinutes),
  },
  sessionMinutes: { env: 'SESSION_MINUTES', fallback: String(lifetimeDefaults.sessionMinutes) },
  sessionIdleMinutes: { env: 'SESSION_IDLE_MINUTES', fallback: String(lifetimeDefaults.sessionIdleMinutes) },
  rateLimits: { env: 'RATE_LIMITS', fallback: undefined },
  requireSecondFactor: { env: 'REQUIRE_SECOND_FACTOR', fallback: 'false' },
  originSecretGeneration: { env: 'ORIGIN_SECRET_GENERATION', fallback: '1' },
  apiRateLimit: { env: 'API_RATE_LIMIT', fallback: '20' },
  apiBurstLimit: { env: 'API_BURST_LIMIT', fallback: '40' },
} as const satisfies Record<
  Exclude<keyof AppConfig, 'stagePolicy' | 'placeholdersAllowed'> | 'allowPlaceholders',
  { env: string; fallback: string | undefined }
>;

export type ConfigKey = keyof typeof configKeys;

export interface ConfigSource {
  /**
   * CDK context lookup, e.g. `(key) => app.node.tryGetContext(key)`. The context key "stages"
   * holds each stage's settings ({"dev": {"account": ..., "region": ...}, "prod": {...}}); a
   * setting given directly (-c key=value) wins over the stage's.
   */
  readonly context: (key: string) => unknown;
  readonly env: Record<string, string | undefined>;
}

const EMAIL = /^[^@\s"<>]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,49}$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;
const WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[0-9a-f-]{36}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const HOSTED_ZONE_ID = /^Z[0-9A-Z]{4,31}$/;
/** SES refuses template names longer than this (CreateEmailTemplate). */
export const SES_TEMPLATE_NAME_MAX = 64;

/**
 * Values that are examples, not a deployment: the documentation domains (RFC 2606) and the
 * accounts AWS and this repository use in examples. A deploy with them fails late (SES cannot send,
 * the alarm emails go nowhere), so only an explicit allowPlaceholders lets them through, and never in prod.
 */
export const PLACEHOLDER_ACCOUNTS = ['000000000000', '123456789012'] as const;
const PLACEHOLDER_DOMAIN = /(^|\.)example\.(com|net|org)$/i;

export function isPlaceholderDomain(domain: string): boolean {
  return PLACEHOLDER_DOMAIN.test(domain);
}

/** The longest SES template name the stack would create with this prefix. */
export function longestTemplateName(prefix: string): string {
  const names = (Object.keys(emailTemplates) as EmailTemplateId[]).flatMap((id) =>
    languages.map((language) => sesTemplateName(prefix, id, language)),
  );
  return names.reduce((longest, name) => (name.length > longest.length ? name : longest), '');
}

export function loadConfig(source: ConfigSource): AppConfig {
  const direct = (key: ConfigKey): unknown => source.context(key);
  const stageName = String(direct('stage') ?? source.env[configKeys.stage.env] ?? configKeys.stage.fallback).trim();
  if (!(STAGES as readonly string[]).includes(stageName)) {
    throw new AppConfigError(
      `Invalid setting "stage" (context -c stage=... or environment variable STAGE): must be one of ${STAGES.join(', ')}, got "${stageName}"`,
    );
  }
  const stage = stageName as StageName;
  const stages = source.context('stages');
  const stageSettings =
    stages !== null && typeof stages === 'object' ? (stages as Record<string, unknown>)[stage] : undefined;
  if (stageSettings !== undefined && (stageSettings === null || typeof stageSettings !== 'object')) {
    throw new AppConfigError(
      `Invalid context "stages.${stage}": must be an object of settings, e.g. {"account": "...", "region": "..."}`,
    );
  }
  const fromStage = (stageSettings ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(fromStage)) {
    if (!(key in configKeys) || key === 'stage' || key === 'allowPlaceholders') {
      throw new AppConfigError(
        `Unknown setting "${key}" in context "stages.${stage}" (cdk.json): use one of ${Object.keys(configKeys)
          .filter((k) => k !== 'stage' && k !== 'allowPlaceholders')
          .join(', ')}`,
      );
    }
  }
  const raw = (key: ConfigKey): string | undefined => {
    const fromContext = direct(key) ?? fromStage[key];
    // cdk.json may hold an object (rateLimits); -c and the environment always give strings.
    if (fromContext !== null && typeof fromContext === 'object') return JSON.stringify(fromContext);
    if (fromContext !== undefined && fromContext !== null && String(fromContext).trim() !== '') {
      return String(fromContext).trim();
    }
    return source.env[configKeys[key].env]?.trim() || configKeys[key].fallback;
  };
  const where = (key: ConfigKey) =>
    `"${key}" (context -c ${key}=..., cdk.json "stages.${stage}.${key}" or environment variable ${configKeys[key].env})`;
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
  const flag = (key: ConfigKey, fallback: boolean): boolean => {
    const value = raw(key);
    if (value === undefined) return fallback;
    if (value === 'true' || value === 'on') return true;
    if (value === 'false' || value === 'off') return false;
    return fail(key, 'must be true or false', value);
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
  const longestTemplate = longestTemplateName(stackName);
  if (longestTemplate.length > SES_TEMPLATE_NAME_MAX) {
    fail(
      'stackName',
      `makes the SES template name "${longestTemplate}" ${longestTemplate.length} characters long, SES allows ${SES_TEMPLATE_NAME_MAX}; use at most ${stackName.length - (longestTemplate.length - SES_TEMPLATE_NAME_MAX)} characters`,
      stackName,
    );
  }
  const account = matching('account', ACCOUNT, 'must be the 12-digit AWS account id the stage deploys to');
  const region = matching('region', REGION, 'must be an AWS region such as eu-west-1');
  const stagePolicy = STAGE_POLICIES[stage];
  const allowPlaceholders = flag('allowPlaceholders', false);
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
  if (certificateArn !== undefined && domainName === undefined) {
    fail('domainName', 'is required with certificateArn', undefined);
  }
  const hostedZoneId = optional(
    'hostedZoneId',
    HOSTED_ZONE_ID,
    'must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ',
  );
  const hostedZoneName = optional(
    'hostedZoneName',
    DOMAIN,
    "must be the hosted zone's domain, lower case, such as example.com",
  );
  if ((hostedZoneId === undefined) !== (hostedZoneName === undefined)) {
    fail(
      hostedZoneId === undefined ? 'hostedZoneId' : 'hostedZoneName',
      'is required with the other hosted zone setting',
      undefined,
    );
  }
  if (hostedZoneName !== undefined) {
    if (domainName === undefined) fail('domainName', 'is required with hostedZoneId and hostedZoneName', undefined);
    else if (domainName !== hostedZoneName && !domainName.endsWith(`.${hostedZoneName}`)) {
      fail('hostedZoneName', `must be ${domainName} or a parent domain of it`, hostedZoneName);
    }
  }
  const webAclArn = optional(
    'webAclArn',
    WEB_ACL_ARN,
    'must be the ARN of a WAFv2 web ACL with scope CLOUDFRONT (it lives in us-east-1)',
  );
  const waf = flag('waf', webAclArn === undefined && stagePolicy.wafByDefault);
  if (waf && webAclArn !== undefined) {
    fail('waf', 'must be false when webAclArn attaches an existing web ACL (a distribution has one)', 'true');
  }
  // AWS WAF counts over 5-minute windows and accepts 10 at least.
  const wafApiRateLimit = integer('wafApiRateLimit', 10, 2_000_000_000);
  const botControl = flag('botControl', false);
  if (botControl && !waf) fail('botControl', "needs the stack's own web ACL (waf=true)", 'true');
  const mailFromDomain = optional('mailFromDomain', DOMAIN, 'must be a lower-case host name such as mail.example.com');
  if (mailFromDomain !== undefined) {
    const domain = senderDomain({ senderEmail });
    if (!mailFromDomain.endsWith(`.${domain}`)) {
      fail(
        'mailFromDomain',
        `must be a subdomain of the sender's domain ${domain}, such as mail.${domain}`,
        mailFromDomain,
      );
    }
    if (senderIdentity !== 'domain') {
      fail(
        'mailFromDomain',
        'needs senderIdentity=domain (set MAIL FROM on an existing identity in the SES console)',
        mailFromDomain,
      );
    }
  }
  const canary = flag('canary', false);
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
  const requireRaw = required('requireSecondFactor');
  const requireSecondFactor = asTheFunctionsDo('requireSecondFactor', requireRaw, () =>
    requireSecondFactorEnv({ REQUIRE_SECOND_FACTOR: requireRaw }),
  );
  // 10,000 requests/s is API Gateway's default account quota; more is a typo, not a plan.
  const originSecretGeneration = integer('originSecretGeneration', 1, 9_999);
  const apiRateLimit = integer('apiRateLimit', 1, 10_000);
  const apiBurstLimit = integer('apiBurstLimit', 1, 5_000);

  const placeholders = [
    ...(PLACEHOLDER_ACCOUNTS.includes(account as (typeof PLACEHOLDER_ACCOUNTS)[number]) ? [['account', account]] : []),
    ...(isPlaceholderDomain(senderDomain({ senderEmail })) ? [['senderEmail', senderEmail]] : []),
    ...(isPlaceholderDomain(senderDomain({ senderEmail: opsEmail })) ? [['opsEmail', opsEmail]] : []),
    ...(domainName !== undefined && isPlaceholderDomain(domainName) ? [['domainName', domainName]] : []),
  ] as [ConfigKey, string][];
  const [first] = placeholders;
  if (first && (stage === 'prod' || !allowPlaceholders)) {
    const [key, value] = first;
    const others =
      placeholders.length > 1
        ? ` (also ${placeholders
            .slice(1)
            .map(([k]) => k)
            .join(', ')})`
        : '';
    fail(
      key,
      stage === 'prod'
        ? `is a placeholder${others}, and the prod stage refuses placeholders: set the real value`
        : `is a placeholder${others}: set the real value, or allow placeholders explicitly for an offline synth (-c allowPlaceholders=true, as npm run synth does)`,
      value,
    );
  }

  return {
    stage,
    stagePolicy,
    account,
    region,
    placeholdersAllowed: placeholders.length > 0,
    stackName,
    senderEmail,
    senderIdentity,
    opsEmail,
    portalName,
    primaryColour,
    domainName,
    certificateArn,
    hostedZoneId,
    hostedZoneName,
    webAclArn,
    waf,
    wafApiRateLimit,
    botControl,
    mailFromDomain,
    canary,
    resetTokenMinutes,
    temporaryPasswordMinutes,
    sessionMinutes,
    sessionIdleMinutes,
    rateLimits,
    requireSecondFactor,
    originSecretGeneration,
    apiRateLimit,
    apiBurstLimit,
  };
}

/** The part after the @: the domain identity SES can send the sender address through. */
export function senderDomain(config: Pick<AppConfig, 'senderEmail'>): string {
  return config.senderEmail.slice(config.senderEmail.lastIndexOf('@') + 1).toLowerCase();
}

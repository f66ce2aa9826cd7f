// Configuration from the environment, read once when a handler module loads. A missing or bad
// value stops the function at start with a message naming it, instead of failing a user later.

import * as z from 'zod/mini';
import { lifetimeDefaults } from './definitions/lifetimes';
import { portalDefaults } from './definitions/portal';
import { type RateLimits, rateLimitDefaults } from './definitions/rate-limits';
import './http/zod-messages';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function requiredEnv(name: string, env: Env = process.env): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} environment variable is not set`);
  return value;
}

export function integerEnv(name: string, fallback: number, min: number, max: number, env: Env = process.env): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function siteUrlEnv(env: Env = process.env): string {
  const raw = requiredEnv('SITE_URL', env);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`SITE_URL must be an absolute URL such as https://support.example.com, got "${raw}"`);
  }
  const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:')) {
    throw new ConfigError(`SITE_URL must use https (plain http is allowed only for localhost), got "${raw}"`);
  }
  return url.origin;
}

export interface SiteConfig {
  /** Origin of the pages and API, e.g. https://support.example.com. Links are built from it, never from request headers. */
  readonly siteUrl: string;
  /** Cookies get `Secure` and the `__Host-` prefix whenever the site is served over https. */
  readonly secureCookies: boolean;
  readonly portalName: string;
  readonly primaryColour: string;
}

export function siteConfig(env: Env = process.env): SiteConfig {
  const siteUrl = siteUrlEnv(env);
  const primaryColour = env.PRIMARY_COLOUR?.trim() || portalDefaults.primaryColour;
  if (!/^#[0-9a-fA-F]{6}$/.test(primaryColour)) {
    throw new ConfigError(`PRIMARY_COLOUR must be a colour like #1f4e8c, got "${primaryColour}"`);
  }
  const portalName = env.PORTAL_NAME?.trim() || portalDefaults.name;
  if (portalName.length > 60 || /[<>&"\r\n]/.test(portalName)) {
    throw new ConfigError(`PORTAL_NAME must be at most 60 characters without < > & " or line breaks`);
  }
  return { siteUrl, secureCookies: siteUrl.startsWith('https:'), portalName, primaryColour };
}

export interface LifetimeConfig {
  readonly resetTokenMinutes: number;
  readonly temporaryPasswordMinutes: number;
  readonly sessionMinutes: number;
  readonly sessionIdleMinutes: number;
}

export function lifetimeConfig(env: Env = process.env): LifetimeConfig {
  return {
    resetTokenMinutes: integerEnv('RESET_TOKEN_MINUTES', lifetimeDefaults.resetTokenMinutes, 5, 24 * 60, env),
    temporaryPasswordMinutes: integerEnv(
      'TEMPORARY_PASSWORD_MINUTES',
      lifetimeDefaults.temporaryPasswordMinutes,
      5,
      24 * 60,
      env,
    ),
    sessionMinutes: integerEnv('SESSION_MINUTES', lifetimeDefaults.sessionMinutes, 5, 24 * 60, env),
    sessionIdleMinutes: integerEnv('SESSION_IDLE_MINUTES', lifetimeDefaults.sessionIdleMinutes, 5, 24 * 60, env),
  };
}

export interface MailConfig {
  readonly senderEmail: string;
  readonly templatePrefix: string;
  readonly configurationSet: string | undefined;
}

export function mailConfig(env: Env = process.env): MailConfig {
  const senderEmail = requiredEnv('SENDER_EMAIL', env);
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(senderEmail)) {
    throw new ConfigError(`SENDER_EMAIL must be an email address, got "${senderEmail}"`);
  }
  return {
    senderEmail,
    templatePrefix: requiredEnv('EMAIL_TEMPLATE_PREFIX', env),
    configurationSet: env.SES_CONFIGURATION_SET?.trim() || undefined,
  };
}

export interface UserPoolConfig {
  readonly userPoolId: string;
  readonly clientId: string;
}

export function userPoolConfig(env: Env = process.env): UserPoolConfig {
  return { userPoolId: requiredEnv('USER_POOL_ID', env), clientId: requiredEnv('USER_POOL_CLIENT_ID', env) };
}

const rateLimitShape = z.strictObject({
  limit: z.int().check(z.minimum(1), z.maximum(1_000_000)),
  windowSeconds: z.int().check(z.minimum(1), z.maximum(86_400)),
});

const backoffShape = z
  .strictObject({
    freeFailures: z.int().check(z.minimum(0), z.maximum(1_000_000)),
    firstDelaySeconds: z.int().check(z.minimum(1), z.maximum(86_400)),
    maxDelaySeconds: z.int().check(z.minimum(1), z.maximum(86_400)),
    limit: z.int().check(z.minimum(1), z.maximum(1_000_000)),
    windowSeconds: z.int().check(z.minimum(1), z.maximum(86_400)),
  })
  .check(
    z.refine((b) => b.firstDelaySeconds <= b.maxDelaySeconds && b.freeFailures < b.limit, {
      message: 'needs firstDelaySeconds <= maxDelaySeconds and freeFailures < limit',
    }),
  );

const rateLimitsOverride = z.strictObject({
  resetEmailsPerAccount: z.optional(rateLimitShape),
  signInPerAccount: z.optional(rateLimitShape),
  signInPerAccountAndSource: z.optional(backoffShape),
  credentialRequestsPerEmail: z.optional(rateLimitShape),
  credentialRequestEmailsPerHour: z.optional(rateLimitShape),
  secondFactorPerAccount: z.optional(rateLimitShape),
  perIp: z.optional(
    z.strictObject(
      Object.fromEntries(Object.keys(rateLimitDefaults.perIp).map((name) => [name, z.optional(rateLimitShape)])),
    ),
  ),
});

/** The defaults of definitions/rate-limits.ts, with any override from RATE_LIMITS (JSON). */
export function rateLimitConfig(env: Env = process.env): RateLimits {
  const raw = env.RATE_LIMITS?.trim();
  if (!raw) return rateLimitDefaults;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(`RATE_LIMITS must be JSON, got "${raw.slice(0, 80)}"`);
  }
  const result = rateLimitsOverride.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(`RATE_LIMITS is invalid at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const override = result.data;
  return {
    resetEmailsPerAccount: override.resetEmailsPerAccount ?? rateLimitDefaults.resetEmailsPerAccount,
    signInPerAccount: override.signInPerAccount ?? rateLimitDefaults.signInPerAccount,
    signInPerAccountAndSource: override.signInPerAccountAndSource ?? rateLimitDefaults.signInPerAccountAndSource,
    credentialRequestsPerEmail: override.credentialRequestsPerEmail ?? rateLimitDefaults.credentialRequestsPerEmail,
    secondFactorPerAccount: override.secondFactorPerAccount ?? rateLimitDefaults.secondFactorPerAccount,
    credentialRequestEmailsPerHour:
      override.credentialRequestEmailsPerHour ?? rateLimitDefaults.credentialRequestEmailsPerHour,
    perIp: { ...rateLimitDefaults.perIp, ...(override.perIp as Partial<RateLimits['perIp']> | undefined) },
  };
}

export interface OpsConfig {
  /** Where new credential requests are announced. */
  readonly opsEmail: string;
  /** What the ops CLI needs besides the reference to reach this deployment, e.g. "--stack X --region Y". */
  readonly commandArgs: string;
}

export function opsConfig(env: Env = process.env): OpsConfig {
  const opsEmail = requiredEnv('OPS_EMAIL', env);
  if (!/^[^@\s"<>]+@[^@\s"<>]+\.[^@\s"<>]+$/.test(opsEmail)) {
    throw new ConfigError(`OPS_EMAIL must be an email address, got "${opsEmail}"`);
  }
  const commandArgs = env.OPS_COMMAND_ARGS?.trim() ?? '';
  if (!/^[\w .:/=-]*$/.test(commandArgs)) {
    throw new ConfigError(
      `OPS_COMMAND_ARGS may contain letters, digits, spaces and . : / = - only, got "${commandArgs}"`,
    );
  }
  return { opsEmail, commandArgs };
}

/** REQUIRE_SECOND_FACTOR=true: everyone must have a second factor, set up at the next sign-in. */
export function requireSecondFactorEnv(env: Env = process.env): boolean {
  const raw = env.REQUIRE_SECOND_FACTOR?.trim().toLowerCase();
  if (!raw || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(`REQUIRE_SECOND_FACTOR must be "true" or "false", got "${raw}"`);
}

// Wraps every HTTP handler: a request-scoped logger, the same-origin check on state-changing
// requests, and the one place where errors become responses (never a stack trace or SDK text).
import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { type PasswordRule, passwordRuleText, serverOnlyRuleText } from '../definitions/password-policy';
import type { RateLimit } from '../definitions/rate-limits';
import { DomainError, PasswordPolicyViolation } from '../domain/errors';
import type { Clock } from '../domain/ports';
import { checkRate, type RateCounter, RateLimited } from '../domain/rate-limit';
import { requestLogger } from '../logger';
import { HttpProblem, header, sourceIp, sourceKey } from './request';
import { problem, type Response } from './responses';

export interface RequestScope {
  readonly log: Logger;
  readonly requestId: string;
}

export type HttpRoute = (event: APIGatewayProxyEventV2, scope: RequestScope) => Promise<Response>;
export type HttpHandler = (event: APIGatewayProxyEventV2, context?: Partial<Context>) => Promise<Response>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Browsers send Origin on every cross-origin and every non-GET fetch; a mismatch is a forged
 * request. Tools like curl send none and are not a CSRF vector, so a missing Origin passes.
 */
function fromForeignSite(event: APIGatewayProxyEventV2, siteUrl: string): boolean {
  const origin = header(event, 'origin');
  if (origin !== undefined && origin !== siteUrl) return true;
  const fetchSite = header(event, 'sec-fetch-site');
  return fetchSite === 'cross-site';
}

function isDependencyFault(error: unknown): boolean {
  // SDK errors carry $metadata; throttling and 5xx are worth a "try again", not a 500.
  return typeof error === 'object' && error !== null && '$metadata' in error;
}

function minutes(seconds: number): string {
  const m = Math.ceil(seconds / 60);
  return m === 1 ? '1 minute' : `${m} minutes`;
}

export function toErrorResponse(error: unknown, log: Logger): Response {
  if (error instanceof RateLimited) {
    log.warn('rate limit reached', { scope: error.scope });
    const wait = minutes(error.retryAfterSeconds);
    return problem('rate_limited', {
      headers: { 'retry-after': String(error.retryAfterSeconds) },
      details: { retryAfterSeconds: error.retryAfterSeconds },
      message:
        error.scope === 'account'
          ? `Too many sign-in attempts for this account. Wait ${wait} and try again, or use "Forgot your password?".`
          : error.scope === 'email'
            ? `We already have several requests for this email address; the support team will answer them. Wait ${wait} before sending another.`
            : `Too many requests from your network. Wait ${wait}, then try again.`,
    });
  }
  if (error instanceof HttpProblem) {
    log.info('request refused', { problem: error.code });
    return problem(error.code, error.message !== error.code ? { message: error.message } : {});
  }
  if (error instanceof PasswordPolicyViolation) {
    const rules = error.rules.map((rule) => ({
      rule,
      text:
        passwordRuleText[rule as PasswordRule] ??
        serverOnlyRuleText[rule as keyof typeof serverOnlyRuleText] ??
        serverOnlyRuleText.user_pool_policy,
    }));
    return problem('password_policy', {
      message: `The new password does not meet these rules: ${rules.map((r) => r.text).join('; ')}.`,
      details: { rules },
    });
  }
  if (error instanceof DomainError) {
    if (error.code === 'temporarily_unavailable') log.error('dependency failed', { error });
    else log.info('request refused', { problem: error.code });
    return problem(error.code);
  }
  if (isDependencyFault(error)) {
    log.error('dependency failed', { error });
    return problem('temporarily_unavailable');
  }
  log.error('unhandled error', { error });
  return problem('internal_error');
}

/** The per-source-IP limit of one endpoint: counted before anything else, for every request. */
export interface IpRateLimit {
  readonly endpoint: string;
  readonly limit: RateLimit;
  readonly counter: RateCounter;
  readonly clock: Clock;
}

export function httpHandler(siteUrl: string, route: HttpRoute, ipLimit?: IpRateLimit): HttpHandler {
  return async (event, context) => {
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? randomUUID();
    const log = requestLogger(requestId);
    try {
      if (!SAFE_METHODS.has(event.requestContext?.http?.method ?? 'GET') && fromForeignSite(event, siteUrl)) {
        throw new HttpProblem('forbidden_origin');
      }
      if (ipLimit) {
        const check = await checkRate(
          { counter: ipLimit.counter, clock: ipLimit.clock, log },
          `ip:${ipLimit.endpoint}`,
          sourceKey(sourceIp(event)),
          ipLimit.limit,
        );
        if (!check.allowed) throw new RateLimited(check.retryAfterSeconds, 'ip');
      }
      return await route(event, { log, requestId });
    } catch (error) {
      return toErrorResponse(error, log);
    }
  };
}

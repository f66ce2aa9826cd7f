// Wraps every HTTP handler: a request-scoped logger, the same-origin check on state-changing
// requests, and the one place where errors become responses (never a stack trace or SDK text).
import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { type PasswordRule, passwordRuleText } from '../definitions/password-policy';
import { DomainError, PasswordPolicyViolation } from '../domain/errors';
import { requestLogger } from '../logger';
import { HttpProblem, header } from './request';
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

export function toErrorResponse(error: unknown, log: Logger): Response {
  if (error instanceof HttpProblem) {
    log.info('request refused', { problem: error.code });
    return problem(error.code, error.message !== error.code ? { message: error.message } : {});
  }
  if (error instanceof PasswordPolicyViolation) {
    const rules = error.rules.map((rule) => ({
      rule,
      text: passwordRuleText[rule as PasswordRule] ?? 'The user pool refused this password',
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

export function httpHandler(siteUrl: string, route: HttpRoute): HttpHandler {
  return async (event, context) => {
    const requestId = event.requestContext?.requestId ?? context?.awsRequestId ?? randomUUID();
    const log = requestLogger(requestId);
    try {
      if (!SAFE_METHODS.has(event.requestContext?.http?.method ?? 'GET') && fromForeignSite(event, siteUrl)) {
        throw new HttpProblem('forbidden_origin');
      }
      return await route(event, { log, requestId });
    } catch (error) {
      return toErrorResponse(error, log);
    }
  };
}

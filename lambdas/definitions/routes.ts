// The one list of API routes, queue consumers and pages. The local runner and the CDK stack both
// read it, so a route added here exists everywhere with the same handler.
import { passkeyRules } from './passkeys';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface ApiRoute {
  readonly method: HttpMethod;
  readonly path: string;
  /** File name (without extension) under lambdas/handlers/ that exports `handler`. */
  readonly handler: string;
  /** The body's size limit when it is not the forms' 4 KB (lambdas/http/request.ts): passkey answers. */
  readonly maxBodyBytes?: number;
}

export const API_PREFIX = '/api';

export const apiRoutes = {
  requestReset: { method: 'POST', path: '/api/password-reset', handler: 'password-reset-request' },
  confirmReset: { method: 'POST', path: '/api/password-reset/confirm', handler: 'password-reset-confirm' },
  createSession: { method: 'POST', path: '/api/session', handler: 'session-create' },
  getSession: { method: 'GET', path: '/api/session', handler: 'session-get' },
  deleteSession: { method: 'DELETE', path: '/api/session', handler: 'session-delete' },
  choosePassword: { method: 'POST', path: '/api/session/new-password', handler: 'session-new-password' },
  requestCredential: { method: 'POST', path: '/api/credential-requests', handler: 'credential-request' },
  secondFactor: {
    method: 'POST',
    path: '/api/session/second-factor',
    handler: 'session-second-factor',
    maxBodyBytes: passkeyRules.responseMaxLength,
  },
  getAccount: { method: 'GET', path: '/api/account', handler: 'account-get' },
  startTotp: { method: 'POST', path: '/api/account/totp', handler: 'account-totp-start' },
  confirmTotp: { method: 'POST', path: '/api/account/totp/confirm', handler: 'account-totp-confirm' },
  removeTotp: { method: 'POST', path: '/api/account/totp/remove', handler: 'account-totp-remove' },
  recoveryCodes: { method: 'POST', path: '/api/account/recovery-codes', handler: 'account-recovery-codes' },
  revokeSessions: { method: 'POST', path: '/api/account/sessions/revoke', handler: 'account-sessions-revoke' },
  /** A passkey ceremony's options: to sign in without a password, or as the second step. */
  passkeySignInOptions: { method: 'POST', path: '/api/session/passkey/options', handler: 'session-passkey-options' },
  /** Signs in with a passkey instead of the password (a discoverable credential). */
  passkeySignIn: {
    method: 'POST',
    path: '/api/session/passkey',
    handler: 'session-passkey',
    maxBodyBytes: passkeyRules.responseMaxLength,
  },
  passkeyRegistrationOptions: {
    method: 'POST',
    path: '/api/account/passkeys/options',
    handler: 'account-passkey-options',
  },
  addPasskey: {
    method: 'POST',
    path: '/api/account/passkeys',
    handler: 'account-passkey-add',
    maxBodyBytes: passkeyRules.responseMaxLength,
  },
  removePasskey: { method: 'POST', path: '/api/account/passkeys/remove', handler: 'account-passkey-remove' },
} as const satisfies Record<string, ApiRoute>;

/**
 * The OpenID Provider: one function answers every path under /oidc and discovery. API Gateway
 * and CloudFront send these paths (greedy) to it; the provider routes inside (definitions/oidc.ts).
 */
export const providerFunction = {
  handler: 'oidc-provider',
  paths: ['/oidc/{proxy+}', '/.well-known/openid-configuration'],
  /** CloudFront behaviours (path patterns) that go to the API origin without caching. */
  cloudFrontPatterns: ['/oidc/*', '/.well-known/openid-configuration'],
} as const;

export interface QueueConsumer {
  readonly handler: string;
  /** Deliveries before a message goes to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Seconds a message stays hidden while the worker handles it; also the worker's timeout budget. */
  readonly visibilityTimeoutSeconds: number;
}

export const queueConsumers = {
  resetRequests: { handler: 'password-reset-worker', maxReceiveCount: 5, visibilityTimeoutSeconds: 60 },
} as const satisfies Record<string, QueueConsumer>;

export interface Page {
  readonly path: string;
  /** Source under static-site/pages/, and the built file name. */
  readonly file: string;
}

export const pages = {
  login: { path: '/', file: 'index.html' },
  forgot: { path: '/forgot', file: 'forgot.html' },
  reset: { path: '/reset', file: 'reset.html' },
  newPassword: { path: '/new-password', file: 'new-password.html' },
  signedIn: { path: '/signed-in', file: 'signed-in.html' },
  requestCredential: { path: '/request-credential', file: 'request-credential.html' },
  secondStep: { path: '/second-step', file: 'second-step.html' },
  account: { path: '/account', file: 'account.html' },
} as const satisfies Record<string, Page>;

/** The reset link a user receives: the token travels in the fragment, which browsers never send to a server. */
export function resetLink(siteUrl: string, token: string): string {
  return `${siteUrl.replace(/\/+$/, '')}${pages.reset.path}#token=${token}`;
}

export function loginUrl(siteUrl: string): string {
  return `${siteUrl.replace(/\/+$/, '')}${pages.login.path}`;
}

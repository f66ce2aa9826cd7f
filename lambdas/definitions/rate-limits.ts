// Rate limits, defined once. Counters live in DynamoDB (atomic ADD, TTL); API Gateway's stage
// throttling is the outer fence. Deployments may override any of them (RATE_LIMITS, see config).

export interface RateLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

/**
 * How sign-in failures for one login from one source (an IPv4 address or an IPv6 /64) slow down,
 * then stop: the first `freeFailures` in the window cost nothing; after each further one the next
 * try must wait `firstDelaySeconds`, doubling each time up to `maxDelaySeconds`; from `limit`
 * failures the pair waits for the window's end.
 */
export interface SignInBackoff {
  readonly freeFailures: number;
  readonly firstDelaySeconds: number;
  readonly maxDelaySeconds: number;
  readonly limit: number;
  readonly windowSeconds: number;
}

export const rateLimitDefaults = {
  /** Reset emails one account may receive; further requests get the same 202 and no email. */
  resetEmailsPerAccount: { limit: 3, windowSeconds: 3600 },
  /**
   * Sign-in FAILURES for one login from every source together (known or not, so the limit reveals
   * nothing): a ceiling an attacker reaches only with many sources (each slowed by the backoff
   * below). Past it, the login's sign-ins wait for the window's end; a live temporary password
   * from "Forgot your password?" is never refused.
   */
  signInPerAccount: { limit: 300, windowSeconds: 3600 },
  /** Sign-in failures for one login from one source: slowed after 5, stopped at 20 an hour. */
  signInPerAccountAndSource: {
    freeFailures: 5,
    firstDelaySeconds: 15,
    maxDelaySeconds: 900,
    limit: 20,
    windowSeconds: 3600,
  },
  /** Credential requests for one email address (known or not); further ones get a 429. */
  credentialRequestsPerEmail: { limit: 3, windowSeconds: 86_400 },
  /**
   * Wrong second-factor codes (authenticator or recovery) for one account, from every source. Ten
   * tries in 15 minutes against 3 live six-digit codes: about 1 in 33,000 per window.
   */
  secondFactorPerAccount: { limit: 10, windowSeconds: 900 },
  /**
   * Credential requests ops are emailed about, from everyone together, per hour. Past it requests
   * are still stored and answered alike, but ops get ONE notice (with the request that crossed
   * the cap) instead of one email each: their inbox cannot be flooded, and the SES sending quota
   * the reset emails share can lose at most this many messages an hour to the form.
   */
  credentialRequestEmailsPerHour: { limit: 30, windowSeconds: 3600 },
  /**
   * Requests per source (IPv4 address or IPv6 /64), per endpoint (handler name from routes.ts).
   * session-create's counts sign-in FAILURES from the source, whatever the login (spraying many
   * accounts), inside sign-in, so a correct password costs nothing and a live temporary password
   * always passes.
   */
  perIp: {
    'password-reset-request': { limit: 10, windowSeconds: 900 },
    'password-reset-confirm': { limit: 20, windowSeconds: 900 },
    'session-create': { limit: 30, windowSeconds: 900 },
    'session-new-password': { limit: 10, windowSeconds: 900 },
    'session-get': { limit: 300, windowSeconds: 900 },
    'session-delete': { limit: 60, windowSeconds: 900 },
    'credential-request': { limit: 10, windowSeconds: 3600 },
    'session-second-factor': { limit: 30, windowSeconds: 900 },
    'account-get': { limit: 300, windowSeconds: 900 },
    'account-totp-start': { limit: 20, windowSeconds: 900 },
    'account-totp-confirm': { limit: 30, windowSeconds: 900 },
    'account-totp-remove': { limit: 20, windowSeconds: 900 },
    'account-recovery-codes': { limit: 20, windowSeconds: 900 },
    'account-sessions-revoke': { limit: 20, windowSeconds: 900 },
    // Options are asked on every visit of the login page (autofill, renewed every 4 minutes while it
    // stays open) and again for each attempt: as generous as reading the session, for offices
    // behind one address. Each stores one small challenge item that lapses after 5 minutes.
    'session-passkey-options': { limit: 300, windowSeconds: 900 },
    'session-passkey': { limit: 30, windowSeconds: 900 },
    'account-passkey-options': { limit: 20, windowSeconds: 900 },
    'account-passkey-add': { limit: 20, windowSeconds: 900 },
    'account-passkey-remove': { limit: 20, windowSeconds: 900 },
  },
} as const satisfies {
  resetEmailsPerAccount: RateLimit;
  signInPerAccount: RateLimit;
  signInPerAccountAndSource: SignInBackoff;
  credentialRequestsPerEmail: RateLimit;
  secondFactorPerAccount: RateLimit;
  credentialRequestEmailsPerHour: RateLimit;
  perIp: Record<string, RateLimit>;
};

export type IpLimitedEndpoint = keyof typeof rateLimitDefaults.perIp;

export interface RateLimits {
  readonly resetEmailsPerAccount: RateLimit;
  readonly signInPerAccount: RateLimit;
  readonly signInPerAccountAndSource: SignInBackoff;
  readonly credentialRequestsPerEmail: RateLimit;
  readonly secondFactorPerAccount: RateLimit;
  readonly credentialRequestEmailsPerHour: RateLimit;
  readonly perIp: Readonly<Record<IpLimitedEndpoint, RateLimit>>;
}

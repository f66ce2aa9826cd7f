// Rate limits, defined once. Counters live in DynamoDB (atomic ADD, TTL); API Gateway's stage
// throttling is the outer fence. Deployments may override any of them (RATE_LIMITS, see config).

export interface RateLimit {
  readonly limit: number;
  readonly windowSeconds: number;
}

export const rateLimitDefaults = {
  /** Reset emails one account may receive; further requests get the same 202 and no email. */
  resetEmailsPerAccount: { limit: 3, windowSeconds: 3600 },
  /** Sign-in attempts for one login (known or not, so the limit reveals nothing). */
  signInPerAccount: { limit: 10, windowSeconds: 900 },
  /** Credential requests for one email address (known or not); further ones get a 429. */
  credentialRequestsPerEmail: { limit: 3, windowSeconds: 86_400 },
  /** Requests per source IP, per endpoint (handler name from routes.ts). */
  perIp: {
    'password-reset-request': { limit: 10, windowSeconds: 900 },
    'password-reset-confirm': { limit: 20, windowSeconds: 900 },
    'session-create': { limit: 30, windowSeconds: 900 },
    'session-new-password': { limit: 10, windowSeconds: 900 },
    'session-get': { limit: 300, windowSeconds: 900 },
    'session-delete': { limit: 60, windowSeconds: 900 },
    'credential-request': { limit: 10, windowSeconds: 3600 },
  },
} as const satisfies {
  resetEmailsPerAccount: RateLimit;
  signInPerAccount: RateLimit;
  credentialRequestsPerEmail: RateLimit;
  perIp: Record<string, RateLimit>;
};

export type IpLimitedEndpoint = keyof typeof rateLimitDefaults.perIp;

export interface RateLimits {
  readonly resetEmailsPerAccount: RateLimit;
  readonly signInPerAccount: RateLimit;
  readonly credentialRequestsPerEmail: RateLimit;
  readonly perIp: Readonly<Record<IpLimitedEndpoint, RateLimit>>;
}

// Default lifetimes, in one place. Deployments may override the ones read by lambdas/config.ts.

export const lifetimeDefaults = {
  /** How long a reset link works after it is sent (OWASP: short, single use). */
  resetTokenMinutes: 30,
  /** How long one confirm may hold a link while it sets the password and sends the email. */
  claimLeaseSeconds: 60,
  /** How long a used or expired link's record is kept, so a late click gets a precise answer. */
  tokenRecordDays: 7,
  /** How long an emailed temporary password may be used to choose a new one. */
  temporaryPasswordMinutes: 60,
  /** Absolute lifetime of a signed-in session. */
  sessionMinutes: 8 * 60,
  /** A session unused this long ends (ASVS 5.0 7.3.1); each use moves the deadline forward. */
  sessionIdleMinutes: 30,
  /** How long a credential request (who asked, why, the decision) is kept, then TTL removes it. */
  credentialRequestDays: 365,
  /** Cognito keeps an auth challenge's session for 3 minutes; ours ends with it. */
  challengeSeconds: 180,
} as const;

/**
 * Cognito's own validity for a temporary password (TemporaryPasswordValidityDays) counts whole days,
 * at least 1. Ours is shorter and enforced by the app: the hash and expiry of every temporary
 * password it issues are recorded, and sign-in refuses one past its minutes or without a record.
 * Cognito's day is the outer bound should that record ever be bypassed.
 */
export function cognitoTemporaryPasswordDays(minutes: number): number {
  return Math.max(1, Math.ceil(minutes / (24 * 60)));
}

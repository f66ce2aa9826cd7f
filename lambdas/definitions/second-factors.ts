// Second factors, defined once: the authenticator-app (TOTP, RFC 6238) parameters every app
// understands, recovery codes, and how long the second step of a sign-in may wait.

export const totpParameters = {
  /** SHA-1, 6 digits, 30 s: the only combination every authenticator app reads from a QR code. */
  algorithm: 'SHA1',
  digits: 6,
  periodSeconds: 30,
  /** Codes of the step before and after are accepted too (phone clocks drift; RFC 6238 5.2). */
  window: 1,
  /** 160-bit secrets (RFC 4226 recommends at least 128, SHA-1's block favours 160). */
  secretBytes: 20,
} as const;

export const recoveryCodeRules = {
  count: 10,
  /** Characters per code, drawn from an alphabet without look-alikes: 10 x 5 bits = 50 bits. */
  length: 10,
  alphabet: 'abcdefghjkmnpqrstuvwxyz23456789',
} as const;

export const secondStepDefaults = {
  /** How long the second step may wait after the password was right. */
  stepSeconds: 300,
  /** How long a started authenticator enrolment may wait for its first code. */
  enrolmentMinutes: 15,
} as const;

/** The ways a session can have been proved, as RFC 8176 names them (the ID token's `amr`). */
export type AuthenticationMethod = 'pwd' | 'otp' | 'hwk' | 'swk' | 'mfa' | 'user';

/** What the second step accepts from the page. */
export type SecondFactorMethod = 'totp' | 'recovery';

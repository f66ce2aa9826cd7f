// Second factors: authenticator-app codes (TOTP, RFC 6238) and recovery codes. Secrets are sealed
// (KMS) before they reach the table; a code is accepted once (the step it belongs to is spent
// atomically, so a replayed or raced code fails); failures are counted per account like sign-in
// failures, so guessing six digits stays hopeless.
import { createHash, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { RateLimit } from '../definitions/rate-limits';
import {
  recoveryCodeRules,
  type SecondFactorMethod,
  secondStepDefaults,
  totpParameters,
} from '../definitions/second-factors';
import { EnrolmentMissing, FactorExists, SecondFactorInvalid } from './errors';
import type { Clock, FactorStore, FactorSummary, Log, SecretSealer } from './ports';
import { type FailureCounter, RateLimited, rateKey, windowAt } from './rate-limit';

export interface FactorDeps {
  readonly factors: FactorStore;
  readonly sealer: SecretSealer;
  readonly failures: FailureCounter;
  /** Wrong codes per account before further codes wait for the window's end. */
  readonly secondFactorLimit: RateLimit;
  readonly clock: Clock;
  readonly log: Log;
  /** The name authenticator apps show next to the account. */
  readonly issuer: string;
}

const totpOptions = {
  algorithm: totpParameters.algorithm,
  digits: totpParameters.digits,
  period: totpParameters.periodSeconds,
} as const;

/** The RFC 6238 time step a timestamp (epoch ms) falls in. */
export function totpStep(timestamp: number): number {
  return TOTP.counter({ period: totpParameters.periodSeconds, timestamp });
}

/** The code an authenticator app shows at `timestamp` (tests compute codes with it too). */
export function totpCode(secretBase32: string, timestamp: number): string {
  return TOTP.generate({ ...totpOptions, secret: Secret.fromBase32(secretBase32), timestamp });
}

/** The step whose code `code` is, within the allowed drift around `now`; undefined when none. */
function matchingStep(secret: Uint8Array, code: string, now: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = TOTP.validate({
    ...totpOptions,
    secret: new Secret({ buffer: secret.slice().buffer }),
    token: code,
    timestamp: now,
    window: totpParameters.window,
  });
  return delta === null ? undefined : totpStep(now) + delta;
}

/** Digits only: apps show "123 456", people type "123-456". */
export function normaliseTotpCode(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** Recovery codes are compared in lower case without the spaces and dashes shown for reading. */
export function normaliseRecoveryCode(input: string): string {
  return input.replace(/[\s-]/g, '').toLowerCase();
}

/**
 * Recovery codes carry 50 random bits each and are tried against a failure limit, so a fast hash
 * keeps them out of the table (a slow KDF protects low-entropy secrets, which these are not).
 */
export function hashRecoveryCode(username: string, code: string): string {
  return createHash('sha256')
    .update(`recovery\u0000${username}\u0000${normaliseRecoveryCode(code)}`)
    .digest('hex');
}

export function newRecoveryCodes(): string[] {
  const { count, length, alphabet } = recoveryCodeRules;
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length }, () => alphabet.charAt(randomInt(alphabet.length))).join('');
    return `${chars.slice(0, length / 2)}-${chars.slice(length / 2)}`;
  });
}

/** The account's failure gate for codes: throws while the limit is reached; `fail` counts one. */
async function codeGate(username: string, deps: FactorDeps): Promise<{ fail(): Promise<void> }> {
  const now = deps.clock.now();
  const window = windowAt(now, deps.secondFactorLimit.windowSeconds);
  const key = rateKey('fail:second-factor', username, window.start);
  const tally = await deps.failures.failures(key).catch((error: unknown) => {
    deps.log.error('second-factor failure counter unavailable; attempt allowed', { error });
    return undefined;
  });
  if ((tally?.count ?? 0) >= deps.secondFactorLimit.limit) {
    throw new RateLimited(Math.max(1, Math.ceil((window.end - now) / 1000)), 'account');
  }
  return {
    fail: async () => {
      await deps.failures.addFailure(key, deps.clock.now(), window.end).catch((error: unknown) => {
        deps.log.error('counting a second-factor failure failed', { error });
      });
    },
  };
}

export interface TotpEnrolment {
  /** Base32, for typing into an app by hand. */
  readonly secret: string;
  /** otpauth:// URI, what the QR code holds. */
  readonly uri: string;
}

/** Starts (or restarts) setting up an authenticator app; refused while one is set up. */
export async function beginTotpEnrolment(username: string, deps: FactorDeps): Promise<TotpEnrolment> {
  const secret = new Secret({ size: totpParameters.secretBytes });
  const now = deps.clock.now();
  const stored = await deps.factors.startTotp({
    username,
    sealedSecret: await deps.sealer.seal(new Uint8Array(secret.bytes), username),
    confirmed: false,
    createdAt: now,
    expiresAt: now + secondStepDefaults.enrolmentMinutes * 60_000,
  });
  if (!stored) throw new FactorExists();
  const uri = new TOTP({ ...totpOptions, issuer: deps.issuer, label: username, secret }).toString();
  deps.log.info('authenticator set-up started', { username });
  return { secret: secret.base32, uri };
}

/** Confirms the set-up with a first code and issues the first recovery codes (shown once). */
export async function confirmTotpEnrolment(
  username: string,
  code: string,
  deps: FactorDeps,
): Promise<{ recoveryCodes: string[] }> {
  const gate = await codeGate(username, deps);
  const now = deps.clock.now();
  const factor = await deps.factors.findTotp(username);
  if (!factor || factor.confirmed || (factor.expiresAt ?? 0) <= now) throw new EnrolmentMissing();
  const secret = await deps.sealer.open(factor.sealedSecret, username);
  const step = matchingStep(secret, normaliseTotpCode(code), now);
  if (step === undefined) {
    await gate.fail();
    throw new SecondFactorInvalid();
  }
  if (!(await deps.factors.confirmTotp(username, factor.sealedSecret, step, now))) throw new EnrolmentMissing();
  deps.log.info('authenticator set up', { username });
  return { recoveryCodes: await regenerateRecoveryCodes(username, deps) };
}

/** New recovery codes; every older one stops working. */
export async function regenerateRecoveryCodes(username: string, deps: FactorDeps): Promise<string[]> {
  const codes = newRecoveryCodes();
  await deps.factors.replaceRecoveryCodes(
    username,
    codes.map((code) => hashRecoveryCode(username, code)),
    deps.clock.now(),
  );
  deps.log.info('recovery codes issued', { username });
  return codes;
}

/**
 * What the second step offers, strongest first: a passkey (phishing-resistant), the authenticator
 * app, a recovery code while any is left.
 */
export function secondStepMethods(factors: FactorSummary): SecondFactorMethod[] {
  const methods: SecondFactorMethod[] = [];
  if (factors.passkeys > 0) methods.push('passkey');
  if (factors.totp) methods.push('totp');
  if (factors.recoveryCodesLeft > 0) methods.push('recovery');
  return methods;
}

export type SecondFactorProof =
  | { readonly method: 'totp'; readonly code: string }
  | { readonly method: 'recovery'; readonly code: string };

/**
 * Checks a code for a user with a second factor: right, not replayed, under the failure limit.
 * Throws SecondFactorInvalid (and counts a failure) otherwise.
 */
export async function verifySecondFactor(username: string, proof: SecondFactorProof, deps: FactorDeps): Promise<void> {
  const gate = await codeGate(username, deps);
  const now = deps.clock.now();
  let accepted = false;
  if (proof.method === 'totp') {
    const factor = await deps.factors.findTotp(username);
    if (factor?.confirmed) {
      const step = matchingStep(
        await deps.sealer.open(factor.sealedSecret, username),
        normaliseTotpCode(proof.code),
        now,
      );
      // The step is spent atomically: a replay, or the same code sent twice at once, fails here.
      accepted = step !== undefined && (await deps.factors.useTotpStep(username, step, now));
    }
  } else {
    const code = normaliseRecoveryCode(proof.code);
    accepted =
      code.length === recoveryCodeRules.length &&
      (await deps.factors.useRecoveryCode(username, hashRecoveryCode(username, code), now));
  }
  if (!accepted) {
    await gate.fail();
    deps.log.info('second factor refused', { username, method: proof.method });
    throw new SecondFactorInvalid();
  }
  deps.log.info('second factor accepted', { username, method: proof.method });
}

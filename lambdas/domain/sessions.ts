// Signing in, the forced choice of a new password after a temporary one, and server-side
// sessions: the browser holds only a random id; the table holds its hash, so sign-out is real.
import { serverOnlyRules } from '../definitions/password-policy';
import type { AuthenticationMethod, SecondFactorMethod } from '../definitions/second-factors';
import { unmetPasswordRulesOnServer } from './common-passwords';
import {
  ChallengeExpired,
  InvalidCredentials,
  NotSignedIn,
  PasswordPolicyViolation,
  SecondStepExpired,
  TemporaryPasswordExpired,
} from './errors';
import { normaliseLogin } from './password-reset';
import type {
  Clock,
  CredentialGenerations,
  Log,
  SecurityMailer,
  SessionRecord,
  SessionStore,
  SignInOutcome,
  TemporaryPasswordRecord,
  TemporaryPasswordStore,
  UserDirectory,
} from './ports';
import {
  confirmTotpEnrolment,
  type FactorDeps,
  type SecondFactorProof,
  secondStepMethods,
  verifySecondFactor,
} from './second-factors';
import { hashTemporaryPassword, hashToken, isWellFormedToken, newToken, sameHash } from './secrets';
import { type SignInLimitDeps, signInGate } from './sign-in-limits';

export interface SessionDeps extends SignInLimitDeps, FactorDeps {
  readonly securityMailer: SecurityMailer;
  readonly users: UserDirectory;
  readonly sessions: SessionStore;
  readonly temporaryPasswords: TemporaryPasswordStore;
  readonly generations: CredentialGenerations;
  readonly clock: Clock;
  readonly log: Log;
  /** Absolute lifetime of a session. */
  readonly sessionMinutes: number;
  /** A session unused this long ends (ASVS 5.0 7.3.1); every use moves it forward. */
  readonly idleMinutes: number;
  readonly challengeSeconds: number;
  /** Words a new password must not be made of: the portal's name and the like. */
  readonly contextWords: readonly string[];
  /** How long the second step may wait after the password (or new password) was accepted. */
  readonly secondStepSeconds: number;
  /** Everyone must have a second factor: one without is asked to set one up before any session. */
  readonly requireSecondFactor: boolean;
  /** A new password must not contain it (lambdas/definitions/password-policy.ts). */
  readonly portalName?: string | undefined;
}

/** Reading and ending a session touch only the session store and the credential generations. */
export type SessionLookupDeps = Pick<SessionDeps, 'sessions' | 'generations' | 'clock' | 'log' | 'idleMinutes'>;

/** A cookie to set: its raw value goes to the browser once and is stored only as a hash. */
export interface IssuedSecret {
  readonly value: string;
  readonly maxAgeSeconds: number;
}

export type SignInResult =
  | { readonly kind: 'signed_in'; readonly username: string; readonly session: IssuedSecret }
  | {
      readonly kind: 'new_password_required';
      readonly username: string;
      readonly challenge: IssuedSecret;
      /** The email's local part, so the page can check the new password against it while typing. */
      readonly emailLocalPart?: string | undefined;
    }
  /** The password was right; a code (or passkey) is due before any session exists. */
  | {
      readonly kind: 'second_factor_required';
      readonly username: string;
      readonly methods: readonly SecondFactorMethod[];
      readonly step: IssuedSecret;
    }
  /** The password was right; the deployment requires a second factor and this account has none yet. */
  | { readonly kind: 'enrolment_required'; readonly username: string; readonly step: IssuedSecret };

/** How often a session's last use is written: the idle timeout is counted to the minute. */
const TOUCH_EVERY_MS = 60_000;

/** Starts a session for a person who has proved who they are (`amr`: how). */
export async function startSession(
  username: string,
  generation: number,
  amr: readonly AuthenticationMethod[],
  replacing: string | undefined,
  deps: SessionDeps,
): Promise<IssuedSecret> {
  const value = newToken();
  const now = deps.clock.now();
  await deps.sessions.createSession({
    hash: hashToken(value),
    username,
    generation,
    createdAt: now,
    expiresAt: now + deps.sessionMinutes * 60_000,
    lastSeenAt: now,
    amr,
  });
  // One session per browser: whatever this browser held before (perhaps another account's) ends.
  if (replacing && isWellFormedToken(replacing)) await deps.sessions.deleteSession(hashToken(replacing));
  deps.log.info('signed in', { username, amr });
  return { value, maxAgeSeconds: deps.sessionMinutes * 60 };
}

/**
 * The password (or the new password of a reset) was accepted. A person with a second factor must
 * still pass it, and a deployment that requires one makes a person without one set it up, before
 * any session exists: a reset by email never bypasses the factor (ASVS 6.4.3).
 */
async function afterPassword(
  username: string,
  generation: number,
  replacing: string | undefined,
  deps: SessionDeps,
): Promise<SignInResult> {
  const factors = await deps.factors.summary(username);
  const hasFactor = factors.totp || factors.passkeys > 0;
  if (!hasFactor && !deps.requireSecondFactor) {
    return { kind: 'signed_in', username, session: await startSession(username, generation, ['pwd'], replacing, deps) };
  }
  const value = newToken();
  await deps.sessions.createSecondStep({
    hash: hashToken(value),
    username,
    purpose: hasFactor ? 'verify' : 'enrol',
    generation,
    amr: ['pwd'],
    expiresAt: deps.clock.now() + deps.secondStepSeconds * 1000,
  });
  const step = { value, maxAgeSeconds: deps.secondStepSeconds };
  if (!hasFactor) {
    deps.log.info('sign-in needs a second factor set up first', { username });
    return { kind: 'enrolment_required', username, step };
  }
  const methods = secondStepMethods(factors);
  deps.log.info('sign-in needs the second factor', { username, methods });
  return { kind: 'second_factor_required', username, methods, step };
}

/** The live second step of a sign-in, by its cookie: whose it is, and how far the sign-in got. */
export async function findSecondStep(
  stepValue: string | undefined,
  purpose: 'verify' | 'enrol',
  deps: SessionDeps,
): Promise<{ hash: string; username: string; generation: number; amr: readonly AuthenticationMethod[] }> {
  if (!stepValue || !isWellFormedToken(stepValue)) throw new SecondStepExpired();
  const hash = hashToken(stepValue);
  const step = await deps.sessions.findSecondStep(hash, deps.clock.now());
  if (!step || step.purpose !== purpose) throw new SecondStepExpired();
  return { hash, username: step.username, generation: step.generation, amr: step.amr };
}

/** The second step of a sign-in: a code from the authenticator app or a recovery code. */
export async function completeSecondStep(
  stepValue: string | undefined,
  proof: SecondFactorProof,
  deps: SessionDeps,
  /** The session cookie the browser already had, if any: the new session replaces it. */
  replacing?: string,
): Promise<SignInResult> {
  const step = await findSecondStep(stepValue, 'verify', deps);
  await verifySecondFactor(step.username, proof, deps);
  await deps.sessions.deleteSecondStep(step.hash);
  const amr: AuthenticationMethod[] = [...step.amr, proof.method === 'totp' ? 'otp' : 'mfa'];
  return {
    kind: 'signed_in',
    username: step.username,
    session: await startSession(step.username, step.generation, amr, replacing, deps),
  };
}

/** Who may set up an authenticator while signing in (the deployment requires one): the step's user. */
export async function enrolmentStepUser(stepValue: string | undefined, deps: SessionDeps): Promise<string> {
  return (await findSecondStep(stepValue, 'enrol', deps)).username;
}

/** The required set-up during sign-in is confirmed by its first code; then the session starts. */
export async function completeEnrolmentStep(
  stepValue: string | undefined,
  code: string,
  deps: SessionDeps,
  replacing?: string,
): Promise<{ result: SignInResult; recoveryCodes: string[] }> {
  const step = await findSecondStep(stepValue, 'enrol', deps);
  const { recoveryCodes } = await confirmTotpEnrolment(step.username, code, deps);
  await deps.sessions.deleteSecondStep(step.hash);
  const session = await startSession(step.username, step.generation, [...step.amr, 'otp'], replacing, deps);
  return { result: { kind: 'signed_in', username: step.username, session }, recoveryCodes };
}

async function toResult(
  outcome: SignInOutcome,
  generation: number,
  replacing: string | undefined,
  deps: SessionDeps,
  email?: string,
): Promise<SignInResult> {
  switch (outcome.kind) {
    case 'invalid_credentials':
      throw new InvalidCredentials();
    case 'signed_in':
      return afterPassword(outcome.username, generation, replacing, deps);
    case 'new_password_required': {
      const value = newToken();
      await deps.sessions.createChallenge({
        hash: hashToken(value),
        username: outcome.username,
        email,
        challengeSession: outcome.challengeSession,
        generation,
        expiresAt: deps.clock.now() + deps.challengeSeconds * 1000,
      });
      deps.log.info('sign-in needs a new password', { username: outcome.username });
      return {
        kind: 'new_password_required',
        username: outcome.username,
        challenge: { value, maxAgeSeconds: deps.challengeSeconds },
        emailLocalPart: email?.split('@')[0],
      };
    }
  }
}

/**
 * Signs in with a login (username or email) and password, from `source` (sourceKey of the viewer's
 * address). The same calls happen whatever the login: the limits, the account lookup (an email
 * signs in as the account that owns it), the temporary-password record, then Cognito. Skipping
 * any of them for an unknown login would make "no such account" answer faster.
 */
export async function signIn(
  login: string,
  password: string,
  source: string,
  deps: SessionDeps,
  /** The session cookie the browser already had, if any: signing in replaces it. */
  replacing?: string,
): Promise<SignInResult> {
  const normalised = normaliseLogin(login);
  const gate = await signInGate(normalised, source, deps);
  const user = await deps.users.findByLogin(normalised);
  const username = user?.username ?? normalised;
  const issued = await deps.temporaryPasswords.find(username);
  // The owner holding a live emailed password is never refused by a limit others could have filled.
  const liveTemporary =
    issued !== undefined &&
    issued.expiresAt > deps.clock.now() &&
    sameHash(issued.passwordHash, hashTemporaryPassword(username, password));
  if (gate.refusal && !liveTemporary) throw gate.refusal;
  // Read before the password is checked: a reset or disable that completes after this point bumps
  // the generation past it, so a session started from a password that has just been replaced (or
  // an account just disabled) is dead on its first use, even if it is written after the reset
  // ended every session. One that reads the generation after the bump checks the new password.
  const generation = await deps.generations.current(username);
  const outcome = await deps.users.signIn(username, password);
  // Cognito refuses disabled users itself; cognito-local does not, and this holds either way.
  if (outcome.kind === 'invalid_credentials' || !user?.enabled) {
    await gate.recordFailure();
    throw new InvalidCredentials();
  }
  if (outcome.kind === 'new_password_required') {
    try {
      checkTemporaryPassword(outcome.username, password, issued, deps);
    } catch (error) {
      if (error instanceof InvalidCredentials) await gate.recordFailure();
      throw error;
    }
  }
  return toResult(outcome, generation, replacing, deps, user.email);
}

/**
 * A temporary password works only as this app issued it and only for its lifetime. (Cognito checks
 * the password too; cognito-local does not for users who must change theirs, and this check holds
 * either way.) No record means nothing this app issued is live, so the sign-in is refused (fail
 * closed): a temporary password set some other way (the console, a lost write) cannot be used, and
 * "Forgot your password?" issues a fresh one.
 */
function checkTemporaryPassword(
  username: string,
  password: string,
  issued: TemporaryPasswordRecord | undefined,
  deps: SessionDeps,
): void {
  if (!issued) {
    deps.log.warn('temporary password without a record of its issue: refused', { username });
    throw new TemporaryPasswordExpired();
  }
  if (!sameHash(issued.passwordHash, hashTemporaryPassword(username, password))) throw new InvalidCredentials();
  if (issued.expiresAt <= deps.clock.now()) {
    deps.log.info('temporary password used after its lifetime', { username });
    throw new TemporaryPasswordExpired();
  }
}

export async function chooseNewPassword(
  challengeValue: string | undefined,
  newPassword: string,
  deps: SessionDeps,
  replacing?: string,
): Promise<SignInResult> {
  if (!challengeValue || !isWellFormedToken(challengeValue)) throw new ChallengeExpired();
  const hash = hashToken(challengeValue);
  const challenge = await deps.sessions.findChallenge(hash, deps.clock.now());
  if (!challenge) throw new ChallengeExpired();
  const unmet: string[] = unmetPasswordRulesOnServer(
    newPassword,
    { username: challenge.username, email: challenge.email, portalName: deps.portalName },
    deps.contextWords,
  );
  // The emailed password is single-purpose (ASVS 6.4.1): it cannot become the permanent one. The
  // record is what sign-in checked a moment ago; without it nothing proves which password was
  // emailed, so the step is refused rather than guessed (fail closed).
  const issued = await deps.temporaryPasswords.find(challenge.username);
  if (!issued) throw new ChallengeExpired();
  if (sameHash(issued.passwordHash, hashTemporaryPassword(challenge.username, newPassword))) {
    unmet.push(serverOnlyRules.notTemporary);
  }
  if (unmet.length > 0) throw new PasswordPolicyViolation(unmet);
  const outcome = await deps.users.completeNewPassword(challenge.username, challenge.challengeSession, newPassword);
  await deps.sessions.deleteChallenge(hash);
  if (outcome.kind === 'signed_in') await deps.temporaryPasswords.clear(challenge.username);
  return toResult(outcome, challenge.generation, replacing, deps, challenge.email);
}

/**
 * The signed-in user, if the session is live: not past its absolute end, used within the idle
 * timeout, and issued under the user's current credential generation (a reset or a disable since
 * ends it even if its record was missed). A dead session's record is removed on the way.
 */
export async function liveSession(value: string | undefined, deps: SessionLookupDeps): Promise<SessionRecord> {
  if (!value || !isWellFormedToken(value)) throw new NotSignedIn();
  const hash = hashToken(value);
  const now = deps.clock.now();
  const session = await deps.sessions.findSession(hash, now);
  if (!session) throw new NotSignedIn();
  const idle = now - session.lastSeenAt >= deps.idleMinutes * 60_000;
  const superseded = session.generation !== (await deps.generations.current(session.username));
  if (idle || superseded) {
    deps.log.info('session ended', { username: session.username, reason: idle ? 'idle' : 'credentials changed' });
    await deps.sessions.deleteSession(hash).catch(() => undefined);
    throw new NotSignedIn();
  }
  if (now - session.lastSeenAt >= TOUCH_EVERY_MS) await deps.sessions.touchSession(hash, now);
  return session;
}

/** Who is signed in with this session cookie (liveSession's rules). */
export async function currentSession(
  value: string | undefined,
  deps: SessionLookupDeps,
): Promise<{ username: string; hash: string; amr: readonly AuthenticationMethod[]; createdAt: number }> {
  const session = await liveSession(value, deps);
  return { username: session.username, hash: session.hash, amr: session.amr ?? [], createdAt: session.createdAt };
}

export type SessionState =
  | { readonly kind: 'signed_in'; readonly username: string }
  | { readonly kind: 'new_password_required'; readonly username: string; readonly emailLocalPart?: string | undefined };

/**
 * Where the browser stands: signed in, or half-way through a temporary-password sign-in (the
 * new-password page asks on load, so it can say what to do instead of failing on save).
 * Neither: NotSignedIn.
 */
export async function sessionState(
  sessionValue: string | undefined,
  challengeValue: string | undefined,
  deps: SessionLookupDeps,
): Promise<SessionState> {
  try {
    return { kind: 'signed_in', username: (await currentSession(sessionValue, deps)).username };
  } catch (error) {
    if (!(error instanceof NotSignedIn)) throw error;
  }
  if (!challengeValue || !isWellFormedToken(challengeValue)) throw new NotSignedIn();
  const challenge = await deps.sessions.findChallenge(hashToken(challengeValue), deps.clock.now());
  if (!challenge) throw new NotSignedIn();
  return {
    kind: 'new_password_required',
    username: challenge.username,
    emailLocalPart: challenge.email?.split('@')[0],
  };
}

/** Ends the session on the server; signing out twice is not an error. */
export async function signOut(value: string | undefined, deps: SessionLookupDeps): Promise<void> {
  if (!value || !isWellFormedToken(value)) return;
  await deps.sessions.deleteSession(hashToken(value));
}

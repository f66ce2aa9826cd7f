// Signing in, the forced choice of a new password after a temporary one, and server-side
// sessions: the browser holds only a random id; the table holds its hash, so sign-out is real.
import type { RateLimit } from '../definitions/rate-limits';
import { unmetPasswordRulesOnServer } from './common-passwords';
import {
  ChallengeExpired,
  InvalidCredentials,
  NotSignedIn,
  PasswordPolicyViolation,
  TemporaryPasswordExpired,
} from './errors';
import { normaliseLogin } from './password-reset';
import type { Clock, Log, SessionStore, SignInOutcome, TemporaryPasswordStore, UserDirectory } from './ports';
import { checkRate, type RateCounter, RateLimited } from './rate-limit';
import { hashTemporaryPassword, hashToken, isWellFormedToken, newToken, sameHash } from './secrets';

export interface SessionDeps {
  readonly users: UserDirectory;
  readonly counter: RateCounter;
  readonly signInLimit: RateLimit;
  readonly sessions: SessionStore;
  readonly temporaryPasswords: TemporaryPasswordStore;
  readonly clock: Clock;
  readonly log: Log;
  readonly sessionMinutes: number;
  readonly challengeSeconds: number;
  /** Words a new password must not be made of: the portal's name and the like. */
  readonly contextWords: readonly string[];
  /** A new password must not contain it (lambdas/definitions/password-policy.ts). */
  readonly portalName?: string | undefined;
}

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
    };

async function startSession(username: string, deps: SessionDeps): Promise<IssuedSecret> {
  const value = newToken();
  const now = deps.clock.now();
  await deps.sessions.createSession({
    hash: hashToken(value),
    username,
    createdAt: now,
    expiresAt: now + deps.sessionMinutes * 60_000,
  });
  return { value, maxAgeSeconds: deps.sessionMinutes * 60 };
}

async function toResult(outcome: SignInOutcome, deps: SessionDeps, email?: string): Promise<SignInResult> {
  switch (outcome.kind) {
    case 'invalid_credentials':
      throw new InvalidCredentials();
    case 'signed_in':
      deps.log.info('signed in', { username: outcome.username });
      return { kind: 'signed_in', username: outcome.username, session: await startSession(outcome.username, deps) };
    case 'new_password_required': {
      const value = newToken();
      await deps.sessions.createChallenge({
        hash: hashToken(value),
        username: outcome.username,
        email,
        challengeSession: outcome.challengeSession,
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

export async function signIn(login: string, password: string, deps: SessionDeps): Promise<SignInResult> {
  const normalised = normaliseLogin(login);
  // Counted per login as typed, whether or not an account has it: the limit reveals nothing.
  const rate = await checkRate(deps, 'account:sign-in', normalised, deps.signInLimit);
  if (!rate.allowed) throw new RateLimited(rate.retryAfterSeconds, 'account');
  // The same two calls whatever the login: look the account up (an email signs in as the account
  // that owns it), then ask Cognito. Skipping the second for an unknown login would make "no such
  // account" answer faster than "wrong password".
  const user = await deps.users.findByLogin(normalised);
  const outcome = await deps.users.signIn(user?.username ?? normalised, password);
  // Cognito refuses disabled users itself; cognito-local does not, and this holds either way.
  if (!user?.enabled) throw new InvalidCredentials();
  if (outcome.kind === 'new_password_required') await checkTemporaryPassword(outcome.username, password, deps);
  return toResult(outcome, deps, user.email);
}

/**
 * A temporary password this app issued works only for its lifetime and only as issued. (Cognito
 * checks the password too; cognito-local does not for users who must change theirs, and this
 * check holds either way.) Users given a temporary password outside this app have no record and
 * keep Cognito's own rules.
 */
async function checkTemporaryPassword(username: string, password: string, deps: SessionDeps): Promise<void> {
  const issued = await deps.temporaryPasswords.find(username);
  if (!issued) return;
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
): Promise<SignInResult> {
  if (!challengeValue || !isWellFormedToken(challengeValue)) throw new ChallengeExpired();
  const hash = hashToken(challengeValue);
  const challenge = await deps.sessions.findChallenge(hash, deps.clock.now());
  if (!challenge) throw new ChallengeExpired();
  const unmet = unmetPasswordRulesOnServer(
    newPassword,
    { username: challenge.username, email: challenge.email, portalName: deps.portalName },
    deps.contextWords,
  );
  if (unmet.length > 0) throw new PasswordPolicyViolation(unmet);
  const outcome = await deps.users.completeNewPassword(challenge.username, challenge.challengeSession, newPassword);
  await deps.sessions.deleteChallenge(hash);
  if (outcome.kind === 'signed_in') await deps.temporaryPasswords.clear(challenge.username);
  return toResult(outcome, deps, challenge.email);
}

export async function currentSession(value: string | undefined, deps: SessionDeps): Promise<{ username: string }> {
  if (!value || !isWellFormedToken(value)) throw new NotSignedIn();
  const session = await deps.sessions.findSession(hashToken(value), deps.clock.now());
  if (!session) throw new NotSignedIn();
  return { username: session.username };
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
  deps: SessionDeps,
): Promise<SessionState> {
  try {
    return { kind: 'signed_in', ...(await currentSession(sessionValue, deps)) };
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
export async function signOut(value: string | undefined, deps: SessionDeps): Promise<void> {
  if (!value || !isWellFormedToken(value)) return;
  await deps.sessions.deleteSession(hashToken(value));
}

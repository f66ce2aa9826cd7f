// Signing in, the forced choice of a new password after a temporary one, and server-side
// sessions: the browser holds only a random id; the table holds its hash, so sign-out is real.
import { serverOnlyRules } from '../definitions/password-policy';
import { unmetPasswordRulesOnServer } from './common-passwords';
import {
  ChallengeExpired,
  InvalidCredentials,
  NotSignedIn,
  PasswordPolicyViolation,
  TemporaryPasswordExpired,
} from './errors';
import { normaliseLogin } from './password-reset';
import type {
  Clock,
  CredentialGenerations,
  Log,
  SessionRecord,
  SessionStore,
  SignInOutcome,
  TemporaryPasswordRecord,
  TemporaryPasswordStore,
  UserDirectory,
} from './ports';
import { hashTemporaryPassword, hashToken, isWellFormedToken, newToken, sameHash } from './secrets';
import { type SignInLimitDeps, signInGate } from './sign-in-limits';

export interface SessionDeps extends SignInLimitDeps {
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
    };

/** How often a session's last use is written: the idle timeout is counted to the minute. */
const TOUCH_EVERY_MS = 60_000;

async function startSession(
  username: string,
  generation: number,
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
  });
  // One session per browser: whatever this browser held before (perhaps another account's) ends.
  if (replacing && isWellFormedToken(replacing)) await deps.sessions.deleteSession(hashToken(replacing));
  return { value, maxAgeSeconds: deps.sessionMinutes * 60 };
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
      deps.log.info('signed in', { username: outcome.username });
      return {
        kind: 'signed_in',
        username: outcome.username,
        session: await startSession(outcome.username, generation, replacing, deps),
      };
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
): Promise<{ username: string }> {
  const { username } = await liveSession(value, deps);
  return { username };
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
export async function signOut(value: string | undefined, deps: SessionLookupDeps): Promise<void> {
  if (!value || !isWellFormedToken(value)) return;
  await deps.sessions.deleteSession(hashToken(value));
}

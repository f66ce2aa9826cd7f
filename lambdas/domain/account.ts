// The account page's domain: what a signed-in person sees of their factors and sessions, and the
// changes they may make. Removing the authenticator needs a current code from it, so a session
// left open on a shared computer cannot quietly strip the factor.
import type { Language } from '../definitions/languages';
import { type PasskeyView, passkeyRules } from '../definitions/passkeys';
import type { AuthenticationMethod, SecurityChange } from '../definitions/second-factors';
import { OpsError } from './credential-requests';
import { PasskeyNotFound, ReauthenticationRequired } from './errors';
import type {
  AuditTrail,
  Clock,
  FactorStore,
  FactorSummary,
  Log,
  PasskeyRecord,
  SecurityMailer,
  SessionRecord,
  SessionStore,
  UserDirectory,
} from './ports';
import { type FactorDeps, verifySecondFactor } from './second-factors';

export interface AccountDeps extends FactorDeps {
  readonly sessions: SessionStore;
}

export interface SessionView {
  readonly current: boolean;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly amr: readonly AuthenticationMethod[];
}

export interface AccountOverview {
  readonly username: string;
  readonly factors: FactorSummary;
  /** Newest first. */
  readonly passkeys: readonly PasskeyView[];
  /** The user's live sessions, this one first, then newest first. Never their ids. */
  readonly sessions: readonly SessionView[];
}

export async function accountOverview(
  username: string,
  currentHash: string,
  deps: AccountDeps,
): Promise<AccountOverview> {
  const [factors, passkeys, sessions] = await Promise.all([
    deps.factors.summary(username),
    deps.factors.listPasskeys(username),
    deps.sessions.listSessions(username, deps.clock.now()),
  ]);
  const views = sessions
    .map((s) => ({ current: s.hash === currentHash, createdAt: s.createdAt, expiresAt: s.expiresAt, amr: s.amr ?? [] }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.createdAt - a.createdAt);
  return { username, factors, passkeys: passkeys.map(toView), sessions: views };
}

export function toView(passkey: PasskeyRecord): PasskeyView {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: passkey.createdAt,
    ...(passkey.lastUsedAt !== undefined ? { lastUsedAt: passkey.lastUsedAt } : {}),
    synced: passkey.synced,
  };
}

/** Adding or removing a passkey needs a sign-in from the last few minutes (ASVS 5.0 7.5.1). */
export function requireRecentSignIn(session: Pick<SessionRecord, 'createdAt'>, clock: Clock): void {
  if (clock.now() - session.createdAt > passkeyRules.recentSignInMinutes * 60_000) {
    throw new ReauthenticationRequired(passkeyRules.recentSignInMinutes);
  }
}

/** Until when a session may add or remove passkeys (the account page says so). */
export function passkeyChangesUntil(session: Pick<SessionRecord, 'createdAt'>): number {
  return session.createdAt + passkeyRules.recentSignInMinutes * 60_000;
}

/** Removes the authenticator and its recovery codes, proved by a current code. */
export async function removeTotp(username: string, code: string, deps: AccountDeps): Promise<void> {
  await verifySecondFactor(username, { method: 'totp', code }, deps);
  await deps.factors.deleteTotp(username);
  await deps.factors.replaceRecoveryCodes(username, [], deps.clock.now());
  deps.log.info('authenticator removed', { username });
}

/** Ends every other session of the user; this one stays. Returns how many ended. */
export async function signOutElsewhere(username: string, currentHash: string, deps: AccountDeps): Promise<number> {
  const others = (await deps.sessions.listSessions(username, deps.clock.now())).filter((s) => s.hash !== currentHash);
  await Promise.all(others.map((s) => deps.sessions.deleteSession(s.hash)));
  deps.log.info('signed out elsewhere', { username, ended: others.length });
  return others.length;
}

export interface NoticeDeps {
  readonly users: UserDirectory;
  readonly securityMailer: SecurityMailer;
  readonly clock: Clock;
  readonly log: Log;
}

/**
 * Confirms a change by email to the account's address. The change has happened by then; a failed
 * email is logged (the error alarm sees it) rather than undoing the change or failing the request.
 */
export async function sendSecurityNotice(
  username: string,
  change: SecurityChange,
  where: { language: Language; sourceIp: string },
  deps: NoticeDeps,
  /** What the change names (a passkey's name). */
  detail?: string,
): Promise<void> {
  try {
    const user = await deps.users.findByLogin(username);
    if (!user) return;
    await deps.securityMailer.sendSecurityNotice({
      to: user.email,
      language: where.language,
      username: user.username,
      change,
      ...(detail === undefined ? {} : { detail }),
      changedAt: new Date(deps.clock.now()),
      sourceIp: where.sourceIp,
    });
    deps.log.info('security notice sent', { username, change });
  } catch (error) {
    deps.log.error('security notice could not be sent', { username, change, error });
  }
}

export interface OpsFactorResetDeps extends NoticeDeps {
  readonly factors: FactorStore;
  readonly sessions: SessionStore;
  readonly audit: AuditTrail;
}

export interface OpsFactorReset {
  readonly username: string;
  readonly removed: number;
  readonly sessionsEnded: number;
}

/**
 * Ops removes every second factor of a person who lost theirs (after checking who is asking, by
 * the support team's own procedure). Their sessions end too, the person is told by email, and an
 * audit entry records who did it and when. The next sign-in needs only the password, or asks to
 * set up a factor again where the portal requires one.
 */
export async function resetFactorsByOps(
  login: string,
  by: string,
  language: Language,
  deps: OpsFactorResetDeps,
): Promise<OpsFactorReset> {
  const user = await deps.users.findByLogin(login.trim().toLowerCase());
  if (!user)
    throw new OpsError(
      'user_not_found',
      `No account has the username or email "${login}". List them with: npm run ops -- users`,
    );
  const removed = await deps.factors.deleteAll(user.username);
  const sessionsEnded = await deps.sessions.deleteAllSessions(user.username);
  await deps.audit.record({
    at: deps.clock.now(),
    username: user.username,
    action: 'factors-reset',
    by,
    detail: `${removed} factor item(s) removed, ${sessionsEnded} session(s) ended`,
  });
  deps.log.info('second factors reset by ops', { username: user.username, by, removed, sessionsEnded });
  await sendSecurityNotice(user.username, 'factors_reset_by_support', { language, sourceIp: `ops (${by})` }, deps);
  return { username: user.username, removed, sessionsEnded };
}

/** Removes a passkey of the account; answers what it was (the notice names it). */
export async function removePasskey(
  username: string,
  id: string,
  deps: Pick<AccountDeps, 'factors' | 'log'>,
): Promise<PasskeyView> {
  const passkey = await deps.factors.findPasskey(username, id);
  if (!passkey) throw new PasskeyNotFound();
  await deps.factors.removePasskey(username, id);
  deps.log.info('passkey removed', { username });
  return toView(passkey);
}

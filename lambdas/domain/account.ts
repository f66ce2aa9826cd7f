// The account page's domain: what a signed-in person sees of their factors and sessions, and the
// changes they may make. Removing the authenticator needs a current code from it, so a session
// left open on a shared computer cannot quietly strip the factor.
import type { AuthenticationMethod } from '../definitions/second-factors';
import type { FactorSummary, SessionStore } from './ports';
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
  /** The user's live sessions, this one first, then newest first. Never their ids. */
  readonly sessions: readonly SessionView[];
}

export async function accountOverview(
  username: string,
  currentHash: string,
  deps: AccountDeps,
): Promise<AccountOverview> {
  const [factors, sessions] = await Promise.all([
    deps.factors.summary(username),
    deps.sessions.listSessions(username, deps.clock.now()),
  ]);
  const views = sessions
    .map((s) => ({ current: s.hash === currentHash, createdAt: s.createdAt, expiresAt: s.expiresAt, amr: s.amr ?? [] }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.createdAt - a.createdAt);
  return { username, factors, sessions: views };
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

// In-memory implementations of the domain's ports, with the same semantics as the adapters
// (conditional claims, expiry checks), for fast unit tests of the domain.
import type {
  ChallengeRecord,
  ClaimResult,
  Clock,
  CredentialGenerations,
  Log,
  Mailer,
  NewPasswordEmail,
  PortalUser,
  ResetLinkEmail,
  ResetRequestMessage,
  ResetRequestQueue,
  ResetTokenRecord,
  ResetTokenStore,
  SecondStepRecord,
  SessionRecord,
  SessionStore,
  SignInOutcome,
  TemporaryPasswordRecord,
  TemporaryPasswordStore,
  UserDirectory,
} from '../../lambdas/domain/ports';
import type { FailureCounter, FailureTally, RateCounter } from '../../lambdas/domain/rate-limit';

export class FakeClock implements Clock {
  constructor(public time = Date.UTC(2026, 10, 26, 18, 0, 0)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export const silentLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

export class MemoryTokenStore implements ResetTokenStore {
  readonly tokens = new Map<string, ResetTokenRecord>();

  async create(token: ResetTokenRecord): Promise<void> {
    if (this.tokens.has(token.hash)) throw new Error('duplicate token');
    this.tokens.set(token.hash, { ...token });
  }
  async find(hash: string): Promise<ResetTokenRecord | undefined> {
    return this.tokens.get(hash);
  }
  async claim(hash: string, now: number, leaseUntil: number): Promise<ClaimResult> {
    const current = this.tokens.get(hash);
    const claimable =
      current !== undefined &&
      current.expiresAt > now &&
      (current.status === 'PENDING' || (current.status === 'CLAIMED' && (current.claimUntil ?? 0) < now));
    if (!claimable) return { claimed: false, current };
    const token = { ...current, status: 'CLAIMED' as const, claimUntil: leaseUntil };
    this.tokens.set(hash, token);
    return { claimed: true, token };
  }
  async release(hash: string): Promise<void> {
    const current = this.tokens.get(hash);
    if (current?.status === 'CLAIMED') this.tokens.set(hash, { ...current, status: 'PENDING' });
  }
  async markUsed(hash: string): Promise<void> {
    const current = this.tokens.get(hash);
    if (current?.status === 'CLAIMED') this.tokens.set(hash, { ...current, status: 'USED' });
  }
  async revokeOthers(username: string, keepHash: string, createdBefore?: number): Promise<number> {
    let count = 0;
    for (const [hash, token] of this.tokens) {
      const unspent = token.status === 'PENDING' || token.status === 'CLAIMED';
      const older = createdBefore === undefined || token.createdAt < createdBefore;
      if (token.username === username && unspent && older && hash !== keepHash) {
        this.tokens.set(hash, { ...token, status: 'REVOKED' });
        count++;
      }
    }
    return count;
  }
}

export class MemorySessionStore implements SessionStore {
  readonly sessions = new Map<string, SessionRecord>();
  readonly challenges = new Map<string, ChallengeRecord>();
  async createSession(session: SessionRecord): Promise<void> {
    this.sessions.set(session.hash, session);
  }
  async findSession(hash: string, now: number): Promise<SessionRecord | undefined> {
    const session = this.sessions.get(hash);
    return session && session.expiresAt > now ? session : undefined;
  }
  async deleteSession(hash: string): Promise<void> {
    this.sessions.delete(hash);
  }
  async touchSession(hash: string, now: number): Promise<void> {
    const session = this.sessions.get(hash);
    if (session && session.lastSeenAt < now) this.sessions.set(hash, { ...session, lastSeenAt: now });
  }
  async deleteAllSessions(username: string): Promise<number> {
    const mine = [...this.sessions.values()].filter((s) => s.username === username);
    for (const session of mine) this.sessions.delete(session.hash);
    return mine.length;
  }
  async createChallenge(challenge: ChallengeRecord): Promise<void> {
    this.challenges.set(challenge.hash, challenge);
  }
  async findChallenge(hash: string, now: number): Promise<ChallengeRecord | undefined> {
    const challenge = this.challenges.get(hash);
    return challenge && challenge.expiresAt > now ? challenge : undefined;
  }
  async deleteChallenge(hash: string): Promise<void> {
    this.challenges.delete(hash);
  }
  readonly secondSteps = new Map<string, SecondStepRecord>();
  async createSecondStep(step: SecondStepRecord): Promise<void> {
    this.secondSteps.set(step.hash, step);
  }
  async findSecondStep(hash: string, now: number): Promise<SecondStepRecord | undefined> {
    const step = this.secondSteps.get(hash);
    return step && step.expiresAt > now ? step : undefined;
  }
  async deleteSecondStep(hash: string): Promise<void> {
    this.secondSteps.delete(hash);
  }
  async listSessions(username: string, now: number): Promise<SessionRecord[]> {
    return [...this.sessions.values()].filter((s) => s.username === username && s.expiresAt > now);
  }
}

interface StoredUser extends PortalUser {
  password: string;
  temporary: boolean;
}

export class MemoryUserDirectory implements UserDirectory {
  readonly users = new Map<string, StoredUser>();
  readonly signedOutEverywhere: string[] = [];
  failSetPassword: Error | undefined;
  failSignOut: Error | undefined;

  async signOutEverywhere(username: string): Promise<void> {
    if (this.failSignOut) throw this.failSignOut;
    this.signedOutEverywhere.push(username);
  }

  add(user: { username: string; email: string; password: string; enabled?: boolean }): void {
    this.users.set(user.username, { enabled: true, temporary: false, ...user });
  }
  async findByLogin(login: string): Promise<PortalUser | undefined> {
    const found = login.includes('@')
      ? [...this.users.values()].find((u) => u.email.toLowerCase() === login)
      : this.users.get(login);
    return found ? { username: found.username, email: found.email, enabled: found.enabled } : undefined;
  }
  async setTemporaryPassword(username: string, password: string): Promise<void> {
    if (this.failSetPassword) throw this.failSetPassword;
    const user = this.users.get(username);
    if (!user) throw Object.assign(new Error('no such user'), { name: 'UserNotFoundException' });
    user.password = password;
    user.temporary = true;
  }
  async signIn(username: string, password: string): Promise<SignInOutcome> {
    const user = this.users.get(username);
    if (!user?.enabled || user.password !== password) return { kind: 'invalid_credentials' };
    if (user.temporary) return { kind: 'new_password_required', username, challengeSession: `session-for-${username}` };
    return { kind: 'signed_in', username };
  }
  async completeNewPassword(username: string, challengeSession: string, newPassword: string): Promise<SignInOutcome> {
    const user = this.users.get(username);
    if (!user || challengeSession !== `session-for-${username}`) return { kind: 'invalid_credentials' };
    user.password = newPassword;
    user.temporary = false;
    return { kind: 'signed_in', username };
  }
}

export class MemoryMailer implements Mailer {
  readonly resetLinks: ResetLinkEmail[] = [];
  readonly newPasswords: NewPasswordEmail[] = [];
  failNext: Error | undefined;
  async sendResetLink(email: ResetLinkEmail): Promise<void> {
    this.throwIfFailing();
    this.resetLinks.push(email);
  }
  async sendNewPassword(email: NewPasswordEmail): Promise<void> {
    this.throwIfFailing();
    this.newPasswords.push(email);
  }
  private throwIfFailing(): void {
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
  }
}

export class MemoryQueue implements ResetRequestQueue {
  readonly messages: ResetRequestMessage[] = [];
  failWith: Error | undefined;
  async enqueue(message: ResetRequestMessage): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.messages.push(message);
  }
}

/** The token inside a reset link. */
export function tokenFromLink(url: string): string {
  const token = /#token=([A-Za-z0-9_-]+)$/.exec(url)?.[1];
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}

export class MemoryGenerations implements CredentialGenerations {
  readonly generations = new Map<string, number>();
  failBump: Error | undefined;
  async current(username: string): Promise<number> {
    return this.generations.get(username) ?? 0;
  }
  async bump(username: string): Promise<number> {
    if (this.failBump) throw this.failBump;
    const next = (this.generations.get(username) ?? 0) + 1;
    this.generations.set(username, next);
    return next;
  }
}

export class MemoryTemporaryPasswords implements TemporaryPasswordStore {
  readonly entries = new Map<string, TemporaryPasswordRecord>();
  failRecord: Error | undefined;
  async record(entry: TemporaryPasswordRecord): Promise<void> {
    if (this.failRecord) throw this.failRecord;
    this.entries.set(entry.username, entry);
  }
  async find(username: string): Promise<TemporaryPasswordRecord | undefined> {
    return this.entries.get(username);
  }
  async clear(username: string): Promise<void> {
    this.entries.delete(username);
  }
}

export class MemoryRateCounter implements RateCounter, FailureCounter {
  readonly counts = new Map<string, number>();
  readonly tallies = new Map<string, FailureTally>();
  failWith: Error | undefined;
  async hit(key: string, _expiresAt: number, delta = 1): Promise<number> {
    if (this.failWith) throw this.failWith;
    const count = (this.counts.get(key) ?? 0) + delta;
    this.counts.set(key, count);
    return count;
  }
  async failures(key: string): Promise<FailureTally | undefined> {
    if (this.failWith) throw this.failWith;
    return this.tallies.get(key);
  }
  async addFailure(key: string, now: number): Promise<FailureTally> {
    if (this.failWith) throw this.failWith;
    const tally = { count: (this.tallies.get(key)?.count ?? 0) + 1, lastAt: now };
    this.tallies.set(key, tally);
    return tally;
  }
}

// In-memory implementations of the credential-request ports, with the adapters' semantics
// (conditional create, claim with a lease, decisions only from pending), for domain unit tests.
import type {
  AccountAdmin,
  AccountSummary,
  CredentialMailer,
  CredentialRequestRecord,
  CredentialRequestStatus,
  CredentialRequestStore,
  OpsNotification,
  PortalUser,
  RejectedEmail,
  RequestClaim,
  WelcomeEmail,
} from '../../lambdas/domain/ports';
import type { MemoryUserDirectory } from './in-memory';

export class MemoryCredentialRequestStore implements CredentialRequestStore {
  readonly requests = new Map<string, CredentialRequestRecord>();
  failCreate: Error | undefined;
  failDecide: Error | undefined;
  /** References handed out by the next create calls are refused once, as a collision would be. */
  collide = 0;

  async create(request: CredentialRequestRecord): Promise<boolean> {
    if (this.failCreate) throw this.failCreate;
    if (this.collide > 0) {
      this.collide--;
      return false;
    }
    if (this.requests.has(request.reference)) return false;
    this.requests.set(request.reference, { ...request });
    return true;
  }
  async find(reference: string): Promise<CredentialRequestRecord | undefined> {
    return this.requests.get(reference);
  }
  async delete(reference: string): Promise<void> {
    this.requests.delete(reference);
  }
  async pendingReferencesFor(email: string): Promise<string[]> {
    return (await this.list('PENDING')).filter((r) => r.email === email).map((r) => r.reference);
  }
  async list(status?: CredentialRequestStatus): Promise<CredentialRequestRecord[]> {
    return [...this.requests.values()]
      .filter((r) => status === undefined || r.status === status)
      .sort((a, b) => b.createdAt - a.createdAt);
  }
  async claim(reference: string, now: number, leaseUntil: number): Promise<RequestClaim> {
    const current = this.requests.get(reference);
    if (current?.status !== 'PENDING' || (current.claimUntil ?? 0) >= now) {
      return { claimed: false, current };
    }
    const request = { ...current, claimUntil: leaseUntil };
    this.requests.set(reference, request);
    return { claimed: true, request };
  }
  async release(reference: string): Promise<void> {
    const current = this.requests.get(reference);
    if (current?.status === 'PENDING') {
      const { claimUntil: _released, ...rest } = current;
      this.requests.set(reference, rest);
    }
  }
  async decide(reference: string, decision: Parameters<CredentialRequestStore['decide']>[1]): Promise<void> {
    if (this.failDecide) throw this.failDecide;
    const current = this.requests.get(reference);
    if (current?.status !== 'PENDING') throw new Error('ConditionalCheckFailedException');
    const { claimUntil: _released, ...rest } = current;
    this.requests.set(reference, {
      ...rest,
      status: decision.status,
      decidedAt: decision.decidedAt,
      decidedBy: decision.decidedBy,
      ...(decision.status === 'APPROVED' ? { username: decision.username } : { rejectionReason: decision.reason }),
    });
  }
}

/** Account administration on top of the in-memory user directory, so sign-in sees created users. */
export class MemoryAccountAdmin implements AccountAdmin {
  readonly deleted: string[] = [];
  failLookup: Error | undefined;
  failCreate: Error | undefined;

  constructor(private readonly directory: MemoryUserDirectory) {}

  async usersWithEmail(email: string): Promise<PortalUser[]> {
    if (this.failLookup) throw this.failLookup;
    return [...this.directory.users.values()]
      .filter((u) => u.email.toLowerCase() === email.toLowerCase())
      .map(({ username, email: address, enabled }) => ({ username, email: address, enabled }));
  }
  async createUser(user: { username: string; email: string; fullName: string }): Promise<'created' | 'taken'> {
    if (this.failCreate) throw this.failCreate;
    if (this.directory.users.has(user.username)) return 'taken';
    this.directory.add({ username: user.username, email: user.email, password: '(none yet)' });
    return 'created';
  }
  async deleteUser(username: string): Promise<void> {
    this.deleted.push(username);
    this.directory.users.delete(username);
  }
  async listUsers(): Promise<AccountSummary[]> {
    return [...this.directory.users.values()].map((u) => ({
      username: u.username,
      email: u.email,
      enabled: u.enabled,
      status: 'CONFIRMED',
      createdAt: undefined,
      fullName: undefined,
    }));
  }
  async setEnabled(username: string, enabled: boolean): Promise<void> {
    const user = this.directory.users.get(username);
    if (!user) throw Object.assign(new Error('no such user'), { name: 'UserNotFoundException' });
    this.directory.users.set(username, { ...user, enabled });
  }
}

export class MemoryCredentialMailer implements CredentialMailer {
  readonly ops: OpsNotification[] = [];
  readonly welcomes: WelcomeEmail[] = [];
  readonly rejections: RejectedEmail[] = [];
  failNext: Error | undefined;

  async notifyOps(notification: OpsNotification): Promise<void> {
    this.throwIfFailing();
    this.ops.push(notification);
  }
  async sendWelcome(email: WelcomeEmail): Promise<void> {
    this.throwIfFailing();
    this.welcomes.push(email);
  }
  async sendRejected(email: RejectedEmail): Promise<void> {
    this.throwIfFailing();
    this.rejections.push(email);
  }
  private throwIfFailing(): void {
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
  }
}

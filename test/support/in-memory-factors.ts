// Second factors in memory, with the adapter's semantics (conditional confirm, atomic spend of a
// step or a recovery code), and a sealer that really encrypts, bound to the user.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type {
  FactorStore,
  FactorSummary,
  PasskeyChallenge,
  PasskeyRecord,
  SecretSealer,
  SecurityMailer,
  SecurityNoticeEmail,
  TotpFactor,
} from '../../lambdas/domain/ports';

export class MemoryFactorStore implements FactorStore {
  readonly totp = new Map<string, TotpFactor>();
  /** username -> hash -> used at (undefined while unused). */
  readonly recovery = new Map<string, Map<string, number | undefined>>();
  /** username -> credential id -> passkey. */
  readonly passkeys = new Map<string, Map<string, PasskeyRecord>>();
  /** credential id -> username. */
  readonly owners = new Map<string, string>();
  /** challenge -> ceremony. */
  readonly challenges = new Map<string, PasskeyChallenge>();

  async summary(username: string): Promise<FactorSummary> {
    const codes = [...(this.recovery.get(username)?.values() ?? [])];
    return {
      totp: this.totp.get(username)?.confirmed === true,
      recoveryCodesLeft: codes.filter((usedAt) => usedAt === undefined).length,
      passkeys: this.passkeys.get(username)?.size ?? 0,
    };
  }
  async findTotp(username: string): Promise<TotpFactor | undefined> {
    return this.totp.get(username);
  }
  async startTotp(factor: TotpFactor): Promise<boolean> {
    if (this.totp.get(factor.username)?.confirmed) return false;
    this.totp.set(factor.username, factor);
    return true;
  }
  async confirmTotp(username: string, sealedSecret: string, step: number, now: number): Promise<boolean> {
    const current = this.totp.get(username);
    if (!current || current.confirmed || current.sealedSecret !== sealedSecret || (current.expiresAt ?? 0) <= now) {
      return false;
    }
    const { expiresAt: _lapsed, ...rest } = current;
    this.totp.set(username, { ...rest, confirmed: true, lastStep: step, lastUsedAt: now });
    return true;
  }
  async useTotpStep(username: string, step: number, now: number): Promise<boolean> {
    const current = this.totp.get(username);
    if (!current?.confirmed || (current.lastStep !== undefined && current.lastStep >= step)) return false;
    this.totp.set(username, { ...current, lastStep: step, lastUsedAt: now });
    return true;
  }
  async deleteTotp(username: string): Promise<void> {
    this.totp.delete(username);
  }
  async replaceRecoveryCodes(username: string, hashes: readonly string[]): Promise<void> {
    this.recovery.set(username, new Map(hashes.map((hash) => [hash, undefined])));
  }
  async useRecoveryCode(username: string, hash: string, now: number): Promise<boolean> {
    const codes = this.recovery.get(username);
    if (!codes?.has(hash) || codes.get(hash) !== undefined) return false;
    codes.set(hash, now);
    return true;
  }
  async deleteAll(username: string): Promise<number> {
    const passkeys = [...(this.passkeys.get(username)?.keys() ?? [])];
    const count = (this.totp.has(username) ? 1 : 0) + (this.recovery.get(username)?.size ?? 0) + passkeys.length;
    this.totp.delete(username);
    this.recovery.delete(username);
    this.passkeys.delete(username);
    for (const id of passkeys) this.owners.delete(id);
    return count;
  }
  async listPasskeys(username: string): Promise<PasskeyRecord[]> {
    return [...(this.passkeys.get(username)?.values() ?? [])].sort((a, b) => b.createdAt - a.createdAt);
  }
  async findPasskey(username: string, id: string): Promise<PasskeyRecord | undefined> {
    return this.passkeys.get(username)?.get(id);
  }
  async passkeyOwner(id: string): Promise<string | undefined> {
    return this.owners.get(id);
  }
  async addPasskey(passkey: PasskeyRecord): Promise<boolean> {
    if (this.owners.has(passkey.id)) return false;
    this.owners.set(passkey.id, passkey.username);
    const mine = this.passkeys.get(passkey.username) ?? new Map<string, PasskeyRecord>();
    mine.set(passkey.id, passkey);
    this.passkeys.set(passkey.username, mine);
    return true;
  }
  async usePasskey(username: string, id: string, counter: number, synced: boolean, now: number): Promise<boolean> {
    const passkey = this.passkeys.get(username)?.get(id);
    if (!passkey) return false;
    if (counter > 0 ? passkey.counter >= counter : passkey.counter !== 0) return false;
    this.passkeys.get(username)?.set(id, { ...passkey, counter, synced, lastUsedAt: now });
    return true;
  }
  async removePasskey(username: string, id: string): Promise<void> {
    this.passkeys.get(username)?.delete(id);
    this.owners.delete(id);
  }
  async saveChallenge(challenge: PasskeyChallenge): Promise<void> {
    this.challenges.set(challenge.challenge, challenge);
  }
  async takeChallenge(challenge: string, now: number): Promise<PasskeyChallenge | undefined> {
    const stored = this.challenges.get(challenge);
    this.challenges.delete(challenge);
    return stored && stored.expiresAt > now ? stored : undefined;
  }
}

/** AES-256-GCM with the username as additional data, like KMS's encryption context. */
export class MemorySealer implements SecretSealer {
  private readonly key = randomBytes(32);
  async seal(plaintext: Uint8Array, username: string): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(username));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }
  async open(sealed: string, username: string): Promise<Uint8Array> {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12)).setAAD(Buffer.from(username));
    decipher.setAuthTag(raw.subarray(12, 28));
    return new Uint8Array(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]));
  }
}

export class MemorySecurityMailer implements SecurityMailer {
  readonly sent: SecurityNoticeEmail[] = [];
  async sendSecurityNotice(email: SecurityNoticeEmail): Promise<void> {
    this.sent.push(email);
  }
}

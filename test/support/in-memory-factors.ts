// Second factors in memory, with the adapter's semantics (conditional confirm, atomic spend of a
// step or a recovery code), and a sealer that really encrypts, bound to the user.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type {
  FactorStore,
  FactorSummary,
  SecretSealer,
  SecurityMailer,
  SecurityNoticeEmail,
  TotpFactor,
} from '../../lambdas/domain/ports';

export class MemoryFactorStore implements FactorStore {
  readonly totp = new Map<string, TotpFactor>();
  /** username -> hash -> used at (undefined while unused). */
  readonly recovery = new Map<string, Map<string, number | undefined>>();
  readonly passkeys = new Map<string, number>();

  async summary(username: string): Promise<FactorSummary> {
    const codes = [...(this.recovery.get(username)?.values() ?? [])];
    return {
      totp: this.totp.get(username)?.confirmed === true,
      recoveryCodesLeft: codes.filter((usedAt) => usedAt === undefined).length,
      passkeys: this.passkeys.get(username) ?? 0,
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
    const count =
      (this.totp.has(username) ? 1 : 0) + (this.recovery.get(username)?.size ?? 0) + (this.passkeys.get(username) ?? 0);
    this.totp.delete(username);
    this.recovery.delete(username);
    this.passkeys.delete(username);
    return count;
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

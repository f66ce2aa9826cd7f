// DynamoDB adapter for second factors, one partition per user: pk USER#<username>, sk TOTP,
// RECOVERY#<sha256> or PASSKEY#<credential id>. Every change that must happen once (confirming a
// set-up, spending a time step, spending a recovery code) is one conditional write.
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditTrail, FactorStore, FactorSummary, TotpFactor } from '../domain/ports';
import { isConditionFailure } from './dynamodb-store';

export const factorKeys = {
  userPk: (username: string) => `USER#${username}`,
  totp: 'TOTP',
  recoveryPrefix: 'RECOVERY#',
  passkeyPrefix: 'PASSKEY#',
} as const;

const FACTOR_SK = /^(TOTP$|RECOVERY#|PASSKEY#)/;
const ttlSeconds = (epochMs: number) => Math.ceil(epochMs / 1000);

/** Runs a conditional write; false when its condition did not hold. */
async function conditional(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export class DynamoFactorStore implements FactorStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async summary(username: string): Promise<FactorSummary> {
    const items = await this.items(username);
    let totp = false;
    let recoveryCodesLeft = 0;
    let passkeys = 0;
    for (const item of items) {
      const sk = String(item.sk);
      if (sk === factorKeys.totp) totp = item.confirmed === true;
      else if (sk.startsWith(factorKeys.recoveryPrefix) && item.usedAt === undefined) recoveryCodesLeft++;
      else if (sk.startsWith(factorKeys.passkeyPrefix)) passkeys++;
    }
    return { totp, recoveryCodesLeft, passkeys };
  }

  async findTotp(username: string): Promise<TotpFactor | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: factorKeys.userPk(username), sk: factorKeys.totp },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    return {
      username,
      sealedSecret: String(Item.sealedSecret),
      confirmed: Item.confirmed === true,
      createdAt: Number(Item.createdAt),
      ...(typeof Item.expiresAt === 'number' ? { expiresAt: Item.expiresAt } : {}),
      ...(typeof Item.lastStep === 'number' ? { lastStep: Item.lastStep } : {}),
      ...(typeof Item.lastUsedAt === 'number' ? { lastUsedAt: Item.lastUsedAt } : {}),
    };
  }

  async startTotp(factor: TotpFactor): Promise<boolean> {
    return conditional(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: factorKeys.userPk(factor.username),
            sk: factorKeys.totp,
            sealedSecret: factor.sealedSecret,
            confirmed: false,
            createdAt: factor.createdAt,
            ...(factor.expiresAt !== undefined
              ? { expiresAt: factor.expiresAt, ttl: ttlSeconds(factor.expiresAt) }
              : {}),
          },
          // A confirmed authenticator is never overwritten by a new set-up.
          ConditionExpression: 'attribute_not_exists(pk) OR confirmed = :false',
          ExpressionAttributeValues: { ':false': false },
        }),
      ),
    );
  }

  async confirmTotp(username: string, sealedSecret: string, step: number, now: number): Promise<boolean> {
    return conditional(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: factorKeys.userPk(username), sk: factorKeys.totp },
          UpdateExpression: 'SET confirmed = :true, lastStep = :step, lastUsedAt = :now REMOVE expiresAt, #ttl',
          ConditionExpression: 'confirmed = :false AND sealedSecret = :secret AND expiresAt > :now',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':true': true,
            ':false': false,
            ':step': step,
            ':now': now,
            ':secret': sealedSecret,
          },
        }),
      ),
    );
  }

  async useTotpStep(username: string, step: number, now: number): Promise<boolean> {
    return conditional(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: factorKeys.userPk(username), sk: factorKeys.totp },
          UpdateExpression: 'SET lastStep = :step, lastUsedAt = :now',
          ConditionExpression: 'confirmed = :true AND (attribute_not_exists(lastStep) OR lastStep < :step)',
          ExpressionAttributeValues: { ':true': true, ':step': step, ':now': now },
        }),
      ),
    );
  }

  async deleteTotp(username: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: factorKeys.userPk(username), sk: factorKeys.totp } }),
    );
  }

  async replaceRecoveryCodes(username: string, hashes: readonly string[], now: number): Promise<void> {
    const old = (await this.items(username, factorKeys.recoveryPrefix)).map((item) => String(item.sk));
    const fresh = hashes.map((hash) => `${factorKeys.recoveryPrefix}${hash}`);
    // New codes first: a failure half-way leaves the person with codes that work, never none.
    await Promise.all(
      fresh.map((sk) =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: factorKeys.userPk(username), sk, createdAt: now },
          }),
        ),
      ),
    );
    await Promise.all(
      old
        .filter((sk) => !fresh.includes(sk))
        .map((sk) =>
          this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: factorKeys.userPk(username), sk } })),
        ),
    );
  }

  async useRecoveryCode(username: string, hash: string, now: number): Promise<boolean> {
    return conditional(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: factorKeys.userPk(username), sk: `${factorKeys.recoveryPrefix}${hash}` },
          UpdateExpression: 'SET usedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt)',
          ExpressionAttributeValues: { ':now': now },
        }),
      ),
    );
  }

  async deleteAll(username: string): Promise<number> {
    const items = (await this.items(username)).filter((item) => FACTOR_SK.test(String(item.sk)));
    await Promise.all(
      items.map((item) =>
        this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } })),
      ),
    );
    return items.length;
  }

  /** The user's factor items (all, or those whose sk starts with `prefix`), read consistently. */
  private async items(username: string, prefix?: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': factorKeys.userPk(username), ...(prefix ? { ':prefix': prefix } : {}) },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      items.push(...(page.Items ?? []).filter((item) => FACTOR_SK.test(String(item.sk))));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}

/** Audit entries: pk AUDIT#<username>, sk <ISO time>#<action>; kept (no TTL). */
export class DynamoAuditTrail implements AuditTrail {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `AUDIT#${entry.username}`,
          sk: `${new Date(entry.at).toISOString()}#${entry.action}`,
          ...entry,
        },
      }),
    );
  }
}

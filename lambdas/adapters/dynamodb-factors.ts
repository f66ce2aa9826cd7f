// DynamoDB adapter for second factors, one partition per user: pk USER#<username>, sk TOTP,
// RECOVERY#<sha256> or PASSKEY#<credential id>. Every change that must happen once (confirming a
// set-up, spending a time step, spending a recovery code, a passkey's counter, a ceremony's
// challenge) is one conditional write. A passkey also has an owner item, pk PASSKEY#<credential
// id>: a sign-in without a username names only the credential.

import { createHash } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  AuditEntry,
  AuditTrail,
  FactorStore,
  FactorSummary,
  PasskeyChallenge,
  PasskeyRecord,
  TotpFactor,
} from '../domain/ports';
import { isConditionFailure } from './dynamodb-store';

export const factorKeys = {
  userPk: (username: string) => `USER#${username}`,
  totp: 'TOTP',
  recoveryPrefix: 'RECOVERY#',
  passkeyPrefix: 'PASSKEY#',
  /** Who owns a credential id: pk PASSKEY#<id>, sk OWNER. */
  passkeyOwner: (id: string) => ({ pk: `PASSKEY#${id}`, sk: 'OWNER' }),
  /** A ceremony's challenge, by its hash: pk WEBAUTHN#<sha256>, sk WEBAUTHN. */
  challenge: (challenge: string) => ({
    pk: `WEBAUTHN#${createHash('sha256').update(challenge).digest('hex')}`,
    sk: 'WEBAUTHN',
  }),
} as const;

function toPasskey(username: string, item: Record<string, unknown>): PasskeyRecord {
  return {
    username,
    id: String(item.sk).slice(factorKeys.passkeyPrefix.length),
    publicKey: String(item.publicKey),
    counter: Number(item.counter ?? 0),
    transports: Array.isArray(item.transports) ? item.transports.map(String) : [],
    name: String(item.name),
    synced: item.synced === true,
    createdAt: Number(item.createdAt),
    ...(typeof item.lastUsedAt === 'number' ? { lastUsedAt: item.lastUsedAt } : {}),
  };
}

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
      items.map(async (item) => {
        const sk = String(item.sk);
        // The owner item goes after the passkey: a failure between leaves an owner with no passkey,
        // which signs nobody in.
        await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } }));
        if (sk.startsWith(factorKeys.passkeyPrefix)) {
          await this.deleteOwner(sk.slice(factorKeys.passkeyPrefix.length));
        }
      }),
    );
    return items.length;
  }

  async listPasskeys(username: string): Promise<PasskeyRecord[]> {
    return (await this.items(username, factorKeys.passkeyPrefix))
      .map((item) => toPasskey(username, item))
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  async findPasskey(username: string, id: string): Promise<PasskeyRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: factorKeys.userPk(username), sk: `${factorKeys.passkeyPrefix}${id}` },
        ConsistentRead: true,
      }),
    );
    return Item ? toPasskey(username, Item) : undefined;
  }

  async passkeyOwner(id: string): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: factorKeys.passkeyOwner(id), ConsistentRead: true }),
    );
    return typeof Item?.username === 'string' ? Item.username : undefined;
  }

  async addPasskey(passkey: PasskeyRecord): Promise<boolean> {
    // The owner item first, on the condition that the credential id is new: one credential can
    // never belong to two accounts.
    const claimed = await conditional(() =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...factorKeys.passkeyOwner(passkey.id), username: passkey.username, createdAt: passkey.createdAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (!claimed) return false;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: factorKeys.userPk(passkey.username),
          sk: `${factorKeys.passkeyPrefix}${passkey.id}`,
          publicKey: passkey.publicKey,
          counter: passkey.counter,
          transports: [...passkey.transports],
          name: passkey.name,
          synced: passkey.synced,
          createdAt: passkey.createdAt,
        },
      }),
    );
    return true;
  }

  async usePasskey(username: string, id: string, counter: number, synced: boolean, now: number): Promise<boolean> {
    return conditional(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: factorKeys.userPk(username), sk: `${factorKeys.passkeyPrefix}${id}` },
          UpdateExpression: 'SET #counter = :counter, lastUsedAt = :now, synced = :synced',
          // An authenticator that counts must count forward; one that does not (0) cannot be checked.
          ConditionExpression:
            counter > 0 ? 'attribute_exists(pk) AND #counter < :counter' : 'attribute_exists(pk) AND #counter = :zero',
          ExpressionAttributeNames: { '#counter': 'counter' },
          ExpressionAttributeValues: {
            ':counter': counter,
            ':now': now,
            ':synced': synced,
            ...(counter > 0 ? {} : { ':zero': 0 }),
          },
        }),
      ),
    );
  }

  async removePasskey(username: string, id: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: factorKeys.userPk(username), sk: `${factorKeys.passkeyPrefix}${id}` },
      }),
    );
    await this.deleteOwner(id);
  }

  async saveChallenge(challenge: PasskeyChallenge): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...factorKeys.challenge(challenge.challenge),
          challenge: challenge.challenge,
          purpose: challenge.purpose,
          ...(challenge.username !== undefined ? { username: challenge.username } : {}),
          ...(challenge.stepHash !== undefined ? { stepHash: challenge.stepHash } : {}),
          expiresAt: challenge.expiresAt,
          ttl: ttlSeconds(challenge.expiresAt),
        },
      }),
    );
  }

  async takeChallenge(challenge: string, now: number): Promise<PasskeyChallenge | undefined> {
    // Deleted and read in one call: of two answers to the same ceremony, only one gets it back.
    const { Attributes: item } = await this.db.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: factorKeys.challenge(challenge),
        ReturnValues: 'ALL_OLD',
      }),
    );
    if (!item || typeof item.expiresAt !== 'number' || item.expiresAt <= now || item.challenge !== challenge) {
      return undefined;
    }
    const purpose = item.purpose;
    if (purpose !== 'register' && purpose !== 'sign-in' && purpose !== 'second-step') return undefined;
    return {
      challenge,
      purpose,
      ...(typeof item.username === 'string' ? { username: item.username } : {}),
      ...(typeof item.stepHash === 'string' ? { stepHash: item.stepHash } : {}),
      expiresAt: item.expiresAt,
    };
  }

  private async deleteOwner(id: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: factorKeys.passkeyOwner(id) }));
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

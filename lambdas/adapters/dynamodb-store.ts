// DynamoDB adapter for reset tokens, sessions and sign-in challenges, all in one table.
// Keys: pk = KIND#<sha256>, sk = KIND. A GSI (userPk, userSk) lists a user's tokens and sessions.
// TTL (attribute `ttl`) cleans up late; every read also checks the expiry itself, because TTL
// deletion can lag by days.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { lifetimeDefaults } from '../definitions/lifetimes';
import type { AuthenticationMethod } from '../definitions/second-factors';
import type {
  ChallengeRecord,
  ClaimResult,
  CredentialGenerations,
  ResetTokenRecord,
  ResetTokenStatus,
  ResetTokenStore,
  SecondStepRecord,
  SessionRecord,
  SessionStore,
  TemporaryPasswordRecord,
  TemporaryPasswordStore,
} from '../domain/ports';
import type { FailureCounter, FailureTally, RateCounter } from '../domain/rate-limit';

export const tableKeys = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'ttl',
  userIndex: { name: 'byUser', partitionKey: 'userPk', sortKey: 'userSk' },
} as const;

const TOKEN = 'TOKEN';
const SESSION = 'SESSION';
const CHALLENGE = 'CHALLENGE';
const SECOND_STEP = 'STEP';
const TEMPORARY_PASSWORD = 'TEMP';
const RATE = 'RATE';

const key = (kind: string, hash: string) => ({ pk: `${kind}#${hash}`, sk: kind });
const userPk = (username: string) => `USER#${username}`;
const generationKey = (username: string) => ({ pk: userPk(username), sk: 'GENERATION' });
const ttlSeconds = (epochMs: number) => Math.ceil(epochMs / 1000);

/** True for a failed ConditionExpression: the expected state was not there (not a fault). */
export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

function toToken(item: Record<string, unknown> | undefined): ResetTokenRecord | undefined {
  if (!item) return undefined;
  return {
    hash: String(item.pk).slice(TOKEN.length + 1),
    username: String(item.username),
    status: item.status as ResetTokenStatus,
    createdAt: Number(item.createdAt),
    expiresAt: Number(item.expiresAt),
    ...(typeof item.claimUntil === 'number' ? { claimUntil: item.claimUntil } : {}),
    requestIp: String(item.requestIp ?? ''),
  };
}

export class DynamoResetTokenStore implements ResetTokenStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(token: ResetTokenRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...key(TOKEN, token.hash),
          userPk: userPk(token.username),
          userSk: `${TOKEN}#${String(token.createdAt).padStart(15, '0')}`,
          username: token.username,
          status: token.status,
          createdAt: token.createdAt,
          expiresAt: token.expiresAt,
          requestIp: token.requestIp,
          ttl: ttlSeconds(token.expiresAt + lifetimeDefaults.tokenRecordDays * 86_400_000),
        },
        // 256-bit tokens do not collide; this guards against a bug writing over a spent one.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async find(hash: string): Promise<ResetTokenRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key(TOKEN, hash), ConsistentRead: true }),
    );
    return toToken(Item);
  }

  async claim(hash: string, now: number, leaseUntil: number): Promise<ClaimResult> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(TOKEN, hash),
          UpdateExpression: 'SET #status = :claimed, claimUntil = :lease ADD claims :one',
          ConditionExpression:
            'attribute_exists(pk) AND expiresAt > :now AND (#status = :pending OR (#status = :claimed AND claimUntil < :now))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':claimed': 'CLAIMED',
            ':pending': 'PENDING',
            ':lease': leaseUntil,
            ':now': now,
            ':one': 1,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { claimed: true, token: toToken(Attributes) as ResetTokenRecord };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Read why it failed (ReturnValuesOnConditionCheckFailure is not in every emulator).
      return { claimed: false, current: await this.find(hash) };
    }
  }

  async release(hash: string): Promise<void> {
    await this.transition(hash, 'CLAIMED', 'SET #status = :to REMOVE claimUntil', { ':to': 'PENDING' });
  }

  async markUsed(hash: string, now: number): Promise<void> {
    await this.transition(hash, 'CLAIMED', 'SET #status = :to, usedAt = :now REMOVE claimUntil', {
      ':to': 'USED',
      ':now': now,
    });
  }

  async revokeOthers(username: string, keepHash: string, createdBefore?: number): Promise<number> {
    // A user has a handful of links at most (3 emails an hour, records kept 7 days): one page.
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: tableKeys.userIndex.name,
        KeyConditionExpression: 'userPk = :user AND begins_with(userSk, :kind)',
        FilterExpression: '#status IN (:pending, :claimed)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':user': userPk(username),
          ':kind': `${TOKEN}#`,
          ':pending': 'PENDING',
          ':claimed': 'CLAIMED',
        },
      }),
    );
    const hashes = Items.filter((item) => createdBefore === undefined || Number(item.createdAt) < createdBefore)
      .map((item) => String(item.pk).slice(TOKEN.length + 1))
      .filter((h) => h !== keepHash);
    const results = await Promise.all(hashes.map((h) => this.revokeUnspent(h)));
    return results.filter(Boolean).length;
  }

  /** PENDING or CLAIMED -> REVOKED; false when the token was spent or revoked already. */
  private async revokeUnspent(hash: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(TOKEN, hash),
          UpdateExpression: 'SET #status = :revoked REMOVE claimUntil',
          ConditionExpression: '#status IN (:pending, :claimed)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':revoked': 'REVOKED', ':pending': 'PENDING', ':claimed': 'CLAIMED' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** A conditional status change; false when the token was no longer in `from`. */
  private async transition(
    hash: string,
    from: ResetTokenStatus,
    update: string,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(TOKEN, hash),
          UpdateExpression: update,
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ...values, ':from': from },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

function toSession(hash: string, item: Record<string, unknown>): SessionRecord {
  return {
    hash,
    username: String(item.username),
    // A session stored without one (before generations) never matches: signed out, fail closed.
    generation: typeof item.generation === 'number' ? item.generation : -1,
    createdAt: Number(item.createdAt),
    expiresAt: Number(item.expiresAt),
    lastSeenAt: Number(item.lastSeenAt ?? item.createdAt),
    ...(Array.isArray(item.amr) ? { amr: item.amr as AuthenticationMethod[] } : {}),
  };
}

export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createSession(session: SessionRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...key(SESSION, session.hash),
          userPk: userPk(session.username),
          userSk: `${SESSION}#${session.hash}`,
          username: session.username,
          generation: session.generation,
          createdAt: session.createdAt,
          expiresAt: session.expiresAt,
          lastSeenAt: session.lastSeenAt,
          ...(session.amr ? { amr: [...session.amr] } : {}),
          ttl: ttlSeconds(session.expiresAt),
        },
      }),
    );
  }

  async findSession(hash: string, now: number): Promise<SessionRecord | undefined> {
    const item = await this.get(SESSION, hash, now);
    return item ? toSession(hash, item) : undefined;
  }

  async listSessions(username: string, now: number): Promise<SessionRecord[]> {
    const sessions: SessionRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: tableKeys.userIndex.name,
          KeyConditionExpression: 'userPk = :user AND begins_with(userSk, :kind)',
          ExpressionAttributeValues: { ':user': userPk(username), ':kind': `${SESSION}#` },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        if (Number(item.expiresAt) > now) sessions.push(toSession(String(item.pk).slice(SESSION.length + 1), item));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return sessions;
  }

  async createSecondStep(step: SecondStepRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...key(SECOND_STEP, step.hash),
          username: step.username,
          purpose: step.purpose,
          generation: step.generation,
          amr: [...step.amr],
          expiresAt: step.expiresAt,
          ttl: ttlSeconds(step.expiresAt),
        },
      }),
    );
  }

  async findSecondStep(hash: string, now: number): Promise<SecondStepRecord | undefined> {
    const item = await this.get(SECOND_STEP, hash, now);
    if (!item || (item.purpose !== 'verify' && item.purpose !== 'enrol')) return undefined;
    return {
      hash,
      username: String(item.username),
      purpose: item.purpose,
      // A step stored without one never matches the user's generation: its session is dead at once.
      generation: typeof item.generation === 'number' ? item.generation : -1,
      amr: Array.isArray(item.amr) ? (item.amr as AuthenticationMethod[]) : [],
      expiresAt: Number(item.expiresAt),
    };
  }

  async deleteSecondStep(hash: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key(SECOND_STEP, hash) }));
  }

  async touchSession(hash: string, now: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(SESSION, hash),
          UpdateExpression: 'SET lastSeenAt = :now',
          // Never recreate a session that was deleted meanwhile (sign-out, reset).
          ConditionExpression: 'attribute_exists(pk) AND lastSeenAt < :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async deleteSession(hash: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key(SESSION, hash) }));
  }

  async deleteAllSessions(username: string): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: tableKeys.userIndex.name,
          KeyConditionExpression: 'userPk = :user AND begins_with(userSk, :kind)',
          ExpressionAttributeValues: { ':user': userPk(username), ':kind': `${SESSION}#` },
          ProjectionExpression: 'pk, sk',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      await Promise.all(
        (page.Items ?? []).map((item) =>
          this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } })),
        ),
      );
      count += page.Items?.length ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return count;
  }

  async createChallenge(challenge: ChallengeRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...key(CHALLENGE, challenge.hash),
          username: challenge.username,
          ...(challenge.email ? { email: challenge.email } : {}),
          challengeSession: challenge.challengeSession,
          generation: challenge.generation,
          expiresAt: challenge.expiresAt,
          ttl: ttlSeconds(challenge.expiresAt),
        },
      }),
    );
  }

  async findChallenge(hash: string, now: number): Promise<ChallengeRecord | undefined> {
    const item = await this.get(CHALLENGE, hash, now);
    return item
      ? {
          hash,
          username: String(item.username),
          ...(typeof item.email === 'string' ? { email: item.email } : {}),
          challengeSession: String(item.challengeSession),
          generation: typeof item.generation === 'number' ? item.generation : -1,
          expiresAt: Number(item.expiresAt),
        }
      : undefined;
  }

  async deleteChallenge(hash: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key(CHALLENGE, hash) }));
  }

  private async get(kind: string, hash: string, now: number): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key(kind, hash), ConsistentRead: true }),
    );
    return Item && Number(Item.expiresAt) > now ? Item : undefined;
  }
}

export class DynamoTemporaryPasswordStore implements TemporaryPasswordStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: TemporaryPasswordRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...key(TEMPORARY_PASSWORD, entry.username),
          username: entry.username,
          passwordHash: entry.passwordHash,
          issuedAt: entry.issuedAt,
          expiresAt: entry.expiresAt,
          // Kept a while past expiry so a late sign-in hears "expired", not "wrong password".
          ttl: ttlSeconds(entry.expiresAt + lifetimeDefaults.tokenRecordDays * 86_400_000),
        },
      }),
    );
  }

  async find(username: string): Promise<TemporaryPasswordRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key(TEMPORARY_PASSWORD, username), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      username,
      passwordHash: String(Item.passwordHash),
      issuedAt: Number(Item.issuedAt),
      expiresAt: Number(Item.expiresAt),
    };
  }

  async clear(username: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key(TEMPORARY_PASSWORD, username) }));
  }
}

/** Credential generations: one item per user, bumped with an atomic ADD, never expiring. */
export class DynamoCredentialGenerations implements CredentialGenerations {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async current(username: string): Promise<number> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: generationKey(username), ConsistentRead: true }),
    );
    return Number(Item?.generation ?? 0);
  }

  async bump(username: string, now: number): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: generationKey(username),
        UpdateExpression: 'ADD generation :one SET changedAt = :now',
        ExpressionAttributeValues: { ':one': 1, ':now': now },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.generation ?? 0);
  }
}

/**
 * Rate counters: one item per key and window, counted with an atomic ADD, gone by TTL. Failure
 * tallies are the same items with the time of the last failure, for backoff.
 */
export class DynamoRateCounter implements RateCounter, FailureCounter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hit(counterKey: string, expiresAt: number, delta = 1): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key(RATE, counterKey),
        UpdateExpression: 'ADD #count :one SET #ttl = if_not_exists(#ttl, :ttl)',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': delta, ':ttl': ttlSeconds(expiresAt) },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.count ?? 0);
  }

  async failures(counterKey: string): Promise<FailureTally | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key(RATE, counterKey), ConsistentRead: true }),
    );
    return Item ? { count: Number(Item.count ?? 0), lastAt: Number(Item.lastAt ?? 0) } : undefined;
  }

  async addFailure(counterKey: string, now: number, expiresAt: number): Promise<FailureTally> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key(RATE, counterKey),
        UpdateExpression: 'ADD #count :one SET lastAt = :now, #ttl = if_not_exists(#ttl, :ttl)',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':now': now, ':ttl': ttlSeconds(expiresAt) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { count: Number(Attributes?.count ?? 0), lastAt: Number(Attributes?.lastAt ?? now) };
  }
}

import { createHash } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isLanguage } from '../definitions/languages';
import { lifetimeDefaults } from '../definitions/lifetimes';
import type {
  AccountCheck,
  CredentialRequestRecord,
  CredentialRequestStatus,
  CredentialRequestStore,
  RequestClaim,
} from '../domain/ports';
import { isConditionFailure, tableKeys } from './dynamodb-store';

const REQUEST = 'REQUEST';
export const REQUEST_STATUSES: readonly CredentialRequestStatus[] = ['PENDING', 'APPROVED', 'REJECTED'];

const key = (reference: string) => ({ pk: `${REQUEST}#${reference}`, sk: REQUEST });
/**
 * One item per address listing its pending requests (a string set), so the public form finds
 * them with one GetItem. The address is stored hashed; the per-address limit (3 a day) and every
 * decision removing its reference keep the set small.
 */
const EMAIL_INDEX = 'REQEMAIL';
const emailKey = (email: string) => ({
  pk: `${EMAIL_INDEX}#${createHash('sha256').update(email.toLowerCase()).digest('hex')}`,
  sk: EMAIL_INDEX,
});
const statusPk = (status: CredentialRequestStatus) => `REQUESTS#${status}`;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const optional = <K extends string>(name: K, value: unknown) =>
  (value === undefined || value === null ? {} : { [name]: value }) as Partial<Record<K, never>>;

function toRequest(item: Record<string, unknown> | undefined): CredentialRequestRecord | undefined {
  if (!item) return undefined;
  const language = isLanguage(item.language) ? item.language : 'en';
  return {
    reference: String(item.reference),
    status: item.status as CredentialRequestStatus,
    fullName: String(item.fullName),
    company: String(item.company),
    email: String(item.email),
    ...optional('phone', item.phone),
    reason: String(item.reason),
    language,
    createdAt: Number(item.createdAt),
    requestIp: String(item.requestIp ?? ''),
    accountCheck: (item.accountCheck as AccountCheck | undefined) ?? 'unknown',
    existingUsernames: strings(item.existingUsernames),
    earlierPending: strings(item.earlierPending),
    ...optional('claimUntil', item.claimUntil),
    ...optional('decidedAt', item.decidedAt),
    ...optional('decidedBy', item.decidedBy),
    ...optional('username', item.username),
    ...optional('rejectionReason', item.rejectionReason),
  } as CredentialRequestRecord;
}

export class DynamoCredentialRequestStore implements CredentialRequestStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(request: CredentialRequestRecord): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key(request.reference),
            userPk: statusPk(request.status),
            userSk: `${String(request.createdAt).padStart(15, '0')}#${request.reference}`,
            ...request,
            ttl: Math.ceil((request.createdAt + lifetimeDefaults.credentialRequestDays * 86_400_000) / 1000),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      if (request.status === 'PENDING') await this.indexPending(request.email, request.reference, 'ADD');
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async find(reference: string): Promise<CredentialRequestRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key(reference), ConsistentRead: true }),
    );
    return toRequest(Item);
  }

  async delete(reference: string): Promise<void> {
    const { Attributes } = await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: key(reference), ReturnValues: 'ALL_OLD' }),
    );
    if (Attributes?.email) await this.indexPending(String(Attributes.email), reference, 'DELETE');
  }

  async pendingReferencesFor(email: string): Promise<string[]> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: emailKey(email), ConsistentRead: true }),
    );
    const references = Item?.pending instanceof Set ? [...(Item.pending as Set<string>)] : [];
    return references.sort();
  }

  /** Adds a reference to the address's pending set, or takes it out (an emptied set disappears). */
  private async indexPending(email: string, reference: string, action: 'ADD' | 'DELETE'): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: emailKey(email),
        UpdateExpression: `${action} pending :reference${action === 'ADD' ? ' SET #ttl = :ttl' : ''}`,
        ExpressionAttributeValues: {
          ':reference': new Set([reference]),
          ...(action === 'ADD'
            ? { ':ttl': Math.ceil((Date.now() + lifetimeDefaults.credentialRequestDays * 86_400_000) / 1000) }
            : {}),
        },
        ...(action === 'ADD' ? { ExpressionAttributeNames: { '#ttl': 'ttl' } } : {}),
      }),
    );
  }

  async list(status?: CredentialRequestStatus): Promise<CredentialRequestRecord[]> {
    const statuses = status ? [status] : REQUEST_STATUSES;
    const all = (await Promise.all(statuses.map((s) => this.query(s)))).flat();
    return all.sort((a, b) => b.createdAt - a.createdAt || b.reference.localeCompare(a.reference));
  }

  async claim(reference: string, now: number, leaseUntil: number): Promise<RequestClaim> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(reference),
          UpdateExpression: 'SET claimUntil = :lease',
          ConditionExpression:
            'attribute_exists(pk) AND #status = :pending AND (attribute_not_exists(claimUntil) OR claimUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':lease': leaseUntil, ':now': now, ':pending': 'PENDING' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { claimed: true, request: toRequest(Attributes) as CredentialRequestRecord };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { claimed: false, current: await this.find(reference) };
    }
  }

  async release(reference: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(reference),
          UpdateExpression: 'REMOVE claimUntil',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pending': 'PENDING' },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async decide(reference: string, decision: Parameters<CredentialRequestStore['decide']>[1]): Promise<void> {
    const detail =
      decision.status === 'APPROVED'
        ? { expression: 'username = :detail', value: decision.username }
        : { expression: 'rejectionReason = :detail', value: decision.reason };
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key(reference),
        ReturnValues: 'ALL_NEW',
        UpdateExpression: `SET #status = :to, userPk = :userPk, decidedAt = :at, decidedBy = :by, ${detail.expression} REMOVE claimUntil`,
        // Only from pending: a decision is made once.
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':to': decision.status,
          ':userPk': statusPk(decision.status),
          ':at': decision.decidedAt,
          ':by': decision.decidedBy,
          ':detail': detail.value,
          ':pending': 'PENDING',
        },
      }),
    );
    if (Attributes?.email) await this.indexPending(String(Attributes.email), reference, 'DELETE');
  }

  private async query(status: CredentialRequestStatus): Promise<CredentialRequestRecord[]> {
    const requests: CredentialRequestRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: tableKeys.userIndex.name,
          KeyConditionExpression: 'userPk = :status',
          ExpressionAttributeValues: { ':status': statusPk(status) },
          ScanIndexForward: false,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const request = toRequest(item);
        if (request) requests.push(request);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return requests;
  }
}

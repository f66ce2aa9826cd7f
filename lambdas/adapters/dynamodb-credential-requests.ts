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
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key(reference) }));
  }

  async pendingFor(email: string): Promise<CredentialRequestRecord[]> {
    return this.query('PENDING', email);
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
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key(reference),
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
  }

  private async query(status: CredentialRequestStatus, email?: string): Promise<CredentialRequestRecord[]> {
    const requests: CredentialRequestRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: tableKeys.userIndex.name,
          KeyConditionExpression: 'userPk = :status',
          ...(email ? { FilterExpression: 'email = :email' } : {}),
          ExpressionAttributeValues: { ':status': statusPk(status), ...(email ? { ':email': email } : {}) },
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

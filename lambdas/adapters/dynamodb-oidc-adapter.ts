// oidc-provider's storage in the portal's one table. Each model instance is one item
// (pk OIDC#<model>#<id>); expiry is checked on every read (TTL deletes days late), `ttl` cleans up.
// Lookups: by uid through a pointer item read consistently (a browser resumes right after the
// session is written), by grantId and by account through the byUser index (projection ALL).
// No transactions: dynalite has none, and every write here stands on its own.
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, tableKeys } from './dynamodb-store';

export type OidcPayload = Record<string, unknown> & {
  uid?: string;
  grantId?: string;
  accountId?: string;
  userCode?: string;
  consumed?: number;
};

const SK = 'OIDC';
const itemKey = (model: string, id: string) => ({ pk: `OIDC#${model}#${id}`, sk: SK });
const uidKey = (uid: string) => ({ pk: `OIDC#uid#${uid}`, sk: SK });
const userCodeKey = (code: string) => ({ pk: `OIDC#userCode#${code}`, sk: SK });
export const grantIndexKey = (grantId: string) => `OIDC#grant#${grantId}`;
export const accountIndexKey = (accountId: string) => `OIDC#account#${accountId}`;
export const CLIENT_LIST_KEY = 'OIDC#clients';

interface StoredItem {
  readonly pk: string;
  readonly sk: string;
  readonly model?: string;
  readonly id?: string;
  readonly payload?: string;
  readonly expiresAt?: number;
  readonly consumed?: number;
}

/** Seconds since the epoch, as oidc-provider counts. */
const epoch = (ms: number) => Math.floor(ms / 1000);

function live(item: StoredItem | undefined, now: number): item is StoredItem {
  return item !== undefined && (item.expiresAt === undefined || item.expiresAt > now);
}

function toPayload(item: StoredItem): OidcPayload | undefined {
  if (!item.payload) return undefined;
  const payload = JSON.parse(item.payload) as OidcPayload;
  return item.consumed !== undefined ? { ...payload, consumed: item.consumed } : payload;
}

/** The storage of all models; `forModel` gives oidc-provider its per-model adapter. */
export class DynamoOidcStorage {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  forModel(model: string): DynamoOidcAdapter {
    return new DynamoOidcAdapter(this, model);
  }

  async upsert(model: string, id: string, payload: OidcPayload, expiresIn: number | undefined): Promise<void> {
    const expiresAt = expiresIn ? this.now() + expiresIn * 1000 : undefined;
    const expiry = expiresAt ? { expiresAt, [tableKeys.ttlAttribute]: epoch(expiresAt) } : {};
    // The index attributes: who the item belongs to, so a grant's tokens and an account's sessions
    // and grants can be found and ended together.
    const index =
      model === 'Client'
        ? { userPk: CLIENT_LIST_KEY, userSk: id }
        : payload.grantId && model !== 'Grant'
          ? { userPk: grantIndexKey(payload.grantId), userSk: `${model}#${id}` }
          : payload.accountId && (model === 'Grant' || model === 'Session')
            ? { userPk: accountIndexKey(payload.accountId), userSk: `${model}#${id}` }
            : {};
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...itemKey(model, id), model, id, payload: JSON.stringify(payload), ...expiry, ...index },
      }),
    );
    if (payload.uid) {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { ...uidKey(payload.uid), model, id, ...expiry } }),
      );
    }
    if (payload.userCode) {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { ...userCodeKey(payload.userCode), model, id, ...expiry } }),
      );
    }
  }

  async find(model: string, id: string): Promise<OidcPayload | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: itemKey(model, id), ConsistentRead: true }),
    );
    const item = Item as StoredItem | undefined;
    return live(item, this.now()) ? toPayload(item) : undefined;
  }

  private async findByPointer(model: string, key: { pk: string; sk: string }): Promise<OidcPayload | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    const pointer = Item as StoredItem | undefined;
    if (!live(pointer, this.now()) || pointer.model !== model || !pointer.id) return undefined;
    return this.find(model, pointer.id);
  }

  findByUid(model: string, uid: string): Promise<OidcPayload | undefined> {
    return this.findByPointer(model, uidKey(uid));
  }

  findByUserCode(model: string, userCode: string): Promise<OidcPayload | undefined> {
    return this.findByPointer(model, userCodeKey(userCode));
  }

  /** Marks a code or token used, once: a second consume of the same item changes nothing. */
  async consume(model: string, id: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKey(model, id),
          UpdateExpression: 'SET #consumed = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#consumed)',
          ExpressionAttributeNames: { '#consumed': 'consumed' },
          ExpressionAttributeValues: { ':now': epoch(this.now()) },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async destroy(model: string, id: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: itemKey(model, id) }));
  }

  /** Items in the byUser index under one key (a grant's tokens, an account's sessions and grants, the clients). */
  async listIndexed(indexKey: string): Promise<{ model: string; id: string; payload: OidcPayload }[]> {
    const found: { model: string; id: string; payload: OidcPayload }[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: tableKeys.userIndex.name,
          KeyConditionExpression: 'userPk = :key',
          ExpressionAttributeValues: { ':key': indexKey },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      const now = this.now();
      for (const raw of page.Items ?? []) {
        const item = raw as StoredItem;
        const payload = live(item, now) ? toPayload(item) : undefined;
        if (payload && item.model && item.id) found.push({ model: item.model, id: item.id, payload });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const items = await this.listIndexed(grantIndexKey(grantId));
    // One DeleteItem each (no BatchWriteItem: no function may batch-write the table). A grant has
    // a handful of codes and tokens.
    const keys = [...items.map((item) => itemKey(item.model, item.id)), itemKey('Grant', grantId)];
    await Promise.all(keys.map((Key) => this.db.send(new DeleteCommand({ TableName: this.tableName, Key }))));
  }
}

/** The per-model object oidc-provider calls (its Adapter interface). */
export class DynamoOidcAdapter {
  constructor(
    private readonly storage: DynamoOidcStorage,
    private readonly model: string,
  ) {}

  upsert(id: string, payload: OidcPayload, expiresIn?: number): Promise<void> {
    return this.storage.upsert(this.model, id, payload, expiresIn);
  }
  find(id: string): Promise<OidcPayload | undefined> {
    return this.storage.find(this.model, id);
  }
  findByUid(uid: string): Promise<OidcPayload | undefined> {
    return this.storage.findByUid(this.model, uid);
  }
  findByUserCode(userCode: string): Promise<OidcPayload | undefined> {
    return this.storage.findByUserCode(this.model, userCode);
  }
  consume(id: string): Promise<void> {
    return this.storage.consume(this.model, id);
  }
  destroy(id: string): Promise<void> {
    return this.storage.destroy(this.model, id);
  }
  revokeByGrantId(grantId: string): Promise<void> {
    return this.storage.revokeByGrantId(grantId);
  }
}

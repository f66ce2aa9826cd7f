// The ops commands for the OpenID Provider: the tools registered to sign people in (clients, kept
// in the table as the provider reads them) and its key set (Secrets Manager). Functions on ops
// settings, like ops/service.ts; ops/clients-cli.ts parses and prints.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CLIENT_LIST_KEY, DynamoOidcStorage } from '../lambdas/adapters/dynamodb-oidc-adapter';
import { KeySetMissing, SecretsManagerKeyStore } from '../lambdas/adapters/secrets-manager-keys';
import { type ClientMetadataInput, clientMetadataSchema, HOME_URL } from '../lambdas/oidc/clients';
import { type KeySet, newKeySet, rotateKeySet } from '../lambdas/oidc/keys';
import { type OpsSettings, OpsUsageError } from './settings';

export class ClientRefused extends Error {
  override readonly name = 'ClientRefused';
}

export interface NewClient {
  readonly name: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  readonly backchannelLogoutUri?: string;
  readonly homeUrl?: string;
  /** Also issue refresh tokens (the tool asks for them with the refresh_token grant). */
  readonly refreshTokens?: boolean;
}

export interface ClientSummary {
  readonly clientId: string;
  readonly name: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  readonly backchannelLogoutUri: string | undefined;
  readonly homeUrl: string | undefined;
  readonly grantTypes: readonly string[];
  readonly createdAt: number | undefined;
}

export interface ClientOps {
  add(client: NewClient): Promise<{ clientId: string; clientSecret: string }>;
  list(): Promise<ClientSummary[]>;
  show(clientId: string): Promise<ClientSummary>;
  remove(clientId: string): Promise<void>;
  rotateSecret(clientId: string): Promise<{ clientId: string; clientSecret: string }>;
  initKeys(): Promise<{ created: boolean; kids: string[] }>;
  rotateKeys(): Promise<KeySet>;
  close(): void;
}

const CLIENT = 'Client';

function summary(metadata: Record<string, unknown>): ClientSummary {
  const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  return {
    clientId: String(metadata.client_id),
    name: String(metadata.client_name ?? metadata.client_id),
    redirectUris: strings(metadata.redirect_uris),
    postLogoutRedirectUris: strings(metadata.post_logout_redirect_uris),
    backchannelLogoutUri:
      typeof metadata.backchannel_logout_uri === 'string' ? metadata.backchannel_logout_uri : undefined,
    homeUrl: typeof metadata[HOME_URL] === 'string' ? (metadata[HOME_URL] as string) : undefined,
    grantTypes: strings(metadata.grant_types),
    createdAt: typeof metadata.client_id_issued_at === 'number' ? metadata.client_id_issued_at * 1000 : undefined,
  };
}

/** A client id people can read in logs: the tool's name, and random letters so it cannot be guessed. */
function newClientId(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${slug || 'tool'}-${randomBytes(6).toString('hex')}`;
}

const newSecret = () => randomBytes(32).toString('base64url');

export function clientOps(settings: OpsSettings): ClientOps {
  const { local } = settings;
  const base = {
    region: settings.region,
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 } : {}),
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 15_000 },
  };
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...base, ...(local ? { endpoint: local.dynamodb } : {}) }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const secrets = new SecretsManagerClient({
    ...base,
    ...(local?.secretsmanager ? { endpoint: local.secretsmanager } : {}),
  });
  const storage = new DynamoOidcStorage(db, settings.tableName);
  const keySecret = () => {
    if (!settings.oidcKeysSecret) {
      throw new OpsUsageError(
        `${settings.description} names no provider key secret: deploy this version of the project first.`,
      );
    }
    return new SecretsManagerKeyStore(secrets, settings.oidcKeysSecret);
  };

  async function find(clientId: string): Promise<Record<string, unknown>> {
    const found = await storage.find(CLIENT, clientId);
    if (!found) {
      throw new ClientRefused(`There is no registered tool "${clientId}". See them with: npm run ops -- clients`);
    }
    return found;
  }

  async function save(metadata: Record<string, unknown>): Promise<void> {
    // The same validation the provider applies to OIDC_CLIENTS: a bad URI is refused here.
    const result = clientMetadataSchema.safeParse(metadata);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new ClientRefused(`${issue?.path.join('.') || 'The tool'}: ${issue?.message}. Nothing was registered.`);
    }
    await storage.upsert(CLIENT, String(metadata.client_id), metadata as ClientMetadataInput, undefined);
  }

  return {
    async add(client) {
      const clientId = newClientId(client.name);
      const clientSecret = newSecret();
      await save({
        client_id: clientId,
        client_secret: clientSecret,
        client_name: client.name,
        client_id_issued_at: Math.floor(Date.now() / 1000),
        redirect_uris: [...client.redirectUris],
        ...(client.postLogoutRedirectUris?.length
          ? { post_logout_redirect_uris: [...client.postLogoutRedirectUris] }
          : {}),
        ...(client.backchannelLogoutUri ? { backchannel_logout_uri: client.backchannelLogoutUri } : {}),
        ...(client.homeUrl ? { [HOME_URL]: client.homeUrl } : {}),
        grant_types: client.refreshTokens ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      });
      return { clientId, clientSecret };
    },
    async list() {
      const items = await storage.listIndexed(CLIENT_LIST_KEY);
      return items.map((item) => summary(item.payload)).sort((a, b) => a.name.localeCompare(b.name));
    },
    async show(clientId) {
      return summary(await find(clientId));
    },
    async remove(clientId) {
      await find(clientId);
      await storage.destroy(CLIENT, clientId);
    },
    async rotateSecret(clientId) {
      const metadata = await find(clientId);
      const clientSecret = newSecret();
      await save({ ...metadata, client_secret: clientSecret });
      return { clientId, clientSecret };
    },
    async initKeys() {
      const store = keySecret();
      try {
        const existing = await store.read();
        return { created: false, kids: existing.keys.map((key) => key.kid) };
      } catch (error) {
        if (!(error instanceof KeySetMissing) && !(error instanceof Error && error.name === 'InvalidKeySet'))
          throw error;
      }
      const set = newKeySet(Date.now());
      await store.write(set);
      return { created: true, kids: set.keys.map((key) => key.kid) };
    },
    async rotateKeys() {
      const store = keySecret();
      const rotated = rotateKeySet(await store.read(), Date.now());
      await store.write(rotated);
      return rotated;
    },
    close() {
      db.destroy();
      secrets.destroy();
    },
  };
}

// The provider as a function container holds it: configuration read once, the key set read from
// Secrets Manager and reloaded every few minutes (so a rotation reaches every container), one
// Provider per key set. Used by the provider function and by the handlers that end sessions.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type Provider from 'oidc-provider';
import { cognitoClient, dynamoDocumentClient, secretsManagerClient } from '../adapters/aws-clients';
import { CognitoProviderAccounts } from '../adapters/cognito-provider-accounts';
import { DynamoOidcStorage } from '../adapters/dynamodb-oidc-adapter';
import { DynamoCredentialGenerations, DynamoSessionStore } from '../adapters/dynamodb-store';
import { SecretsManagerKeyStore } from '../adapters/secrets-manager-keys';
import { lifetimeConfig, requiredEnv, siteConfig } from '../config';
import { keyCacheSeconds } from '../definitions/oidc';
import { type Log, systemClock } from '../domain/ports';
import { hashToken, isWellFormedToken } from '../domain/secrets';
import { clearCookie, cookieName } from '../http/responses';
import { rootLogger } from '../logger';
import { type ClientMetadataInput, parseClients } from './clients';
import type { EndedSessions } from './end-sessions';
import { interactionRoutes } from './interactions';
import type { KeySet } from './keys';
import { buildProvider } from './provider';
import { ToolLogout } from './tool-logout';

export interface ProviderRuntime {
  /** The provider for the current key set (rebuilt when the keys changed). */
  provider(): Promise<Provider>;
  /** Waits for work the provider's event listeners started (they cannot be awaited themselves). */
  settle(): Promise<void>;
  /** Ends the person's provider sessions and sends back-channel logout tokens to their tools. */
  endSessionsOf(usernameOrSub: string, log: Log): Promise<EndedSessions | undefined>;
}

/** SDK clients to use instead of the handlers' own (the ops CLI brings its credentials and endpoints). */
export interface RuntimeClients {
  readonly documentClient?: DynamoDBDocumentClient;
  readonly cognito?: CognitoIdentityProviderClient;
  readonly secretsManager?: SecretsManagerClient;
}

export function createProviderRuntime(
  env: Record<string, string | undefined> = process.env,
  clients: RuntimeClients = {},
): ProviderRuntime {
  const site = siteConfig(env);
  const tableName = requiredEnv('TABLE_NAME', env);
  const userPoolId = requiredEnv('USER_POOL_ID', env);
  const keyStore = new SecretsManagerKeyStore(
    clients.secretsManager ?? secretsManagerClient(),
    requiredEnv('OIDC_KEYS_SECRET', env),
  );
  const staticClients: ClientMetadataInput[] = parseClients(env.OIDC_CLIENTS);
  const db = clients.documentClient ?? dynamoDocumentClient();
  const storage = new DynamoOidcStorage(db, tableName);
  const accounts = new CognitoProviderAccounts(clients.cognito ?? cognitoClient(), userPoolId);
  const sessions = new DynamoSessionStore(db, tableName);
  const generations = new DynamoCredentialGenerations(db, tableName);
  const { sessionIdleMinutes } = lifetimeConfig(env);

  const sessionCookie = cookieName('session', site.secureCookies);
  const pending = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    const tracked = work
      .catch((error: unknown) => rootLogger.error('ending the Support Access session failed', { error }))
      .finally(() => pending.delete(tracked));
    pending.add(tracked);
  };

  // One way to end tool sessions, the provider's own included.
  const tools = new ToolLogout({
    issuer: site.siteUrl,
    storage,
    accounts,
    keys: () => keyStore.read(),
    staticClients,
  });

  let cached: { keys: string; provider: Provider; loadedAt: number } | undefined;
  let loading: Promise<Provider> | undefined;

  async function load(): Promise<Provider> {
    const keys: KeySet = await keyStore.read();
    const fingerprint = JSON.stringify(keys);
    if (cached && cached.keys === fingerprint) {
      cached.loadedAt = Date.now();
      return cached.provider;
    }
    const provider = buildProvider({
      issuer: site.siteUrl,
      portalName: site.portalName,
      secureCookies: site.secureCookies,
      keys,
      storage,
      accounts,
      sessions,
      staticClients,
      log: rootLogger,
      // Plain http is only ever allowed for a localhost site: the local runner.
      allowLoopbackTools: !site.secureCookies,
    });
    provider.use(
      interactionRoutes(provider, {
        issuer: site.siteUrl,
        secureCookies: site.secureCookies,
        sessions,
        generations,
        idleMinutes: sessionIdleMinutes,
        accounts,
        storage,
        staticClients,
        clock: systemClock,
        log: rootLogger,
      }),
    );
    // One session: when a tool's sign-out ends the provider session entirely (the person chose
    // "sign me out" on our page), the Support Access session ends with it.
    provider.on('end_session.success', (ctx) => {
      if (!ctx.oidc.params?.logout) return;
      const value = ctx.cookies.get(sessionCookie);
      ctx.append('set-cookie', clearCookie('session', site.secureCookies));
      if (value && isWellFormedToken(value)) track(sessions.deleteSession(hashToken(value)));
    });
    cached = { keys: fingerprint, provider, loadedAt: Date.now() };
    return provider;
  }

  async function provider(): Promise<Provider> {
    if (cached && Date.now() - cached.loadedAt < keyCacheSeconds * 1000) return cached.provider;
    loading ??= load().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  return {
    provider,
    async settle() {
      await Promise.all([...pending]);
    },
    async endSessionsOf(usernameOrSub, log) {
      return tools.endSessionsOf(usernameOrSub, log);
    },
  };
}

// `disable` from the ops CLI: the provider's sessions and grants of the person end and every tool
// they used gets a back-channel logout token, signed with the provider's key, as when they reset.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CognitoProviderAccounts } from '../lambdas/adapters/cognito-provider-accounts';
import { DynamoOidcStorage } from '../lambdas/adapters/dynamodb-oidc-adapter';
import { SecretsManagerKeyStore } from '../lambdas/adapters/secrets-manager-keys';
import { parseClients } from '../lambdas/oidc/clients';
import type { EndedSessions } from '../lambdas/oidc/end-sessions';
import { ToolLogout } from '../lambdas/oidc/tool-logout';
import type { OpsSettings } from './settings';

const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export async function endToolSessionsFromOps(
  settings: OpsSettings,
  username: string,
  clients: { db: DynamoDBDocumentClient; cognito: CognitoIdentityProviderClient; base: Record<string, unknown> },
): Promise<EndedSessions | undefined> {
  // A stack deployed before the provider has no key secret and no tool sessions to end.
  if (!settings.oidcKeysSecret) return undefined;
  const secretsManager = new SecretsManagerClient({
    ...clients.base,
    ...(settings.local?.secretsmanager ? { endpoint: settings.local.secretsmanager } : {}),
  });
  try {
    const keyStore = new SecretsManagerKeyStore(secretsManager, settings.oidcKeysSecret);
    const tools = new ToolLogout({
      issuer: new URL(settings.loginUrl).origin,
      storage: new DynamoOidcStorage(clients.db, settings.tableName),
      accounts: new CognitoProviderAccounts(clients.cognito, settings.userPoolId),
      keys: () => keyStore.read(),
      staticClients: parseClients(settings.oidcClients),
    });
    return await tools.endSessionsOf(username, quietLog);
  } finally {
    secretsManager.destroy();
  }
}

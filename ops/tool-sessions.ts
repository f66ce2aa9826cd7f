// `disable` from the ops CLI: the provider's sessions and grants of the person end and every tool
// they used gets a back-channel logout token, signed with the provider's key, as when they reset.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EndedSessions } from '../lambdas/oidc/end-sessions';
import { createProviderRuntime } from '../lambdas/oidc/runtime';
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
    const runtime = createProviderRuntime(
      {
        SITE_URL: new URL(settings.loginUrl).origin,
        TABLE_NAME: settings.tableName,
        USER_POOL_ID: settings.userPoolId,
        OIDC_KEYS_SECRET: settings.oidcKeysSecret,
        OIDC_CLIENTS: settings.oidcClients,
      },
      { documentClient: clients.db, cognito: clients.cognito, secretsManager },
    );
    return await runtime.endSessionsOf(username, quietLog);
  } finally {
    secretsManager.destroy();
  }
}

// For handlers outside the provider (sign-out, password reset): end the person's sessions with
// the tools too, without the provider engine (lambdas/oidc/tool-logout.ts). Built on first use
// only, so those handlers start no slower when no tool is involved.
import { cognitoClient, dynamoDocumentClient, secretsManagerClient } from '../adapters/aws-clients';
import { CognitoProviderAccounts } from '../adapters/cognito-provider-accounts';
import { DynamoOidcStorage } from '../adapters/dynamodb-oidc-adapter';
import { SecretsManagerKeyStore } from '../adapters/secrets-manager-keys';
import { requiredEnv, siteConfig } from '../config';
import type { Log } from '../domain/ports';
import { parseClients } from './clients';
import { ToolLogout } from './tool-logout';

let tools: ToolLogout | undefined;

function fromEnvironment(env: Record<string, string | undefined> = process.env): ToolLogout {
  const keyStore = new SecretsManagerKeyStore(secretsManagerClient(), requiredEnv('OIDC_KEYS_SECRET', env));
  return new ToolLogout({
    issuer: siteConfig(env).siteUrl,
    storage: new DynamoOidcStorage(dynamoDocumentClient(), requiredEnv('TABLE_NAME', env)),
    accounts: new CognitoProviderAccounts(cognitoClient(), requiredEnv('USER_POOL_ID', env)),
    keys: () => keyStore.read(),
    staticClients: parseClients(env.OIDC_CLIENTS),
  });
}

/**
 * Ends the person's provider sessions and grants and sends back-channel logout tokens. Never
 * throws: the caller's own work (a sign-out, a new password) is done by then and stands; a
 * failure is logged as an error, because a tool may keep a session it should have lost.
 */
export async function endToolSessions(username: string, log: Log): Promise<void> {
  try {
    tools ??= fromEnvironment();
    await tools.endSessionsOf(username, log);
  } catch (error) {
    log.error('ending the tool sessions failed', { error });
  }
}

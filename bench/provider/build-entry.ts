// What a cold provider function does before its first answer, minus the network: load the
// bundle, then build the Provider with a key set (generated here instead of read from Secrets
// Manager). bench/provider-init.ts bundles this file as the stack bundles the handler.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoOidcStorage } from '../../lambdas/adapters/dynamodb-oidc-adapter';
import { DynamoSessionStore } from '../../lambdas/adapters/dynamodb-store';
import { newKeySet } from '../../lambdas/oidc/keys';
import { buildProvider } from '../../lambdas/oidc/provider';

export function buildOnce(): number {
  const started = performance.now();
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
  buildProvider({
    issuer: 'https://support.example.com',
    portalName: 'IMS SUPPORT',
    secureCookies: true,
    keys: newKeySet(Date.now()),
    storage: new DynamoOidcStorage(db, 'support-access'),
    accounts: { find: async () => undefined },
    sessions: new DynamoSessionStore(db, 'support-access'),
    staticClients: [],
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  return performance.now() - started;
}

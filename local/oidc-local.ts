// The local runner's side of the OpenID Provider: which paths go to the provider function, and the
// tools it knows (OIDC_CLIENTS, validated here so a typo stops `npm start` with a clear message).
import { DISCOVERY_PATH, OIDC_PREFIX } from '../lambdas/definitions/oidc';
import { parseClients } from '../lambdas/oidc/clients';

export function isProviderPath(path: string): boolean {
  return path === DISCOVERY_PATH || path.startsWith(`${OIDC_PREFIX}/`);
}

/** OIDC_CLIENTS plus the runner's own tools, as the JSON the provider function reads. */
export function localProviderClients(raw: string | undefined, extra: readonly Record<string, unknown>[] = []): string {
  const clients = [...parseClients(raw), ...extra];
  return JSON.stringify(parseClients(JSON.stringify(clients), 'OIDC_CLIENTS and the local tools'));
}

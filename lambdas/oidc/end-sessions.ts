// Ends a person's provider sessions and grants, and tells every tool they used (back-channel
// logout, OpenID Connect Back-Channel Logout 1.0; lambdas/oidc/tool-logout.ts sends the token),
// when they sign out of Support Access, reset their password or are disabled.
import { accountIndexKey, type DynamoOidcStorage } from '../adapters/dynamodb-oidc-adapter';
import type { Log } from '../domain/ports';

/** Tells one tool; false when it has no back-channel logout URI, throws when the tool failed. */
export type NotifyTool = (clientId: string, sid: string | undefined) => Promise<boolean>;

export interface EndedSessions {
  readonly sessions: number;
  readonly grants: number;
  /** Tools that confirmed the logout token (HTTP 200). */
  readonly notified: readonly string[];
  /** Tools whose logout endpoint failed or did not answer. */
  readonly failed: readonly string[];
}

export async function endProviderSessions(
  storage: DynamoOidcStorage,
  sub: string,
  log: Log,
  notify: NotifyTool,
): Promise<EndedSessions> {
  const items = await storage.listIndexed(accountIndexKey(sub));
  // Which tools to tell, with the session id each knows (sid) when there is one.
  const tools = new Map<string, string | undefined>();
  const grantIds = new Set<string>();
  for (const item of items) {
    if (item.model === 'Session') {
      const authorizations = (item.payload.authorizations ?? {}) as Record<string, { sid?: string; grantId?: string }>;
      for (const [clientId, authorization] of Object.entries(authorizations)) {
        tools.set(clientId, authorization.sid);
        if (authorization.grantId) grantIds.add(authorization.grantId);
      }
    } else if (item.model === 'Grant') {
      grantIds.add(item.id);
      const clientId = String(item.payload.clientId ?? '');
      if (clientId && !tools.has(clientId)) tools.set(clientId, undefined);
    }
  }
  // Sessions and grants end first: whatever a tool does with the token, nothing can be refreshed.
  for (const item of items) if (item.model === 'Session') await storage.destroy('Session', item.id);
  for (const grantId of grantIds) await storage.revokeByGrantId(grantId);

  const notified: string[] = [];
  const failed: string[] = [];
  await Promise.all(
    [...tools].map(async ([clientId, sid]) => {
      try {
        if (await notify(clientId, sid)) notified.push(clientId);
      } catch (error) {
        failed.push(clientId);
        log.warn('back-channel logout failed', { clientId, error: String(error) });
      }
    }),
  );
  const ended = {
    sessions: items.filter((i) => i.model === 'Session').length,
    grants: grantIds.size,
    notified,
    failed,
  };
  log.info('provider sessions ended', { ...ended });
  return ended;
}

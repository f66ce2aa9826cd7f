// Ends a person's sessions in the tools without loading the provider engine: the sign-out and
// reset handlers (and the ops CLI) use this, so their bundles stay small. The provider's sessions
// and grants are removed from the table, and every tool the person used with a back-channel
// logout URI gets a logout token (OpenID Connect Back-Channel Logout 1.0, section 2.4) signed
// with the provider's active key, which its JWKS publishes.
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import type { DynamoOidcStorage } from '../adapters/dynamodb-oidc-adapter';
import { SIGNING_ALGORITHM } from '../definitions/oidc';
import type { Log, ProviderAccounts } from '../domain/ports';
import type { ClientMetadataInput } from './clients';
import { type EndedSessions, endProviderSessions } from './end-sessions';
import type { KeySet } from './keys';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** How long a logout token may be presented: the tool receives it at once. */
const LOGOUT_TOKEN_SECONDS = 120;
/** A tool's logout endpoint that hangs must not hold up a sign-out or a reset. */
const LOGOUT_TIMEOUT_MS = 2_500;

export interface ToolLogoutDeps {
  readonly issuer: string;
  readonly storage: DynamoOidcStorage;
  readonly accounts: ProviderAccounts;
  readonly keys: () => Promise<KeySet>;
  readonly staticClients: readonly ClientMetadataInput[];
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A compact ES256 JWS of the logout token's claims, with the active key's kid. */
export function signLogoutToken(
  keys: KeySet,
  claims: { iss: string; aud: string; sub: string; sid?: string | undefined },
  nowMs: number,
): string {
  const key = keys.keys.find((candidate) => candidate.state === 'active');
  if (!key) throw new Error('The provider key set has no active key.');
  const iat = Math.floor(nowMs / 1000);
  const header = { alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'logout+jwt' };
  const payload = {
    ...claims,
    iat,
    exp: iat + LOGOUT_TOKEN_SECONDS,
    jti: randomUUID(),
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  };
  const input = `${base64url(header)}.${base64url(payload)}`;
  const privateKey = createPrivateKey({
    key: { kty: key.kty, crv: key.crv, x: key.x, y: key.y, d: key.d },
    format: 'jwk',
  });
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

export class ToolLogout {
  constructor(private readonly deps: ToolLogoutDeps) {}

  private async logoutUriOf(clientId: string): Promise<string | undefined> {
    const fixed = this.deps.staticClients.find((client) => client.client_id === clientId);
    const metadata = fixed ?? (await this.deps.storage.find('Client', clientId));
    const uri = metadata?.backchannel_logout_uri;
    return typeof uri === 'string' ? uri : undefined;
  }

  /** Ends the provider sessions and grants of a person (by username or Cognito sub) and tells their tools. */
  async endSessionsOf(usernameOrSub: string, log: Log): Promise<EndedSessions | undefined> {
    const account = await this.deps.accounts.find(usernameOrSub);
    if (!account) return undefined;
    const send = this.deps.fetch ?? fetch;
    const now = this.deps.now ?? Date.now;
    let keys: KeySet | undefined;
    return endProviderSessions(this.deps.storage, account.sub, log, async (clientId, sid) => {
      const uri = await this.logoutUriOf(clientId);
      if (!uri) return false;
      keys ??= await this.deps.keys();
      const token = signLogoutToken(keys, { iss: this.deps.issuer, aud: clientId, sub: account.sub, sid }, now());
      const answer = await send(uri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token: token }).toString(),
        redirect: 'manual',
        signal: AbortSignal.timeout(LOGOUT_TIMEOUT_MS),
      });
      // The spec asks for 200; 204 is what many tools answer and means the same.
      if (answer.status !== 200 && answer.status !== 204) throw new Error(`HTTP ${answer.status}`);
      return true;
    });
  }
}

// Ending a person's tool sessions without the provider engine: the logout token verifies against
// the published key and carries what Back-Channel Logout 1.0 asks; sessions and grants end first;
// a tool without a logout URI is not called; a failing tool is reported, not thrown.
import { createPublicKey, verify } from 'node:crypto';
import type { DynamoOidcStorage } from '../../../lambdas/adapters/dynamodb-oidc-adapter';
import type { ProviderAccount } from '../../../lambdas/domain/ports';
import { newKeySet } from '../../../lambdas/oidc/keys';
import { BACKCHANNEL_LOGOUT_EVENT, signLogoutToken, ToolLogout } from '../../../lambdas/oidc/tool-logout';
import { silentLog } from '../../support/in-memory';

const anna: ProviderAccount = {
  sub: '2f7a1c1e-0000-4000-8000-000000000001',
  username: 'anna.rossi',
  email: 'anna@example.com',
  emailVerified: true,
  name: 'Anna Rossi',
  enabled: true,
};
const keys = newKeySet(Date.now());

function decode(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

function verifies(token: string): boolean {
  const [header, payload, signature] = token.split('.');
  const key = keys.keys[0];
  if (!key) throw new Error('no key');
  const publicKey = createPublicKey({ key: { kty: key.kty, crv: key.crv, x: key.x, y: key.y }, format: 'jwk' });
  return verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature ?? '', 'base64url'),
  );
}

test('the logout token is an ES256 JWS by the active key with the claims the spec asks', () => {
  const now = Date.now();
  const token = signLogoutToken(keys, { iss: 'https://portal.example', aud: 'tool', sub: anna.sub, sid: 's1' }, now);
  expect(verifies(token)).toBe(true);
  const [header, payload] = token.split('.');
  expect(decode(header)).toEqual({ alg: 'ES256', kid: keys.keys[0]?.kid, typ: 'logout+jwt' });
  const claims = decode(payload);
  expect(claims).toMatchObject({ iss: 'https://portal.example', aud: 'tool', sub: anna.sub, sid: 's1' });
  expect(claims.events).toEqual({ [BACKCHANNEL_LOGOUT_EVENT]: {} });
  expect(claims.nonce).toBeUndefined();
  expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(120);
  // A changed payload no longer verifies.
  const [h, , s] = token.split('.');
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
  expect(verifies(`${h}.${forged}.${s}`)).toBe(false);
});

test('ends sessions and grants first, then tells each tool with a logout URI; a failing tool is reported', async () => {
  const order: string[] = [];
  const storage = {
    listIndexed: async () => [
      {
        model: 'Session',
        id: 'sess-1',
        payload: { authorizations: { good: { sid: 'sid-g', grantId: 'g1' }, silent: { grantId: 'g2' } } },
      },
      { model: 'Grant', id: 'g3', payload: { clientId: 'broken' } },
    ],
    destroy: async (model: string, id: string) => void order.push(`destroy ${model} ${id}`),
    revokeByGrantId: async (id: string) => void order.push(`revoke ${id}`),
    find: async (model: string, id: string) =>
      model === 'Client' && id === 'broken' ? { backchannel_logout_uri: 'https://broken.example/bcl' } : undefined,
  } as unknown as DynamoOidcStorage;
  const posted: { url: string; body: string }[] = [];
  const fakeFetch = (async (url: string, init: { body: string }) => {
    order.push(`post ${url}`);
    posted.push({ url, body: init.body });
    return new Response(null, { status: url.includes('broken') ? 500 : 200 });
  }) as unknown as typeof fetch;
  const tools = new ToolLogout({
    issuer: 'https://portal.example',
    storage,
    accounts: { find: async (login) => (login === 'anna.rossi' ? anna : undefined) },
    keys: async () => keys,
    staticClients: [
      { client_id: 'good', backchannel_logout_uri: 'https://good.example/bcl', redirect_uris: [] },
      { client_id: 'silent', redirect_uris: [] },
    ] as never,
    fetch: fakeFetch,
  });

  const ended = await tools.endSessionsOf('anna.rossi', silentLog);
  expect(ended).toEqual({ sessions: 1, grants: 3, notified: ['good'], failed: ['broken'] });
  // Nothing can be refreshed by the time any tool hears of it.
  expect(order.slice(0, 4)).toEqual(['destroy Session sess-1', 'revoke g1', 'revoke g2', 'revoke g3']);
  const good = posted.find((p) => p.url === 'https://good.example/bcl');
  const token = new URLSearchParams(good?.body).get('logout_token') ?? '';
  expect(verifies(token)).toBe(true);
  expect(decode(token.split('.')[1])).toMatchObject({ aud: 'good', sub: anna.sub, sid: 'sid-g' });
  expect(posted.some((p) => p.url.includes('silent'))).toBe(false);

  await expect(tools.endSessionsOf('nobody', silentLog)).resolves.toBeUndefined();
});

// The OpenID Provider over HTTP, with openid-client as the tool (relying party): discovery, code +
// PKCE, the ID token checked against the JWKS, userinfo, logout, back-channel logout after a
// password reset; and every refusal a tool or an attacker can run into.
import { createPublicKey, verify } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as oidc from 'openid-client';
import { interactionFinishPath } from '../../lambdas/definitions/oidc';
import {
  JarBrowser,
  type ReceivedLogout,
  RP_CALLBACK,
  RP_LOGGED_OUT,
  type TestClient,
} from '../support/oidc-relying-party';
import { baseUrl, newUser, resetLinkFor } from './helpers';
import { configFor, signInThroughPages, startSignIn } from './oidc-helpers';

// Each sign-in is several requests through the whole local stack on a shared machine.
jest.setTimeout(60_000);

const clients = (): TestClient[] => JSON.parse(String(process.env.SUPPORT_ACCESS_OIDC_CLIENTS));
const tool = (id = 'test-tool') => clients().find((c) => c.client_id === id) as TestClient;

async function signedInTool(client = tool(), user?: { username: string; password: string; email: string }) {
  const person = user ?? (await newUser('oidc'));
  const config = await configFor(client);
  const started = await startSignIn(config);
  const { callback } = await signInThroughPages(started, person);
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: started.verifier,
    expectedState: started.state,
    expectedNonce: started.nonce,
  });
  return { person, config, started, tokens, callback };
}

function decodePart(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(part), 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Checks an ES256 JWT against the provider's published JWKS, independently of openid-client. */
async function verifyWithJwks(jwt: string): Promise<Record<string, unknown>> {
  const [header, payload, signature] = jwt.split('.');
  const { kid, alg } = decodePart(header) as { kid: string; alg: string };
  expect(alg).toBe('ES256');
  const jwks = (await (await fetch(`${baseUrl()}/oidc/jwks`)).json()) as { keys: { kid: string }[] };
  const jwk = jwks.keys.find((key) => key.kid === kid);
  expect(jwk).toBeDefined();
  const valid = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key: createPublicKey({ key: jwk as never, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
    Buffer.from(String(signature), 'base64url'),
  );
  expect(valid).toBe(true);
  return decodePart(payload);
}

async function logoutsFor(clientId: string, after: number): Promise<ReceivedLogout[]> {
  const all = (await (await fetch(String(process.env.SUPPORT_ACCESS_LOGOUT_SINK))).json()) as ReceivedLogout[];
  return all.filter((entry) => entry.clientId === clientId && entry.at >= after);
}

async function waitForLogout(clientId: string, sub: string, after: number): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    for (const entry of await logoutsFor(clientId, after)) {
      const claims = await verifyWithJwks(entry.logoutToken);
      if (claims.sub === sub) return claims;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no back-channel logout for ${clientId} and ${sub}`);
}

function localTable(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: process.env.SUPPORT_ACCESS_DYNAMODB,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}

describe('a tool signs a person in (code + PKCE)', () => {
  it('publishes discovery with the issuer, S256 only and the code flow only', async () => {
    const response = await fetch(`${baseUrl()}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(baseUrl());
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    expect(discovery.response_types_supported).toEqual(['code']);
    expect(discovery.jwks_uri).toBe(`${baseUrl()}/oidc/jwks`);
    expect(discovery.backchannel_logout_supported).toBe(true);
    expect(discovery.id_token_signing_alg_values_supported).toEqual(['ES256']);
  });

  it('returns to the tool with a code; the ID token verifies against the JWKS and names the person', async () => {
    const { person, tokens, started } = await signedInTool();
    const claims = tokens.claims();
    expect(claims).toBeDefined();
    const idToken = await verifyWithJwks(String(tokens.id_token));
    expect(idToken).toMatchObject({
      iss: baseUrl(),
      aud: 'test-tool',
      nonce: started.nonce,
      email: person.email,
      email_verified: true,
      preferred_username: person.username,
      amr: ['pwd'],
      acr: 'urn:support-access:acr:pwd',
    });
    expect(idToken.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof idToken.auth_time).toBe('number');
    expect(tokens.refresh_token).toBeUndefined();

    const userinfo = await oidc.fetchUserInfo(await configFor(tool()), tokens.access_token, String(idToken.sub));
    expect(userinfo).toMatchObject({ sub: idToken.sub, email: person.email, preferred_username: person.username });
  });

  it('the same sub every time for the same person', async () => {
    const person = await newUser('stable');
    const first = await signedInTool(tool(), person);
    const second = await signedInTool(tool(), person);
    expect(second.tokens.claims()?.sub).toBe(first.tokens.claims()?.sub);
  });

  it('a valid Support Access session finishes the next sign-in without asking', async () => {
    const { config, started: earlier, person } = await signedInTool();
    const again = await startSignIn(config);
    const hop = await earlier.browser.follow(again.url.href, baseUrl());
    expect(hop.location).toMatch(new RegExp(`^${RP_CALLBACK}\\?code=`));
    const tokens = await oidc.authorizationCodeGrant(config, new URL(String(hop.location)), {
      pkceCodeVerifier: again.verifier,
      expectedState: again.state,
      expectedNonce: again.nonce,
    });
    expect(tokens.claims()?.preferred_username).toBe(person.username);
  });

  it('prompt=login asks for the password again even with a valid session', async () => {
    const { config, started: earlier } = await signedInTool();
    const again = await startSignIn(config, { prompt: 'login' });
    const hop = await earlier.browser.follow(again.url.href, baseUrl());
    expect(hop.location).toBeUndefined();
    expect(hop.url).toMatch(/\?interaction=/);
    const uid = new URL(hop.url).searchParams.get('interaction');
    const finish = await earlier.browser.request(`${baseUrl()}${interactionFinishPath(String(uid))}`, {
      method: 'POST',
      origin: baseUrl(),
    });
    expect(finish.status).toBe(401);
  });

  it('a tool registered for refresh tokens gets one; others do not', async () => {
    const { tokens, config } = await signedInTool(tool('refreshing-tool'));
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const refreshed = await oidc.refreshTokenGrant(config, String(tokens.refresh_token));
    expect(refreshed.access_token).toEqual(expect.any(String));
  });

  it('logs out through the end-session endpoint and ends the Support Access session too', async () => {
    const { config, tokens, started } = await signedInTool();
    const { browser } = started;
    const endUrl = oidc.buildEndSessionUrl(config, {
      id_token_hint: String(tokens.id_token),
      post_logout_redirect_uri: RP_LOGGED_OUT,
      state: 'bye',
    });
    const question = await browser.request(endUrl.href);
    expect(question.status).toBe(200);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(question.body)?.[1];
    const action = /action="([^"]+)"/.exec(question.body)?.[1];
    expect(xsrf).toBeDefined();
    const confirm = await browser.request(new URL(String(action), baseUrl()).href, {
      method: 'POST',
      origin: baseUrl(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf: String(xsrf), logout: 'yes' }).toString(),
    });
    expect(confirm.status).toBe(303);
    expect(confirm.location).toBe(`${RP_LOGGED_OUT}?state=bye`);
    const session = await browser.request(`${baseUrl()}/api/session`);
    expect(session.status).toBe(401);
  });
});

describe('back-channel logout', () => {
  it('a password reset sends the tool a valid logout token for the person', async () => {
    const { person, tokens } = await signedInTool();
    const sub = String(tokens.claims()?.sub);
    const before = Date.now();
    const token = await resetLinkFor(person);
    const confirm = await fetch(`${baseUrl()}/api/password-reset/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl() },
      body: JSON.stringify({ token }),
    });
    expect(confirm.status).toBe(200);
    const logout = await waitForLogout('test-tool', sub, before);
    expect(logout).toMatchObject({ iss: baseUrl(), aud: 'test-tool', sub });
    expect(logout.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });
    expect(logout.nonce).toBeUndefined();
    // The tool's tokens stop working: userinfo refuses the access token.
    await expect(oidc.fetchUserInfo(await configFor(tool()), tokens.access_token, sub)).rejects.toThrow();
  });

  it('signing out of Support Access tells the tool too', async () => {
    const { tokens, started } = await signedInTool();
    const sub = String(tokens.claims()?.sub);
    const before = Date.now();
    const out = await started.browser.request(`${baseUrl()}/api/session`, { method: 'DELETE', origin: baseUrl() });
    expect(out.status).toBe(200);
    await waitForLogout('test-tool', sub, before);
  });
});

describe('refusals', () => {
  it('an unknown client gets an error page, never a redirect', async () => {
    const config = await configFor({ ...tool(), client_id: 'nobody' });
    const { url } = await startSignIn(config);
    const hop = await new JarBrowser().request(url.href);
    expect(hop.status).toBe(400);
    expect(hop.location).toBeUndefined();
    expect(hop.body).toContain('invalid_client');
  });

  it('a redirect URI that is not registered exactly gets an error page, never a redirect', async () => {
    const config = await configFor(tool());
    for (const redirect of [
      `${RP_CALLBACK}/x`,
      `${RP_CALLBACK}?x=1`,
      'http://127.0.0.1:9/CALLBACK',
      'https://evil.example/cb',
    ]) {
      const { url } = await startSignIn(config, { redirect_uri: redirect });
      const hop = await new JarBrowser().request(url.href);
      expect(hop.status).toBe(400);
      expect(hop.location).toBeUndefined();
      expect(hop.body).toContain('redirect_uri');
    }
  });

  it.each([
    ['missing', {}],
    ['plain', { code_challenge_method: 'plain' }],
  ])('a %s PKCE challenge is refused back to the tool', async (_name, extra) => {
    const config = await configFor(tool());
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: RP_CALLBACK,
      scope: 'openid',
      state: 's',
      ...(Object.keys(extra).length > 0 ? { code_challenge: 'a'.repeat(43), ...extra } : {}),
    });
    const hop = await new JarBrowser().request(url.href);
    expect(hop.status).toBe(303);
    const location = new URL(String(hop.location));
    expect(location.origin + location.pathname).toBe(RP_CALLBACK);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('a code works once: the replay is refused and the first tokens are revoked', async () => {
    const { config, callback, started, tokens } = await signedInTool();
    await expect(
      oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: started.verifier,
        expectedState: started.state,
        expectedNonce: started.nonce,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.fetchUserInfo(config, tokens.access_token, String(tokens.claims()?.sub))).rejects.toThrow();
  });

  it('a wrong code verifier is refused', async () => {
    const person = await newUser('pkce');
    const config = await configFor(tool());
    const started = await startSignIn(config);
    const { callback } = await signInThroughPages(started, person);
    await expect(
      oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
        expectedState: started.state,
        expectedNonce: started.nonce,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('a wrong client secret is refused at the token endpoint', async () => {
    const person = await newUser('secret');
    const config = await configFor(tool());
    const started = await startSignIn(config);
    const { callback } = await signInThroughPages(started, person);
    const wrong = await configFor(tool(), 'not-the-secret-not-the-secret-not-the-secret');
    await expect(
      oidc.authorizationCodeGrant(wrong, callback, {
        pkceCodeVerifier: started.verifier,
        expectedState: started.state,
        expectedNonce: started.nonce,
      }),
    ).rejects.toMatchObject({ error: 'invalid_client' });
  });

  it('an expired code is refused', async () => {
    const person = await newUser('expired');
    const config = await configFor(tool());
    const started = await startSignIn(config);
    const { callback } = await signInThroughPages(started, person);
    const code = String(callback.searchParams.get('code'));
    const db = localTable();
    await db.send(
      new UpdateCommand({
        TableName: process.env.SUPPORT_ACCESS_TABLE,
        Key: { pk: `OIDC#AuthorizationCode#${code}`, sk: 'OIDC' },
        UpdateExpression: 'SET expiresAt = :past',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':past': Date.now() - 1000 },
      }),
    );
    db.destroy();
    await expect(
      oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: started.verifier,
        expectedState: started.state,
        expectedNonce: started.nonce,
      }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('finishing an interaction from another site is refused', async () => {
    const config = await configFor(tool());
    const started = await startSignIn(config);
    const toLogin = await started.browser.follow(started.url.href, `${baseUrl()}/oidc/`);
    const uid = new URL(String(toLogin.location)).searchParams.get('interaction');
    expect(uid).toMatch(/^[\w-]+$/);
    const finish = await started.browser.request(`${baseUrl()}${interactionFinishPath(String(uid))}`, {
      method: 'POST',
      origin: 'https://evil.example',
    });
    expect(finish.status).toBe(403);
  });
});

// Signing in through the provider as a tool and a browser would, for the provider's integration tests.
import * as oidc from 'openid-client';
import { interactionFinishPath } from '../../lambdas/definitions/oidc';
import { JarBrowser, RP_CALLBACK, type TestClient } from '../support/oidc-relying-party';
import { baseUrl } from './helpers';

export async function configFor(client: TestClient, secret = client.client_secret): Promise<oidc.Configuration> {
  const config = await oidc.discovery(new URL(baseUrl()), client.client_id, secret, undefined, {
    execute: [oidc.allowInsecureRequests],
  });
  // Verify every JWT's signature against the JWKS, not only trust the TLS channel.
  oidc.enableNonRepudiationChecks(config);
  return config;
}

export interface Started {
  readonly browser: JarBrowser;
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
  readonly url: URL;
}

export async function startSignIn(config: oidc.Configuration, extra: Record<string, string> = {}): Promise<Started> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: RP_CALLBACK,
    scope: 'openid email profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { browser: new JarBrowser(), verifier, state, nonce, url };
}

/** The browser part: the tool's link, our login page, sign-in, back to the tool's callback. */
export async function signInThroughPages(
  started: Started,
  user: { username: string; password: string },
): Promise<{ callback: URL; loginPage: string }> {
  const { browser } = started;
  const origin = baseUrl();
  const toLogin = await browser.follow(started.url.href, `${origin}/oidc/`);
  // The provider's interaction route sends the browser on to our login page.
  const loginPage = String(toLogin.location);
  const uid = new URL(loginPage).searchParams.get('interaction');
  expect(uid).toMatch(/^[\w-]+$/);
  const signIn = await browser.request(`${origin}/api/session`, {
    method: 'POST',
    origin,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, password: user.password }),
  });
  expect(signIn.status).toBe(200);
  const finish = await browser.request(`${origin}${interactionFinishPath(String(uid))}`, { method: 'POST', origin });
  expect(finish.status).toBe(200);
  const { redirectTo } = JSON.parse(finish.body) as { redirectTo: string };
  const back = await browser.follow(redirectTo, origin);
  expect(back.location).toMatch(new RegExp(`^${RP_CALLBACK}\\?`));
  return { callback: new URL(String(back.location)), loginPage };
}

// Builds the OpenID Provider (oidc-provider, OpenID Certified) with this portal's choices: code
// flow with PKCE S256 for every client, exact redirect URIs, ES256 keys from the key secret, every
// lifetime explicit, storage in the portal's table, the login interaction on our own pages.
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { DynamoOidcStorage } from '../adapters/dynamodb-oidc-adapter';
import { pickLanguage } from '../definitions/languages';
import { interactionPath, oidcClaims, oidcLifetimes, oidcRoutes, SIGNING_ALGORITHM } from '../definitions/oidc';
import { loginUrl } from '../definitions/routes';
import { acrValues } from '../definitions/second-factors';
import type { Log, ProviderAccounts, SessionStore } from '../domain/ports';
import { type ClientMetadataInput, HOME_URL, isAllowedUri, withDefaults } from './clients';
import { type KeySet, providerJwks } from './keys';
import { errorPage, logoutPage, PAGE_CSP, signedOutPage } from './pages';

export interface ProviderDeps {
  /** The site's origin: issuer and base of every endpoint. */
  readonly issuer: string;
  readonly portalName: string;
  readonly secureCookies: boolean;
  readonly keys: KeySet;
  readonly storage: DynamoOidcStorage;
  readonly accounts: ProviderAccounts;
  readonly sessions: SessionStore;
  /** Clients from OIDC_CLIENTS (local runner, tests); registered ones live in the table. */
  readonly staticClients: readonly ClientMetadataInput[];
  readonly log: Log;
  /**
   * Lets back-channel logout reach tools on this machine. oidc-provider refuses special-use
   * addresses (loopback, private ranges) against SSRF; only the local runner (a plain-http
   * localhost site) turns this on.
   */
  readonly allowLoopbackTools?: boolean;
}

const SCOPES = ['openid', 'email', 'profile', 'offline_access'];

function language(ctx: { get(name: string): string }) {
  return pickLanguage(undefined, ctx.get('accept-language'));
}

/**
 * Every tool is registered by ops (or OIDC_CLIENTS): first-party, so nobody is asked to consent.
 * The grant covers the OpenID scopes the tool asked for, and offline_access only for tools
 * registered with the refresh_token grant.
 */
async function firstPartyGrant(ctx: KoaContextWithOIDC) {
  const { client, session, params, provider } = ctx.oidc;
  if (!client || !session?.accountId) return undefined;
  const requested = String(params?.scope ?? 'openid')
    .split(' ')
    .filter((scope) => SCOPES.includes(scope))
    .filter((scope) => scope !== 'offline_access' || client.grantTypeAllowed('refresh_token'));
  const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  const existing = grantId ? await provider.Grant.find(grantId) : undefined;
  const grant =
    existing && existing.accountId === session.accountId
      ? existing
      : new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  grant.addOIDCScope(requested.join(' '));
  await grant.save();
  return grant;
}

export function buildProvider(deps: ProviderDeps): Provider {
  const configuration: Configuration = {
    ...(deps.allowLoopbackTools
      ? {
          fetch: (url: string | URL | Request, options?: RequestInit) =>
            globalThis.fetch(url, { ...options, dispatcher: undefined } as RequestInit),
        }
      : {}),
    adapter: (name: string) => deps.storage.forModel(name),
    clients: deps.staticClients.map((client) => withDefaults(client)) as unknown as Configuration['clients'],
    jwks: providerJwks(deps.keys) as Configuration['jwks'],
    cookies: {
      keys: [...deps.keys.cookieKeys],
      long: { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies },
      short: { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies },
    },
    async findAccount(_ctx, sub) {
      const account = await deps.accounts.find(sub);
      // A disabled person's tokens stop working at once: no account, no userinfo, no refresh.
      if (!account || account.sub !== sub || !account.enabled) return undefined;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            email: account.email,
            email_verified: account.emailVerified,
            name: account.name ?? account.username,
            preferred_username: account.username,
          };
        },
      };
    },
    claims: {
      // Claims of the authentication itself, in every ID token (OpenID Connect Core 2).
      acr: null,
      amr: null,
      auth_time: null,
      iss: null,
      sid: null,
      ...Object.fromEntries(Object.entries(oidcClaims).map(([scope, claims]) => [scope, [...claims]])),
    },
    scopes: SCOPES,
    // acr_values_supported, and the acr claim in every ID token (from the session's amr).
    acrValues: Object.values(acrValues),
    // The claims go into the ID token as well as userinfo: ticketing tools read them from there.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: SIGNING_ALGORITHM,
    },
    enabledJWA: { idTokenSigningAlgValues: [SIGNING_ALGORITHM], userinfoSigningAlgValues: [SIGNING_ALGORITHM] },
    extraClientMetadata: {
      properties: [HOME_URL],
      validator(_ctx, key, value) {
        if (key === HOME_URL && value !== undefined && !(typeof value === 'string' && isAllowedUri(value))) {
          throw new Error(`${HOME_URL} must be an absolute https URL`);
        }
      },
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    loadExistingGrant: firstPartyGrant,
    allowOmittingSingleRegisteredRedirectUri: false,
    interactions: { url: (_ctx, interaction) => interactionPath(interaction.uid) },
    routes: { ...oidcRoutes },
    ttl: { ...oidcLifetimes },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      revocation: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.set('content-security-policy', PAGE_CSP);
          ctx.type = 'html';
          ctx.body = logoutPage(language(ctx), deps.portalName, form);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.set('content-security-policy', PAGE_CSP);
          ctx.type = 'html';
          ctx.body = signedOutPage(language(ctx), deps.portalName, loginUrl(deps.issuer));
        },
      },
    },
    async renderError(ctx, out, error) {
      deps.log.info('provider refused a request', { error: out.error, description: out.error_description });
      ctx.set('content-security-policy', PAGE_CSP);
      ctx.type = 'html';
      const expired = error instanceof Error && error.name === 'SessionNotFound';
      ctx.body = errorPage(language(ctx), deps.portalName, out, expired);
    },
  };
  const provider = new Provider(deps.issuer, configuration);
  // Behind CloudFront and API Gateway: the handler pins the forwarded host and protocol to the issuer.
  provider.proxy = true;
  provider.on('server_error', (_ctx, error) => deps.log.error('provider error', { error }));
  provider.on('backchannel.error', (_ctx, error, client) =>
    deps.log.warn('back-channel logout failed', { clientId: client.clientId, error: String(error) }),
  );
  return provider;
}

// The OpenID Provider's fixed facts, in one place: where it answers, how long each thing it issues
// lives, which claims it releases. The provider function, the local runner, the CDK stack, the
// pages and the ops tool all read them from here.

/** Every provider endpoint lives under this path, beside discovery at /.well-known/. */
export const OIDC_PREFIX = '/oidc';
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/** Endpoint paths, relative to the issuer (the site's origin). */
export const oidcRoutes = {
  authorization: `${OIDC_PREFIX}/auth`,
  token: `${OIDC_PREFIX}/token`,
  userinfo: `${OIDC_PREFIX}/me`,
  jwks: `${OIDC_PREFIX}/jwks`,
  end_session: `${OIDC_PREFIX}/session/end`,
  revocation: `${OIDC_PREFIX}/token/revocation`,
} as const;

/**
 * Our own routes inside the provider function. The interaction route is where the provider sends
 * the browser for a login; its `_interaction` cookie is scoped to it, so finishing happens there too.
 */
export const interactionPath = (uid: string): string => `${OIDC_PREFIX}/interaction/${uid}`;
export const interactionFinishPath = (uid: string): string => `${interactionPath(uid)}/login`;
/** Tools registered with a home URL, for the signed-in page ("Continue to ..."). */
export const TOOLS_PATH = `${OIDC_PREFIX}/tools`;
/** The login page's query parameter that carries an interaction's uid. */
export const INTERACTION_PARAM = 'interaction';

/** Lifetimes, in seconds. Each one is set explicitly (oidc-provider warns about any left to it). */
export const oidcLifetimes = {
  /** A code is exchanged within seconds by a working tool; a minute covers slow networks. */
  AuthorizationCode: 60,
  AccessToken: 10 * 60,
  IdToken: 60 * 60,
  /** Only for clients registered with the refresh_token grant. */
  RefreshToken: 8 * 60 * 60,
  /** How long a person has to sign in on our page once a tool sent them. */
  Interaction: 30 * 60,
  /** The provider's session follows ours: no longer than a Support Access session (8 h). */
  Session: 8 * 60 * 60,
  Grant: 8 * 60 * 60,
  ClientCredentials: 10 * 60,
  DeviceCode: 10 * 60,
  BackchannelAuthenticationRequest: 10 * 60,
  PreAuthorizedCode: 10 * 60,
} as const;

/**
 * The longest anything signed with a key stays valid: a key that stopped signing is kept in the
 * JWKS this long (plus the key cache below) before it is dropped.
 */
export const longestSignedLifetimeSeconds = Math.max(oidcLifetimes.IdToken, oidcLifetimes.AccessToken);
/** The provider function reloads its signing keys at most this often. */
export const keyCacheSeconds = 5 * 60;

/** Scopes and the claims each releases (OpenID Connect Core 5.4). */
export const oidcClaims = {
  // auth_time, amr and acr describe the sign-in itself; every ID token carries them.
  openid: ['sub', 'auth_time', 'amr', 'acr'],
  email: ['email', 'email_verified'],
  profile: ['name', 'preferred_username'],
} as const;

export const SIGNING_ALGORITHM = 'ES256';

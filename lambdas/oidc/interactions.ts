// Our routes inside the provider: the login interaction is answered by a Support Access session.
//   GET  /oidc/interaction/<uid>        where the provider sends the browser: finishes at once when
//                                       the session suffices, otherwise shows our login page
//   POST /oidc/interaction/<uid>/login  the login page, after a sign-in: { redirectTo } or 401
//   GET  /oidc/tools                    tools with a home URL, for the signed-in page
// Both interaction routes sit under the path the provider scopes its `_interaction` cookie to.
import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { InteractionResults, KoaContextWithOIDC } from 'oidc-provider';
import { CLIENT_LIST_KEY, type DynamoOidcStorage } from '../adapters/dynamodb-oidc-adapter';
import { INTERACTION_PARAM, OIDC_PREFIX, oidcLifetimes, TOOLS_PATH } from '../definitions/oidc';
import { pages } from '../definitions/routes';
import { acrFor } from '../definitions/second-factors';
import { NotSignedIn } from '../domain/errors';
import type { Clock, CredentialGenerations, Log, ProviderAccounts, SessionStore } from '../domain/ports';
import { liveSession } from '../domain/sessions';
import { cookieName } from '../http/responses';
import { HOME_URL } from './clients';

export interface InteractionDeps {
  readonly issuer: string;
  readonly secureCookies: boolean;
  readonly sessions: SessionStore;
  /** A reset or a disable since the sign-in ends the session here too (lambdas/domain/sessions.ts). */
  readonly generations: CredentialGenerations;
  readonly idleMinutes: number;
  readonly accounts: ProviderAccounts;
  readonly storage: DynamoOidcStorage;
  readonly staticClients: readonly { client_id: string; client_name?: string; [HOME_URL]?: string }[];
  readonly clock: Clock;
  readonly log: Log;
}

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

const ROUTE = new RegExp(`^${OIDC_PREFIX}/interaction/([\\w-]{1,64})(/login)?$`);

/**
 * When we first saw an interaction whose tool asked for a fresh sign-in (prompt=login), to the
 * millisecond (the provider's own `iat` has whole seconds only): a session started before it does
 * not count.
 */
async function freshSignInSince(uid: string, deps: Pick<InteractionDeps, 'storage' | 'clock'>): Promise<number> {
  const marker = await deps.storage.find(LOGIN_PROMPT_MODEL, uid);
  if (typeof marker?.at === 'number') return marker.at;
  const now = deps.clock.now();
  await deps.storage.upsert(LOGIN_PROMPT_MODEL, uid, { at: now }, oidcLifetimes.Interaction);
  return now;
}

const LOGIN_PROMPT_MODEL = 'LoginPrompt';

/**
 * The login result for this interaction from the browser's Support Access session, or why not.
 * The client decides how fresh a sign-in must be: `prompt=login` wants one made after the tool
 * asked (`freshSince`); `max_age` bounds the age of the sign-in.
 */
export async function loginFromSession(
  interaction: Pick<Interaction, 'params'>,
  sessionCookie: string | undefined,
  freshSince: number | undefined,
  deps: Pick<InteractionDeps, 'sessions' | 'generations' | 'idleMinutes' | 'accounts' | 'clock' | 'log'>,
): Promise<InteractionResults | 'login_required'> {
  // The same rules as every other use of the session: absolute and idle lifetime, credential generation.
  const session = await liveSession(sessionCookie, deps).catch((error: unknown) => {
    if (error instanceof NotSignedIn) return undefined;
    throw error;
  });
  if (!session) return 'login_required';
  const now = deps.clock.now();
  if (freshSince !== undefined && session.createdAt <= freshSince) return 'login_required';
  const maxAge = Number(interaction.params.max_age);
  if (interaction.params.max_age !== undefined && Number.isFinite(maxAge) && now - session.createdAt > maxAge * 1000) {
    return 'login_required';
  }
  const account = await deps.accounts.find(session.username);
  if (!account?.enabled) return 'login_required';
  // How the person signed in, as the session recorded it (RFC 8176); a record from before amr was
  // recorded was a password sign-in.
  const amr = session.amr && session.amr.length > 0 ? [...session.amr] : ['pwd'];
  return {
    login: { accountId: account.sub, amr, acr: acrFor(amr), ts: Math.floor(session.createdAt / 1000), remember: true },
  };
}

function isSameOrigin(ctx: KoaContextWithOIDC, issuer: string): boolean {
  const origin = ctx.get('origin');
  return origin === issuer || (origin === '' && ctx.get('sec-fetch-site') !== 'cross-site');
}

function json(ctx: KoaContextWithOIDC, status: number, body: unknown): void {
  ctx.status = status;
  ctx.set('cache-control', 'no-store');
  ctx.body = body;
}

/** Registered tools with a home URL: OIDC_CLIENTS first, then those ops added to the table. */
async function listTools(deps: InteractionDeps): Promise<{ name: string; url: string }[]> {
  const stored = await deps.storage.listIndexed(CLIENT_LIST_KEY);
  const all = [
    ...deps.staticClients,
    ...stored.map((item) => item.payload as InteractionDeps['staticClients'][number]),
  ];
  return all
    .filter((client) => typeof client[HOME_URL] === 'string')
    .map((client) => ({ name: client.client_name ?? client.client_id, url: String(client[HOME_URL]) }));
}

export function interactionRoutes(provider: Provider, deps: InteractionDeps): Middleware {
  const sessionCookieName = cookieName('session', deps.secureCookies);
  return async (ctx, next) => {
    const oidcCtx = ctx as unknown as KoaContextWithOIDC;
    if (ctx.path === TOOLS_PATH && ctx.method === 'GET') {
      json(oidcCtx, 200, { tools: await listTools(deps) });
      return;
    }
    const match = ROUTE.exec(ctx.path);
    if (!match) return next();
    const [, uid, finish] = match;
    if ((finish && ctx.method !== 'POST') || (!finish && ctx.method !== 'GET')) {
      ctx.status = 405;
      return;
    }
    if (finish && !isSameOrigin(oidcCtx, deps.issuer)) {
      json(oidcCtx, 403, { error: 'forbidden', message: 'This request came from another site and was refused.' });
      return;
    }
    let interaction: Interaction;
    try {
      interaction = await provider.interactionDetails(ctx.req, ctx.res);
    } catch {
      // No interaction cookie, or it expired: the person has to start again from the tool.
      if (finish) {
        json(oidcCtx, 410, {
          error: 'interaction_expired',
          message: 'This sign-in took too long. Go back to the tool and sign in again.',
        });
      } else {
        ctx.status = 303;
        ctx.redirect(`${pages.login.path}?${INTERACTION_PARAM}=expired`);
      }
      return;
    }
    if (interaction.uid !== uid) {
      json(oidcCtx, 400, { error: 'invalid_interaction', message: 'Go back to the tool and sign in again.' });
      return;
    }
    const sessionCookie = ctx.cookies.get(sessionCookieName);
    const wantsFresh = String(interaction.params.prompt ?? '')
      .split(' ')
      .includes('login');
    const freshSince = wantsFresh ? await freshSignInSince(interaction.uid, deps) : undefined;
    const result =
      interaction.prompt.name === 'login'
        ? await loginFromSession(interaction, sessionCookie, freshSince, deps)
        : // Consent is never asked (first-party tools); the grant is made by loadExistingGrant.
          { consent: {} };
    if (result === 'login_required') {
      if (finish) {
        json(oidcCtx, 401, { error: 'login_required', message: 'Sign in to continue to the tool.' });
      } else {
        ctx.status = 303;
        ctx.redirect(`${pages.login.path}?${INTERACTION_PARAM}=${encodeURIComponent(interaction.uid)}`);
      }
      return;
    }
    const redirectTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    deps.log.info('interaction finished', { clientId: interaction.params.client_id, prompt: interaction.prompt.name });
    if (finish) {
      json(oidcCtx, 200, { redirectTo });
    } else {
      ctx.status = 303;
      ctx.redirect(redirectTo);
    }
  };
}

// What the session handlers share: their dependencies and how a sign-in result becomes cookies.

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { lifetimeConfig, requireSecondFactorEnv, siteConfig } from './config';
import type { Language } from './definitions/languages';
import { lifetimeDefaults } from './definitions/lifetimes';
import { relyingParty } from './definitions/passkeys';
import { secondStepDefaults } from './definitions/second-factors';
import type { SecretSealer, SecurityMailer } from './domain/ports';
import { systemClock } from './domain/ports';
import { currentSession, type SessionDeps, type SessionLookupDeps, type SignInResult } from './domain/sessions';
import type { RequestScope } from './http/handler';
import { cookie, requestLanguage, sourceIp } from './http/request';
import { clearCookie, cookieName, json, type Response, setCookie } from './http/responses';
import {
  credentialGenerations,
  factorStore,
  rateCounter,
  rateLimits,
  sessionStore,
  temporaryPasswordStore,
  userDirectory,
} from './wiring';

export const site = siteConfig();

/** The passkeys' relying party: this site (its host name and origin), named as the portal. */
const relyingPartyOfSite = { ...relyingParty(site.siteUrl), name: site.portalName } as const;

/** The factor key and the security-notice mailer: only the functions that use them get them. */
export type SecondFactorAdapters = Pick<SessionDeps, 'sealer' | 'securityMailer'>;

function notGranted(what: string): never {
  throw new Error(`this function has no ${what} (lambdas/session-deps.ts): pass it to signInDeps in its handler`);
}

/**
 * For functions that neither seal nor open a secret nor send a notice (signing in only reads which
 * factors exist): their bundles hold no KMS or SES client, their roles no grant for them.
 */
const withoutSecrets: SecondFactorAdapters = {
  sealer: {
    seal: async () => notGranted('factor key'),
    open: async () => notGranted('factor key'),
  } satisfies SecretSealer,
  securityMailer: { sendSecurityNotice: async () => notGranted('security-notice mailer') } satisfies SecurityMailer,
};

/**
 * What signing in, the second step and the account handlers need: the directory (Cognito) among
 * them. Call it once, at module load, from the handler; it builds its clients then. Handlers that
 * use the factor key or send security notices pass those adapters (wiring's secretSealer,
 * securityMailer).
 */
export function signInDeps(adapters: Partial<SecondFactorAdapters> = {}): (scope: RequestScope) => SessionDeps {
  const sealer = adapters.sealer ?? withoutSecrets.sealer;
  const securityMailer = adapters.securityMailer ?? withoutSecrets.securityMailer;
  const contextWords = [...site.portalName.split(/\s+/), site.portalName, 'password', 'support', 'welcome'];
  const { sessionMinutes, sessionIdleMinutes } = lifetimeConfig();
  const users = userDirectory();
  const sessions = sessionStore();
  const temporaryPasswords = temporaryPasswordStore();
  const counter = rateCounter();
  const generations = credentialGenerations();
  const limits = rateLimits();
  const factors = factorStore();
  const requireSecondFactor = requireSecondFactorEnv();
  return (scope) => ({
    users,
    failures: counter,
    signInLimits: {
      perAccount: limits.signInPerAccount,
      perAccountAndSource: limits.signInPerAccountAndSource,
      perSource: limits.perIp['session-create'],
    },
    sessions,
    temporaryPasswords,
    clock: systemClock,
    log: scope.log,
    generations,
    sessionMinutes,
    idleMinutes: sessionIdleMinutes,
    challengeSeconds: lifetimeDefaults.challengeSeconds,
    contextWords,
    factors,
    sealer,
    secondFactorLimit: limits.secondFactorPerAccount,
    issuer: site.portalName,
    secondStepSeconds: secondStepDefaults.stepSeconds,
    requireSecondFactor,
    securityMailer,
    portalName: site.portalName,
  });
}

/** signInDeps with the passkeys' relying party: for the functions that check or register passkeys. */
export function passkeySignInDeps(
  adapters: Partial<SecondFactorAdapters> = {},
): (scope: RequestScope) => SessionDeps & { relyingParty: typeof relyingPartyOfSite } {
  const deps = signInDeps(adapters);
  return (scope) => ({ ...deps(scope), relyingParty: relyingPartyOfSite });
}

/** What reading or ending a session needs: the session store and the generations, and no Cognito client. */
export function sessionLookupDeps(): (scope: RequestScope) => SessionLookupDeps {
  const { sessionIdleMinutes } = lifetimeConfig();
  const sessions = sessionStore();
  const generations = credentialGenerations();
  return (scope) => ({ sessions, generations, clock: systemClock, log: scope.log, idleMinutes: sessionIdleMinutes });
}

/** The language and source address a security notice names. */
export function noticeContext(event: APIGatewayProxyEventV2): { language: Language; sourceIp: string } {
  return { language: requestLanguage(event, undefined), sourceIp: sourceIp(event) };
}

/** The session cookie of a request, if any. */
export function sessionCookie(event: APIGatewayProxyEventV2): string | undefined {
  return cookie(event, cookieName('session', site.secureCookies));
}

/** The signed-in person of a request, or NotSignedIn. */
export function signedIn(event: APIGatewayProxyEventV2, deps: SessionLookupDeps) {
  return currentSession(sessionCookie(event), deps);
}

/** The step cookie of a sign-in still in progress. */
export function stepCookie(event: APIGatewayProxyEventV2): string | undefined {
  return cookie(event, cookieName('step', site.secureCookies));
}

export function signInResponse(result: SignInResult, extra: Record<string, unknown> = {}, status = 200): Response {
  if (result.kind === 'second_factor_required' || result.kind === 'enrolment_required') {
    const verify = result.kind === 'second_factor_required';
    return json(
      200,
      {
        challenge: verify ? 'SECOND_FACTOR' : 'SECOND_FACTOR_SETUP',
        username: result.username,
        ...(verify ? { methods: result.methods } : {}),
        message: verify
          ? 'Enter the code from your authenticator app (or a recovery code) to finish signing in.'
          : 'Set up an authenticator app to finish signing in: this portal requires a second factor.',
      },
      {
        cookies: [
          setCookie('step', result.step.value, result.step.maxAgeSeconds, site.secureCookies),
          clearCookie('challenge', site.secureCookies),
        ],
      },
    );
  }
  if (result.kind === 'new_password_required') {
    return json(
      200,
      {
        challenge: 'NEW_PASSWORD_REQUIRED',
        username: result.username,
        ...(result.emailLocalPart ? { emailLocalPart: result.emailLocalPart } : {}),
        message: 'Choose a new password to finish signing in.',
      },
      { cookies: [setCookie('challenge', result.challenge.value, result.challenge.maxAgeSeconds, site.secureCookies)] },
    );
  }
  return json(
    status,
    { username: result.username, ...extra },
    {
      cookies: [
        setCookie('session', result.session.value, result.session.maxAgeSeconds, site.secureCookies),
        clearCookie('challenge', site.secureCookies),
        clearCookie('step', site.secureCookies),
      ],
    },
  );
}

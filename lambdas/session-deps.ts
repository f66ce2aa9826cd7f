// What the session handlers share: their dependencies and how a sign-in result becomes cookies.
import { lifetimeConfig, siteConfig } from './config';
import { lifetimeDefaults } from './definitions/lifetimes';
import { systemClock } from './domain/ports';
import type { SessionDeps, SessionLookupDeps, SignInResult } from './domain/sessions';
import type { RequestScope } from './http/handler';
import { clearCookie, json, type Response, setCookie } from './http/responses';
import {
  credentialGenerations,
  rateCounter,
  rateLimits,
  sessionStore,
  temporaryPasswordStore,
  userDirectory,
} from './wiring';

export const site = siteConfig();

/**
 * What signing in and choosing a new password need: the directory (Cognito) among them. Call it
 * once, at module load, from the handlers that sign in; it builds their clients then.
 */
export function signInDeps(): (scope: RequestScope) => SessionDeps {
  const contextWords = [...site.portalName.split(/\s+/), site.portalName, 'password', 'support', 'welcome'];
  const { sessionMinutes, sessionIdleMinutes } = lifetimeConfig();
  const users = userDirectory();
  const sessions = sessionStore();
  const temporaryPasswords = temporaryPasswordStore();
  const counter = rateCounter();
  const generations = credentialGenerations();
  const limits = rateLimits();
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
    portalName: site.portalName,
  });
}

/** What reading or ending a session needs: the session store and the generations, and no Cognito client. */
export function sessionLookupDeps(): (scope: RequestScope) => SessionLookupDeps {
  const { sessionIdleMinutes } = lifetimeConfig();
  const sessions = sessionStore();
  const generations = credentialGenerations();
  return (scope) => ({ sessions, generations, clock: systemClock, log: scope.log, idleMinutes: sessionIdleMinutes });
}

export function signInResponse(result: SignInResult): Response {
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
    200,
    { username: result.username },
    {
      cookies: [
        setCookie('session', result.session.value, result.session.maxAgeSeconds, site.secureCookies),
        clearCookie('challenge', site.secureCookies),
      ],
    },
  );
}

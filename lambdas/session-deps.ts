// What the session handlers share: their dependencies and how a sign-in result becomes cookies.
import { lifetimeConfig, siteConfig } from './config';
import { lifetimeDefaults } from './definitions/lifetimes';
import { systemClock } from './domain/ports';
import type { SessionDeps, SignInResult } from './domain/sessions';
import type { RequestScope } from './http/handler';
import { clearCookie, json, type Response, setCookie } from './http/responses';
import { rateCounter, rateLimits, sessionStore, temporaryPasswordStore, userDirectory } from './wiring';

export const site = siteConfig();
const contextWords = [...site.portalName.split(/\s+/), site.portalName, 'password', 'support', 'welcome'];
const { sessionMinutes } = lifetimeConfig();
const users = userDirectory();
const sessions = sessionStore();
const temporaryPasswords = temporaryPasswordStore();
const counter = rateCounter();
const { signInPerAccount } = rateLimits();

export function sessionDeps(scope: RequestScope): SessionDeps {
  return {
    users,
    counter,
    signInLimit: signInPerAccount,
    sessions,
    temporaryPasswords,
    clock: systemClock,
    log: scope.log,
    sessionMinutes,
    challengeSeconds: lifetimeDefaults.challengeSeconds,
    contextWords,
    portalName: site.portalName,
  };
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

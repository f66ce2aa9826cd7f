// What the session handlers share: their dependencies and how a sign-in result becomes cookies.
import { lifetimeConfig, siteConfig } from './config';
import { lifetimeDefaults } from './definitions/lifetimes';
import { systemClock } from './domain/ports';
import type { SessionDeps, SignInResult } from './domain/sessions';
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
const contextWords = [...site.portalName.split(/\s+/), site.portalName, 'password', 'support', 'welcome'];
const { sessionMinutes, sessionIdleMinutes } = lifetimeConfig();
const users = userDirectory();
const sessions = sessionStore();
const temporaryPasswords = temporaryPasswordStore();
const counter = rateCounter();
const generations = credentialGenerations();
const limits = rateLimits();

export function sessionDeps(scope: RequestScope): SessionDeps {
  return {
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
  };
}

export function signInResponse(result: SignInResult): Response {
  if (result.kind === 'new_password_required') {
    return json(
      200,
      {
        challenge: 'NEW_PASSWORD_REQUIRED',
        username: result.username,
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

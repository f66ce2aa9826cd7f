// GET /api/session: who is signed in, or whose temporary-password sign-in waits for a new password.
import { sessionState } from '../domain/sessions';
import { httpHandler } from '../http/handler';
import { cookie } from '../http/request';
import { cookieName, json } from '../http/responses';
import { sessionLookupDeps, site } from '../session-deps';
import { ipRateLimit } from '../wiring';

const deps = sessionLookupDeps();

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const state = await sessionState(
      cookie(event, cookieName('session', site.secureCookies)),
      cookie(event, cookieName('challenge', site.secureCookies)),
      deps(scope),
    );
    if (state.kind === 'signed_in') return json(200, { username: state.username });
    return json(200, {
      challenge: 'NEW_PASSWORD_REQUIRED',
      username: state.username,
      ...(state.emailLocalPart ? { emailLocalPart: state.emailLocalPart } : {}),
    });
  },
  ipRateLimit('session-get'),
);

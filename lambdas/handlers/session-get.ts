// GET /api/session: who is signed in.
import { currentSession } from '../domain/sessions';
import { httpHandler } from '../http/handler';
import { cookie } from '../http/request';
import { cookieName, json } from '../http/responses';
import { sessionLookupDeps, site } from '../session-deps';
import { ipRateLimit } from '../wiring';

const deps = sessionLookupDeps();

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const { username } = await currentSession(cookie(event, cookieName('session', site.secureCookies)), deps(scope));
    return json(200, { username });
  },
  ipRateLimit('session-get'),
);

// GET /api/session: who is signed in.
import { currentSession } from '../domain/sessions';
import { httpHandler } from '../http/handler';
import { cookie } from '../http/request';
import { cookieName, json } from '../http/responses';
import { sessionDeps, site } from '../session-deps';
import { ipRateLimit } from '../wiring';

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const { username } = await currentSession(
      cookie(event, cookieName('session', site.secureCookies)),
      sessionDeps(scope),
    );
    return json(200, { username });
  },
  ipRateLimit('session-get'),
);

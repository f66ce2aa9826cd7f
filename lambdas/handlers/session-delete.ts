// DELETE /api/session: sign out, ending the session on the server too.
import { signOut } from '../domain/sessions';
import { httpHandler } from '../http/handler';
import { cookie } from '../http/request';
import { clearCookie, cookieName, json } from '../http/responses';
import { sessionLookupDeps, site } from '../session-deps';
import { ipRateLimit } from '../wiring';

const deps = sessionLookupDeps();

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    await signOut(cookie(event, cookieName('session', site.secureCookies)), deps(scope));
    return json(200, { status: 'signed_out' }, { cookies: [clearCookie('session', site.secureCookies)] });
  },
  ipRateLimit('session-delete'),
);

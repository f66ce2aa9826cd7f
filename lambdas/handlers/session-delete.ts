// DELETE /api/session: sign out, ending the session on the server too.
import { currentSession, signOut } from '../domain/sessions';
import { httpHandler } from '../http/handler';
import { cookie } from '../http/request';
import { clearCookie, cookieName, json } from '../http/responses';
import { endToolSessions } from '../oidc/tool-sessions';
import { sessionLookupDeps, site } from '../session-deps';
import { ipRateLimit } from '../wiring';

const deps = sessionLookupDeps();

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const value = cookie(event, cookieName('session', site.secureCookies));
    const signedIn = await currentSession(value, deps(scope)).catch(() => undefined);
    await signOut(value, deps(scope));
    // One session: the tools the person signed in to through us are signed out too.
    if (signedIn) await endToolSessions(signedIn.username, scope.log);
    return json(200, { status: 'signed_out' }, { cookies: [clearCookie('session', site.secureCookies)] });
  },
  ipRateLimit('session-delete'),
);

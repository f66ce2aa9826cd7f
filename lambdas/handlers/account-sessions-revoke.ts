// POST /api/account/sessions/revoke: "sign out elsewhere", ending every session but this one.
import { signOutElsewhere } from '../domain/account';
import { httpHandler } from '../http/handler';
import { json } from '../http/responses';
import { sessionDeps, signedIn, site } from '../session-deps';
import { ipRateLimit } from '../wiring';

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const deps = sessionDeps(scope);
    const me = await signedIn(event, deps);
    return json(200, { ended: await signOutElsewhere(me.username, me.hash, deps) });
  },
  ipRateLimit('account-sessions-revoke'),
);

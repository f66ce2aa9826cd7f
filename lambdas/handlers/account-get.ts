// GET /api/account: the signed-in person's factors and sessions, for the account page.
import { accountOverview, passkeyChangesUntil } from '../domain/account';
import { httpHandler } from '../http/handler';
import { json } from '../http/responses';
import { signedIn, signInDeps, site } from '../session-deps';
import { ipRateLimit } from '../wiring';

const sessionDeps = signInDeps();

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const deps = sessionDeps(scope);
    const me = await signedIn(event, deps);
    return json(200, {
      ...(await accountOverview(me.username, me.hash, deps)),
      amr: me.amr,
      passkeyChangesUntil: passkeyChangesUntil(me),
    });
  },
  ipRateLimit('account-get'),
);

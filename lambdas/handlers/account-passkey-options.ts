// POST /api/account/passkeys/options: options for registering a passkey (signed in, recently).
import { requireRecentSignIn } from '../domain/account';
import { registrationOptions } from '../domain/passkeys';
import { httpHandler } from '../http/handler';
import { jsonBody } from '../http/request';
import { json } from '../http/responses';
import { emptySchema } from '../http/schemas';
import { relyingPartyOfSite, signedIn, signInDeps, site } from '../session-deps';
import { ipRateLimit } from '../wiring';

const sessionDeps = signInDeps();

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    jsonBody(event, emptySchema);
    const deps = { ...sessionDeps(scope), relyingParty: relyingPartyOfSite };
    const me = await signedIn(event, deps);
    requireRecentSignIn(me, deps.clock);
    return json(200, { options: await registrationOptions(me.username, deps) });
  },
  ipRateLimit('account-passkey-options'),
);

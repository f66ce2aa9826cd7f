// POST /api/account/passkeys/options: options for registering a passkey: signed in (recently), or
// during a sign-in when the portal requires a second factor and the account has none yet.
import { requireRecentSignIn } from '../domain/account';
import { registrationOptions } from '../domain/passkeys';
import { enrolmentStepUser } from '../domain/sessions';
import { httpHandler } from '../http/handler';
import { jsonBody } from '../http/request';
import { json } from '../http/responses';
import { emptySchema } from '../http/schemas';
import { passkeySignInDeps, signedIn, site, stepCookie } from '../session-deps';
import { ipRateLimit } from '../wiring';

const sessionDeps = passkeySignInDeps();

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    jsonBody(event, emptySchema);
    const deps = sessionDeps(scope);
    const step = stepCookie(event);
    const username = step ? await enrolmentStepUser(step, deps) : await recentlySignedIn();
    return json(200, { options: await registrationOptions(username, deps) });

    async function recentlySignedIn(): Promise<string> {
      const me = await signedIn(event, deps);
      requireRecentSignIn(me, deps.clock);
      return me.username;
    }
  },
  ipRateLimit('account-passkey-options'),
);

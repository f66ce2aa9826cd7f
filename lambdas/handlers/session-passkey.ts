// POST /api/session/passkey: signs in with a passkey instead of the password. Answers as a
// password sign-in does (the session cookie), so the pages continue the same way.
import { apiRoutes } from '../definitions/routes';
import { signInWithPasskey } from '../domain/passkeys';
import { httpHandler } from '../http/handler';
import { jsonBody } from '../http/request';
import { asAssertion, passkeySignInSchema } from '../http/schemas';
import { relyingPartyOfSite, sessionCookie, signInDeps, signInResponse, site } from '../session-deps';
import { ipRateLimit } from '../wiring';

const sessionDeps = signInDeps();

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const { response } = jsonBody(event, passkeySignInSchema, apiRoutes.passkeySignIn.maxBodyBytes);
    const deps = { ...sessionDeps(scope), relyingParty: relyingPartyOfSite };
    // The browser's previous session, if any, ends when the new one starts.
    return signInResponse(await signInWithPasskey(asAssertion(response), deps, sessionCookie(event)));
  },
  ipRateLimit('session-passkey'),
);

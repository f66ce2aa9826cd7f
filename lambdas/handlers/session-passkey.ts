// POST /api/session/passkey: signs in with a passkey instead of the password. Answers as a
// password sign-in does (the session cookie), so the pages continue the same way.
import { apiRoutes } from '../definitions/routes';
import { signInWithPasskey } from '../domain/passkeys';
import { httpHandler } from '../http/handler';
import { jsonBody } from '../http/request';
import { asAssertion, passkeySignInSchema } from '../http/schemas';
import { passkeySignInDeps, sessionCookie, signInResponse, site } from '../session-deps';
import { ipRateLimit } from '../wiring';

const sessionDeps = passkeySignInDeps();

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const { response } = jsonBody(event, passkeySignInSchema, apiRoutes.passkeySignIn.maxBodyBytes);
    const deps = sessionDeps(scope);
    // The browser's previous session, if any, ends when the new one starts.
    return signInResponse(await signInWithPasskey(asAssertion(response), deps, sessionCookie(event)));
  },
  ipRateLimit('session-passkey'),
);

// POST /api/account/passkeys: stores the passkey the browser just made, under the name given;
// the person is told by email. During a sign-in that must set up a second factor first (the step
// cookie), the first passkey also finishes the sign-in: the answer then carries the session.
import { apiRoutes } from '../definitions/routes';
import { requireRecentSignIn, sendSecurityNotice } from '../domain/account';
import { addPasskey, completeEnrolmentWithPasskey } from '../domain/passkeys';
import { httpHandler } from '../http/handler';
import { jsonBody } from '../http/request';
import { json } from '../http/responses';
import { addPasskeySchema, asAttestation } from '../http/schemas';
import {
  noticeContext,
  passkeySignInDeps,
  sessionCookie,
  signedIn,
  signInResponse,
  site,
  stepCookie,
} from '../session-deps';
import { ipRateLimit, securityMailer } from '../wiring';

const sessionDeps = passkeySignInDeps({ securityMailer });

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const { name, response } = jsonBody(event, addPasskeySchema, apiRoutes.addPasskey.maxBodyBytes);
    const deps = sessionDeps(scope);
    const step = stepCookie(event);
    if (step) {
      const { result, passkey } = await completeEnrolmentWithPasskey(
        step,
        name,
        asAttestation(response),
        deps,
        sessionCookie(event),
      );
      await sendSecurityNotice(result.username, 'passkey_added', noticeContext(event), deps, passkey.name);
      return signInResponse(result, { passkey }, 201);
    }
    const me = await signedIn(event, deps);
    requireRecentSignIn(me, deps.clock);
    const passkey = await addPasskey(me.username, name, asAttestation(response), deps);
    await sendSecurityNotice(me.username, 'passkey_added', noticeContext(event), deps, passkey.name);
    return json(201, { passkey });
  },
  ipRateLimit('account-passkey-add'),
);

// POST /api/account/passkeys: stores the passkey the browser just made, under the name given;
// the person is told by email.
import { apiRoutes } from '../definitions/routes';
import { requireRecentSignIn, sendSecurityNotice } from '../domain/account';
import { addPasskey } from '../domain/passkeys';
import { httpHandler } from '../http/handler';
import { jsonBody } from '../http/request';
import { json } from '../http/responses';
import { addPasskeySchema, asAttestation } from '../http/schemas';
import { noticeContext, relyingPartyOfSite, signedIn, signInDeps, site } from '../session-deps';
import { ipRateLimit, securityMailer } from '../wiring';

const sessionDeps = signInDeps({ securityMailer });

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const { name, response } = jsonBody(event, addPasskeySchema, apiRoutes.addPasskey.maxBodyBytes);
    const deps = { ...sessionDeps(scope), relyingParty: relyingPartyOfSite };
    const me = await signedIn(event, deps);
    requireRecentSignIn(me, deps.clock);
    const passkey = await addPasskey(me.username, name, asAttestation(response), deps);
    await sendSecurityNotice(me.username, 'passkey_added', noticeContext(event), deps, passkey.name);
    return json(201, { passkey });
  },
  ipRateLimit('account-passkey-add'),
);

// POST /api/account/passkeys/remove: removes one of the person's passkeys (signed in, recently);
// the person is told by email.
import { removePasskey, requireRecentSignIn, sendSecurityNotice } from '../domain/account';
import { httpHandler } from '../http/handler';
import { jsonBody } from '../http/request';
import { json } from '../http/responses';
import { removePasskeySchema } from '../http/schemas';
import { noticeContext, signedIn, signInDeps, site } from '../session-deps';
import { ipRateLimit, securityMailer } from '../wiring';

const sessionDeps = signInDeps({ securityMailer });

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const { id } = jsonBody(event, removePasskeySchema);
    const deps = sessionDeps(scope);
    const me = await signedIn(event, deps);
    requireRecentSignIn(me, deps.clock);
    const removed = await removePasskey(me.username, id, deps);
    await sendSecurityNotice(me.username, 'passkey_removed', noticeContext(event), deps, removed.name);
    return json(200, { removed });
  },
  ipRateLimit('account-passkey-remove'),
);

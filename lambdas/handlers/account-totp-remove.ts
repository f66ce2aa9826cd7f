// POST /api/account/totp/remove: removes the authenticator (and its recovery codes), proved by a
// current code from it.
import { removeTotp, sendSecurityNotice } from '../domain/account';
import { httpHandler } from '../http/handler';
import { jsonBody } from '../http/request';
import { json } from '../http/responses';
import { totpCodeSchema } from '../http/schemas';
import { noticeContext, signedIn, signInDeps, site } from '../session-deps';
import { ipRateLimit, secretSealer, securityMailer } from '../wiring';

const sessionDeps = signInDeps({ sealer: secretSealer, securityMailer });

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const { code } = jsonBody(event, totpCodeSchema);
    const deps = sessionDeps(scope);
    const me = await signedIn(event, deps);
    await removeTotp(me.username, code, deps);
    await sendSecurityNotice(me.username, 'totp_removed', noticeContext(event), deps);
    return json(200, { status: 'removed' });
  },
  ipRateLimit('account-totp-remove'),
);

// POST /api/account/recovery-codes: ten new recovery codes (shown once); the old ones stop working.
import { sendSecurityNotice } from '../domain/account';
import { EnrolmentMissing } from '../domain/errors';
import { regenerateRecoveryCodes } from '../domain/second-factors';
import { httpHandler } from '../http/handler';
import { jsonBody } from '../http/request';
import { json } from '../http/responses';
import { emptySchema } from '../http/schemas';
import { noticeContext, signedIn, signInDeps, site } from '../session-deps';
import { ipRateLimit, securityMailer } from '../wiring';

const sessionDeps = signInDeps({ securityMailer });

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    jsonBody(event, emptySchema);
    const deps = sessionDeps(scope);
    const me = await signedIn(event, deps);
    // Recovery codes stand in for a factor; without one they would be a factor of their own.
    if (!(await deps.factors.summary(me.username)).totp) throw new EnrolmentMissing();
    const recoveryCodes = await regenerateRecoveryCodes(me.username, deps);
    await sendSecurityNotice(me.username, 'recovery_codes_renewed', noticeContext(event), deps);
    return json(200, { recoveryCodes });
  },
  ipRateLimit('account-recovery-codes'),
);

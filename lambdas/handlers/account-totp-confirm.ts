// POST /api/account/totp/confirm: the first code confirms the authenticator; the answer carries
// the recovery codes, shown once. During a required set-up it also finishes the sign-in.
import { sendSecurityNotice } from '../domain/account';
import { confirmTotpEnrolment } from '../domain/second-factors';
import { completeEnrolmentStep } from '../domain/sessions';
import { httpHandler } from '../http/handler';
import { jsonBody } from '../http/request';
import { json } from '../http/responses';
import { totpCodeSchema } from '../http/schemas';
import { noticeContext, sessionCookie, signedIn, signInDeps, signInResponse, site, stepCookie } from '../session-deps';
import { ipRateLimit, secretSealer, securityMailer } from '../wiring';

const sessionDeps = signInDeps({ sealer: secretSealer, securityMailer });

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const { code } = jsonBody(event, totpCodeSchema);
    const deps = sessionDeps(scope);
    const step = stepCookie(event);
    if (step) {
      const { result, recoveryCodes } = await completeEnrolmentStep(step, code, deps, sessionCookie(event));
      await sendSecurityNotice(result.username, 'totp_added', noticeContext(event), deps);
      return signInResponse(result, { recoveryCodes });
    }
    const me = await signedIn(event, deps);
    const { recoveryCodes } = await confirmTotpEnrolment(me.username, code, deps);
    await sendSecurityNotice(me.username, 'totp_added', noticeContext(event), deps);
    return json(200, { recoveryCodes });
  },
  ipRateLimit('account-totp-confirm'),
);

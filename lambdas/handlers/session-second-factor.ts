// POST /api/session/second-factor: the second step of a sign-in (authenticator, recovery code or
// passkey).
import { apiRoutes } from '../definitions/routes';
import { sendSecurityNotice } from '../domain/account';
import { completePasskeySecondStep } from '../domain/passkeys';
import { completeSecondStep } from '../domain/sessions';
import { httpHandler } from '../http/handler';
import { jsonBody } from '../http/request';
import { asAssertion, secondFactorSchema } from '../http/schemas';
import { noticeContext, passkeySignInDeps, sessionCookie, signInResponse, site, stepCookie } from '../session-deps';
import { ipRateLimit, secretSealer, securityMailer } from '../wiring';

const sessionDeps = passkeySignInDeps({ sealer: secretSealer, securityMailer });

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const proof = jsonBody(event, secondFactorSchema, apiRoutes.secondFactor.maxBodyBytes);
    const deps = sessionDeps(scope);
    // The browser's previous session, if any, ends when the new one starts (as signIn does).
    const result =
      proof.method === 'passkey'
        ? await completePasskeySecondStep(stepCookie(event), asAssertion(proof.response), deps, sessionCookie(event))
        : await completeSecondStep(stepCookie(event), proof, deps, sessionCookie(event));
    // A recovery code in use may mean a lost phone, or a stolen code: the owner hears of it.
    if (proof.method === 'recovery') {
      await sendSecurityNotice(result.username, 'recovery_code_used', noticeContext(event), deps);
    }
    return signInResponse(result);
  },
  ipRateLimit('session-second-factor'),
);

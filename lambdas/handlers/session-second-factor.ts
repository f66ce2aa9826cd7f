// POST /api/session/second-factor: the second step of a sign-in (authenticator or recovery code).
import { completeSecondStep } from '../domain/sessions';
import { httpHandler } from '../http/handler';
import { jsonBody } from '../http/request';
import { secondFactorSchema } from '../http/schemas';
import { sessionDeps, signInResponse, site, stepCookie } from '../session-deps';
import { ipRateLimit } from '../wiring';

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const proof = jsonBody(event, secondFactorSchema);
    return signInResponse(await completeSecondStep(stepCookie(event), proof, sessionDeps(scope)));
  },
  ipRateLimit('session-second-factor'),
);

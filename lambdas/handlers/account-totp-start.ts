// POST /api/account/totp: start setting up an authenticator app (signed in, or during a sign-in
// when the portal requires a second factor). Answers the secret, the otpauth URI and its QR code,
// drawn here (no third party sees the secret).
import { renderSVG } from 'uqr';
import { beginTotpEnrolment } from '../domain/second-factors';
import { enrolmentStepUser } from '../domain/sessions';
import { httpHandler } from '../http/handler';
import { jsonBody } from '../http/request';
import { json } from '../http/responses';
import { emptySchema } from '../http/schemas';
import { signedIn, signInDeps, site, stepCookie } from '../session-deps';
import { ipRateLimit, secretSealer } from '../wiring';

const sessionDeps = signInDeps({ sealer: secretSealer });

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    jsonBody(event, emptySchema);
    const deps = sessionDeps(scope);
    const step = stepCookie(event);
    const username = step ? await enrolmentStepUser(step, deps) : (await signedIn(event, deps)).username;
    const enrolment = await beginTotpEnrolment(username, deps);
    const svg = renderSVG(enrolment.uri, { border: 2 });
    return json(200, {
      secret: enrolment.secret,
      uri: enrolment.uri,
      qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
    });
  },
  ipRateLimit('account-totp-start'),
);

// POST /api/session/new-password: answer the NEW_PASSWORD_REQUIRED challenge after a temporary password.
import { chooseNewPassword } from '../domain/sessions';
import { httpHandler } from '../http/handler';
import { cookie, jsonBody } from '../http/request';
import { cookieName } from '../http/responses';
import { newPasswordSchema } from '../http/schemas';
import { signInDeps, signInResponse, site } from '../session-deps';
import { ipRateLimit } from '../wiring';

const sessionDeps = signInDeps();

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const { newPassword } = jsonBody(event, newPasswordSchema);
    const challenge = cookie(event, cookieName('challenge', site.secureCookies));
    const previous = cookie(event, cookieName('session', site.secureCookies));
    return signInResponse(await chooseNewPassword(challenge, newPassword, sessionDeps(scope), previous));
  },
  ipRateLimit('session-new-password'),
);

// POST /api/password-reset/confirm: spend the link once, set a temporary password, email it.
import { lifetimeConfig, siteConfig } from '../config';
import { confirmPasswordReset } from '../domain/password-reset';
import { systemClock } from '../domain/ports';
import { httpHandler } from '../http/handler';
import { jsonBody, requestLanguage } from '../http/request';
import { json } from '../http/responses';
import { confirmResetSchema } from '../http/schemas';
import { endToolSessions } from '../oidc/tool-sessions';
import {
  credentialGenerations,
  ipRateLimit,
  mailer,
  sessionStore,
  temporaryPasswordStore,
  tokenStore,
  userDirectory,
} from '../wiring';

const site = siteConfig();
const users = userDirectory();
const tokens = tokenStore();
const mail = mailer();
const temporaryPasswords = temporaryPasswordStore();
const sessions = sessionStore();
const generations = credentialGenerations();
const { temporaryPasswordMinutes } = lifetimeConfig();

export const handler = httpHandler(
  site.siteUrl,
  async (event, { log }) => {
    const { token, language } = jsonBody(event, confirmResetSchema);
    const { username } = await confirmPasswordReset(token, requestLanguage(event, language), {
      users,
      generations,
      tokens,
      sessions,
      mailer: mail,
      temporaryPasswords,
      temporaryPasswordMinutes,
      // Well inside the function's timeout: a concurrent confirm normally finishes in well under a second.
      waitForClaimMs: 8000,
      clock: systemClock,
      log,
    });
    // A reset ends the person's sessions in the tools too (back-channel logout).
    await endToolSessions(username, log);
    return json(200, {
      status: 'sent',
      message: 'New password sent via mail. Sign in with it; you will then choose a password of your own.',
    });
  },
  ipRateLimit('password-reset-confirm'),
);

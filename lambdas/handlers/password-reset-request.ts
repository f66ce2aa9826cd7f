// POST /api/password-reset: validate, queue, answer 202 with the same body for every account.
import { lifetimeConfig, siteConfig } from '../config';
import { requestPasswordReset } from '../domain/password-reset';
import { systemClock } from '../domain/ports';
import { httpHandler } from '../http/handler';
import { jsonBody, requestLanguage, sourceIp } from '../http/request';
import { json } from '../http/responses';
import { resetRequestSchema } from '../http/schemas';
import { ipRateLimit, resetQueue } from '../wiring';

const site = siteConfig();
const { resetTokenMinutes } = lifetimeConfig();
const queue = resetQueue();

export const acceptedBody = {
  status: 'accepted',
  message: `If an account matches, we have sent an email with a link to reset the password. It can take a few minutes to arrive; check the spam folder too. The link works for ${resetTokenMinutes} minutes and only once.`,
} as const;

export const handler = httpHandler(
  site.siteUrl,
  async (event, { requestId }) => {
    const body = jsonBody(event, resetRequestSchema);
    await requestPasswordReset(
      {
        ...('login' in body ? { login: body.login } : { token: body.token }),
        language: requestLanguage(event, body.language),
        sourceIp: sourceIp(event),
        requestId,
      },
      { queue, clock: systemClock },
    );
    return json(202, acceptedBody);
  },
  ipRateLimit('password-reset-request'),
);

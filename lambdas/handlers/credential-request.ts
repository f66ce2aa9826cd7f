// POST /api/credential-requests: validate, store, tell ops, answer 202 with a reference. The same
// answer whether or not the address already has an account (that goes to ops only).
import { opsConfig, siteConfig } from '../config';
import { submitCredentialRequest } from '../domain/credential-requests';
import { systemClock } from '../domain/ports';
import { credentialRequestSchema } from '../http/credential-request-schema';
import { httpHandler } from '../http/handler';
import { jsonBody, requestLanguage, sourceIp } from '../http/request';
import { json } from '../http/responses';
import {
  accountAdmin,
  credentialMailer,
  credentialRequestStore,
  ipRateLimit,
  rateCounter,
  rateLimits,
} from '../wiring';

const site = siteConfig();
// Read at start, so a missing OPS_EMAIL stops the function before anybody fills in the form.
opsConfig();
const store = credentialRequestStore();
const accounts = accountAdmin();
const mailer = credentialMailer();
const counter = rateCounter();
const { credentialRequestsPerEmail, credentialRequestEmailsPerHour } = rateLimits();

export function acceptedBody(reference: string) {
  return {
    status: 'accepted',
    reference,
    message: `Request received. Your reference is ${reference}: quote it if you contact the support team. We will answer by email once the request has been reviewed.`,
  } as const;
}

export const handler = httpHandler(
  site.siteUrl,
  async (event, { log }) => {
    const { language, ...fields } = jsonBody(event, credentialRequestSchema);
    const { reference } = await submitCredentialRequest(
      { ...fields, language: requestLanguage(event, language), sourceIp: sourceIp(event) },
      {
        store,
        accounts,
        mailer,
        counter,
        emailLimit: credentialRequestsPerEmail,
        opsEmailLimit: credentialRequestEmailsPerHour,
        clock: systemClock,
        log,
      },
    );
    return json(202, acceptedBody(reference));
  },
  ipRateLimit('credential-request'),
);

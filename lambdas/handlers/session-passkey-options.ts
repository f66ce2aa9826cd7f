// POST /api/session/passkey/options: a passkey ceremony's options. `{}`: to sign in without a
// password (the browser offers this site's passkeys, in the username field's suggestions too);
// `{"secondStep": true}`: as the second step after a right password (the step cookie), naming the
// account's passkeys and the methods the step accepts.
import { secondStepOptions, signInOptions } from '../domain/passkeys';
import { httpHandler } from '../http/handler';
import { jsonBody } from '../http/request';
import { json } from '../http/responses';
import { passkeySignInOptionsSchema } from '../http/schemas';
import { passkeySignInDeps, site, stepCookie } from '../session-deps';
import { ipRateLimit } from '../wiring';

const sessionDeps = passkeySignInDeps();

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const { secondStep } = jsonBody(event, passkeySignInOptionsSchema);
    const deps = sessionDeps(scope);
    if (secondStep) return json(200, await secondStepOptions(stepCookie(event), deps));
    return json(200, { options: await signInOptions(deps) });
  },
  ipRateLimit('session-passkey-options'),
);

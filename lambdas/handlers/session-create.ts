// POST /api/session: sign in with username (or email) and password.
import { signIn } from '../domain/sessions';
import { httpHandler } from '../http/handler';
import { jsonBody } from '../http/request';
import { signInSchema } from '../http/schemas';
import { signInDeps, signInResponse, site } from '../session-deps';
import { ipRateLimit } from '../wiring';

const sessionDeps = signInDeps();

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const { username, password } = jsonBody(event, signInSchema);
    return signInResponse(await signIn(username, password, sessionDeps(scope)));
  },
  ipRateLimit('session-create'),
);

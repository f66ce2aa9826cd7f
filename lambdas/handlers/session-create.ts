// POST /api/session: sign in with username (or email) and password; the browser's previous
// session, if any, ends. Its per-source limit is counted inside signIn (not by httpHandler), so a
// live temporary password passes it.
import { signIn } from '../domain/sessions';
import { httpHandler } from '../http/handler';
import { cookie, jsonBody, sourceIp, sourceKey } from '../http/request';
import { cookieName } from '../http/responses';
import { signInSchema } from '../http/schemas';
import { signInDeps, signInResponse, site } from '../session-deps';

const sessionDeps = signInDeps();

export const handler = httpHandler(site.siteUrl, async (event, scope) => {
  const { username, password } = jsonBody(event, signInSchema);
  const previous = cookie(event, cookieName('session', site.secureCookies));
  return signInResponse(await signIn(username, password, sourceKey(sourceIp(event)), sessionDeps(scope), previous));
});

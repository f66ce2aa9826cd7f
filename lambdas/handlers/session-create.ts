// POST /api/session: sign in with username (or email) and password. Its per-source limit is
// counted inside signIn (not by httpHandler), so a live temporary password passes it.
import { signIn } from '../domain/sessions';
import { httpHandler } from '../http/handler';
import { jsonBody, sourceIp, sourceKey } from '../http/request';
import { signInSchema } from '../http/schemas';
import { sessionDeps, signInResponse, site } from '../session-deps';

export const handler = httpHandler(site.siteUrl, async (event, scope) => {
  const { username, password } = jsonBody(event, signInSchema);
  return signInResponse(await signIn(username, password, sourceKey(sourceIp(event)), sessionDeps(scope)));
});

// POST /api/account/sessions/revoke: "sign out elsewhere", ending every session but this one.
import { sendSecurityNotice, signOutElsewhere } from '../domain/account';
import { httpHandler } from '../http/handler';
import { jsonBody } from '../http/request';
import { json } from '../http/responses';
import { emptySchema } from '../http/schemas';
import { noticeContext, signedIn, signInDeps, site } from '../session-deps';
import { ipRateLimit, securityMailer } from '../wiring';

const sessionDeps = signInDeps({ securityMailer });

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    jsonBody(event, emptySchema);
    const deps = sessionDeps(scope);
    const me = await signedIn(event, deps);
    const ended = await signOutElsewhere(me.username, me.hash, deps);
    if (ended > 0) await sendSecurityNotice(me.username, 'sessions_ended', noticeContext(event), deps);
    return json(200, { ended });
  },
  ipRateLimit('account-sessions-revoke'),
);

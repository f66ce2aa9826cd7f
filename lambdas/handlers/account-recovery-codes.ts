// POST /api/account/recovery-codes: ten new recovery codes (shown once); the old ones stop working.
import { EnrolmentMissing } from '../domain/errors';
import { regenerateRecoveryCodes } from '../domain/second-factors';
import { httpHandler } from '../http/handler';
import { json } from '../http/responses';
import { sessionDeps, signedIn, site } from '../session-deps';
import { ipRateLimit } from '../wiring';

export const handler = httpHandler(
  site.siteUrl,
  async (event, scope) => {
    const deps = sessionDeps(scope);
    const me = await signedIn(event, deps);
    // Recovery codes stand in for a factor; without one they would be a factor of their own.
    if (!(await deps.factors.summary(me.username)).totp) throw new EnrolmentMissing();
    return json(200, { recoveryCodes: await regenerateRecoveryCodes(me.username, deps) });
  },
  ipRateLimit('account-recovery-codes'),
);

// Stops the suite's local stack, after checking least privilege both ways on the calls it saw.
import { BROWSER_IAM_CALLS } from '../support/iam-calls';
import { checkLeastPrivilege, isWholeSuite, type RunScope } from './least-privilege';

export default async function globalTeardown(globalConfig: RunScope): Promise<void> {
  try {
    const started = globalThis.__supportAccessStack;
    if (started) {
      checkLeastPrivilege(started.stack, {
        startedAt: started.startedAt,
        browserCalls: BROWSER_IAM_CALLS,
        wholeSuite: isWholeSuite(globalConfig),
      });
    }
  } finally {
    await globalThis.__supportAccessStop?.();
    await globalThis.__logoutSinkStop?.();
  }
}

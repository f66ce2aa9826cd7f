// `npm start`: the whole system on this machine, no AWS account. Ctrl-C stops everything.
import { join } from 'node:path';
import { integerEnv } from '../lambdas/config';
import { startLocalStack } from '../lib/local/local-stack';

async function main(): Promise<void> {
  const port = integerEnv('PORT', 3000, 0, 65535);
  process.env.POWERTOOLS_DEV ??= 'true';
  const stack = await startLocalStack({ port, dataDir: join(__dirname, '..', '.local') });
  const { demo } = stack.bootstrapped;
  console.log(`
  Support Access is running locally (no AWS account; emulators on 127.0.0.1)

    Login page     ${stack.url}/
    Inbox (web)    ${stack.sesUrl}/
    Inbox (JSON)   ${stack.url}/_local/inbox
    Queue stats    ${stack.url}/_local/queue

    Demo user      ${demo.username}  (${demo.email})
    Password       ${demo.password}

  State is in memory and in .local/ (wiped at every start). Press Ctrl-C to stop.
`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

// `npm start`: the whole system on this machine, no AWS account. Ctrl-C stops everything.
import '../lib/quiet-sdk-notice';
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { integerEnv } from '../lambdas/config';
import { startDemoTool } from '../local/demo-tool';
import { startLocalStack } from '../local/local-stack';
import { DEFAULT_LOCAL_FILE, writeLocalOpsFile } from '../ops/settings';

async function main(): Promise<void> {
  const port = integerEnv('PORT', 3000, 0, 65535);
  process.env.POWERTOOLS_DEV ??= 'true';
  // The demo support tool is registered with the provider like any tool (OIDC_CLIENTS).
  const tool = await startDemoTool(integerEnv('DEMO_TOOL_PORT', port === 0 ? 0 : port + 1, 0, 65535));
  const stack = await startLocalStack({
    port,
    dataDir: join(__dirname, '..', '.local', 'state'),
    extraClients: [tool.client],
  });
  await tool.connect(stack.url);
  const { demo } = stack.bootstrapped;
  // The ops CLI (npm run ops) finds the emulators through this file.
  writeLocalOpsFile(DEFAULT_LOCAL_FILE, stack);
  console.log(`
  Support Access is running locally (no AWS account; emulators on 127.0.0.1)

    Login page     ${stack.url}/
    Demo tool      ${tool.url}/   (signs in through Support Access; reset the password and watch it sign out)
    Discovery      ${stack.url}/.well-known/openid-configuration
    Inbox (web)    ${stack.sesUrl}/
    Inbox (JSON)   ${stack.url}/_local/inbox
    Queue stats    ${stack.url}/_local/queue
    Ops CLI        npm run ops -- requests   (credential requests; --help for the rest)

    Demo user      ${demo.username}  (${demo.email})
    Password       ${demo.password}

  Lambda bundles: ${stack.bundles.built.length} built, ${stack.bundles.reused.length} reused from .local/bundles/.
  Serving ${(performance.now() / 1000).toFixed(1)} s after launch (load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores).
  State is in memory and in .local/state/ (wiped at every start); the Lambda bundles
  are cached in .local/bundles/ (rebuilt only when a source changes). Press Ctrl-C to stop.
`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    rmSync(DEFAULT_LOCAL_FILE, { force: true });
    Promise.all([stack.stop(), tool.stop()]).then(
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

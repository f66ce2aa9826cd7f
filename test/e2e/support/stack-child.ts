// Runs the local stack in its own process for the e2e suite: jest runs every project's global setup
// in one process, and the handlers read their configuration once per process (the integration
// suite's stack lives there). Prints one JSON line with the addresses, stops when stdin closes.
import { rateLimitDefaults } from '../../../lambdas/definitions/rate-limits';
import { startDemoTool } from '../../../local/demo-tool';
import { startLocalStack } from '../../../local/local-stack';

/** The browser always comes from 127.0.0.1: limits high enough for a whole suite from one address. */
function generousRateLimits(): string {
  const wide = { limit: 100_000, windowSeconds: 60 };
  return JSON.stringify({
    resetEmailsPerAccount: wide,
    signInPerAccount: wide,
    // Sign-in failures from the one test address never slow the suite down.
    signInPerAccountAndSource: {
      freeFailures: wide.limit - 1,
      firstDelaySeconds: 1,
      maxDelaySeconds: 1,
      limit: wide.limit,
      windowSeconds: 60,
    },
    perIp: Object.fromEntries(Object.keys(rateLimitDefaults.perIp).map((name) => [name, wide])),
  });
}

async function main(): Promise<void> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const tool = await startDemoTool(0);
  const stack = await startLocalStack({
    port: 0,
    queueRetryDelayMs: 200,
    env: { RATE_LIMITS: generousRateLimits() },
    // Each function's calls, for the least-privilege check (test/integration/least-privilege.ts).
    ...(process.env.SUPPORT_ACCESS_IAM_CALL_LOG ? { iamCallLog: process.env.SUPPORT_ACCESS_IAM_CALL_LOG } : {}),
    extraClients: [tool.client],
  });
  await tool.connect(stack.url);
  const stop = () => {
    Promise.all([stack.stop(), tool.stop()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.stdin.on('end', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.stdout.write(
    `${JSON.stringify({
      url: stack.url,
      sesUrl: stack.sesUrl,
      dynamodb: stack.endpoints.dynamodb,
      cognito: stack.endpoints.cognito,
      tableName: stack.bootstrapped.tableName,
      userPoolId: stack.bootstrapped.userPoolId,
      demo: stack.bootstrapped.demo,
      demoTool: tool.url,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
